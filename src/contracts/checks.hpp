// The checks one document goes through once its schema is known, each adding
// violations (rule id, pointer, message; the place is found afterwards).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiled_schema.hpp"
#include "document.hpp"
#include "salesint/contracts/schemas.hpp"
#include "salesint/contracts/violation.hpp"

namespace salesint::contracts {

using Violations = std::vector<Violation>;

inline void add_violation(Violations& out, std::string rule, std::string pointer,
                          std::string message) {
    out.push_back({std::move(rule), std::move(pointer), std::move(message), 0, 0, {}});
}

// structure_rules.cpp: valijson's errors under the rule ids of the catalogue
// (an envelope's meta, topic and partition key fields get their own).
void add_schema_errors(ContractKind kind, const std::vector<SchemaError>& errors, Violations& out);

// format_rules.cpp: the formats the schema names at sites.
void check_formats(ContractKind kind, const std::vector<FormatSite>& sites,
                   const JsonValue& document, Violations& out);
bool is_uuid(std::string_view text);

// envelope_rules.cpp: what the envelope families require beyond their schemas.
void check_envelope(ContractKind kind, const JsonValue& document, Violations& out);

// payload_rules.cpp: the business rules of the payloads that a schema cannot say.
void check_payload(ContractKind kind, const JsonValue& document, Violations& out);

}  // namespace salesint::contracts
