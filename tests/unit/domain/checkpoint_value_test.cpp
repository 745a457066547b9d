// Checkpoint values and their order (src/domain/checkpoint_value.cpp): the
// kind a first value gives, each kind's normal form, and how values compare.
#include <catch2/catch.hpp>

#include <string>

#include "salesint/domain/checkpoint_value.hpp"

using namespace salesint;

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

TEST_CASE("a timestamp an offset moves out of the years 0000-9999 is not a timestamp value",
          "[checkpoint]") {
    CHECK(parse_as(CheckpointKind::kTimestamp, "9999-12-31T23:00:00-00:30"));
    CHECK_FALSE(parse_as(CheckpointKind::kTimestamp, "9999-12-31T23:59:59-00:01"));
    CHECK_FALSE(parse_as(CheckpointKind::kTimestamp, "0000-01-01T00:00:00+02:00"));
    CHECK(detect_kind("9999-12-31T23:59:59-00:01") == CheckpointKind::kString);
}

TEST_CASE("each kind has one normal form", "[checkpoint]") {
    auto normal = [](CheckpointKind kind, const char* text) {
        auto value = parse_as(kind, text);
        return value ? value->normalized : std::string("(not this kind)");
    };
    CHECK(normal(CheckpointKind::kInteger, "+007") == "7");
    CHECK(normal(CheckpointKind::kInteger, "-007") == "-7");
    CHECK(normal(CheckpointKind::kInteger, "-0") == "0");
    CHECK(normal(CheckpointKind::kInteger, "0") == "0");
    CHECK(normal(CheckpointKind::kInteger, "123456789012345678901234567890") ==
          "123456789012345678901234567890");
    for (const char* text :
         {"", "+", "-", "--1", "+-1", " 1", "1 ", "1.0", "0x10", "1_000", "\xd9\xa1"}) {
        INFO('"' << text << '"');
        CHECK(normal(CheckpointKind::kInteger, text) == "(not this kind)");
    }
    CHECK(normal(CheckpointKind::kTimestamp, "2026-03-01T10:00:00.500+02:00") ==
          "2026-03-01T08:00:00.5Z");
    CHECK(normal(CheckpointKind::kTimestamp, "2026-03-01 08:00:00z") == "2026-03-01T08:00:00Z");
    CHECK(normal(CheckpointKind::kTimestamp, "2026-03-01") == "(not this kind)");
    CHECK(normal(CheckpointKind::kTimestamp, "1700000000") == "(not this kind)");
    // Every text is a string value, exactly as given.
    for (const char* text : {"", " padded ", "007", "2026-03-01T10:00:00+02:00", "caf\xc3\xa9"}) {
        CHECK(normal(CheckpointKind::kString, text) == text);
    }
}

TEST_CASE("a first value is an integer, else a timestamp, else a string", "[checkpoint]") {
    CHECK(detect_kind("+5") == CheckpointKind::kInteger);
    CHECK(detect_kind("007") == CheckpointKind::kInteger);
    CHECK(detect_kind("123456789012345678901234567890") == CheckpointKind::kInteger);
    CHECK(detect_kind("2026-03-01 08:00:00.5+01:00") == CheckpointKind::kTimestamp);
    CHECK(detect_kind("-") == CheckpointKind::kString);
    CHECK(detect_kind("1e3") == CheckpointKind::kString);
    CHECK(detect_kind("2026-03-01") == CheckpointKind::kString);  // a date is not an instant
    CHECK(detect_kind("2026-02-30T00:00:00Z") == CheckpointKind::kString);
}

TEST_CASE("normalised values compare within their kind", "[checkpoint]") {
    using K = CheckpointKind;
    CHECK(compare_values(K::kInteger, "0", "0") == 0);
    CHECK(compare_values(K::kInteger, "-1", "0") == -1);
    CHECK(compare_values(K::kInteger, "0", "-1") == 1);
    CHECK(compare_values(K::kInteger, "99", "100") == -1);
    CHECK(compare_values(K::kInteger, "-100", "-99") == -1);
    CHECK(compare_values(K::kInteger, "123456789012345678901234567890",
                         "123456789012345678901234567889") == 1);
    CHECK(compare_values(K::kInteger, "-123456789012345678901234567890", "5") == -1);

    CHECK(compare_values(K::kTimestamp, "2026-03-01T08:00:00.5Z", "2026-03-01T08:00:00.49Z") == 1);
    CHECK(compare_values(K::kTimestamp, "2026-03-01T08:00:00Z", "2026-03-01T08:00:00.001Z") == -1);
    CHECK(compare_values(K::kTimestamp, "2026-03-01T08:00:00Z", "2026-03-01T08:00:00Z") == 0);
    CHECK(compare_values(K::kTimestamp, "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z") == 1);

    CHECK(compare_values(K::kString, "a", "ab") == -1);
    CHECK(compare_values(K::kString, "", "a") == -1);
    CHECK(compare_values(K::kString, "B", "a") == -1);              // byte order, not case
    CHECK(compare_values(K::kString, "caf\xc3\xa9", "cafz") == 1);  // bytes compare unsigned
    CHECK(compare_values(K::kString, "same", "same") == 0);
}
