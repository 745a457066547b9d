#include "salesint/webhooks/receiver.hpp"

#include <chrono>

#include "salesint/errors.hpp"
#include "salesint/net/http_server.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/webhooks/request_head.hpp"

namespace salesint::webhooks {
namespace {

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// An error body in the error response format (docs/contracts.md), without
// a correlation id.
std::string error_body(const std::string& code, const std::string& message) {
    return OrderedJson{{"error", {{"code", code}, {"message", message}}},
                       {"timestamp", now_rfc3339()}}
        .dump();
}

Answer refuse(int status, const std::string& outcome, const std::string& code,
              const std::string& message) {
    return {status, outcome, error_body(code, message), {}, ""};
}

std::string headers_json(const HeaderList& headers) {
    OrderedJson object = OrderedJson::object();
    for (const auto& header : headers) {
        if (!is_hop_header(header.name)) {
            object[header.name] = header.value;
        }
    }
    return object.dump();
}

}  // namespace

bool is_hop_header(const std::string& name) {
    const std::string lower = to_lower(name);
    return lower == "host" || lower == "content-length" || lower == "connection" ||
           lower == "accept-encoding" || lower == "transfer-encoding" || lower == "expect" ||
           lower == "remote_addr" || lower == "remote_port" || lower == "local_addr" ||
           lower == "local_port";
}

std::string rejected_delivery_id(const std::string& headers_json, const std::string& body) {
    return "r_" + sha256_hex(headers_json + '\n' + body).substr(0, 32);
}

Receiver::Receiver(Store& store, ReceiverOptions options)
    : store_(store), options_(std::move(options)), limiter_(options_.rate_limit) {}

Receiver::~Receiver() = default;

Answer Receiver::handle(const HeaderList& headers, const std::string& body, std::int64_t now_ms) {
    RateDecision rate = limiter_.admit(now_ms);
    Answer answer;
    if (!rate.allowed) {
        answer = refuse(429, "rate_limited", "RATE_LIMIT_EXCEEDED",
                        "more than " + std::to_string(rate.limit) +
                            " requests a minute for this tenant; retry after the reset");
        answer.headers.push_back({"Retry-After", std::to_string(rate.retry_after)});
    } else {
        const Payload payload = Payload::view(body);
        Verdict verdict = options_.scheme->verify(
            {payload, headers, options_.secrets, now_ms / 1000, options_.tolerance});
        answer.delivery_id = verdict.delivery_id;
        switch (verdict.reason) {
            case Reason::kMissingHeader:
            case Reason::kMalformedHeader:
                answer = refuse(400, "malformed", "MALFORMED_DELIVERY", verdict.explanation.back());
                break;
            case Reason::kTimestampOutsideTolerance:
                answer = refuse(401, "stale", "STALE_DELIVERY",
                                "the delivery's timestamp is outside the " +
                                    std::to_string(options_.tolerance) + " s window");
                break;
            case Reason::kSignatureMismatch:
            case Reason::kNoSecret:
                answer = refuse(401, "invalid_signature", "INVALID_SIGNATURE",
                                "the signature does not match");
                break;
            case Reason::kNone: {
                InboxEntry entry;
                entry.delivery_id = verdict.delivery_id;
                entry.scheme = options_.scheme->name();
                entry.headers_json = headers_json(headers);
                entry.body = body;
                entry.verdict = "valid";
                entry.received_at = now_rfc3339();
                bool stored = false;
                {
                    std::lock_guard<std::mutex> lock(store_mutex_);
                    store_.write([&] { stored = store_.insert_inbox(entry); });
                }
                OrderedJson reply{{"status", stored ? "accepted" : "duplicate"},
                                  {"delivery_id", verdict.delivery_id}};
                answer = {
                    stored ? 202 : 200, stored ? "accepted" : "duplicate", reply.dump(), {}, ""};
                if (stored && options_.forward) {
                    const WithStore with_store = [this](const std::function<void(Store&)>& fn) {
                        std::lock_guard<std::mutex> lock(store_mutex_);
                        fn(store_);
                    };
                    InboxEntry held = std::move(entry);
                    with_store([&](Store& store) {
                        for (const auto& found : store.find_inbox(held.delivery_id)) {
                            if (found.scheme == held.scheme) {
                                held.id = found.id;
                            }
                        }
                    });
                    try {
                        options_.forward(held, with_store);
                    } catch (const std::exception& error) {
                        // Stored all the same: the answer stands, the delivery waits in the inbox.
                        log::warn("forward of " + escape_control(held.delivery_id) +
                                  " failed: " + escape_control(error.what()));
                    }
                }
                break;
            }
        }
        answer.delivery_id = verdict.delivery_id;
        if (answer.status == 400 || answer.status == 401) {
            store_rejected(headers, body, answer, now_ms);
        }
    }
    answer.headers.push_back({"X-RateLimit-Limit", std::to_string(rate.limit)});
    answer.headers.push_back({"X-RateLimit-Remaining", std::to_string(rate.remaining)});
    answer.headers.push_back({"X-RateLimit-Reset", std::to_string(rate.reset_unix)});
    answer.headers.push_back({"X-Delivery-Outcome", answer.outcome});
    return answer;
}

void Receiver::store_rejected(const HeaderList& headers, const std::string& body,
                              const Answer& answer, std::int64_t now_ms) {
    InboxEntry entry;
    entry.scheme = options_.scheme->name();
    entry.headers_json = headers_json(headers);
    entry.body = body;
    entry.delivery_id = rejected_delivery_id(entry.headers_json, body);
    entry.verdict = "rejected";
    // The refusal as answered: its outcome and message, never a secret.
    std::string message;
    const OrderedJson reply = OrderedJson::parse(answer.body, nullptr, false);
    if (reply.is_object() && reply.contains("error") && reply["error"].is_object() &&
        reply["error"].contains("message") && reply["error"]["message"].is_string()) {
        message = reply["error"]["message"].get<std::string>();
    }
    entry.reason = escape_control(answer.outcome + (message.empty() ? "" : ": " + message));
    entry.received_at = now_rfc3339();
    try {
        std::lock_guard<std::mutex> lock(store_mutex_);
        const std::int64_t minute = now_ms / 60'000;
        if (minute != rejected_minute_) {
            rejected_minute_ = minute;
            rejected_in_minute_ = 0;
        }
        if (rejected_in_minute_ >= kMaxRejectedStoredPerMinute) {
            if (rejected_in_minute_++ == kMaxRejectedStoredPerMinute) {
                log::warn("more than " + std::to_string(kMaxRejectedStoredPerMinute) +
                          " rejected deliveries this minute: the others are not stored");
            }
            return;
        }
        ++rejected_in_minute_;
        store_.write([&] { store_.insert_inbox(entry); });
    } catch (const std::exception& error) {
        // The answer stands; only its copy for explaining is lost.
        log::warn(std::string("a rejected delivery was not stored: ") +
                  escape_control(error.what()));
    }
}

namespace {

// What the server refuses by itself, in the same format as the receiver's
// own answers.
net::ServerAnswer server_refusal(int status, const ReceiverOptions& options) {
    auto answer = [status](const char* outcome, const std::string& code,
                           const std::string& message) {
        return net::ServerAnswer{
            status, {{"X-Delivery-Outcome", outcome}}, error_body(code, message), {}};
    };
    switch (status) {
        case 408:
            return answer("timeout", "REQUEST_TIMEOUT",
                          "the request did not arrive within the receiver's deadline");
        case 413:
            return answer("too_large", "PAYLOAD_TOO_LARGE",
                          "the body is larger than " + std::to_string(options.max_body) + " bytes");
        case 431:
            return answer("too_large", "HEADERS_TOO_LARGE",
                          "the request line and headers are too large");
        case 500:
            return answer("error", "INTERNAL_ERROR", "the delivery could not be processed");
        case 503: {
            // By then every connection queued now has been served or dropped.
            auto busy = answer("unavailable", "SERVICE_UNAVAILABLE",
                               "the receiver is busy or stopping; retry later");
            auto seconds = std::chrono::ceil<std::chrono::seconds>(options.header_timeout);
            busy.headers.push_back({"Retry-After", std::to_string(seconds.count())});
            return busy;
        }
        default:
            return answer("malformed", "MALFORMED_REQUEST", "the request is not valid HTTP/1.1");
    }
}

net::ServerAnswer to_server_answer(const Answer& answer) {
    net::ServerAnswer out{answer.status, answer.headers, answer.body, {}};
    if (!answer.delivery_id.empty()) {
        out.headers.push_back({"X-Delivery-Id", answer.delivery_id});
    }
    return out;
}

}  // namespace

void Receiver::serve(const std::function<void(const std::string&, int)>& on_listening) {
    net::ServerSetup setup;
    setup.max_body = options_.max_body;
    setup.limits.head_timeout = options_.header_timeout;
    setup.limits.body_timeout = options_.body_timeout;
    setup.limits.workers = options_.workers;
    setup.limits.queue = 8 * options_.workers;
    setup.check_head = [this](const net::ServerRequest& head) -> std::optional<net::ServerAnswer> {
        auto refusal = check_request_head(head.method, head.headers, options_.max_body);
        if (!refusal) {
            return std::nullopt;
        }
        net::ServerAnswer answer{refusal->status,
                                 {{"X-Delivery-Outcome", refusal->outcome}},
                                 error_body(refusal->code, refusal->message),
                                 refusal->message};
        if (refusal->status == 405) {
            answer.headers.push_back({"Allow", "POST"});
        }
        return answer;
    };
    setup.handle = [this](const net::ServerRequest& request) {
        try {
            return to_server_answer(handle(request.headers, request.body, unix_ms()));
        } catch (const std::exception& error) {
            // A locked state file is worth a retry; a client never causes this.
            const auto* known = dynamic_cast<const Error*>(&error);
            const bool transient = known != nullptr && known->code() == ExitCode::kTransient;
            log::warn(std::string("a delivery was not processed: ") + escape_control(error.what()));
            return server_refusal(transient ? 503 : 500, options_);
        }
    };
    setup.refuse = [this](int status) { return server_refusal(status, options_); };
    // Every value that came from the client goes through escape_control(): a header or path
    // must not send escape sequences to the terminal or split a log line.
    setup.log = [this](const net::ServerRequest& request, const net::ServerAnswer& answer) {
        std::string line =
            escape_control(request.method) + " " + escape_control(request.path) + " " +
            std::to_string(answer.status) + " " +
            escape_control(find_header(answer.headers, "X-Delivery-Outcome").value_or("-"));
        if (auto id = find_header(answer.headers, "X-Delivery-Id")) {
            line += " id=" + escape_control(*id);
        }
        line += " bytes=" + std::to_string(request.body.size());
        if (!answer.note.empty()) {
            line += " (" + escape_control(answer.note) + ")";
        }
        log::info(line);
        if (options_.max_requests > 0 && ++handled_ >= options_.max_requests) {
            server_->stop();
        }
    };
    server_ = net::make_server(std::move(setup));
    int port = server_->bind(options_.host, options_.port);
    if (port < 0) {
        throw usage_error("cannot listen on " + options_.host + ":" +
                          std::to_string(options_.port) +
                          " (in use, or not an address of this machine)");
    }
    on_listening(options_.host, port);
    server_->listen();
}

void Receiver::stop() {
    if (server_) {
        server_->stop();
    }
}

}  // namespace salesint::webhooks
