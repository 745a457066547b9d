// UUIDs as the state file stores them (src/util/uuid.cpp): random version 4,
// lowercase, 8-4-4-4-12.
#include <catch2/catch.hpp>

#include <string>

#include "salesint/util/uuid.hpp"

using namespace salesint;

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
