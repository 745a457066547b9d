// contract breaking: each kind of change, breaking and not, in each mode
// (backward, forward, full), and directories of schemas.
#include <catch2/catch.hpp>

#include <filesystem>
#include <iterator>
#include <string>

#include "e2e/contract/contracts_support.hpp"

using namespace salesint::test;

namespace {

struct ChangeCase {
    const char* name;
    const char* old_schema;
    const char* new_schema;
    const char* rule;  // "" for a change that breaks no mode
    bool breaks_backward;
    bool breaks_forward;
};

const ChangeCase kCases[] = {
    {"property removed from a closed object",
     R"({"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"additionalProperties":false})",
     R"({"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false})",
     "property.removed", true, false},
    {"property removed from an open object",
     R"({"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}}})",
     R"({"type":"object","properties":{"a":{"type":"string"}}})", "", false, false},
    {"property added to a closed object",
     R"({"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false})",
     R"({"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"additionalProperties":false})",
     "property.added", false, true},
    {"optional property added to an open object",
     R"({"type":"object","properties":{"a":{"type":"string"}}})",
     R"({"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}}})", "", false,
     false},
    {"property newly required without a default",
     R"({"type":"object","properties":{"a":{"type":"string"}}})",
     R"({"type":"object","properties":{"a":{"type":"string"}},"required":["a"]})", "required.added",
     true, false},
    {"property newly required with a default",
     R"({"type":"object","properties":{"a":{"type":"string"}}})",
     R"({"type":"object","properties":{"a":{"type":"string","default":"x"}},"required":["a"]})", "",
     false, false},
    {"property no longer required",
     R"({"type":"object","properties":{"a":{"type":"string"}},"required":["a"]})",
     R"({"type":"object","properties":{"a":{"type":"string"}}})", "required.removed", false, true},
    {"type narrowed", R"({"type":["string","null"]})", R"({"type":"string"})", "type.narrowed",
     true, false},
    {"number narrowed to integer", R"({"type":"number"})", R"({"type":"integer"})", "type.narrowed",
     true, false},
    {"type widened", R"({"type":"integer"})", R"({"type":"number"})", "type.widened", false, true},
    {"type changed", R"({"type":"string"})", R"({"type":"integer"})", "type.changed", true, true},
    {"enum value removed", R"({"enum":["A","B"]})", R"({"enum":["A"]})", "enum.value_removed", true,
     false},
    {"enum value added", R"({"enum":["A"]})", R"({"enum":["A","B"]})", "enum.value_added", false,
     true},
    {"pattern added", R"({"type":"string"})", R"({"type":"string","pattern":"^[A-Z]+$"})",
     "pattern.added", true, false},
    {"pattern removed", R"({"type":"string","pattern":"^[A-Z]+$"})", R"({"type":"string"})",
     "pattern.removed", false, true},
    {"pattern changed", R"({"type":"string","pattern":"^[A-Z]+$"})",
     R"({"type":"string","pattern":"^[a-z]+$"})", "pattern.changed", true, true},
    {"maximum lowered", R"({"type":"integer","maximum":10})", R"({"type":"integer","maximum":5})",
     "max.lowered", true, false},
    {"maxLength added", R"({"type":"string"})", R"({"type":"string","maxLength":5})", "max.lowered",
     true, false},
    {"maximum raised", R"({"type":"integer","maximum":5})", R"({"type":"integer","maximum":10})",
     "max.raised", false, true},
    {"minimum raised", R"({"type":"integer","minimum":1})", R"({"type":"integer","minimum":2})",
     "min.raised", true, false},
    {"minItems lowered", R"({"type":"array","minItems":2})", R"({"type":"array","minItems":1})",
     "min.lowered", false, true},
    {"model closed", R"({"type":"object"})", R"({"type":"object","additionalProperties":false})",
     "model.closed", true, false},
    {"model opened", R"({"type":"object","additionalProperties":false})", R"({"type":"object"})",
     "model.opened", false, true},
    {"nested change inside properties and items",
     R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"state":{"enum":["ON","OFF"]}}}}}})",
     R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"state":{"enum":["ON"]}}}}}})",
     "enum.value_removed", true, false},
    {"anyOf branch removed", R"({"anyOf":[{"type":"string"},{"type":"integer"}]})",
     R"({"anyOf":[{"type":"string"}]})", "composition.branch_removed", true, false},
    {"anyOf branch added", R"({"anyOf":[{"type":"string"}]})",
     R"({"anyOf":[{"type":"string"},{"type":"integer"}]})", "composition.branch_added", false,
     true},
    {"oneOf branch removed from the middle",
     R"({"oneOf":[{"const":"A"},{"const":"B"},{"const":"C"}]})",
     R"({"oneOf":[{"const":"A"},{"const":"C"}]})", "composition.branch_removed", true, false},
    {"allOf member added", R"({"allOf":[{"type":"object"}]})",
     R"({"allOf":[{"type":"object"},{"required":["id"]}]})", "composition.member_added", true,
     false},
    {"allOf member removed", R"({"allOf":[{"type":"object"},{"required":["id"]}]})",
     R"({"allOf":[{"type":"object"}]})", "composition.member_removed", false, true},
    {"anyOf where there was none", R"({"type":"string"})",
     R"({"type":"string","anyOf":[{"minLength":3},{"pattern":"^x"}]})", "composition.added", true,
     false},
    {"anyOf no longer there", R"({"type":"string","anyOf":[{"minLength":3},{"pattern":"^x"}]})",
     R"({"type":"string"})", "composition.removed", false, true},
    {"change inside an anyOf branch",
     R"({"anyOf":[{"type":"string"},{"type":"object","properties":{"s":{"enum":["A","B"]}}}]})",
     R"({"anyOf":[{"type":"string"},{"type":"object","properties":{"s":{"enum":["A"]}}}]})",
     "enum.value_removed", true, false},
    {"anyOf branches reordered", R"({"anyOf":[{"type":"string"},{"type":"integer"}]})",
     R"({"anyOf":[{"type":"integer"},{"type":"string"}]})", "", false, false},
    {"$ref to another definition",
     R"({"definitions":{"a":{"enum":["A","B"]}},"properties":{"x":{"$ref":"#/definitions/a"}}})",
     R"({"definitions":{"b":{"enum":["A"]}},"properties":{"x":{"$ref":"#/definitions/b"}}})",
     "enum.value_removed", true, false},
    {"$ref inlined",
     R"({"definitions":{"a":{"enum":["A"]}},"properties":{"x":{"$ref":"#/definitions/a"}}})",
     R"({"properties":{"x":{"enum":["A","B"]}}})", "enum.value_added", false, true},
    {"definition behind the same $ref changed",
     R"({"$defs":{"a":{"type":["string","null"]}},"properties":{"x":{"$ref":"#/$defs/a"}}})",
     R"({"$defs":{"a":{"type":"string"}},"properties":{"x":{"$ref":"#/$defs/a"}}})",
     "type.narrowed", true, false},
    {"recursive $ref",
     R"({"definitions":{"n":{"properties":{"next":{"$ref":"#/definitions/n"}}}},"$ref":"#/definitions/n"})",
     R"({"definitions":{"m":{"properties":{"next":{"$ref":"#/definitions/m"}}}},"$ref":"#/definitions/m"})",
     "", false, false},
    {"description edited", R"({"type":"string","description":"old"})",
     R"({"type":"string","description":"new"})", "", false, false},
};

}  // namespace

