// salesint webhook serve: the receiver, until SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <thread>

#include "context.hpp"
#include "groups.hpp"
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

}  // namespace salesint::cli
