#include "salesint/webhooks/rate_limiter.hpp"

#include <algorithm>

namespace salesint::webhooks {

RateDecision RateLimiter::admit(std::int64_t now_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    constexpr std::int64_t kWindowMs = 60'000;
    if (window_start_ms_ < 0 || now_ms >= window_start_ms_ + kWindowMs) {
        window_start_ms_ = now_ms;
        count_ = 0;
        burst_start_ms_ = -1;
    }
    RateDecision decision;
    decision.limit = limit_.per_minute;
    decision.reset_unix = (window_start_ms_ + kWindowMs + 999) / 1000;
    const int ceiling = static_cast<int>(limit_.per_minute * limit_.burst);
    if (count_ >= limit_.per_minute) {
        if (burst_start_ms_ < 0) {
            burst_start_ms_ = now_ms;
        }
        bool in_burst = now_ms < burst_start_ms_ + limit_.burst_ms && count_ < ceiling;
        if (!in_burst) {
            decision.allowed = false;
            decision.retry_after = std::max<std::int64_t>(1, decision.reset_unix - now_ms / 1000);
            return decision;
        }
    }
    ++count_;
    decision.remaining = std::max(0, limit_.per_minute - count_);
    return decision;
}

}  // namespace salesint::webhooks
