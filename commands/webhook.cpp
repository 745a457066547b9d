// salesint webhook sign | verify | serve | send
#include <iostream>
#include <memory>

#include <pthread.h>
#include <signal.h>
#include "context.hpp"
#include "groups.hpp"

#include <atomic>
#include <thread>

#include "salesint/errors.hpp"
#include "salesint/net/retry.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/uuid.hpp"
#include "salesint/webhooks/receiver.hpp"
#include "salesint/webhooks/scheme.hpp"
#include "salesint/webhooks/secrets.hpp"
#include "salesint/webhooks/sender.hpp"
#include "webhook_options.hpp"

namespace salesint::cli {
namespace {

using namespace salesint::webhooks;

constexpr const char* kShapes =
    R"(Schemes: fsm (X-FSM-Signature, X-FSM-Timestamp; the timestamp is NOT signed),
standard (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature v1,<base64>;
the whsec_ secret is base64-decoded), stripe (Stripe-Signature t=,v1=; the secret is used
as is; only old timestamps are refused, as Stripe's libraries do), github
(X-Hub-Signature-256 sha256=<hex>; no timestamp).
Secrets: --secret-env VAR, --secret-file PATH (one trailing newline dropped), --secret
VALUE (local tries only); each may repeat and they are tried in that order (rotation).
A secret is never printed or logged.
JSON shapes:
  webhook sign:   {"<Header-Name>": "<value>", ...}
  webhook verify: {"valid", "reason": null|"signature_mismatch"|"timestamp_outside_tolerance"|
                   "missing_header"|"malformed_header"|"no_secret", "scheme",
                   "matched_secret_index" (0-based), "timestamp_skew_seconds" (now - timestamp),
                   "delivery_id", "explanation": [...] (with --explain)}
  webhook verify exits 0 when valid, 1 when invalid, 2 for unreadable input.)";

std::int64_t time_option(const std::string& text, const char* option) {
    if (text.empty()) {
        return parse_unix_or_rfc3339(now_rfc3339()).value_or(0);
    }
    auto seconds = parse_unix_or_rfc3339(text);
    if (!seconds) {
        throw usage_error(std::string(option) + ": '" + text +
                          "' is neither unix seconds nor an RFC 3339 time");
    }
    return *seconds;
}

void install_sign(Command group) {
    Context& context = group.context();
    auto options = std::make_shared<SchemeOptions>();
    auto timestamp = std::make_shared<std::string>();
    auto id = std::make_shared<std::string>();
    Command sign = group.add("sign", "Print the headers that sign a payload", [=, &context] {
        const Scheme& scheme = scheme_named(options->scheme);
        Secret secret = options->load_one_secret("webhook sign");
        std::string delivery_id = id->empty() ? "msg_" + new_uuid_v4() : *id;
        InputBytes payload(options->payload);
        HeaderList headers = scheme.sign(secret, payload.view(),
                                         time_option(*timestamp, "--timestamp"), delivery_id);
        if (context.format() == OutputFormat::kText) {
            for (const auto& header : headers) {
                std::cout << header.name << ": " << header.value << '\n';
            }
            return;
        }
        Record object = Record::object();
        for (const auto& header : headers) {
            object[header.name] = header.value;
        }
        context.print_object(object);
    });
    options->add_to(sign);
    sign.option("--timestamp", *timestamp, "Signing time, unix seconds or RFC 3339 (default: now)")
        .type_name("TIME");
    sign.option("--id", *id, "Delivery id (standard: webhook-id; default: a new msg_ id)")
        .type_name("ID");
}

void install_verify(Command group) {
    Context& context = group.context();
    auto options = std::make_shared<SchemeOptions>();
    auto header_lines = std::make_shared<std::vector<std::string>>();
    auto headers_file = std::make_shared<std::string>();
    auto tolerance = std::make_shared<int>(300);
    auto now = std::make_shared<std::string>();
    auto explain = std::make_shared<bool>(false);
    Command verify =
        group.add("verify", "Check a delivery's signature; exit 0 valid, 1 invalid", [=, &context] {
            const Scheme& scheme = scheme_named(options->scheme);
            LoadedSecrets loaded = options->load_secrets();
            HeaderList headers;
            for (const auto& line : *header_lines) {
                headers.push_back(parse_header_line(line, "-H"));
            }
            if (!headers_file->empty()) {
                HeaderList more =
                    parse_header_block(read_input(*headers_file), display_name(*headers_file));
                headers.insert(headers.end(), more.begin(), more.end());
            }
            if (*tolerance < 0) {
                throw usage_error("--tolerance must be 0 (no time check) or a number of seconds");
            }
            InputBytes payload(options->payload);
            Verdict verdict = scheme.verify(
                {payload.view(), headers, loaded.secrets, time_option(*now, "--now"), *tolerance});
            verdict.explanation.insert(verdict.explanation.begin() + 1, loaded.notes.begin(),
                                       loaded.notes.end());
            print_verdict(context, scheme, verdict, *explain);
        });
    options->add_to(verify);
    verify.option("-H,--header", *header_lines, "A header, 'Name: value' (repeatable)")
        .type_name("HEADER");
    verify.option("--headers", *headers_file, "A raw header block, as copied from a request log")
        .type_name("FILE");
    verify.option("--tolerance", *tolerance, "Allowed clock skew in seconds; 0 disables the check")
        .type_name("SECONDS");
    verify
        .option("--now", *now, "The time to check against, unix seconds or RFC 3339 (default: now)")
        .type_name("TIME");
    verify.flag("--explain", *explain,
                "Say what was checked and why it failed, with hints (never a secret)");
}

// "1MiB", "512KiB", "1000" -> bytes.
std::size_t parse_size(const std::string& text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
        ++digits;
    std::string unit = text.substr(digits);
    std::size_t scale = unit.empty() || unit == "B"    ? 1
                        : unit == "KiB" || unit == "K" ? 1024
                        : unit == "MiB" || unit == "M" ? 1024 * 1024
                                                       : 0;
    if (digits == 0 || digits > 9 || scale == 0) {
        throw usage_error("--max-body: '" + text + "' is not a size such as 1MiB, 512KiB or 4096");
    }
    return std::stoull(text.substr(0, digits)) * scale;
}

std::pair<std::string, int> parse_listen(const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size() ||
        text.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
        throw usage_error("--listen: '" + text + "' is not HOST:PORT such as 127.0.0.1:8787");
    }
    int port = std::stoi(text.substr(colon + 1));
    if (port > 65535) {
        throw usage_error("--listen: port " + std::to_string(port) + " is out of range");
    }
    return {text.substr(0, colon), port};
}

// Serves until SIGINT or SIGTERM (or --max-requests): the signals are waited
// for on a thread of their own, so the server stops between requests.
void serve_until_signalled(webhooks::Receiver& receiver, const std::string& display_host) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // inherited by the server's threads
    std::atomic<bool> done{false};
    std::thread watcher([&] {
        const timespec tick{0, 200'000'000};
        while (!done) {
            int signal = sigtimedwait(&signals, nullptr, &tick);
            if (signal > 0) {
                log::info(std::string("received ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") +
                          ", shutting down");
                receiver.stop();
                return;
            }
        }
    });
    try {
        receiver.serve([&](const std::string& host, int port) {
            std::cout << "listening on http://" << (display_host.empty() ? host : display_host)
                      << ":" << port << std::endl;
            if (host != "127.0.0.1" && host != "localhost" && host != "::1") {
                log::warn("listening on " + host + ": reachable from other machines");
            }
        });
    } catch (...) {
        done = true;
        watcher.join();
        throw;
    }
    done = true;
    watcher.join();
}

