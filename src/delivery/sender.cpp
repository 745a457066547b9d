#include "salesint/delivery/sender.hpp"

#include <algorithm>
#include <thread>

#include "salesint/net/http_client.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/uuid.hpp"

namespace salesint::delivery {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string seconds_text(std::chrono::milliseconds wait) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(wait.count()) / 1000.0);
    return text;
}

}  // namespace

SendResult send(const SendRequest& request) {
    SendResult result;
    std::chrono::milliseconds wait{0};
    for (int number = 1; number <= request.max_attempts; ++number) {
        if (wait.count() > 0) {
            std::this_thread::sleep_for(wait);
        }
        if (request.may_attempt && !request.may_attempt()) {
            result.outcome = SendOutcome::kBlocked;
            return result;
        }
        net::HeaderList headers;
        if (request.scheme != nullptr) {
            headers = request.scheme->sign(request.secret, webhooks::Payload::view(request.payload),
                                           unix_now(), request.delivery_id);
        }
        headers.insert(headers.end(), request.extra_headers.begin(), request.extra_headers.end());
        headers.push_back({"Content-Type", request.content_type});
        headers.push_back({"X-Correlation-ID", request.correlation_id});

        SendAttempt attempt;
        attempt.number = number;
        attempt.at = now_rfc3339();
        attempt.waited_ms = wait.count();
        auto started = Clock::now();
        net::HeaderList sent = headers;
        sent.insert(sent.end(), request.secret_headers.begin(), request.secret_headers.end());
        net::HttpResponse response =
            net::http_post(request.url, sent, request.payload, request.timeout);
        attempt.duration_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
        attempt.status = response.status;
        attempt.error =
            response.timed_out ? "timeout after " + seconds_text(request.timeout) : response.error;
        if (response.status >= 300 && !response.body.empty()) {
            attempt.error = response.body.substr(0, 200);
        }
        const bool delivered =
            request.delivered_statuses.empty()
                ? response.status >= 200 && response.status < 300
                : std::find(request.delivered_statuses.begin(), request.delivered_statuses.end(),
                            response.status) != request.delivered_statuses.end();
        if (!delivered && response.status >= 200 && response.status < 300) {
            attempt.error = "not an answer this call counts as delivered";
        }
        result.attempts.push_back(attempt);
        result.headers = std::move(headers);
        result.response_body = std::move(response.body);
        const bool transient = !delivered && net::is_transient(response.status, response.timed_out);
        if (request.after_attempt) {
            request.after_attempt(attempt, transient);
        }

        if (delivered) {
            result.outcome = SendOutcome::kDelivered;
            return result;
        }
        if (!transient) {
            result.outcome = SendOutcome::kRefused;
            return result;
        }
        if (number == request.max_attempts) {
            break;
        }
        wait = net::full_jitter(request.backoff, number);
        if (auto retry_after =
                net::parse_retry_after(find_header(response.headers, "Retry-After").value_or(""),
                                       std::chrono::system_clock::now())) {
            wait = std::max(wait, *retry_after);  // the server knows when it will be back
        }
        if (request.on_retry) {
            request.on_retry(
                "attempt " + std::to_string(number) + "/" + std::to_string(request.max_attempts) +
                ": " +
                (attempt.status > 0 ? "HTTP " + std::to_string(attempt.status) : attempt.error) +
                "; retrying in " + seconds_text(wait));
        }
    }
    result.outcome = SendOutcome::kExhausted;
    return result;
}

std::string attempts_json(const std::vector<SendAttempt>& attempts) {
    OrderedJson list = OrderedJson::array();
    for (const auto& attempt : attempts) {
        list.push_back(
            {{"attempt", attempt.number},
             {"at", attempt.at},
             {"status", attempt.status > 0 ? OrderedJson(attempt.status) : OrderedJson()},
             {"error", attempt.error},
             {"duration_ms", attempt.duration_ms}});
    }
    return list.dump();
}

DlqEntry dead_letter(const SendRequest& request, const SendResult& result) {
    const SendAttempt& last = result.attempts.back();
    OrderedJson headers = OrderedJson::object();
    const auto signature_headers = request.scheme != nullptr ? request.scheme->signature_headers()
                                                             : std::vector<std::string>{};
    for (const auto& header : result.headers) {
        bool signature = std::any_of(
            signature_headers.begin(), signature_headers.end(),
            [&](const std::string& name) { return to_lower(name) == to_lower(header.name); });
        if (!signature) {
            headers[header.name] = header.value;
        }
    }
    DlqEntry entry;
    entry.entry_id = new_uuid_v4();
    entry.source = "webhook_send";
    entry.adapter_id = request.scheme != nullptr ? std::string("webhook:") + request.scheme->name()
                                                 : std::string("webhook");
    entry.message_id = request.delivery_id;
    entry.correlation_id = request.correlation_id;
    entry.target_url = request.url;
    entry.payload = request.payload;
    entry.headers_json = headers.dump();
    entry.error_code = attempt_error_code(last);
    entry.error_message =
        (result.outcome == SendOutcome::kRefused
             ? "refused: "
             : "gave up after " + std::to_string(result.attempts.size()) + " attempts: ") +
        describe_attempt(last);
    entry.attempts_json = attempts_json(result.attempts);
    entry.first_failed_at = result.attempts.front().at;
    entry.last_failed_at = last.at;
    return entry;
}

std::string attempt_error_code(const SendAttempt& attempt) {
    return attempt.status > 0                      ? "HTTP_" + std::to_string(attempt.status)
           : starts_with(attempt.error, "timeout") ? "TIMEOUT"
                                                   : "NETWORK";
}

std::string describe_attempt(const SendAttempt& attempt) {
    if (attempt.status <= 0) {
        return attempt.error;
    }
    return "HTTP " + std::to_string(attempt.status) +
           (attempt.error.empty() ? std::string() : ": " + attempt.error);
}

}  // namespace salesint::delivery
