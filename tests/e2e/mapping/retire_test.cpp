// mapping retire: the mapping is kept, retired, and audited once; a reason
// is required; an unknown mapping is not found; a retired mapping is not
// approved again.
#include <catch2/catch.hpp>

#include "e2e/seeded_state.hpp"

using namespace salesint::test;

TEST_CASE("mapping retire keeps the mapping, retired, and audits it once",
          "[e2e][mapping][backends]") {
    SeededState seeded;
    RunResult retired =
        seeded.run({"mapping", "retire", "PYXIS", "customer", "CUST-1", "--reason", "merged"});
    INFO(retired.err);
    REQUIRE(retired.exit_code == 0);
    CHECK(retired.out == "retired PYXIS/customer/CUST-1\n");

    nlohmann::json got =
        seeded.run({"mapping", "get", "PYXIS", "customer", "CUST-1", "-o", "json"}).json();
    CHECK(got["mapping_status"] == "retired");
    CHECK(got["internal_uuid"] == kCustomerUuid);

    nlohmann::json audit =
        seeded.run({"audit", "list", "--action", "mapping.retire", "-o", "json"}).json();
    REQUIRE(audit.size() == 1);
    CHECK(audit[0]["actor"] == "tester");
    CHECK(audit[0]["subject"] == "PYXIS/customer/CUST-1");
    CHECK(audit[0]["old_value"] == "active");
    CHECK(audit[0]["new_value"] == "retired");
    CHECK(audit[0]["reason"] == "merged");

    const std::string before = snapshot(seeded.state());
    RunResult again =
        seeded.run({"mapping", "retire", "PYXIS", "customer", "CUST-1", "--reason", "again"});
    CHECK(again.exit_code == 0);
    CHECK(again.out == "PYXIS/customer/CUST-1 was already retired; unchanged\n");
    nlohmann::json again_json = seeded
                                    .run({"mapping", "retire", "pyxis", "customer", "CUST-1",
                                          "--reason", "again", "-o", "json"})
                                    .json();
    CHECK(again_json["outcome"] == "unchanged");
    CHECK(again_json["mapping_status"] == "retired");
    CHECK(snapshot(seeded.state()) == before);

    RunResult approve = seeded.run({"mapping", "approve", "PYXIS", "customer", "CUST-1"});
    CHECK(approve.exit_code == 4);
    CHECK_THAT(approve.err, Catch::Contains("retired"));
    CHECK(snapshot(seeded.state()) == before);

    nlohmann::json listed =
        seeded.run({"mapping", "list", "--status", "retired", "-o", "json"}).json();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["external_id"] == "CUST-1");
}

TEST_CASE("mapping retire needs a reason and an existing mapping", "[e2e][mapping][backends]") {
    SeededState seeded;
    const std::string before = snapshot(seeded.state());

    RunResult no_reason = seeded.run({"mapping", "retire", "PYXIS", "customer", "CUST-1"});
    CHECK(no_reason.exit_code == 2);
    CHECK_THAT(no_reason.err, Catch::Contains("--reason"));
    RunResult blank =
        seeded.run({"mapping", "retire", "PYXIS", "customer", "CUST-1", "--reason", " "});
    CHECK(blank.exit_code == 2);
    CHECK_THAT(blank.err, Catch::Contains("--reason"));

    RunResult unknown =
        seeded.run({"mapping", "retire", "PYXIS", "customer", "CUST-9", "--reason", "gone"});
    CHECK(unknown.exit_code == 3);
    CHECK(unknown.err ==
          "salesint: error: mapping PYXIS/customer/CUST-9 not found in tenant 'default'\n");
    CHECK(snapshot(seeded.state()) == before);
}
