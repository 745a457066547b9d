// compare_schemas inside anyOf, oneOf and allOf and through $ref, and the
// summary of a breaking check in change wording.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "salesint/contracts/breaking.hpp"

using namespace salesint::contracts;

namespace {

// "rule at pointer" of every change that breaks mode.
std::vector<std::string> breaking(const char* old_schema, const char* new_schema,
                                  Compatibility mode = Compatibility::kBackward) {
    std::vector<std::string> found;
    for (const SchemaChange& change : compare_schemas(old_schema, new_schema)) {
        if (change.breaks(mode)) {
            found.push_back(change.rule + " at " + change.pointer);
        }
    }
    return found;
}

}  // namespace

TEST_CASE("a removed anyOf branch breaks backward and an added one forward", "[unit][contract]") {
    const char* two = R"({"anyOf": [{"type": "string"}, {"type": "integer"}]})";
    const char* one = R"({"anyOf": [{"type": "integer"}]})";
    CHECK(breaking(two, one) == std::vector<std::string>{"composition.branch_removed at /anyOf/0"});
    CHECK(breaking(two, one, Compatibility::kForward).empty());
    CHECK(breaking(one, two, Compatibility::kForward) ==
          std::vector<std::string>{"composition.branch_added at /anyOf/0"});
    CHECK(breaking(one, two).empty());
}

TEST_CASE("allOf members break the other way round", "[unit][contract]") {
    const char* one = R"({"allOf": [{"type": "object"}]})";
    const char* two = R"({"allOf": [{"type": "object"}, {"required": ["id"]}]})";
    CHECK(breaking(one, two) == std::vector<std::string>{"composition.member_added at /allOf/1"});
    CHECK(breaking(two, one, Compatibility::kForward) ==
          std::vector<std::string>{"composition.member_removed at /allOf/1"});
}

TEST_CASE("a changed branch is paired with its old self and compared inside", "[unit][contract]") {
    // The object branch moved and lost an enum value: paired by its type.
    const char* before =
        R"({"oneOf": [{"type": "object", "properties": {"s": {"enum": ["A", "B"]}}},)"
        R"( {"type": "string"}]})";
    const char* after =
        R"({"oneOf": [{"type": "string"}, {"type": "object", "properties": {"s": {"enum": ["A"]}}}]})";
    CHECK(breaking(before, after) ==
          std::vector<std::string>{"enum.value_removed at /oneOf/1/properties/s/enum"});
}

TEST_CASE("$refs are followed to the definitions they name", "[unit][contract]") {
    const char* before = R"({"definitions": {"status": {"enum": ["A", "B"]}},)"
                         R"( "properties": {"s": {"$ref": "#/definitions/status"}}})";
    const char* renamed = R"({"definitions": {"state": {"enum": ["A"]}},)"
                          R"( "properties": {"s": {"$ref": "#/definitions/state"}}})";
    CHECK(breaking(before, renamed) ==
          std::vector<std::string>{"enum.value_removed at /properties/s/enum"});
    // The same $ref: the change is reported once, at the definition.
    const char* changed =
        R"({"definitions": {"status": {"enum": ["A"]}},)"
        R"( "properties": {"s": {"$ref": "#/definitions/status"}, "t": {"$ref": "#/definitions/status"}}})";
    const char* changed_before =
        R"({"definitions": {"status": {"enum": ["A", "B"]}},)"
        R"( "properties": {"s": {"$ref": "#/definitions/status"}, "t": {"$ref": "#/definitions/status"}}})";
    CHECK(breaking(changed_before, changed) ==
          std::vector<std::string>{"enum.value_removed at /definitions/status/enum"});
    // A $ref to another document is left alone.
    CHECK(breaking(R"({"properties": {"s": {"$ref": "other.json#/a"}}})",
                   R"({"properties": {"s": {"type": "string"}}})")
              .empty());
}

TEST_CASE("the summary of schemas compared is in change wording", "[unit][contract]") {
    Summary summary;
    summary.documents = 10;
    summary.invalid = 1;
    summary.violations = 2;
    CHECK(summary.change_line() == "2 breaking changes in 1 of 10 schemas");
    summary.documents = 1;
    summary.violations = 1;
    summary.suppressed = 3;
    CHECK(summary.change_line() == "1 breaking change in 1 of 1 schema (3 suppressed)");
}
