// The retry policy of outbound calls (src/net/retry.cpp): which answers are
// worth another try, full-jitter backoff, the server's Retry-After, and the
// durations options are given in.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <climits>
#include <string>
#include <utility>

#include "salesint/net/retry.hpp"

using namespace std::chrono_literals;
using salesint::net::Backoff;
using salesint::net::full_jitter;
using salesint::net::is_transient;

namespace {

// "Wed, 21 Oct 2015 07:28:00 GMT", RFC 7231's example of an IMF-fixdate.
constexpr const char* kDate = "Wed, 21 Oct 2015 07:28:00 GMT";
const auto kDateInstant = std::chrono::system_clock::time_point(1'445'412'480s);
constexpr long long kFifteenMinutes = 15 * 60 * 1000;

// The wait in milliseconds, or -1 when there is none (so that failures print numbers).
long long after_ms(const std::string& value, std::chrono::system_clock::time_point now) {
    auto wait = salesint::net::parse_retry_after(value, now);
    return wait ? wait->count() : -1;
}

// The shortest and the longest of draws waits before retry number `retry`, in ms.
std::pair<long long, long long> jitter_range(const Backoff& backoff, int retry, int draws) {
    long long lowest = LLONG_MAX;
    long long highest = LLONG_MIN;
    for (int i = 0; i < draws; ++i) {
        const long long wait = full_jitter(backoff, retry).count();
        lowest = std::min(lowest, wait);
        highest = std::max(highest, wait);
    }
    return {lowest, highest};
}

}  // namespace

TEST_CASE("network errors, timeouts, 408, 429 and 5xx are transient, and no other answer is",
          "[net][retry]") {
    CHECK(is_transient(0, false));  // no answer at all: a network error
    CHECK(is_transient(0, true));
    CHECK(is_transient(200, true));  // a timeout, whatever was read before it
    for (long status : {408L, 429L, 500L, 502L, 503L, 504L, 599L}) {
        INFO(status);
        CHECK(is_transient(status, false));
    }
    for (long status : {200L, 202L, 301L, 304L, 400L, 401L, 403L, 404L, 405L, 409L, 410L, 413L,
                        422L, 428L, 431L, 451L, 499L}) {
        INFO(status);
        CHECK_FALSE(is_transient(status, false));
    }
}

TEST_CASE("full jitter waits between 0 and min(cap, base * 2^(retry - 1))", "[net][retry]") {
    const Backoff backoff{100ms, 1000ms};
    // retry 1 waits up to base, each retry doubles the ceiling, the cap bounds it.
    const std::pair<int, long long> ceilings[] = {{1, 100},  {2, 200},  {3, 400},   {4, 800},
                                                  {5, 1000}, {6, 1000}, {31, 1000}, {1000, 1000}};
    for (const auto& [retry, ceiling] : ceilings) {
        INFO("retry " << retry << ", ceiling " << ceiling << " ms");
        const auto [lowest, highest] = jitter_range(backoff, retry, 2000);
        CHECK(lowest >= 0);
        CHECK(highest <= ceiling);
        // Full jitter spreads over the whole range (not "equal jitter", which
        // waits at least half): 2000 draws leave neither quarter empty.
        CHECK(lowest < ceiling / 4);
        CHECK(highest > ceiling * 3 / 4);
    }
}

TEST_CASE("full jitter stays within its bounds at the edges", "[net][retry]") {
    for (int retry : {0, -1, -1000}) {  // as the first retry
        INFO("retry " << retry);
        const auto [lowest, highest] = jitter_range(Backoff{100ms, 1000ms}, retry, 200);
        CHECK(lowest >= 0);
        CHECK(highest <= 100);
    }
    CHECK(jitter_range(Backoff{0ms, 1000ms}, 3, 200) == std::pair(0LL, 0LL));
    CHECK(jitter_range(Backoff{100ms, 0ms}, 3, 200) == std::pair(0LL, 0LL));
    CHECK(jitter_range(Backoff{100ms, -5ms}, 3, 200) == std::pair(0LL, 0LL));  // no wait
    // A large base at the largest exponent neither overflows nor passes the cap.
    const auto [lowest, highest] = jitter_range(Backoff{1h, 15min}, 1'000'000, 200);
    CHECK(lowest >= 0);
    CHECK(highest <= kFifteenMinutes);
    // The defaults: 1 s base, 30 s cap.
    CHECK(jitter_range(Backoff{}, 1, 200).second <= 1000);
    CHECK(jitter_range(Backoff{}, 10, 200).second <= 30'000);
}

TEST_CASE("Retry-After in delta-seconds is a wait, capped at 15 minutes", "[net][retry]") {
    const auto now = std::chrono::system_clock::now();
    CHECK(after_ms("0", now) == 0);
    CHECK(after_ms("1", now) == 1000);
    CHECK(after_ms("120", now) == 120'000);
    CHECK(after_ms("007", now) == 7000);
    CHECK(after_ms("900", now) == kFifteenMinutes);
    CHECK(after_ms("901", now) == kFifteenMinutes);
    CHECK(after_ms("86400", now) == kFifteenMinutes);
    CHECK(after_ms("999999999", now) == kFifteenMinutes);  // nine digits
}

TEST_CASE("Retry-After as an HTTP date is the time until then, from 0 to 15 minutes",
          "[net][retry]") {
    CHECK(after_ms(kDate, kDateInstant - 90s) == 90'000);
    CHECK(after_ms(kDate, kDateInstant - 1500ms) == 1500);
    CHECK(after_ms(kDate, kDateInstant) == 0);
    CHECK(after_ms(kDate, kDateInstant + 1h) == 0);  // already past: go now
    CHECK(after_ms(kDate, kDateInstant - 48h) == kFifteenMinutes);
    CHECK(after_ms("Sun, 06 Nov 1994 08:49:37 GMT", std::chrono::system_clock::now()) == 0);
}

TEST_CASE("an absent, negative or unreadable Retry-After is no Retry-After", "[net][retry]") {
    const auto now = kDateInstant - 90s;
    for (const char* value :
         {"", " ", "-1", "-120", "+5", "1.5", "1e3", "5s", " 5", "5 ", "0x10", "soon", "NaN",
          "Wed, 21 Oct 2015 07:28:00", "Wed, 21 Oct 2015 07:28:00 UTC",
          "Wed, 21 Oct 2015 07:28:00 GMT trailing", "2015-10-21T07:28:00Z",
          "Wed, 21 Foo 2015 07:28:00 GMT", "Wed, 21 Oct 2015 25:28:00 GMT"}) {
        INFO('"' << value << '"');
        CHECK(after_ms(value, now) == -1);
    }
}

// Delta-seconds of any length: leading zeros do not count, and a wait too
// long to read is still the cap, never no Retry-After.
TEST_CASE("Retry-After of ten digits or more is capped, not ignored", "[net][retry]") {
    const auto now = std::chrono::system_clock::now();
    CHECK(after_ms("0000000005", now) == 5000);
    CHECK(after_ms("1000000000", now) == kFifteenMinutes);
    CHECK(after_ms("99999999999999999999999", now) == kFifteenMinutes);
}
