// Time as salesint reads and shows it (src/util/clock.cpp): RFC 3339 instants
// normalised to UTC, with the fraction kept as written.
#include <catch2/catch.hpp>

#include <cstdint>
#include <ctime>
#include <string>

#include "salesint/util/clock.hpp"

using namespace salesint;

TEST_CASE("RFC 3339 parsing normalises to UTC and keeps the fraction", "[clock]") {
    auto parsed = parse_rfc3339("2026-02-28T23:30:00.250-01:00");
    REQUIRE(parsed);
    CHECK(format_rfc3339_utc(*parsed) == "2026-03-01T00:30:00.25Z");
    CHECK(format_rfc3339_utc(*parse_rfc3339("1970-01-01T00:00:00Z")) == "1970-01-01T00:00:00Z");
    CHECK(parse_rfc3339("1970-01-01T00:00:00Z")->epoch_seconds == 0);
    CHECK(parse_rfc3339("2000-02-29t12:00:00z"));
    CHECK(parse_rfc3339("1969-12-31T23:59:59Z")->epoch_seconds == -1);
    CHECK(format_rfc3339_utc(*parse_rfc3339("1969-12-31T23:59:59Z")) == "1969-12-31T23:59:59Z");
    for (const char* bad : {"2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-01-01T24:00:00Z",
                            "2026-01-01T00:00:00", "2026-01-01", "2026-01-01T00:00:00.Z",
                            "2026-01-01T00:00:00+0200", "2026-01-01T00:00:60Z", "x"}) {
        INFO(bad);
        CHECK_FALSE(parse_rfc3339(bad));
    }
}

