// salesint webhook serve: the receiver, until SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "context.hpp"
#include "groups.hpp"
#include "option_values.hpp"
#include "salesint/delivery/forward.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/webhooks/receiver.hpp"
#include "webhook_options.hpp"

namespace salesint::cli {
namespace {

using namespace salesint::webhooks;

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
    // A body is held in memory while its signature is checked.
    constexpr std::size_t kLargestBody = std::size_t{256} << 20;
    const std::size_t size = std::stoull(text.substr(0, digits)) * scale;
    if (size == 0 || size > kLargestBody) {
        throw usage_error("--max-body: '" + text + "' is outside the range from 1 byte to 256MiB");
    }
    return size;
}

std::pair<std::string, int> parse_listen(const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size() ||
        text.size() - colon - 1 > 5 ||
        text.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
        throw usage_error("--listen: '" + text + "' is not HOST:PORT such as 127.0.0.1:8787");
    }
    int port = std::stoi(text.substr(colon + 1));
    if (port > 65535) {
        throw usage_error("--listen: port " + std::to_string(port) + " is out of range");
    }
    return {text.substr(0, colon), port};
}

// The bounds of the server's deadlines and pool (README, "Webhooks"): below
// them a legitimate sender on a slow link is cut off, above them a slow
// client holds a worker for minutes, and past 64 workers (each with 8 queued
// connections) the descriptors outgrow the usual limit of 1024.
constexpr std::chrono::milliseconds kShortestTimeout{100};
constexpr std::chrono::milliseconds kLongestHeaderTimeout = std::chrono::minutes(5);
constexpr std::chrono::milliseconds kLongestBodyTimeout = std::chrono::minutes(10);
constexpr int kMostWorkers = 64;

std::chrono::milliseconds bounded_timeout(const std::string& text, const char* option,
                                          std::chrono::milliseconds longest) {
    auto timeout = duration_option(text, option);
    if (timeout < kShortestTimeout || timeout > longest) {
        throw usage_error(std::string(option) + ": " + text + " is outside 100ms.." +
                          std::to_string(longest.count() / 60'000) + "m");
    }
    return timeout;
}

// --forward: each accepted delivery is sent on before it is answered, so
// the attempt is one, with a short timeout; one that fails stays
// unprocessed in the inbox (README, "Inbox") for `inbox drain` to retry.
webhooks::ForwardStored forward_stored(const std::string& url) {
    delivery::ForwardPolicy policy;
    policy.max_attempts = 1;
    policy.timeout = std::chrono::seconds(10);
    return [url, policy](const InboxEntry& stored, const webhooks::WithStore& with_store) {
        delivery::Forwarded forwarded =
            delivery::forward(stored, url, policy, "forward", /*dead_letter=*/false, with_store);
        if (!forwarded.delivered()) {
            log::warn("forward of " + escape_control(stored.delivery_id) + " to " + url +
                      " failed: " +
                      escape_control(delivery::describe_attempt(forwarded.result.attempts.back())) +
                      " (the delivery waits in the inbox: salesint inbox drain --to URL)");
        }
    };
}

// Serves until SIGINT or SIGTERM (or --max-requests): the signals are waited
// for on a thread of their own, so the server stops between requests.
void serve_until_signalled(webhooks::Receiver& receiver) {
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
            std::cout << "listening on http://" << host << ":" << port << std::endl;
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

}  // namespace

void install_serve(Command group) {
    Context& context = group.context();
    auto options = std::make_shared<SchemeOptions>();
    auto listen = std::make_shared<std::string>("127.0.0.1:8787");
    auto max_body = std::make_shared<std::string>("1MiB");
    auto tolerance = std::make_shared<int>(300);
    auto forward = std::make_shared<std::string>();
    auto max_requests = std::make_shared<int>(0);
    auto rate_limit = std::make_shared<int>(100);
    auto header_timeout = std::make_shared<std::string>("10s");
    auto body_timeout = std::make_shared<std::string>("30s");
    auto workers = std::make_shared<int>(16);
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
            if (!forward->empty()) {
                receiver_options.forward = forward_stored(*forward);
            }
            receiver_options.max_requests = *max_requests;
            if (*rate_limit <= 0) {
                throw usage_error("--rate-limit must be a positive number of requests a minute");
            }
            receiver_options.rate_limit.per_minute = *rate_limit;
            receiver_options.header_timeout =
                bounded_timeout(*header_timeout, "--header-timeout", kLongestHeaderTimeout);
            receiver_options.body_timeout =
                bounded_timeout(*body_timeout, "--body-timeout", kLongestBodyTimeout);
            if (*workers < 1 || *workers > kMostWorkers) {
                throw usage_error("--workers: " + std::to_string(*workers) + " is outside 1.." +
                                  std::to_string(kMostWorkers));
            }
            receiver_options.workers = static_cast<std::size_t>(*workers);
            if (!context.options.quiet && !context.options.verbose) {
                // One line per delivery is what serve is for.
                log::configure(log::Level::kInfo, context.options.log_format == "json"
                                                      ? log::Format::kJson
                                                      : log::Format::kText);
            }
            webhooks::Receiver receiver(context.store(), receiver_options);
            serve_until_signalled(receiver);
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
        .type_name("SECONDS")
        .range(0, 31 * 24 * 3600);
    serve
        .option("--forward", *forward,
                "POST each accepted delivery on to this URL (one attempt; a failed one waits "
                "for 'inbox drain')")
        .type_name("URL");
    serve.option("--max-requests", *max_requests, "Stop after this many requests (for scripts)")
        .type_name("N")
        .range(0, 1000000000);
    serve
        .option("--rate-limit", *rate_limit,
                "Requests a minute for the tenant, with 150% bursts for 10 s; more get 429")
        .type_name("N")
        .range(1, 1000000);
    serve
        .option("--header-timeout", *header_timeout,
                "Time for a request's line and headers, counted from the connection's accept or "
                "the previous answer (default 10s, 100ms..5m); later gets 408 and a close")
        .type_name("DURATION");
    serve
        .option("--body-timeout", *body_timeout,
                "Time for a request's body, counted from the end of its headers (default 30s, "
                "100ms..10m); later gets 408")
        .type_name("DURATION");
    serve
        .option("--workers", *workers,
                "Connections served at once (default 16, 1..64); 8 per worker may wait, more "
                "get 503")
        .type_name("N");
    serve.footer(
        "Answers: 202 stored; 200 a repeated delivery id; 400 malformed, also a header name\n"
        "that is not a token, a header value with a control character or not UTF-8, two\n"
        "Content-Length or one with Transfer-Encoding; 401 bad signature or stale; 405 not a\n"
        "POST; 408 a deadline passed; 411 no length; 413 over --max-body; 429 over\n"
        "--rate-limit; 431 headers over 64 KiB; 503 busy or stopping, with Retry-After.\n"
        "What the head alone refuses is answered before the body is read, and the connection\n"
        "closed. A kept-alive connection closes after 100 requests or 5 s idle. Log lines\n"
        "escape control characters that came from the client.\n"
        "A delivery refused with 400 or 401 is stored as rejected, with its reason (at most\n"
        "60 a minute), for 'webhook verify --explain': see 'inbox list --status rejected'.\n");
}

}  // namespace salesint::cli
