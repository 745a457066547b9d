// One document checked against one shipped schema by the same code as
// `salesint contract validate --schema NAME`: structure, formats and the
// payload rules. `execute` judges the payloads it takes with it, so that the
// two never give different verdicts on the same document.
#pragma once

#include <string_view>
#include <vector>

#include "salesint/contracts/violation.hpp"

namespace salesint::contracts {

// The violations of the JSON text against the shipped schema named (see
// `salesint contract schemas`), in the order of their place in the text;
// empty when it is valid. Throws a usage Error for a name that is not shipped.
std::vector<Violation> check_shipped(std::string_view schema_name, std::string_view text);

}  // namespace salesint::contracts
