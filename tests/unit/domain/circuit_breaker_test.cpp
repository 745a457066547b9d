// The circuit breaker (src/domain/circuit_breaker.cpp) as a pure function of
// its stored record: when it opens, refuses, lets a probe through and closes.
#include <catch2/catch.hpp>

#include "salesint/domain/circuit_breaker.hpp"

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
