// `webhook send`: POST a payload signed by a scheme, retrying transient
// failures with backoff, and describe a delivery that failed for good as a
// DLQ entry that can be replayed.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/net/retry.hpp"
#include "salesint/webhooks/scheme.hpp"

namespace salesint::webhooks {

struct SendRequest {
    std::string url;
    const Scheme* scheme = nullptr;
    Secret secret;
    std::string payload;
    std::string delivery_id;
    std::string correlation_id;
    std::string content_type = "application/json";
    int max_attempts = 5;
    std::chrono::milliseconds timeout{30'000};
    net::Backoff backoff;
    // Told before each wait: "attempt 1/5: HTTP 503; retrying in 0.8 s".
    std::function<void(const std::string&)> on_retry;
};

struct SendAttempt {
    int number = 0;
    std::string at;   // RFC 3339
    long status = 0;  // 0: no response
    std::string error;
    long long duration_ms = 0;
    long long waited_ms = 0;  // before this attempt
};

enum class SendOutcome { kDelivered, kRefused, kExhausted };

struct SendResult {
    SendOutcome outcome = SendOutcome::kExhausted;
    std::vector<SendAttempt> attempts;
    HeaderList headers;  // as sent on the last attempt
};

// Each attempt is signed afresh (same delivery id, current timestamp), so a
// late retry is not refused as stale.
SendResult send(const SendRequest& request);

// The DLQ row of a delivery that failed for good; signature headers are left
// out, so a replay signs again with the secret of its day.
DlqEntry dead_letter(const SendRequest& request, const SendResult& result);

}  // namespace salesint::webhooks
