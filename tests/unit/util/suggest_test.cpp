#include <catch2/catch.hpp>

#include "salesint/util/suggest.hpp"

using salesint::closest_match;
using salesint::did_you_mean;
using salesint::edit_distance;

TEST_CASE("edit distance counts inserts, deletes, substitutions and swaps", "[suggest]") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("list", "list") == 0);
    CHECK(edit_distance("lst", "list") == 1);
    CHECK(edit_distance("lisst", "list") == 1);
    CHECK(edit_distance("lest", "list") == 1);
    CHECK(edit_distance("lsit", "list") == 1);
    CHECK(edit_distance("PYXIS", "pyxis") == 0);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("the closest candidate is suggested only when it is close", "[suggest]") {
    const std::vector<std::string> commands{"list", "get", "set", "reset"};
    CHECK(closest_match("lst", commands) == "list");
    CHECK(closest_match("rest", commands) == "reset");
    CHECK(closest_match("delete", commands) == std::nullopt);
    CHECK(closest_match("list", commands) == std::nullopt);
    CHECK(closest_match("", commands) == std::nullopt);
    CHECK(closest_match("lst", {}) == std::nullopt);
    CHECK(closest_match("fsm.order.intak.v2",
                        {"fsm.order.intake.v2", "fsm.appointment.scheduled.v1"}) ==
          "fsm.order.intake.v2");
    CHECK(closest_match("order", {"orders", "customers"}) == "orders");
    // The first of equally close candidates, so the answer does not depend on hashing.
    CHECK(closest_match("sat", {"set", "get"}) == "set");
    CHECK(closest_match(std::string(10000, 'x'), {std::string(10000, 'x') + "y"}) == std::nullopt);
}

TEST_CASE("did_you_mean reads as the end of a one-line error", "[suggest]") {
    CHECK(did_you_mean("lst", {"list"}) == "; did you mean \"list\"?");
    CHECK(did_you_mean("zzz", {"list"}).empty());
}