TEST_CASE("contract breaking classifies each change in each mode", "[e2e][contract]") {
    for (const ChangeCase& change : kCases) {
        TempDir dir;
        write_file(dir.file("old.json"), change.old_schema);
        write_file(dir.file("new.json"), change.new_schema);
        for (const char* mode : {"backward", "forward", "full"}) {
            INFO(change.name << " in mode " << mode);
            const std::string mode_name = mode;
            bool breaks = mode_name == "backward" ? change.breaks_backward
                          : mode_name == "forward"
                              ? change.breaks_forward
                              : change.breaks_backward || change.breaks_forward;
            RunResult result =
                run_salesint({"contract", "breaking", dir.file("old.json"), dir.file("new.json"),
                              "--mode", mode, "--format", "json"});
            INFO(result.err << result.out);
            CHECK(result.exit_code == (breaks ? 1 : 0));
            nlohmann::json report = result.json();
            if (breaks) {
                REQUIRE(report["violations"].size() >= 1);
                CHECK(report["violations"][0]["rule"] == change.rule);
                CHECK(report["violations"][0]["line"] == 1);
            } else {
                CHECK(report["violations"].empty());
            }
        }
    }
}

TEST_CASE("contract breaking places a change at its line and column in NEW", "[e2e][contract]") {
    TempDir dir;
    write_file(dir.file("old.json"),
               "{\n  \"type\": \"object\",\n  \"properties\": {\n"
               "    \"status\": {\"enum\": [\"A\", \"B\"]}\n  }\n}\n");
    write_file(dir.file("new.json"),
               "{\n  \"type\": \"object\",\n  \"properties\": {\n"
               "    \"status\": {\"enum\": [\"A\"]}\n  }\n}\n");
    RunResult result =
        run_salesint({"contract", "breaking", dir.file("old.json"), dir.file("new.json")});
    CHECK(result.exit_code == 1);
    CHECK(result.out.find(dir.file("new.json") +
                          ":4:24: enum.value_removed: enum value \"B\" removed (at "
                          "/properties/status/enum)") != std::string::npos);
}

TEST_CASE("contract breaking compares directories file by file", "[e2e][contract]") {
    TempDir dir;
    RunResult wrote = run_salesint({"contract", "schemas", "--out", dir.file("v1")});
    REQUIRE(wrote.exit_code == 0);
    std::filesystem::copy(dir.file("v1"), dir.file("v2"));

    RunResult same =
        run_salesint({"contract", "breaking", dir.file("v1"), dir.file("v2"), "--mode", "full"});
    CHECK(same.exit_code == 0);
    const std::string shipped =
        std::to_string(std::distance(std::filesystem::directory_iterator(dir.file("v1")),
                                     std::filesystem::directory_iterator()));
    CHECK(same.out == "0 breaking changes in 0 of " + shipped + " schemas\n");

    // v2 drops a topic family's schema and narrows the order intake's priorities.
    std::filesystem::remove(dir.file("v2/process-fact.schema.json"));
    std::string order = read_file(dir.file("v2/order-intake-request.schema.json"));
    order.replace(order.find("\"EMERGENCY\""), 11, "\"URGENT\"");
    order.replace(order.find("\"URGENT\",\n"), 10, "");
    write_file(dir.file("v2/order-intake-request.schema.json"), order);
    nlohmann::json report =
        run_salesint({"contract", "breaking", dir.file("v1"), dir.file("v2"), "--format", "json"})
            .json();
    std::vector<std::string> rules;
    for (const auto& violation : report["violations"]) {
        rules.push_back(violation["rule"]);
    }
    CHECK(rules == std::vector<std::string>{"enum.value_removed", "schema.removed"});
    CHECK(report["summary"]["exit_code"] == 1);
    RunResult text = run_salesint({"contract", "breaking", dir.file("v1"), dir.file("v2")});
    CHECK(text.out.ends_with("\n2 breaking changes in 2 of " + shipped + " schemas\n"));
}
