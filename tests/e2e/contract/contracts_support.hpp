// Helpers shared by the contract tests: fixture paths and the manifest of
// fixtures/contracts/cases.json.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run.hpp"
#include "support/temp_state.hpp"

namespace salesint::test {

inline std::string contract_fixture(const std::string& name) {
    return fixtures_dir() + "/contracts/" + name;
}

inline nlohmann::json contract_cases() {
    return nlohmann::json::parse(read_file(contract_fixture("cases.json")));
}

// contract validate --format json ARGS...; the report, with exit_code added.
inline nlohmann::json validate_json(std::vector<std::string> args, const RunOptions& options = {}) {
    args.insert(args.begin(), {"contract", "validate", "--format", "json"});
    RunResult result = run_salesint(args, options);
    INFO(result.err);
    nlohmann::json report = result.json();
    report["exit_code"] = result.exit_code;
    return report;
}

}  // namespace salesint::test
