#include "salesint/domain/circuit_breaker.hpp"

namespace salesint {
namespace {

void start_window(Breaker& breaker, std::int64_t now_ms) {
    breaker.window_started_ms = now_ms;
    breaker.window_calls = 0;
    breaker.window_failures = 0;
}

}  // namespace

BreakerAdmission admit_call(const BreakerPolicy& policy, Breaker& breaker, std::int64_t now_ms) {
    BreakerAdmission admission;
    switch (breaker.state) {
        case BreakerState::kClosed:
            if (now_ms >= breaker.window_started_ms + policy.window_ms) {
                start_window(breaker, now_ms);
            }
            return admission;
        case BreakerState::kOpen:
        case BreakerState::kHalfOpen: {
            // Open: the wait since opening; half-open: the probe's allowance.
            const std::int64_t until = breaker.opened_ms + policy.wait_ms;
            if (now_ms < until) {
                admission.allowed = false;
                admission.retry_after_ms = until - now_ms;
                return admission;
            }
            breaker.state = BreakerState::kHalfOpen;
            breaker.opened_ms = now_ms;
            admission.probe = true;
            return admission;
        }
    }
    return admission;
}

void record_call(const BreakerPolicy& policy, Breaker& breaker, std::int64_t now_ms, bool failed) {
    if (breaker.state == BreakerState::kHalfOpen) {
        if (failed) {
            breaker.state = BreakerState::kOpen;
            breaker.opened_ms = now_ms;
        } else {
            breaker.state = BreakerState::kClosed;
            start_window(breaker, now_ms);
        }
        return;
    }
    if (breaker.state == BreakerState::kOpen) {
        return;  // a call that started before another process opened it
    }
    ++breaker.window_calls;
    breaker.window_failures += failed ? 1 : 0;
    if (breaker.window_calls >= policy.min_calls &&
        breaker.window_failures >= policy.failure_rate * breaker.window_calls) {
        breaker.state = BreakerState::kOpen;
        breaker.opened_ms = now_ms;
    }
}

}  // namespace salesint
