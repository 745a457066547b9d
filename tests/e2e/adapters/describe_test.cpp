// adapters describe: an adapter's contract and example input, with no state
// file needed, and exit 3 for an unknown Execute ID.
#include <catch2/catch.hpp>

#include "e2e/execute/execute_support.hpp"

using namespace salesint::test;

TEST_CASE("adapters describe shows the contract and the example fixture", "[e2e][execute]") {
    RunResult described = run_salesint(
        {"--state", "/nonexistent/never.db", "adapters", "describe", kOrderIntake, "-o", "json"});
    REQUIRE(described.exit_code == 0);
    nlohmann::json info = described.json();
    CHECK(info["version"] == "2.1.0");
    CHECK(info["rate_limit_per_minute"] == 100);
    CHECK(info["example_input"] ==
          nlohmann::json::parse(read_file(execute_fixture("order-intake.json"))));
    bool has_duplicate = false;
    for (const auto& error : info["errors"]) {
        has_duplicate = has_duplicate || error["code"] == "DUPLICATE_ORDER";
    }
    CHECK(has_duplicate);
    RunResult text = run_salesint(
        {"--state", "/nonexistent/never.db", "adapters", "describe", "fsm.slot.availability.v1"});
    CHECK_THAT(text.out,
               Catch::Contains("/dateRange/endDate") && Catch::Contains("SKILLS_NOT_AVAILABLE"));
    CHECK(run_salesint({"adapters", "describe", "nope"}).exit_code == 3);
}
