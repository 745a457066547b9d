// The circuit breaker and rate-limit rules, as pure functions of their state.
#include <catch2/catch.hpp>

#include "salesint/domain/circuit_breaker.hpp"
#include "salesint/domain/rate_limit.hpp"

using namespace salesint;

TEST_CASE("the breaker opens at the failure rate once the window has enough calls", "[breaker]") {
    BreakerPolicy policy;
    policy.min_calls = 4;
    policy.wait_ms = 1000;
    Breaker breaker;
    std::int64_t now = 10'000;
    for (bool failed : {true, false, true}) {
        REQUIRE(admit_call(policy, breaker, now).allowed);
        record_call(policy, breaker, now, failed);
    }
    CHECK(breaker.state == BreakerState::kClosed);  // 3 calls: below min_calls
    REQUIRE(admit_call(policy, breaker, now).allowed);
    record_call(policy, breaker, now, true);  // 3 of 4 failed
    CHECK(breaker.state == BreakerState::kOpen);

    BreakerAdmission refused = admit_call(policy, breaker, now + 400);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.retry_after_ms == 600);

    BreakerAdmission probe = admit_call(policy, breaker, now + 1000);
    CHECK(probe.allowed);
    CHECK(probe.probe);
    CHECK(breaker.state == BreakerState::kHalfOpen);
    CHECK_FALSE(admit_call(policy, breaker, now + 1001).allowed);  // one probe at a time
    record_call(policy, breaker, now + 1002, true);
    CHECK(breaker.state == BreakerState::kOpen);  // the probe failed

    REQUIRE(admit_call(policy, breaker, now + 2002).probe);
    record_call(policy, breaker, now + 2003, false);
    CHECK(breaker.state == BreakerState::kClosed);
    CHECK(breaker.window_calls == 0);
}

TEST_CASE("a closed breaker forgets calls older than its window", "[breaker]") {
    BreakerPolicy policy;
    policy.min_calls = 2;
    Breaker breaker;
    REQUIRE(admit_call(policy, breaker, 0).allowed);
    record_call(policy, breaker, 0, true);
    REQUIRE(admit_call(policy, breaker, policy.window_ms + 1).allowed);  // a new window
    record_call(policy, breaker, policy.window_ms + 1, true);
    CHECK(breaker.state == BreakerState::kClosed);
    CHECK(breaker.window_calls == 1);
}

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
