#include "salesint/delivery/forward.hpp"

#include <algorithm>

#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/uuid.hpp"
#include "salesint/webhooks/receiver.hpp"
#include "salesint/webhooks/scheme.hpp"

namespace salesint::delivery {
namespace {

bool is_signature_header(const std::string& name) {
    const std::string lower = to_lower(name);
    for (const webhooks::Scheme* scheme : webhooks::all_schemes()) {
        for (const auto& signature : scheme->signature_headers()) {
            if (to_lower(signature) == lower) {
                return true;
            }
        }
    }
    return false;
}

// The stored headers, in their order; a row that is not an object holds none.
net::HeaderList stored_headers(const InboxEntry& entry) {
    net::HeaderList headers;
    OrderedJson object = OrderedJson::parse(entry.headers_json, nullptr, false);
    if (!object.is_object()) {
        return headers;
    }
    for (const auto& [name, value] : object.items()) {
        if (value.is_string()) {
            headers.push_back({name, value.get<std::string>()});
        }
    }
    return headers;
}

std::string first_failure(const SendResult& result) {
    if (result.attempts.empty()) {
        return "not attempted";
    }
    return (result.outcome == SendOutcome::kRefused
                ? "refused: "
                : "gave up after " + std::to_string(result.attempts.size()) + " attempt" +
                      (result.attempts.size() == 1 ? "" : "s") + ": ") +
           describe_attempt(result.attempts.back());
}

bool answered(const SendResult& result) {
    return std::any_of(result.attempts.begin(), result.attempts.end(),
                       [](const SendAttempt& attempt) { return attempt.status > 0; });
}

}  // namespace

WebhookDelivery delivery_record(const SendRequest& request, const SendResult& result,
                                const std::string& source) {
    WebhookDelivery record;
    record.delivery_id = request.delivery_id;
    record.source = source;
    record.target_url = request.url;
    record.scheme = request.scheme != nullptr ? request.scheme->name() : "";
    record.outcome = result.outcome == SendOutcome::kDelivered ? "delivered"
                     : result.outcome == SendOutcome::kRefused ? "refused"
                     : result.outcome == SendOutcome::kBlocked ? "blocked"
                                                               : "exhausted";
    record.attempts = static_cast<int>(result.attempts.size());
    for (const auto& attempt : result.attempts) {
        record.duration_ms += attempt.duration_ms;
    }
    if (!result.attempts.empty() && result.attempts.back().status > 0) {
        record.http_status = static_cast<int>(result.attempts.back().status);
    }
    record.at = result.attempts.empty() ? now_rfc3339() : result.attempts.back().at;
    return record;
}

bool is_credential_header(const std::string& name) {
    const std::string lower = to_lower(name);
    return lower == "authorization" || lower == "proxy-authorization" || lower == "cookie" ||
           lower == "set-cookie" || lower == "x-api-key" || lower == "api-key" ||
           lower == "x-auth-token";
}

SendRequest forward_request(const InboxEntry& entry, const std::string& url,
                            const ForwardPolicy& policy) {
    SendRequest request;
    request.url = url;
    request.scheme = nullptr;  // sent on as it came, signatures included, never signed again
    request.payload = entry.body;
    request.delivery_id = entry.delivery_id;
    request.correlation_id = entry.delivery_id;
    request.max_attempts = policy.max_attempts;
    request.timeout = policy.timeout;
    request.backoff = policy.backoff;
    request.on_retry = policy.on_retry;
    for (auto& header : stored_headers(entry)) {
        const std::string lower = to_lower(header.name);
        if (webhooks::is_hop_header(header.name)) {
            continue;
        }
        if (lower == "content-type") {
            request.content_type = header.value;
        } else if (lower == "x-correlation-id") {
            request.correlation_id = header.value;
        } else if (is_credential_header(header.name)) {
            request.secret_headers.push_back(std::move(header));
        } else {
            request.extra_headers.push_back(std::move(header));
        }
    }
    return request;
}

DlqEntry inbox_dead_letter(const InboxEntry& entry, const SendRequest& request,
                           const SendResult& result) {
    const SendAttempt& last = result.attempts.back();
    OrderedJson headers = OrderedJson::object();
    for (const auto& header : stored_headers(entry)) {
        if (!is_signature_header(header.name) && !is_credential_header(header.name)) {
            headers[header.name] = header.value;
        }
    }
    DlqEntry dead;
    dead.entry_id = new_uuid_v4();
    dead.source = "inbox";
    dead.adapter_id = "inbox:" + entry.scheme;
    dead.message_id = entry.delivery_id;
    dead.correlation_id = request.correlation_id;
    dead.target_url = request.url;
    dead.payload = entry.body;
    dead.headers_json = headers.dump();
    dead.error_code = attempt_error_code(last);
    dead.error_message = first_failure(result);
    dead.attempts_json = attempts_json(result.attempts);
    dead.first_failed_at = result.attempts.front().at;
    dead.last_failed_at = last.at;
    return dead;
}

Forwarded forward(const InboxEntry& entry, const std::string& url, const ForwardPolicy& policy,
                  const std::string& source, bool dead_letter, const WithStore& with_store) {
    if (entry.verdict == "rejected") {
        throw refused("delivery " + std::to_string(entry.id) + " was rejected when received (" +
                      entry.reason + "); it is kept to be explained, not forwarded");
    }
    Forwarded forwarded;
    forwarded.entry = entry;
    forwarded.request = forward_request(entry, url, policy);
    forwarded.result = send(forwarded.request);
    const WebhookDelivery record = delivery_record(forwarded.request, forwarded.result, source);
    with_store([&](Store& store) {
        store.write([&] {
            store.insert_webhook_delivery(record);
            if (forwarded.delivered()) {
                store.mark_inbox_processed(entry.scheme, entry.delivery_id, record.at);
                return;
            }
            store.record_inbox_forward_failure(entry.id, first_failure(forwarded.result));
            if (!dead_letter || forwarded.result.attempts.empty()) {
                return;
            }
            const std::string adapter = "inbox:" + entry.scheme;
            for (const auto& existing : store.find_dlq_by_message(entry.delivery_id)) {
                if (existing.source == "inbox" && existing.adapter_id == adapter) {
                    forwarded.dlq_entry_id = existing.entry_id;
                    return;  // one DLQ entry per delivery: the on-call's handle
                }
            }
            DlqEntry dead = inbox_dead_letter(entry, forwarded.request, forwarded.result);
            store.insert_dlq(dead);
            forwarded.dlq_entry_id = dead.entry_id;
            forwarded.dead_lettered_now = true;
        });
    });
    return forwarded;
}

DrainReport drain(Store& store, const DrainOptions& options) {
    InboxFilter filter;
    filter.view = InboxView::kUnprocessed;
    filter.limit = options.limit;
    const std::vector<InboxEntry> entries = store.list_inbox(filter);  // oldest first
    DrainReport report;
    report.total = entries.size();
    const WithStore direct = [&store](const std::function<void(Store&)>& fn) { fn(store); };
    int unreachable_in_a_row = 0;
    bool any_answer = false;
    std::size_t done = 0;
    for (const auto& entry : entries) {
        if (options.stop_after_unreachable > 0 &&
            unreachable_in_a_row >= options.stop_after_unreachable) {
            break;
        }
        Forwarded forwarded = forward(entry, options.url, options.policy, "drain", true, direct);
        ++done;
        const bool got_answer = answered(forwarded.result);
        any_answer = any_answer || got_answer;
        unreachable_in_a_row = got_answer ? 0 : unreachable_in_a_row + 1;
        if (forwarded.delivered()) {
            ++report.forwarded;
        } else {
            ++report.failed;
            if (forwarded.dead_lettered_now) {
                ++report.dead_lettered;
            }
        }
        if (options.on_forwarded) {
            options.on_forwarded(forwarded, done, entries.size());
        }
    }
    report.left = entries.size() - done;
    report.unreachable = report.failed > 0 && !any_answer;
    return report;
}

}  // namespace salesint::delivery
