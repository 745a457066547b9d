// contract schemas: the list, one schema printed, all written out; the texts
// are the ones in src/contracts/schemas, which validate uses.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>

#include "e2e/contract/contracts_support.hpp"
#include "e2e/execute/execute_support.hpp"

using namespace salesint::test;

TEST_CASE("contract schemas lists, prints and writes the shipped schemas", "[e2e][contract]") {
    RunResult list = run_salesint({"contract", "schemas", "-o", "json"});
    REQUIRE(list.exit_code == 0);
    nlohmann::json schemas = list.json();
    REQUIRE(schemas.size() == 11);
    std::map<std::string, std::string> topics;
    for (const auto& schema : schemas) {
        if (schema["topic"].is_string()) {
            topics[schema["name"]] = schema["topic"];
        }
    }
    // The four envelope families, and the FSM order intake flow's event on
    // its own topic.
    CHECK(topics == std::map<std::string, std::string>{
                        {"domain-intent", "sales.domain.intents.v1"},
                        {"domain-fact", "sales.domain.facts.v1"},
                        {"process-fact", "sales.process.facts.v1"},
                        {"integration-fact", "sales.integration.facts.v1"},
                        {"order-intake-received", "sales.order.intake"},
                    });

    TempDir dir;
    RunResult wrote = run_salesint({"contract", "schemas", "--out", dir.file("out")});
    REQUIRE(wrote.exit_code == 0);
    for (const auto& schema : schemas) {
        const std::string name = schema["name"];
        INFO(name);
        const std::string shipped =
            read_file(source_dir() + "/src/contracts/schemas/" + name + ".schema.json");
        CHECK(read_file(dir.file("out/" + name + ".schema.json")) == shipped);
        RunResult printed = run_salesint({"contract", "schemas", name});
        CHECK(printed.exit_code == 0);
        CHECK(printed.out == shipped);
        nlohmann::json parsed = nlohmann::json::parse(shipped);
        CHECK(parsed["$schema"] == "http://json-schema.org/draft-07/schema#");
    }
    CHECK(run_salesint({"contract", "schemas", "nope"}).exit_code == 3);
}

TEST_CASE("what execute writes to the outbox honours the integration fact contract",
          "[e2e][contract]") {
    TempDir dir;
    RunResult executed = run_salesint({"--state", dir.state(), "execute", "fsm.order.intake.v2",
                                       "--input", fixtures_dir() + "/execute/order-intake.json",
                                       "--now", "2026-11-23T10:00:00Z"});
    REQUIRE(executed.exit_code == 0);
    std::string facts;
    for (const std::string& envelope : column_values(dir.state(),
                                                     "SELECT envelope FROM outbox WHERE topic = "
                                                     "'sales.integration.facts.v1'")) {
        facts += envelope + "\n";
    }
    write_file(dir.file("facts.ndjson"), facts);
    nlohmann::json report =
        validate_json({"--schema", "integration-fact", dir.file("facts.ndjson")});
    CHECK(report["exit_code"] == 0);
    CHECK(report["summary"]["documents"] == 1);
    CHECK(report["summary"]["valid"] == 1);
}
