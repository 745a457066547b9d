// `contract breaking`: the changes between two versions of a JSON Schema that
// break readers or writers, by the rules Confluent Schema Registry applies to
// JSON Schema.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "salesint/contracts/suppressions.hpp"
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
// per schema compared, named after the new file, sorted by file; only
// breaking changes are violations, placed at their line and column and sorted
// by them. Comparison follows local $refs and goes inside anyOf, oneOf and
// allOf. suppressions, when given, silences rules.
std::vector<DocumentResult> check_breaking(const std::string& old_path, const std::string& new_path,
                                           Compatibility mode,
                                           Suppressions* suppressions = nullptr);

// The same with OLD read from git: the *.json files of path (a directory or
// one file) as they were at the revision ref, against path as it is now.
// Throws not_found for a ref that names no commit or a path not in it.
std::vector<DocumentResult> check_breaking_against_git(const std::string& ref,
                                                       const std::string& path, Compatibility mode,
                                                       Suppressions* suppressions = nullptr);

}  // namespace salesint::contracts
