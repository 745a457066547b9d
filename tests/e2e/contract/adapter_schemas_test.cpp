// Every adapter's input has a shipped schema, and the schema and the field
// table `adapters describe` prints (the adapter's own, in src/execute/) name
// the same fields with the same required flags, so that the two cannot drift.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "e2e/contract/contracts_support.hpp"

using namespace salesint::test;

namespace {

// The schema of each adapter's input.
const std::map<std::string, std::string> kInputSchema{
    {"fsm.order.intake.v2", "order-intake-request"},
    {"fsm.slot.availability.v1", "slot-availability-request"},
    {"fsm.installation_outcome.notify.v1", "installation-outcome"},
    {"fsm.appointment_scheduled.notify.v1", "appointment-scheduled"},
    {"sales.erp.create_order.v1", "erp-create-order-request"},
    {"sales.quote.send_email.v1", "quote-send-email-request"},
};

// Every property the schema declares, as the field tables write them
// ("/lines/N/sku"), with whether its object requires it.
void declared(const nlohmann::json& schema, const std::string& at,
              std::map<std::string, bool>& fields) {
    if (!schema.is_object()) {
        return;
    }
    if (schema.contains("properties")) {
        std::set<std::string> required;
        for (const auto& name : schema.value("required", nlohmann::json::array())) {
            required.insert(name.get<std::string>());
        }
        for (const auto& [name, property] : schema["properties"].items()) {
            fields[at + "/" + name] = required.count(name) > 0;
            declared(property, at + "/" + name, fields);
        }
    }
    if (schema.contains("items")) {
        declared(schema["items"], at + "/N", fields);
    }
}

}  // namespace

TEST_CASE("every adapter input has a shipped schema naming the fields of its table",
          "[e2e][contract]") {
    RunResult list = run_salesint({"adapters", "list", "-o", "json"});
    REQUIRE(list.exit_code == 0);
    std::set<std::string> adapters;
    for (const auto& adapter : list.json()) {
        adapters.insert(adapter["id"].get<std::string>());
    }
    std::set<std::string> mapped;
    for (const auto& [adapter, schema] : kInputSchema) {
        mapped.insert(adapter);
    }
    CHECK(adapters == mapped);

    for (const auto& [adapter, schema_name] : kInputSchema) {
        INFO(adapter << " and " << schema_name);
        RunResult described = run_salesint({"adapters", "describe", adapter, "-o", "json"});
        REQUIRE(described.exit_code == 0);
        RunResult schema_text = run_salesint({"contract", "schemas", schema_name});
        REQUIRE(schema_text.exit_code == 0);
        std::map<std::string, bool> in_schema;
        declared(nlohmann::json::parse(schema_text.out), "", in_schema);

        std::map<std::string, bool> in_table;
        nlohmann::json description = described.json();
        for (const auto& field : description["input"]) {
            in_table[field["pointer"].get<std::string>()] = field["required"].get<bool>();
        }
        for (const auto& [pointer, required] : in_table) {
            INFO("the table's " << pointer);
            REQUIRE(in_schema.count(pointer) == 1);
            CHECK(in_schema[pointer] == required);
        }

        // The inputs checked field by field have schemas of their own making:
        // the same fields both ways.
        if (adapter.starts_with("sales.")) {
            std::set<std::string> schema_fields, table_fields;
            for (const auto& [pointer, required] : in_schema) {
                schema_fields.insert(pointer);
            }
            for (const auto& [pointer, required] : in_table) {
                table_fields.insert(pointer);
            }
            CHECK(schema_fields == table_fields);
        }

        // The example input is valid by the schema, checked as execute checks it.
        TempDir dir;
        write_file(dir.file("example.json"), description["example_input"].dump(2));
        nlohmann::json report = validate_json({"--schema", schema_name, dir.file("example.json")});
        CHECK(report["exit_code"] == 0);
        // And picked by its shape.
        report = validate_json({dir.file("example.json")});
        CHECK(report["files"][0]["schemas"].contains(schema_name + " (picked by shape)"));
    }
}

TEST_CASE("the ERP order and quote email schemas hold the adapters' rules", "[e2e][contract]") {
    TempDir dir;
    write_file(
        dir.file("order.json"),
        R"({"quoteId": "Q-1", "customerId": "", "currency": "usd", "lines": [)"
        R"({"sku": "A", "quantity": 0, "unitPrice": "-1"}], "requestedDeliveryDate": "2026-13-01"})");
    nlohmann::json report = validate_json({dir.file("order.json")});
    CHECK(report["exit_code"] == 1);
    std::set<std::string> pointers;
    for (const auto& violation : report["violations"]) {
        pointers.insert(violation["pointer"].get<std::string>());
    }
    CHECK(pointers == std::set<std::string>{"/customerId", "/currency", "/lines/0/quantity",
                                            "/lines/0/unitPrice", "/requestedDeliveryDate"});

    write_file(dir.file("email.json"),
               R"({"quoteId": "Q-1", "to": "not-an-address", "cc": ["a@example.com", "b"],)"
               R"( "subject": "Your quote"})");
    report = validate_json({"--schema", "quote-send-email-request", dir.file("email.json")});
    CHECK(report["exit_code"] == 1);
    std::set<std::string> rules;
    pointers.clear();
    for (const auto& violation : report["violations"]) {
        pointers.insert(violation["pointer"].get<std::string>());
        rules.insert(violation["rule"].get<std::string>());
    }
    CHECK(pointers.count("/to") == 1);
    CHECK(pointers.count("/cc/1") == 1);
    CHECK(rules.count("format.email") == 1);
    CHECK(rules.count("schema.constraint") == 1);  // neither templateId nor body
}
