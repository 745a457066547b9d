#include "http_sink.hpp"

#include <set>

#include "salesint/util/clock.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/uuid.hpp"

namespace salesint::delivery {
namespace {

std::string correlation_of(const OutboxMessage& message) {
    const OrderedJson envelope = OrderedJson::parse(message.envelope_json, nullptr, false);
    if (envelope.is_object() && envelope.contains("meta") && envelope["meta"].is_object()) {
        const OrderedJson& id = envelope["meta"].value("correlation_id", OrderedJson());
        if (id.is_string() && !id.get<std::string>().empty()) {
            return id.get<std::string>();
        }
    }
    return new_uuid_v4();
}

const char* outcome_name(SendOutcome outcome) {
    switch (outcome) {
        case SendOutcome::kDelivered:
            return "delivered";
        case SendOutcome::kRefused:
            return "refused";
        case SendOutcome::kExhausted:
            return "exhausted";
        case SendOutcome::kBlocked:
            return "blocked";
    }
    return "exhausted";
}

}  // namespace

HttpSink::HttpSink(std::string url, HttpSinkOptions options)
    : url_(std::move(url)), options_(std::move(options)) {}

SendRequest HttpSink::request_for(std::string payload, std::string delivery_id,
                                  std::string correlation_id) const {
    SendRequest request;
    request.url = url_;
    request.scheme = options_.scheme;
    request.secret = options_.secret;
    request.payload = std::move(payload);
    request.delivery_id = std::move(delivery_id);
    request.correlation_id = std::move(correlation_id);
    request.max_attempts = options_.max_attempts;
    request.timeout = options_.timeout;
    request.backoff = options_.backoff;
    request.on_retry = options_.on_retry;
    return request;
}

PublishResult HttpSink::publish(const std::vector<OutboxMessage>& envelopes) {
    PublishResult published;
    published.envelopes.resize(envelopes.size());
    std::set<std::string> failed_keys;  // later envelopes of these keys are not sent
    const std::size_t per_request = preferred_batch();
    std::size_t next = 0;
    while (next < envelopes.size()) {
        // The next envelopes whose key has not failed in this call.
        std::vector<std::size_t> group;
        for (; next < envelopes.size() && group.size() < per_request; ++next) {
            if (failed_keys.count(envelopes[next].partition_key) == 0) {
                group.push_back(next);
            }
        }
        if (group.empty()) {
            break;
        }
        SendRequest request;
        if (options_.batch <= 1) {
            const OutboxMessage& message = envelopes[group.front()];
            request =
                request_for(message.envelope_json, message.message_id, correlation_of(message));
            // The receiver's de-duplication key: a relay run again after a
            // crash sends the same envelope under the same key.
            request.extra_headers.push_back({"Idempotency-Key", message.message_id});
        } else {
            std::string body = "[";
            for (std::size_t index : group) {
                if (body.size() > 1) {
                    body += ',';
                }
                body += envelopes[index].envelope_json;
            }
            body += ']';
            request = request_for(std::move(body), "relay_" + new_uuid_v4(), new_uuid_v4());
        }
        request.extra_headers.push_back({"X-Outbox-Count", std::to_string(group.size())});
        const SendResult sent = send(request);
        const SendAttempt& last = sent.attempts.back();

        WebhookDelivery delivery;
        delivery.delivery_id = request.delivery_id;
        delivery.source = "relay";
        delivery.target_url = url_;
        delivery.scheme = options_.scheme != nullptr ? options_.scheme->name() : "";
        delivery.outcome = outcome_name(sent.outcome);
        delivery.attempts = static_cast<int>(sent.attempts.size());
        if (last.status > 0) {
            delivery.http_status = static_cast<int>(last.status);
        }
        for (const SendAttempt& attempt : sent.attempts) {
            delivery.duration_ms += attempt.duration_ms;
        }
        delivery.at = sent.attempts.front().at;
        published.deliveries.push_back(delivery);

        EnvelopeResult result;
        result.at = last.at;
        result.duration_ms = delivery.duration_ms;
        result.http_status = delivery.http_status;
        if (sent.outcome == SendOutcome::kDelivered) {
            result.outcome = EnvelopeOutcome::kAcknowledged;
        } else {
            result.outcome = EnvelopeOutcome::kFailed;
            result.error_code = attempt_error_code(last);
            result.error =
                (sent.outcome == SendOutcome::kRefused
                     ? "refused: "
                     : "gave up after " + std::to_string(sent.attempts.size()) + " attempts: ") +
                describe_attempt(last);
            result.unreachable = last.status <= 0;
        }
        for (std::size_t index : group) {
            published.envelopes[index] = result;
            if (result.outcome == EnvelopeOutcome::kFailed) {
                failed_keys.insert(envelopes[index].partition_key);
            }
        }
    }
    return published;
}

}  // namespace salesint::delivery
