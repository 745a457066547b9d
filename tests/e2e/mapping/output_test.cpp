// What mapping commands print: the mapping shape, a forced repoint and its
// audit entry, and lists as CSV and NDJSON.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "e2e/output_shapes.hpp"
#include "e2e/seeded_state.hpp"

using namespace salesint::test;

TEST_CASE("mapping set and get print the mapping shape", "[e2e][output][backends]") {
    SeededState seeded;
    nlohmann::json created = seeded
                                 .run({"mapping", "set", "TEMPO", "order", "TMP-1", "--metadata",
                                       R"({"source":"crm"})", "-o", "json"})
                                 .json();
    CHECK(created["outcome"] == "created");
    CHECK(created["tenant_id"] == "default");
    CHECK(created["system_code"] == "TEMPO");
    CHECK(created["entity_type"] == "order");
    CHECK(created["external_id"] == "TMP-1");
    CHECK(std::regex_match(created["internal_uuid"].get<std::string>(), kUuid));
    CHECK(created["mapping_status"] == "pending_review");  // first TEMPO order: needs review
    CHECK(created["metadata"] == nlohmann::json{{"source", "crm"}});
    CHECK(is_time(created["last_seen_at"]));
    CHECK(is_time(created["created_at"]));
    CHECK(is_time(created["updated_at"]));

    nlohmann::json got =
        seeded.run({"mapping", "get", "PYXIS", "customer", "CUST-1", "-o", "json"}).json();
    CHECK(got["internal_uuid"] == kCustomerUuid);
    CHECK(got["mapping_status"] == "active");
    CHECK_FALSE(got.contains("outcome"));

    nlohmann::json resolved =
        seeded.run({"mapping", "resolve", kCustomerUuid, "-o", "json"}).json();
    REQUIRE(resolved.size() == 1);
    CHECK(resolved[0]["external_id"] == "CUST-1");

    nlohmann::json pending =
        seeded.run({"mapping", "list", "--status", "pending_review", "-o", "json"}).json();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0]["external_id"] == "TMP-1");
}

TEST_CASE("mapping set --force repoints and the audit log says who and why",
          "[e2e][output][backends]") {
    SeededState seeded;
    nlohmann::json forced =
        seeded
            .run({"mapping", "set", "PYXIS", "customer", "CUST-1", "--uuid", kUnusedUuid, "--force",
                  "--reason", "merged duplicate", "-o", "json"})
            .json();
    CHECK(forced["outcome"] == "repointed");
    nlohmann::json audit =
        seeded.run({"audit", "list", "--action", "mapping.force", "-o", "json"}).json();
    REQUIRE(audit.size() == 1);
    CHECK(audit[0]["actor"] == "tester");
    CHECK(audit[0]["subject"] == "PYXIS/customer/CUST-1");
    CHECK(audit[0]["old_value"] == kCustomerUuid);
    CHECK(audit[0]["new_value"] == kUnusedUuid);
    CHECK(audit[0]["reason"] == "merged duplicate");
    CHECK(is_time(audit[0]["at"]));
    CHECK(audit[0]["id"].is_number_integer());
}

TEST_CASE("csv and ndjson are machine-readable", "[e2e][output][backends]") {
    SeededState seeded;
    RunResult csv = seeded.run({"mapping", "list", "-o", "csv"});
    CHECK_THAT(csv.out, Catch::StartsWith("system_code,entity_type,external_id,internal_uuid,"
                                          "mapping_status,last_seen_at\r\n"));
    CHECK_THAT(csv.out,
               Catch::Contains(std::string("PYXIS,customer,CUST-1,") + kCustomerUuid + ",active,"));
    RunResult ndjson = seeded.run({"mapping", "list", "-o", "ndjson"});
    std::istringstream lines(ndjson.out);
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
        CHECK(nlohmann::json::parse(line)["system_code"] == "PYXIS");
        ++count;
    }
    CHECK(count == 2);
}
