// What state info and state check print: their documented JSON shapes.
#include <catch2/catch.hpp>

#include "e2e/seeded_state.hpp"
#include "salesint/store.hpp"

using namespace salesint::test;

TEST_CASE("state info and check print their documented shapes", "[e2e][output]") {
    SeededState seeded;
    nlohmann::json info = seeded.run({"state", "info", "-o", "json"}).json();
    CHECK(info["path"] == seeded.state());
    CHECK(info["tenant_id"] == "default");
    CHECK(info["schema_version"] == salesint::current_schema_version());
    CHECK(info["binary_schema_version"] == salesint::current_schema_version());
    CHECK(info["journal_mode"] == "wal");
    CHECK(info["file_bytes"].get<long>() > 0);
    CHECK(info["tables"]["connectors"] == 2);
    CHECK(info["tables"]["mappings"] == 2);
    CHECK(info["tables"]["checkpoints"] == 2);
    CHECK(info["tables"]["audit_log"] == 4);  // the seed adds two connectors and audits two changes
    CHECK(info["tables"]["dlq"] == 0);

    nlohmann::json check = seeded.run({"state", "check", "-o", "json"}).json();
    REQUIRE(check.is_array());
    CHECK(check.size() >= 5);
    for (const auto& finding : check) {
        CHECK(finding["ok"] == true);
        CHECK(finding["check"].is_string());
        CHECK(finding["detail"].is_string());
    }
}
