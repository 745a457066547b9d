// salesint webhook send: POST with retries; failures go to the DLQ, and every
// delivery, delivered or not, is recorded.
#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "option_values.hpp"
#include "salesint/delivery/forward.hpp"
#include "salesint/delivery/sender.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/uuid.hpp"
#include "webhook_options.hpp"

namespace salesint::cli {

using webhooks::scheme_named;

void install_send(Command group) {
    Context& context = group.context();
    auto options = std::make_shared<SchemeOptions>();
    auto url = std::make_shared<std::string>();
    auto id = std::make_shared<std::string>();
    auto correlation = std::make_shared<std::string>();
    auto max_attempts = std::make_shared<int>(5);
    auto timeout = std::make_shared<std::string>("30s");
    auto backoff = std::make_shared<std::string>("1s");
    auto max_backoff = std::make_shared<std::string>("30s");
    Command send = group.add(
        "send", "POST a signed payload, retrying transient failures; failures go to the DLQ",
        [=, &context] {
            delivery::SendRequest request;
            request.url = *url;
            request.scheme = &scheme_named(options->scheme);
            request.secret = options->load_one_secret("webhook send");
            request.payload = read_input(options->payload, webhooks::kMaxHeldPayloadBytes);
            request.delivery_id = id->empty() ? "msg_" + new_uuid_v4() : *id;
            request.correlation_id = correlation->empty() ? new_uuid_v4() : *correlation;
            if (*max_attempts < 1) {
                throw usage_error("--max-attempts must be at least 1");
            }
            request.max_attempts = *max_attempts;
            request.timeout = duration_option(*timeout, "--timeout");
            request.backoff.base = duration_option(*backoff, "--backoff");
            request.backoff.cap = duration_option(*max_backoff, "--max-backoff");
            request.on_retry = [](const std::string& message) { log::warn(message); };
            Store& store = context.store();  // opened before sending: a bad state file fails first

            delivery::SendResult result = delivery::send(request);
            std::string dlq_id;
            const WebhookDelivery record = delivery::delivery_record(request, result, "send");
            if (result.outcome != delivery::SendOutcome::kDelivered) {
                DlqEntry entry = delivery::dead_letter(request, result);
                store.write([&] {
                    store.insert_webhook_delivery(record);
                    store.insert_dlq(entry);
                });
                dlq_id = entry.entry_id;
            } else {
                store.write([&] { store.insert_webhook_delivery(record); });
            }
            return print_send_result(context, request, result, dlq_id);
        });
    send.option("--url", *url, "Where to POST").type_name("URL").required();
    options->add_to(send);
    send.option("--id", *id, "Delivery id (default: a new msg_ id)").type_name("ID").identifier();
    send.option("--correlation-id", *correlation, "X-Correlation-ID (default: a new UUID)")
        .type_name("ID")
        .identifier();
    send.option("--max-attempts", *max_attempts, "Attempts before giving up")
        .type_name("N")
        .range(1, 100);
    send.option("--timeout", *timeout, "Time limit of one attempt").type_name("DURATION");
    send.option("--backoff", *backoff, "Base of the exponential backoff (full jitter)")
        .type_name("DURATION");
    send.option("--max-backoff", *max_backoff, "Longest wait between attempts")
        .type_name("DURATION");
}

ExitCode print_send_result(Context& context, const delivery::SendRequest& request,
                           const delivery::SendResult& result, const std::string& dlq_id) {
    using delivery::SendOutcome;
    const auto& last = result.attempts.back();
    const ExitCode answer = result.outcome == SendOutcome::kRefused     ? ExitCode::kNo
                            : result.outcome == SendOutcome::kExhausted ? ExitCode::kTransient
                                                                        : ExitCode::kSuccess;
    if (context.format() == OutputFormat::kText) {
        std::string status = last.status > 0 ? "HTTP " + std::to_string(last.status) : last.error;
        std::string attempts = std::to_string(result.attempts.size()) + " attempt" +
                               (result.attempts.size() == 1 ? "" : "s");
        if (result.outcome == SendOutcome::kDelivered) {
            std::cout << "delivered " << request.delivery_id << " to " << request.url << " ("
                      << status << ", " << attempts << ")\n";
        } else {
            std::cout << (result.outcome == SendOutcome::kRefused ? "refused" : "gave up") << ": "
                      << status << " after " << attempts << "; dead-lettered as " << dlq_id << '\n';
        }
        return answer;
    }
    OrderedJson attempts = OrderedJson::array();
    for (const auto& attempt : result.attempts) {
        attempts.push_back(OrderedJson{
            {"attempt", attempt.number},
            {"at", attempt.at},
            {"status", attempt.status > 0 ? OrderedJson(attempt.status) : OrderedJson()},
            {"error", attempt.error.empty() ? OrderedJson() : OrderedJson(attempt.error)},
            {"duration_ms", attempt.duration_ms},
            {"waited_ms", attempt.waited_ms}});
    }
    OrderedJson object = OrderedJson::object();
    object["delivered"] = result.outcome == SendOutcome::kDelivered;
    object["outcome"] = result.outcome == SendOutcome::kDelivered ? "delivered"
                        : result.outcome == SendOutcome::kRefused ? "refused"
                                                                  : "exhausted";
    object["status"] = last.status > 0 ? OrderedJson(last.status) : OrderedJson();
    object["delivery_id"] = request.delivery_id;
    object["correlation_id"] = request.correlation_id;
    object["attempts"] = attempts;
    object["dlq_entry_id"] = dlq_id.empty() ? OrderedJson() : OrderedJson(dlq_id);
    context.print_object(object);
    return answer;
}

}  // namespace salesint::cli
