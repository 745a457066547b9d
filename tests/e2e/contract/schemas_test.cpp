// contract schemas: the list, one schema printed, all written out; the texts
// are the ones in src/contracts/schemas, which validate uses. What execute
// writes to the outbox follows them: the integration facts and the
// OrderIntakeReceived event, picked by shape, by topic and by name.
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "e2e/contract/contracts_support.hpp"
#include "e2e/execute/execute_support.hpp"

using namespace salesint::test;

TEST_CASE("contract schemas lists, prints and writes the shipped schemas", "[e2e][contract]") {
    RunResult list = run_salesint({"contract", "schemas", "-o", "json"});
    REQUIRE(list.exit_code == 0);
    nlohmann::json schemas = list.json();
    REQUIRE(schemas.size() == 14);
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

namespace {

struct OutboxRow {
    std::string topic;
    std::string envelope;
};

std::vector<OutboxRow> outbox_rows(const std::string& state) {
    std::vector<OutboxRow> rows;
    for (const auto& row : state_query(state, "SELECT topic, envelope FROM outbox ORDER BY id")) {
        rows.push_back({text_of(row[0]), text_of(row[1])});
    }
    return rows;
}

// The envelope with the row's topic as its first member, as a consumer of the
// topic would export it.
std::string with_topic(const OutboxRow& row) {
    nlohmann::ordered_json envelope = nlohmann::ordered_json::parse(row.envelope);
    nlohmann::ordered_json exported = {{"topic", row.topic}};
    exported.update(envelope);
    return exported.dump();
}

// "NAME (picked by HOW)" -> count, as the report's files[0].schemas says.
std::map<std::string, int> picked(const nlohmann::json& report) {
    std::map<std::string, int> schemas;
    for (const auto& [name, count] : report["files"][0]["schemas"].items()) {
        schemas[name] = count;
    }
    return schemas;
}

}  // namespace

TEST_CASE(
    "what execute writes to the outbox, for every adapter's example, passes contract validate",
    "[e2e][contract][backends]") {
    TempDir dir;
    RunResult list = run_salesint({"--state", dir.state(), "adapters", "list", "-o", "json"});
    REQUIRE(list.exit_code == 0);
    REQUIRE(list.json().size() >= 5);
    for (const auto& adapter : list.json()) {
        INFO(adapter["id"]);
        RunResult executed = run_salesint(
            {"--state", dir.state(), "execute", adapter["id"], "--input",
             source_dir() + "/" + adapter["example"].get<std::string>(), "--now", kFixedNow});
        INFO(executed.err);
        REQUIRE(executed.exit_code == 0);
    }
    // The business "no"s execute records (no technician with the skill, no
    // slot) write their facts too.
    for (const char* refused : {"slots-unknown-skill.json", "slots-none-in-window.json"}) {
        RunResult failed = run_salesint(
            {"--state", dir.state(), "execute", "fsm.slot.availability.v1", "--input",
             execute_fixture(std::string("invalid/") + refused), "--now", kFixedNow, "-o", "json"});
        REQUIRE(failed.exit_code == 1);
        REQUIRE(failed.json()["status"] == "failed");
    }
    const int facts = static_cast<int>(list.json().size()) + 2;  // one per recorded execution

    const std::vector<OutboxRow> rows = outbox_rows(dir.state());
    std::map<std::string, int> by_topic;
    std::string as_written;
    std::string exported;
    for (const OutboxRow& row : rows) {
        by_topic[row.topic] += 1;
        as_written += row.envelope + "\n";
        exported += with_topic(row) + "\n";
    }
    CHECK(by_topic == std::map<std::string, int>{{"sales.integration.facts.v1", facts},
                                                 {"sales.order.intake", 1}});

    // As written (no topic member): each picked by its shape.
    write_file(dir.file("outbox.ndjson"), as_written);
    nlohmann::json report = validate_json({dir.file("outbox.ndjson")});
    INFO(report.dump(2));
    CHECK(report["exit_code"] == 0);
    CHECK(report["summary"]["documents"] == rows.size());
    CHECK(report["summary"]["valid"] == rows.size());
    CHECK(picked(report) ==
          std::map<std::string, int>{{"integration-fact (picked by shape)", facts},
                                     {"order-intake-received (picked by shape)", 1}});

    // With the row's topic: each picked by it.
    write_file(dir.file("exported.ndjson"), exported);
    report = validate_json({dir.file("exported.ndjson")});
    CHECK(report["exit_code"] == 0);
    CHECK(report["summary"]["valid"] == rows.size());
    CHECK(picked(report) ==
          std::map<std::string, int>{{"integration-fact (picked by topic)", facts},
                                     {"order-intake-received (picked by topic)", 1}});

    // And by name: the schema `contract schemas` lists for the row's topic.
    std::map<std::string, std::string> schema_of_topic;
    for (const auto& schema : run_salesint({"contract", "schemas", "-o", "json"}).json()) {
        if (schema["topic"].is_string()) {
            schema_of_topic[schema["topic"]] = schema["name"];
        }
    }
    for (const auto& [topic, count] : by_topic) {
        INFO(topic);
        REQUIRE(schema_of_topic.count(topic) == 1);
        std::string lines;
        for (const OutboxRow& row : rows) {
            lines += row.topic == topic ? row.envelope + "\n" : "";
        }
        write_file(dir.file("topic.ndjson"), lines);
        report = validate_json({"--schema", schema_of_topic[topic], dir.file("topic.ndjson")});
        CHECK(report["exit_code"] == 0);
        CHECK(report["summary"]["valid"] == count);
    }
}

TEST_CASE(
    "the OrderIntakeReceived event execute writes passes contract validate, and a broken copy "
    "names its rule and pointer",
    "[e2e][contract][backends]") {
    TempDir dir;
    RunResult executed = run_salesint({"--state", dir.state(), "execute", kOrderIntake, "--input",
                                       execute_fixture("order-intake.json"), "--now", kFixedNow});
    REQUIRE(executed.exit_code == 0);
    const std::vector<std::string> events = column_values(
        dir.state(), "SELECT envelope FROM outbox WHERE topic = 'sales.order.intake'");
    REQUIRE(events.size() == 1);
    const std::string written = events[0];

    write_file(dir.file("event.json"), written);
    nlohmann::json report = validate_json({dir.file("event.json")});
    CHECK(report["exit_code"] == 0);
    CHECK(report["violations"].empty());
    CHECK(picked(report) ==
          std::map<std::string, int>{{"order-intake-received (picked by shape)", 1}});
    report = validate_json({"--schema", "order-intake-received", dir.file("event.json")});
    CHECK(report["exit_code"] == 0);
    CHECK(picked(report) == std::map<std::string, int>{{"order-intake-received", 1}});

    struct Broken {
        const char* what;
        std::function<void(nlohmann::ordered_json&)> change;
        const char* rule;
        const char* pointer;
    };
    const std::vector<Broken> broken{
        {"a required field missing", [](auto& e) { e.erase("eventId"); }, "schema.required",
         "/eventId"},
        {"a number for a date-time", [](auto& e) { e["timestamp"] = 1763892000; }, "schema.type",
         "/timestamp"},
        {"an order id that is not a UUID", [](auto& e) { e["orderId"] = "ORD-1"; }, "format.uuid",
         "/orderId"},
        {"no order id, the partition key", [](auto& e) { e.erase("orderId"); }, "partition.key",
         "/orderId"},
        {"an unknown sales system", [](auto& e) { e["salesSystem"] = "SAP"; }, "schema.enum",
         "/salesSystem"},
        {"an unknown member", [](auto& e) { e["orderStatus"] = "RECEIVED"; },
         "schema.additional_properties", "/orderStatus"},
        {"an unknown meta field", [](auto& e) { e["meta"]["trace"] = "abc"; }, "meta.unknown",
         "/meta/trace"},
        {"a message id that is not a UUID", [](auto& e) { e["meta"]["message_id"] = "msg-1"; },
         "meta.message_id", "/meta/message_id"},
        {"a versioned topic", [](auto& e) { e["topic"] = "sales.order.intake.v1"; }, "topic.name",
         "/topic"},
        {"an order without contact",
         [](auto& e) {
             e["orderData"]["customer"].erase("email");
             e["orderData"]["customer"].erase("phone");
         },
         "order.contact", "/orderData/customer"},
        {"an order with a bad email",
         [](auto& e) { e["orderData"]["customer"]["email"] = "john.doe-at-example.com"; },
         "format.email", "/orderData/customer/email"},
        {"an order without items", [](auto& e) { e["orderData"].erase("serviceItems"); },
         "schema.required", "/orderData/serviceItems"},
    };
    for (const Broken& copy : broken) {
        INFO(copy.what);
        nlohmann::ordered_json event = nlohmann::ordered_json::parse(written);
        copy.change(event);
        const std::string text = event.dump();
        write_file(dir.file("broken.json"), text);
        report = validate_json({dir.file("broken.json")});
        CHECK(report["exit_code"] == 1);
        CHECK(picked(report) ==
              std::map<std::string, int>{{"order-intake-received (picked by shape)", 1}});
        REQUIRE(report["violations"].size() == 1);
        const nlohmann::json& violation = report["violations"][0];
        CHECK(violation["rule"] == copy.rule);
        CHECK(violation["pointer"] == copy.pointer);
        CHECK(violation["line"] == 1);
        CHECK(violation["column"].get<std::size_t>() >= 1);
        CHECK(violation["column"].get<std::size_t>() <= text.size());
    }

    // One in text form: file:line:col: rule: message (at pointer).
    nlohmann::ordered_json event = nlohmann::ordered_json::parse(written);
    event.erase("eventId");
    const std::string text = event.dump();
    write_file(dir.file("broken.json"), text);
    RunResult result = run_salesint({"contract", "validate", dir.file("broken.json")});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.out, Catch::StartsWith(dir.file("broken.json") +
                                             ":1:1: schema.required: 'eventId' is required "
                                             "(at /eventId)\n"));
}
