// Checkpoint values and their order (src/domain/checkpoint_value.cpp): the
// kind a first value gives, each kind's normal form, and how values compare.
#include <catch2/catch.hpp>

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
