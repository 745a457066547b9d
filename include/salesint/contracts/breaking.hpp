// `contract breaking`: the changes between two versions of a JSON Schema that
// break readers or writers, by the rules Confluent Schema Registry applies to
// JSON Schema.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "salesint/contracts/violation.hpp"

namespace salesint::contracts {

// backward: the new schema reads data written with the old one (consumers
// upgrade first); forward: the old schema reads data written with the new one
// (producers upgrade first); full: both.
enum class Compatibility { kBackward, kForward, kFull };
Compatibility parse_compatibility(std::string_view mode);

struct SchemaChange {
    std::string rule;  // "property.removed", "enum.value_added", ...
    // In the schema: "/properties/meta/required". A removal names where the
    // thing was in the old schema.
    std::string pointer;
    std::string message;
    bool breaks_backward = false;
    bool breaks_forward = false;

    bool breaks(Compatibility mode) const;
};

// Every change from old_schema to new_schema, compatible or not.
std::vector<SchemaChange> compare_schemas(std::string_view old_text, std::string_view new_text);

// OLD and NEW are two files, or two directories whose *.json files are paired
// by name (a file only in OLD is a removed schema, which breaks). One result
// per schema compared, named after the new file; only breaking changes are
// violations, placed at their line and column.
std::vector<DocumentResult> check_breaking(const std::string& old_path, const std::string& new_path,
                                           Compatibility mode);

}  // namespace salesint::contracts
