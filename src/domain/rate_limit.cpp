#include "salesint/domain/rate_limit.hpp"

#include <algorithm>

namespace salesint {

RateDecision admit_request(const RateLimit& limit, RateWindow& window, std::int64_t now_ms) {
    constexpr std::int64_t kWindowMs = 60'000;
    if (window.started_ms < 0 || now_ms >= window.started_ms + kWindowMs) {
        window = RateWindow{now_ms, 0, -1};
    }
    RateDecision decision;
    decision.limit = limit.per_minute;
    decision.reset_unix = (window.started_ms + kWindowMs + 999) / 1000;
    const int ceiling = static_cast<int>(limit.per_minute * limit.burst);
    if (window.hits >= limit.per_minute) {
        if (window.burst_started_ms < 0) {
            window.burst_started_ms = now_ms;
        }
        bool in_burst = now_ms < window.burst_started_ms + limit.burst_ms && window.hits < ceiling;
        if (!in_burst) {
            decision.allowed = false;
            decision.retry_after = std::max<std::int64_t>(1, decision.reset_unix - now_ms / 1000);
            return decision;
        }
    }
    ++window.hits;
    decision.remaining = std::max(0, limit.per_minute - window.hits);
    return decision;
}

}  // namespace salesint
