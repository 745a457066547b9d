// A POST signed by a webhook scheme (or unsigned), retrying transient
// failures with backoff, and a delivery that failed for good described as a
// DLQ entry that can be replayed: `webhook send` and `execute --live` use it.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/net/retry.hpp"
#include "salesint/webhooks/scheme.hpp"

namespace salesint::delivery {

struct SendAttempt;

struct SendRequest {
    std::string url;
    const webhooks::Scheme* scheme = nullptr;  // nullptr: sent unsigned
    webhooks::Secret secret;
    net::HeaderList extra_headers;  // e.g. Idempotency-Key
    // Credentials (Authorization, an API key): sent with each attempt, left
    // out of SendResult::headers and so of DLQ rows.
    net::HeaderList secret_headers;
    // Statuses that count as delivered; empty: any 2xx. Any other answer is
    // a refusal (not retried: the remote did act on the request).
    std::vector<long> delivered_statuses;
    std::string payload;
    std::string delivery_id;
    std::string correlation_id;
    std::string content_type = "application/json";
    int max_attempts = 5;
    std::chrono::milliseconds timeout{30'000};
    net::Backoff backoff;
    // Told before each wait: "attempt 1/5: HTTP 503; retrying in 0.8 s".
    std::function<void(const std::string&)> on_retry;
    // Asked before each attempt; false stops the delivery (outcome kBlocked),
    // as a circuit breaker that opened meanwhile does.
    std::function<bool()> may_attempt;
    // Told after each attempt whether it failed in a way worth retrying.
    std::function<void(const SendAttempt&, bool transient_failure)> after_attempt;
};

struct SendAttempt {
    int number = 0;
    std::string at;   // RFC 3339
    long status = 0;  // 0: no response
    std::string error;
    long long duration_ms = 0;
    long long waited_ms = 0;  // before this attempt
};

// kBlocked: may_attempt said no before the delivery succeeded.
enum class SendOutcome { kDelivered, kRefused, kExhausted, kBlocked };

struct SendResult {
    SendOutcome outcome = SendOutcome::kExhausted;
    std::vector<SendAttempt> attempts;
    net::HeaderList headers;    // as sent on the last attempt
    std::string response_body;  // of the last response
};

// Each attempt is signed afresh (same delivery id, current timestamp), so a
// late retry is not refused as stale.
SendResult send(const SendRequest& request);

// The DLQ row of a delivery that failed for good; signature headers are left
// out, so a replay signs again with the secret of its day.
DlqEntry dead_letter(const SendRequest& request, const SendResult& result);

// The attempts of a DLQ entry: [{"attempt", "at", "status", "error", "duration_ms"}].
std::string attempts_json(const std::vector<SendAttempt>& attempts);

// HTTP_503, TIMEOUT or NETWORK: the error code of an attempt.
std::string attempt_error_code(const SendAttempt& attempt);
// "HTTP 503: body" or libcurl's message.
std::string describe_attempt(const SendAttempt& attempt);

}  // namespace salesint::delivery
