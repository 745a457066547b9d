// The rate limit of `webhook serve`: the rule of domain/rate_limit.hpp over a
// window kept in memory (one process, one tenant).
#pragma once

#include <cstdint>
#include <mutex>

#include "salesint/domain/rate_limit.hpp"

namespace salesint::webhooks {

class RateLimiter {
  public:
    explicit RateLimiter(RateLimit limit) : limit_(limit) {}
    // Counts one request at now_ms (unix milliseconds). Thread-safe.
    RateDecision admit(std::int64_t now_ms);

  private:
    RateLimit limit_;
    std::mutex mutex_;
    RateWindow window_;
};

}  // namespace salesint::webhooks
