// The circuit breaker of a connector, as a pure state machine over a record
// that the state file keeps, so that consecutive processes share it.
//
//   closed     calls go through and are counted in a window (default 60 s).
//              Once the window holds at least min_calls calls and the share of
//              failures reaches failure_rate, the breaker opens.
//   open       calls are refused (exit 5) until `wait` has passed; then one
//              call is let through as a probe and the breaker is half-open.
//   half_open  the probe's outcome decides: success closes the breaker,
//              failure opens it again. Other calls are refused meanwhile; a
//              probe that never reports (its process died) is replaced after
//              another `wait`.
//
// A failure is what a retry would be for: a network error, a timeout, 408,
// 429 or 5xx. A permanent 4xx says the request was wrong, not that the remote
// is unwell, and counts as a success here.
#pragma once

#include <cstdint>

#include "salesint/model.hpp"

namespace salesint {

struct BreakerPolicy {
    std::int64_t window_ms = 60'000;
    int min_calls = 5;
    double failure_rate = 0.5;
    std::int64_t wait_ms = 30'000;
};

struct BreakerAdmission {
    bool allowed = true;
    bool probe = false;               // the half-open trial call
    std::int64_t retry_after_ms = 0;  // when refused
};

// Decides whether a call may start at now_ms, updating breaker (open ->
// half-open when the wait is over).
BreakerAdmission admit_call(const BreakerPolicy& policy, Breaker& breaker, std::int64_t now_ms);

// Counts the outcome of a call that admit_call let through.
void record_call(const BreakerPolicy& policy, Breaker& breaker, std::int64_t now_ms, bool failed);

}  // namespace salesint
