// The rate limit (src/domain/rate_limit.cpp) as a pure function of its stored
// window: the limit, a 150% burst for 10 s, then refusals until a new window.
#include <catch2/catch.hpp>

#include "salesint/domain/rate_limit.hpp"

using namespace salesint;

TEST_CASE("the rate limit allows its limit, bursts to 150% for 10 s, then refuses",
          "[rate_limit]") {
    RateLimit limit{4, 1.5, 10'000};
    RateWindow window;
    const std::int64_t start = 1'700'000'000'000;
    for (int i = 0; i < 4; ++i) {
        REQUIRE(admit_request(limit, window, start + i).allowed);
    }
    RateDecision burst = admit_request(limit, window, start + 10);
    CHECK(burst.allowed);  // 5th: within the burst
    CHECK(burst.remaining == 0);
    CHECK(admit_request(limit, window, start + 20).allowed);  // 6th = 150% of 4
    RateDecision refused = admit_request(limit, window, start + 30);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.retry_after >= 59);
    CHECK(admit_request(limit, window, start + 60'000).allowed);  // a new window
}

TEST_CASE("past the burst's 10 s, requests over the limit are refused", "[rate_limit]") {
    RateLimit limit{2, 1.5, 10'000};
    RateWindow window;
    REQUIRE(admit_request(limit, window, 0).allowed);
    REQUIRE(admit_request(limit, window, 1).allowed);
    REQUIRE(admit_request(limit, window, 2).allowed);      // the burst starts
    CHECK_FALSE(admit_request(limit, window, 3).allowed);  // ceiling 3 reached
    CHECK_FALSE(admit_request(limit, window, 20'000).allowed);
}
