// The rule catalogue and the fixtures stay in step: every rule has an invalid
// fixture in fixtures/contracts/cases.json (json.parse has its own in
// fixtures/contracts/broken/), and every fixture names a catalogued rule.
#include <catch2/catch.hpp>

#include <set>

#include "salesint/contracts/rules.hpp"
#include "support/run.hpp"
#include "support/temp_state.hpp"

using namespace salesint;

TEST_CASE("every validation rule has a fixture, and every fixture a catalogued rule",
          "[unit][contract]") {
    const nlohmann::json cases =
        nlohmann::json::parse(test::read_file(test::fixtures_dir() + "/contracts/cases.json"));
    // The stream rules judge documents against each other, so no one
    // fixture can show them: tests/e2e/contract/ci_test.cpp runs them.
    std::set<std::string> covered{"json.parse", "stream.duplicate_message_id",
                                  "stream.step_backwards"};
    for (const auto& entry : cases["invalid"]) {
        const std::string rule = entry["rule"];
        INFO(entry["file"]);
        CHECK(contracts::find_rule(rule) != nullptr);
        covered.insert(rule);
    }
    for (const contracts::RuleInfo& rule : contracts::validation_rules()) {
        INFO(rule.id);
        CHECK(covered.count(std::string(rule.id)) == 1);
    }
}

TEST_CASE("rule ids are unique across validation and breaking rules", "[unit][contract]") {
    std::set<std::string_view> seen;
    for (const auto* rules : {&contracts::validation_rules(), &contracts::breaking_rules()}) {
        for (const contracts::RuleInfo& rule : *rules) {
            INFO(rule.id);
            CHECK(seen.insert(rule.id).second);
            CHECK_FALSE(rule.summary.empty());
        }
    }
}