void install_serve(Command group) {
    Context& context = group.context();
    auto options = std::make_shared<SchemeOptions>();
    auto listen = std::make_shared<std::string>("127.0.0.1:8787");
    auto max_body = std::make_shared<std::string>("1MiB");
    auto tolerance = std::make_shared<int>(300);
    auto forward = std::make_shared<std::string>();
    auto max_requests = std::make_shared<int>(0);
    auto rate_limit = std::make_shared<int>(100);
    Command serve = group.add(
        "serve", "Receive deliveries: verify, drop replays, store in the inbox, forward",
        [=, &context] {
            webhooks::ReceiverOptions receiver_options;
            receiver_options.scheme = &scheme_named(options->scheme);
            LoadedSecrets loaded = options->load_secrets();
            if (loaded.secrets.empty()) {
                throw usage_error("no secret: " + join(loaded.notes, "; "));
            }
            receiver_options.secrets = loaded.secrets;
            std::tie(receiver_options.host, receiver_options.port) = parse_listen(*listen);
            receiver_options.max_body = parse_size(*max_body);
            receiver_options.tolerance = *tolerance;
            receiver_options.forward_url = *forward;
            receiver_options.max_requests = *max_requests;
            if (*rate_limit <= 0) {
                throw usage_error("--rate-limit must be a positive number of requests a minute");
            }
            receiver_options.rate_limit.per_minute = *rate_limit;
            if (!context.options.quiet && !context.options.verbose) {
                // One line per delivery is what serve is for.
                log::configure(log::Level::kInfo, context.options.log_format == "json"
                                                      ? log::Format::kJson
                                                      : log::Format::kText);
            }
            webhooks::Receiver receiver(context.store(), receiver_options);
            serve_until_signalled(receiver, "");
        });
    options->add_to(serve, /*payload_required=*/false);
    serve
        .option("--listen", *listen, "Address to listen on (loopback by default; port 0: any free)")
        .type_name("HOST:PORT");
    serve.option("--max-body", *max_body, "Largest body accepted; larger ones get 413")
        .type_name("SIZE");
    serve
        .option("--tolerance", *tolerance,
                "Allowed clock skew in seconds; older deliveries get 401")
        .type_name("SECONDS");
    serve.option("--forward", *forward, "POST each accepted delivery on to this URL")
        .type_name("URL");
    serve.option("--max-requests", *max_requests, "Stop after this many requests (for scripts)")
        .type_name("N");
    serve
        .option("--rate-limit", *rate_limit,
                "Requests a minute for the tenant, with 150% bursts for 10 s; more get 429")
        .type_name("N");
}

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
            webhooks::SendRequest request;
            request.url = *url;
            request.scheme = &scheme_named(options->scheme);
            request.secret = options->load_one_secret("webhook send");
            request.payload = read_input(options->payload);
            request.delivery_id = id->empty() ? "msg_" + new_uuid_v4() : *id;
            request.correlation_id = correlation->empty() ? new_uuid_v4() : *correlation;
            if (*max_attempts < 1) {
                throw usage_error("--max-attempts must be at least 1");
            }
            request.max_attempts = *max_attempts;
            auto duration = [](const std::string& text, const char* option) {
                auto parsed = net::parse_duration(text);
                if (!parsed) {
                    throw usage_error(std::string(option) + ": '" + text +
                                      "' is not a duration such as 30s, 500ms or 2m");
                }
                return *parsed;
            };
            request.timeout = duration(*timeout, "--timeout");
            request.backoff.base = duration(*backoff, "--backoff");
            request.backoff.cap = duration(*max_backoff, "--max-backoff");
            request.on_retry = [](const std::string& message) { log::warn(message); };
            Store& store = context.store();  // opened before sending: a bad state file fails first

            webhooks::SendResult result = webhooks::send(request);
            std::string dlq_id;
            if (result.outcome != webhooks::SendOutcome::kDelivered) {
                DlqEntry entry = webhooks::dead_letter(request, result);
                store.write([&] { store.insert_dlq(entry); });
                dlq_id = entry.entry_id;
            }
            print_send_result(context, request, result, dlq_id);
        });
    send.option("--url", *url, "Where to POST").type_name("URL").required();
    options->add_to(send);
    send.option("--id", *id, "Delivery id (default: a new msg_ id)").type_name("ID");
    send.option("--correlation-id", *correlation, "X-Correlation-ID (default: a new UUID)")
        .type_name("ID");
    send.option("--max-attempts", *max_attempts, "Attempts before giving up").type_name("N");
    send.option("--timeout", *timeout, "Time limit of one attempt").type_name("DURATION");
    send.option("--backoff", *backoff, "Base of the exponential backoff (full jitter)")
        .type_name("DURATION");
    send.option("--max-backoff", *max_backoff, "Longest wait between attempts")
        .type_name("DURATION");
}

}  // namespace

