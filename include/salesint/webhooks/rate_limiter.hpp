// The per-tenant rate limit of seed 002: `limit` requests a minute, with a
// burst of up to 150% of it for 10 seconds. A window opens with its first
// request and lasts a minute; past the limit, requests are still let through
// up to 1.5 x limit while they come within 10 s of the first one over it.
#pragma once

#include <cstdint>
#include <mutex>

namespace salesint::webhooks {

struct RateLimit {
    int per_minute = 100;
    double burst = 1.5;
    std::int64_t burst_ms = 10'000;
};

struct RateDecision {
    bool allowed = true;
    int limit = 0;                 // X-RateLimit-Limit
    int remaining = 0;             // X-RateLimit-Remaining
    std::int64_t reset_unix = 0;   // X-RateLimit-Reset: when the window ends
    std::int64_t retry_after = 0;  // seconds, when refused
};

class RateLimiter {
  public:
    explicit RateLimiter(RateLimit limit) : limit_(limit) {}
    // Counts one request at now_ms (unix milliseconds). Thread-safe.
    RateDecision admit(std::int64_t now_ms);

  private:
    RateLimit limit_;
    std::mutex mutex_;
    std::int64_t window_start_ms_ = -1;
    int count_ = 0;
    std::int64_t burst_start_ms_ = -1;
};

}  // namespace salesint::webhooks
