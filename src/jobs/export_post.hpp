// One batch of exported rows POSTed to a connector, retrying transient
// answers (network errors, timeouts, 408, 429, 5xx) with full-jitter
// backoff or the server's Retry-After, as net/retry.hpp decides.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "salesint/net/http_headers.hpp"
#include "salesint/net/retry.hpp"

namespace salesint::jobs {

struct BatchPost {
    std::string url;
    net::HeaderList headers;         // Content-Type and the like
    net::HeaderList secret_headers;  // credentials: sent, never reported
    std::string body;
    int max_attempts = 5;
    std::chrono::milliseconds timeout{30'000};
    net::Backoff backoff;
};

enum class PostOutcome { kDelivered, kRefused, kExhausted, kStopped };

struct PostResult {
    PostOutcome outcome = PostOutcome::kExhausted;
    int attempts = 0;
    long status = 0;    // of the last attempt; 0: no answer
    std::string error;  // of the last attempt: "HTTP 503: body" or the network error
};

// stop (may be null) ends the waits between attempts early.
PostResult post_batch(const BatchPost& post, const std::atomic<bool>* stop);

}  // namespace salesint::jobs