void print_send_result(Context& context, const webhooks::SendRequest& request,
                       const webhooks::SendResult& result, const std::string& dlq_id) {
    using webhooks::SendOutcome;
    const auto& last = result.attempts.back();
    if (result.outcome == SendOutcome::kRefused) {
        context.exit_code = static_cast<int>(ExitCode::kNo);
    } else if (result.outcome == SendOutcome::kExhausted) {
        context.exit_code = static_cast<int>(ExitCode::kTransient);
    }
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
        return;
    }
    Record attempts = Record::array();
    for (const auto& attempt : result.attempts) {
        attempts.push_back(
            Record{{"attempt", attempt.number},
                   {"at", attempt.at},
                   {"status", attempt.status > 0 ? Record(attempt.status) : Record()},
                   {"error", attempt.error.empty() ? Record() : Record(attempt.error)},
                   {"duration_ms", attempt.duration_ms},
                   {"waited_ms", attempt.waited_ms}});
    }
    Record object = Record::object();
    object["delivered"] = result.outcome == SendOutcome::kDelivered;
    object["outcome"] = result.outcome == SendOutcome::kDelivered ? "delivered"
                        : result.outcome == SendOutcome::kRefused ? "refused"
                                                                  : "exhausted";
    object["status"] = last.status > 0 ? Record(last.status) : Record();
    object["delivery_id"] = request.delivery_id;
    object["correlation_id"] = request.correlation_id;
    object["attempts"] = attempts;
    object["dlq_entry_id"] = dlq_id.empty() ? Record() : Record(dlq_id);
    context.print_object(object);
}

