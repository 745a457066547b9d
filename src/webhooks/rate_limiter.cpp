#include "salesint/webhooks/rate_limiter.hpp"

namespace salesint::webhooks {

RateDecision RateLimiter::admit(std::int64_t now_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    return admit_request(limit_, window_, now_ms);
}

}  // namespace salesint::webhooks
