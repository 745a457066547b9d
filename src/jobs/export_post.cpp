#include "export_post.hpp"

#include <algorithm>
#include <thread>

#include "salesint/net/http_client.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::jobs {
namespace {

// Sleeps for wait, in short steps so that a stop request is not kept waiting.
bool wait_unless_stopped(std::chrono::milliseconds wait, const std::atomic<bool>* stop) {
    const auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until) {
        if (stop != nullptr && stop->load()) {
            return false;
        }
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(50), until - std::chrono::steady_clock::now()));
    }
    return stop == nullptr || !stop->load();
}

}  // namespace

PostResult post_batch(const BatchPost& post, const std::atomic<bool>* stop) {
    PostResult result;
    net::HeaderList sent = post.headers;
    sent.insert(sent.end(), post.secret_headers.begin(), post.secret_headers.end());
    for (int number = 1; number <= post.max_attempts; ++number) {
        const net::HttpResponse response = net::http_post(post.url, sent, post.body, post.timeout);
        result.attempts = number;
        result.status = response.status;
        if (response.status >= 200 && response.status < 300) {
            result.outcome = PostOutcome::kDelivered;
            result.error.clear();
            return result;
        }
        if (response.status > 0) {
            result.error = "HTTP " + std::to_string(response.status);
            if (!response.body.empty()) {
                result.error += ": " + escape_control(response.body.substr(0, 200));
            }
        } else {
            result.error = response.timed_out ? "timeout" : response.error;
        }
        if (!net::is_transient(response.status, response.timed_out)) {
            result.outcome = PostOutcome::kRefused;
            return result;
        }
        if (number == post.max_attempts) {
            break;
        }
        auto wait = net::full_jitter(post.backoff, number);
        if (auto retry_after = net::parse_retry_after(
                net::find_header(response.headers, "Retry-After").value_or(""),
                std::chrono::system_clock::now())) {
            wait = std::max(wait, *retry_after);
        }
        if (!wait_unless_stopped(wait, stop)) {
            result.outcome = PostOutcome::kStopped;
            return result;
        }
    }
    result.outcome = PostOutcome::kExhausted;
    return result;
}

}  // namespace salesint::jobs