void print_verdict(Context& context, const Scheme& scheme, const Verdict& verdict, bool explain) {
    if (!verdict.valid) {
        context.exit_code = static_cast<int>(ExitCode::kNo);
    }
    if (context.format() != OutputFormat::kText) {
        Record object = Record::object();
        object["valid"] = verdict.valid;
        object["reason"] = verdict.valid ? Record() : Record(reason_code(verdict.reason));
        object["scheme"] = scheme.name();
        object["matched_secret_index"] =
            verdict.matched_secret ? Record(*verdict.matched_secret) : Record();
        object["timestamp_skew_seconds"] =
            verdict.skew_seconds ? Record(*verdict.skew_seconds) : Record();
        object["delivery_id"] =
            verdict.delivery_id.empty() ? Record() : Record(verdict.delivery_id);
        if (explain) {
            object["explanation"] = verdict.explanation;
        }
        context.print_object(object);
        return;
    }
    if (explain) {
        for (const auto& line : verdict.explanation) {
            std::cout << line << '\n';
        }
    }
    std::cout << (verdict.valid ? std::string("valid")
                                : std::string("invalid: ") + reason_code(verdict.reason))
              << '\n';
}

void install_webhook(Command group) {
    group.footer(kShapes);
    install_sign(group);
    install_verify(group);
    install_serve(group);
    install_send(group);
}

}  // namespace salesint::cli
