// A JSON Schema loaded into valijson, the validator that checks structure.
//
// valijson checks the formats date, time and date-time by building a
// std::regex on every call, which would cost more than everything else put
// together; the formats salesint knows (date-time, date, email, uuid) are
// taken out of the schema here and checked by format_rules.cpp instead, at
// the places the schema names them.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "document.hpp"

namespace salesint::contracts {

// A structural error: the JSON Schema keyword that failed and where.
struct SchemaError {
    std::string pointer;
    std::string keyword;  // "required", "type", "enum", ... or "other"
    std::string message;
};

// Where the schema asks for a format: a path of property names, "*" standing
// for every element of an array.
struct FormatSite {
    std::vector<std::string> path;
    std::string format;
};

class QuickCheck;

class CompiledSchema {
  public:
    // name is used in messages; a text that is not a usable JSON Schema is a
    // usage Error.
    CompiledSchema(std::string_view text, const std::string& name);
    ~CompiledSchema();
    CompiledSchema(const CompiledSchema&) = delete;
    CompiledSchema& operator=(const CompiledSchema&) = delete;

    // The quick verdict, which stops at the first error.
    bool accepts(const JsonValue& document) const;
    // Every error, for a document accepts() refused.
    std::vector<SchemaError> errors(const JsonValue& document) const;
    const std::vector<FormatSite>& formats() const { return formats_; }
    // The fast verdict accepts() asks first (quick_check.hpp).
    const QuickCheck& quick() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::vector<FormatSite> formats_;
};

}  // namespace salesint::contracts
