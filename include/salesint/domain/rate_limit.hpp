// The per-tenant rate limit (docs/contracts.md): `per_minute` requests a minute, with
// a burst of up to 150% of it for 10 seconds. A window opens with its first
// request and lasts a minute; past the limit, requests are still let through
// up to 1.5 x limit while they come within 10 s of the first one over it.
//
// The rule is a pure function of a window's state, so that `webhook serve`
// keeps the state in memory and `execute --live` keeps it in the state file,
// shared by every process of the tenant.
#pragma once

#include <cstdint>

#include "salesint/model.hpp"

namespace salesint {

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

// Counts one request at now_ms (unix milliseconds) against window, which it
// updates (a refused request is not counted).
RateDecision admit_request(const RateLimit& limit, RateWindow& window, std::int64_t now_ms);

}  // namespace salesint
