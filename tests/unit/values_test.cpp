// Pure functions: time parsing, checkpoint values, UUIDs, JSON positions, rendering.
#include <catch2/catch.hpp>

#include <sstream>

#include "salesint/domain/checkpoint_value.hpp"
#include "salesint/errors.hpp"
#include "salesint/output.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/uuid.hpp"

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

TEST_CASE("checkpoint kinds are detected from the first value", "[checkpoint]") {
    CHECK(detect_kind("42") == CheckpointKind::kInteger);
    CHECK(detect_kind("-7") == CheckpointKind::kInteger);
    CHECK(detect_kind("2026-01-01T00:00:00Z") == CheckpointKind::kTimestamp);
    CHECK(detect_kind("cursor:abc") == CheckpointKind::kString);
    CHECK(detect_kind("") == CheckpointKind::kString);
    CHECK(parse_as(CheckpointKind::kInteger, "-000")->normalized == "0");
    CHECK_FALSE(parse_as(CheckpointKind::kInteger, "1e3"));
    CHECK(compare_values(CheckpointKind::kInteger, "-10", "-9") < 0);
    CHECK(compare_values(CheckpointKind::kInteger, "10", "9") > 0);
    CHECK(compare_values(CheckpointKind::kString, "10", "9") < 0);
}

TEST_CASE("UUIDs are random version 4 and normalise to lowercase", "[uuid]") {
    std::string a = new_uuid_v4();
    CHECK(a != new_uuid_v4());
    CHECK(normalize_uuid(a) == a);
    CHECK(a[14] == '4');
    CHECK(std::string("89ab").find(a[19]) != std::string::npos);
    CHECK(normalize_uuid("3F2B8C1E-0D4A-4C6E-9B1A-2F7D5E8C9A01") ==
          "3f2b8c1e-0d4a-4c6e-9b1a-2f7d5e8c9a01");
    CHECK_FALSE(normalize_uuid("3f2b8c1e0d4a4c6e9b1a2f7d5e8c9a01"));
    CHECK_FALSE(normalize_uuid("3f2b8c1e-0d4a-4c6e-9b1a-2f7d5e8c9a0g"));
}

TEST_CASE("JSON errors name the file, line and column", "[json]") {
    try {
        parse_json_text("{\n  \"a\": 1,\n  \"b\": ]\n}", "in.json");
        FAIL("parsed invalid JSON");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        CHECK_THAT(e.what(), Catch::StartsWith("in.json:3:8: invalid JSON"));
    }
}

TEST_CASE("text tables align and escape control characters", "[output]") {
    nlohmann::json rows = {{{"id", "a\x1b[31m"}, {"n", 1}}, {{"id", "long value"}, {"n", nullptr}}};
    std::ostringstream text;
    render_rows(text, OutputFormat::kText, {{"id", "ID"}, {"n", "N"}}, rows);
    CHECK(text.str() ==
          "ID          N\n"
          "a\\x1b[31m   1\n"
          "long value  -\n");
}

TEST_CASE("CSV quotes what needs quoting and leaves null empty", "[output]") {
    nlohmann::json rows = {{{"id", "a,b"}, {"n", nullptr}}, {{"id", "say \"hi\""}, {"n", 2}}};
    std::ostringstream csv;
    render_rows(csv, OutputFormat::kCsv, {{"id", "ID"}, {"n", "N"}}, rows);
    CHECK(csv.str() == "id,n\r\n\"a,b\",\r\n\"say \"\"hi\"\"\",2\r\n");
}

TEST_CASE("ndjson prints one object per line", "[output]") {
    std::ostringstream out;
    render_rows(out, OutputFormat::kNdjson, {}, nlohmann::json::array({{{"a", 1}}, {{"a", 2}}}));
    CHECK(out.str() == "{\"a\":1}\n{\"a\":2}\n");
}
