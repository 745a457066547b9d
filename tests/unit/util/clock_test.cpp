// Time as salesint reads and shows it (src/util/clock.cpp): RFC 3339 instants
// normalised to UTC, with the fraction kept as written.
#include <catch2/catch.hpp>

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
