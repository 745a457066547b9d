// When to retry an outbound call, and how long to wait: exponential backoff
// with full jitter (a random wait between 0 and min(cap, base * 2^n)), or the
// server's Retry-After when it gives one.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace salesint::net {

// Network errors, timeouts, 408, 429 and 5xx are worth retrying; any other
// 4xx is a permanent refusal.
bool is_transient(long status, bool timed_out);

struct Backoff {
    std::chrono::milliseconds base{1000};
    std::chrono::milliseconds cap{30'000};
};

// The wait before retry number `retry` (1 for the first retry).
std::chrono::milliseconds full_jitter(const Backoff& backoff, int retry);

// A Retry-After header (seconds, or an HTTP date) as a wait from now; nullopt
// when absent or unreadable. Waits are capped at 15 minutes.
std::optional<std::chrono::milliseconds> parse_retry_after(
    const std::string& value, std::chrono::system_clock::time_point now);

}  // namespace salesint::net