TEST_CASE("RFC 3339: 'T', 't' or a space, offsets up to 23:59, fractions of any length",
          "[clock]") {
    CHECK(parse_rfc3339("2026-01-02 03:04:05Z") == parse_rfc3339("2026-01-02T03:04:05Z"));
    CHECK(parse_rfc3339("2026-01-02t03:04:05z") == parse_rfc3339("2026-01-02T03:04:05Z"));
    CHECK(parse_rfc3339("2026-01-01T00:00:00-00:00") == parse_rfc3339("2026-01-01T00:00:00Z"));
    auto far_east = parse_rfc3339("2026-01-01T00:00:00+23:59");
    REQUIRE(far_east);
    CHECK(far_east->epoch_seconds == 1'767'139'260);
    CHECK(format_rfc3339_utc(*far_east) == "2025-12-31T00:01:00Z");

    auto fine = parse_rfc3339("2026-01-01T00:00:00.123456789012Z");
    REQUIRE(fine);
    CHECK(fine->fraction == "123456789012");  // kept as written, beyond nanoseconds
    CHECK(parse_rfc3339("2026-01-01T00:00:00.500Z")->fraction == "5");
    CHECK(parse_rfc3339("2026-01-01T00:00:00.000Z")->fraction.empty());
    CHECK(format_rfc3339_utc(*parse_rfc3339("2026-01-01T00:00:00.000Z")) == "2026-01-01T00:00:00Z");

    CHECK(parse_rfc3339("2000-02-29T00:00:00Z"));  // divisible by 400: a leap year
    CHECK(parse_rfc3339("2400-02-29T00:00:00Z"));
    CHECK_FALSE(parse_rfc3339("1900-02-29T00:00:00Z"));  // by 100 only: not one
    CHECK_FALSE(parse_rfc3339("2100-02-29T00:00:00Z"));
    for (const char* bad : {"",
                            " 2026-01-01T00:00:00Z",
                            "2026-01-01T00:00:00Z ",
                            "2026-1-01T00:00:00Z",
                            "26-01-01T00:00:00Z",
                            "+2026-01-01T00:00:00Z",
                            "2026-01-01T0:00:00Z",
                            "2026-01-01T00:00Z",
                            "2026-01-01_00:00:00Z",
                            "2026-01-01T00:00:00+24:00",
                            "2026-01-01T00:00:00+23:60",
                            "2026-01-01T00:00:00+2:00",
                            "2026-01-01T00:00:00Z+01:00",
                            "2026-01-01T00:00:00ZZ",
                            "2026-13-01T00:00:00Z",
                            "2026-00-01T00:00:00Z",
                            "2026-01-00T00:00:00Z",
                            "2026-04-31T00:00:00Z",
                            "2026-01-01T00:60:00Z",
                            "2026-01-01T00:00:00,5Z",
                            "2026-01-01T00:00:00.5.5Z"}) {
        INFO('"' << bad << '"');
        CHECK_FALSE(parse_rfc3339(bad));
    }
}

TEST_CASE("RFC 3339: the years 0000 to 9999, and UTC text that reads back the same", "[clock]") {
    auto first = parse_rfc3339("0000-01-01T00:00:00Z");
    REQUIRE(first);
    CHECK(first->epoch_seconds == -62'167'219'200);
    CHECK(format_rfc3339_utc(*first) == "0000-01-01T00:00:00Z");
    auto last = parse_rfc3339("9999-12-31T23:59:59.999Z");
    REQUIRE(last);
    CHECK(last->epoch_seconds == 253'402'300'799);
    CHECK(format_rfc3339_utc(*last) == "9999-12-31T23:59:59.999Z");

    CHECK(format_rfc3339_utc(Instant{-86'400, ""}) == "1969-12-31T00:00:00Z");
    CHECK(format_rfc3339_utc(Instant{-86'401, "25"}) == "1969-12-30T23:59:59.25Z");
    // Every second formatted reads back as itself, before and after 1970.
    for (std::int64_t seconds = -62'167'219'200; seconds <= 253'402'300'799;
         seconds += 7'777'777'777) {
        INFO(seconds);
        const std::string text = format_rfc3339_utc(Instant{seconds, ""});
        auto parsed = parse_rfc3339(text);
        REQUIRE(parsed);
        CHECK(parsed->epoch_seconds == seconds);
    }
}

TEST_CASE("instants compare by second, then by fraction, however many digits it has", "[clock]") {
    auto at = [](const char* text) {
        auto instant = parse_rfc3339(text);
        REQUIRE(instant);
        return *instant;
    };
    CHECK(compare_instants(at("2026-03-01T08:00:00.5Z"), at("2026-03-01T08:00:00.50Z")) == 0);
    CHECK(compare_instants(at("2026-03-01T08:00:00.5Z"), at("2026-03-01T08:00:00.49Z")) == 1);
    CHECK(compare_instants(at("2026-03-01T08:00:00.05Z"), at("2026-03-01T08:00:00.5Z")) == -1);
    CHECK(compare_instants(at("2026-03-01T08:00:00Z"), at("2026-03-01T08:00:00.0001Z")) == -1);
    CHECK(compare_instants(at("2026-03-01T08:00:01Z"), at("2026-03-01T08:00:00.999Z")) == 1);
    CHECK(compare_instants(at("2026-03-01T10:00:00+02:00"), at("2026-03-01T08:00:00Z")) == 0);
    CHECK(compare_instants(at("2026-03-01T09:00:00+02:00"), at("2026-03-01T08:00:00Z")) == -1);
}

TEST_CASE("ISO dates are calendar dates, counted in days from 1970-01-01", "[clock]") {
    CHECK(parse_iso_date("1970-01-01") == 0);
    CHECK(parse_iso_date("1970-01-02") == 1);
    CHECK(parse_iso_date("1969-12-31") == -1);
    CHECK(parse_iso_date("2000-03-01") == 11'017);
    CHECK(parse_iso_date("2026-01-20") == 20'473);
    CHECK(parse_iso_date("2024-02-29") == parse_iso_date("2024-03-01").value() - 1);
    for (const char* bad :
         {"", "2026-02-29", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32", "2026-1-1",
          "20260120", "2026-01-20T00:00:00Z", "2026-01-20 ", "-001-01-01"}) {
        INFO('"' << bad << '"');
        CHECK_FALSE(parse_iso_date(bad));
    }
    CHECK(format_iso_date(0) == "1970-01-01");
    CHECK(format_iso_date(-1) == "1969-12-31");
    CHECK(format_iso_date(19'377) == "2023-01-20");
    CHECK(format_iso_date(-719'528) == "0000-01-01");
    CHECK(format_iso_date(2'932'896) == "9999-12-31");
    for (std::int64_t days = -719'528; days <= 2'932'896; days += 9973) {
        INFO(days);
        CHECK(parse_iso_date(format_iso_date(days)) == days);
    }
}

TEST_CASE("now is UTC to the second, and reads back", "[clock]") {
    const std::int64_t before = std::time(nullptr);
    auto now = parse_rfc3339(now_rfc3339());
    const std::int64_t after = std::time(nullptr);
    REQUIRE(now);
    CHECK(now->fraction.empty());
    CHECK(now->epoch_seconds >= before);
    CHECK(now->epoch_seconds <= after);
    CHECK_THAT(now_rfc3339(), Catch::EndsWith("Z"));
}

namespace {

long long duration_ms(const std::string& text) {
    auto duration = parse_duration(text);
    return duration ? duration->count() : -1;
}

}  // namespace

TEST_CASE("durations are digits and a unit: ms, s, m, h, d, or none for seconds",
          "[util][duration]") {
    CHECK(duration_ms("500ms") == 500);
    CHECK(duration_ms("30s") == 30'000);
    CHECK(duration_ms("30") == 30'000);
    CHECK(duration_ms("2m") == 120'000);
    CHECK(duration_ms("1h") == 3'600'000);
    CHECK(duration_ms("0") == 0);  // the range is the option's to check (1ms to 24h)
    CHECK(duration_ms("0ms") == 0);
    CHECK(duration_ms("007s") == 7000);
}

TEST_CASE("a duration has at most nine digits, and nothing but digits and a unit",
          "[util][duration]") {
    CHECK(duration_ms("999999999ms") == 999'999'999);
    CHECK(duration_ms("999999999h") == 999'999'999LL * 3'600'000);  // no overflow
    CHECK(duration_ms("999999999d") == 999'999'999LL * 86'400'000);
    CHECK(duration_ms("1000000000ms") == -1);
    CHECK(duration_ms("0000000001s") == -1);  // ten digits, however small
    for (const char* text :
         {"",    "s",    "ms", "-1s",  "+1s", "1.5s", " 1s", "1s ",  "1 s", "1S",
          "1MS", "1sec", "1D", "1msx", "1mm", "1hs",  "1ss", "1m1s", "x1s", "\xd9\xa1s"}) {
        INFO('"' << text << '"');
        CHECK(duration_ms(text) == -1);
    }
}

TEST_CASE("a time bound is RFC 3339 or an age before now, never a bare number", "[clock]") {
    const std::string now = "2026-03-10T12:00:00Z";
    CHECK(parse_time_bound("2026-03-01T00:00:00+01:00", now) == "2026-02-28T23:00:00Z");
    CHECK(parse_time_bound("1h", now) == "2026-03-10T11:00:00Z");
    CHECK(parse_time_bound("7d", now) == "2026-03-03T12:00:00Z");
    CHECK(parse_time_bound("90m", now) == "2026-03-10T10:30:00Z");
    for (const char* text : {"", "3", "1w", "yesterday", "-1h", "2026-03-01"}) {
        INFO('"' << text << '"');
        CHECK_FALSE(parse_time_bound(text, now));
    }
}

TEST_CASE("a time bound refuses unknown units, signs, spaces and ages out of range", "[clock]") {
    const std::string now = "2026-03-10T12:00:00Z";
    CHECK(parse_time_bound("30d", now) == "2026-02-08T12:00:00Z");
    CHECK(parse_time_bound("30s", now) == "2026-03-10T11:59:30Z");
    CHECK(parse_time_bound("1500ms", now) == "2026-03-10T11:59:59Z");  // whole seconds
    CHECK(parse_time_bound("0h", now) == now);
    CHECK(parse_time_bound("2026-03-10t12:00:00.250z", now) == "2026-03-10T12:00:00.25Z");
    // 700,000 days back is still a year; 740,100 reach past 0000-01-01 (refused below).
    CHECK(parse_time_bound("700000d", now) == "0109-08-27T12:00:00Z");
    for (const char* text :
         {"1x", "-1h", "+1h", "1h ", " 1h", "1 h", "1H", "1.5h", "1h30m", "h", "99999999999d",
          "999999999d", "740100d", "2026-03-10", "2026-03-10T12:00:00", "2026-13-01T00:00:00Z"}) {
        INFO('"' << text << '"');
        CHECK_FALSE(parse_time_bound(text, now));
    }
}

TEST_CASE("unix milliseconds format as RFC 3339 UTC, with a fraction only when there is one",
          "[clock]") {
    CHECK(format_unix_ms(0) == "1970-01-01T00:00:00Z");
    CHECK(format_unix_ms(1'700'000'000'500) == "2023-11-14T22:13:20.5Z");
    CHECK(format_unix_ms(1'700'000'000'123) == "2023-11-14T22:13:20.123Z");
    CHECK(format_unix_ms(-1) == "1969-12-31T23:59:59.999Z");
}
