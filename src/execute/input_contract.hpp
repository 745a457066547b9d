// Inputs judged by their shipped contract (`salesint contract schemas`), by
// the same code as `salesint contract validate --schema NAME`, so that the two
// never give different verdicts on the same document.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "salesint/contracts/violation.hpp"
#include "salesint/execute/adapter.hpp"

namespace salesint::execute {

// The violations of the input (canonical: its JSON text) against the schema;
// an input that is not a JSON object has one, at the root.
std::vector<contracts::Violation> contract_violations(const Json& input, std::string_view canonical,
                                                      std::string_view schema);

// The violations as a failure with the code and message, one detail each
// (the field as named in the contract, its JSON pointer, what is wrong);
// nullopt when there are none.
std::optional<Failure> failure_of(const std::vector<contracts::Violation>& violations,
                                  const char* code, const char* message);

}  // namespace salesint::execute
