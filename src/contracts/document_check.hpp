// One document, start to finish: parse, pick the schema, run the schema and
// the rules, and place each violation at its line and column.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiled_schema.hpp"
#include "salesint/contracts/schemas.hpp"
#include "salesint/contracts/violation.hpp"

namespace salesint::contracts {

class DocumentChecker {
  public:
    // schema: "auto", a shipped schema's name, or a JSON Schema file's path.
    // Every schema is compiled here, so that check() may run on many threads.
    // stream_keys: fill DocumentResult::stream for the stream rules.
    explicit DocumentChecker(const std::string& schema, bool stream_keys = false);
    ~DocumentChecker();

    // text is one document; line is the line of the file it starts on.
    DocumentResult check(std::string_view text, const std::string& file, std::size_t line) const;

  private:
    struct Choice {
        const CompiledSchema* schema = nullptr;
        ContractKind kind = ContractKind::kCustom;
        std::string_view name;
        const char* picked_by = "";
    };
    Choice choose(const JsonValue& document) const;
    Choice shipped(std::string_view name, const char* picked_by) const;
    // The schema's verdict, the formats and the rules of its kind on value,
    // then those of the contracts value carries (a pointer below value).
    void judge(const Choice& choice, const JsonValue& value, std::vector<Violation>& found) const;

    std::string option_;
    bool stream_keys_ = false;
    std::map<std::string_view, std::unique_ptr<CompiledSchema>> compiled_;
    std::unique_ptr<CompiledSchema> custom_;
};

// The shipped schema a document follows, judged by its topic or its shape;
// "" when none fits. picked_by is set to "topic" or "shape".
std::string_view pick_schema(const JsonValue& document, const char*& picked_by);

}  // namespace salesint::contracts
