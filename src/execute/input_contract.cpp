#include "input_contract.hpp"

#include "field_checks.hpp"
#include "salesint/contracts/check_shipped.hpp"

namespace salesint::execute {

std::vector<contracts::Violation> contract_violations(const Json& input, std::string_view canonical,
                                                      std::string_view schema) {
    if (!input.is_object()) {
        return {{"schema.type", "", "must be a JSON object", 0, 0, {}}};
    }
    return contracts::check_shipped(schema, canonical);
}

std::optional<Failure> failure_of(const std::vector<contracts::Violation>& violations,
                                  const char* code, const char* message) {
    if (violations.empty()) {
        return std::nullopt;
    }
    Failure failure{code, message, {}};
    for (const contracts::Violation& violation : violations) {
        failure.details.push_back(
            {field_name(violation.pointer), violation.pointer, violation.message});
    }
    return failure;
}

}  // namespace salesint::execute
