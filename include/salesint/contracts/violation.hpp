// What a contract check reports: violations with a stable rule id, a JSON
// pointer and a place in the file, grouped by document.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "salesint/errors.hpp"

namespace salesint::contracts {

struct Violation {
    std::string rule;     // stable id, e.g. "meta.required", "order.amount_sum"
    std::string pointer;  // RFC 6901 pointer into the document; "" is the whole document
    std::string message;
    std::size_t line = 0;    // 1-based, in the file
    std::size_t column = 0;  // 1-based, in characters
    // Identifies the violation in a baseline: rule, pointer and the document's
    // bytes, so that it survives lines moving but not the document changing.
    std::string fingerprint;
};

struct DocumentResult {
    std::string file;       // as named in messages ("<stdin>" for "-")
    std::size_t line = 0;   // where the document starts
    std::string schema;     // the schema checked against; "" when none could be picked
    std::string picked_by;  // "option", "topic", "shape" or ""
    bool parsed = true;     // false: violations hold the parse error (rule json.parse)
    std::vector<Violation> violations;
    std::size_t suppressed = 0;  // violations silenced by --ignore, config or baseline

    // Filled only for stream rules (ValidateOptions::stream_rules): what
    // they compare across documents, and where it is in the file.
    struct StreamKeys {
        std::string tenant_id, message_id, workflow_id;
        long long step = -1;  // subject.step of a process fact; -1 when none
        std::size_t message_id_line = 0, message_id_column = 0;
        std::size_t step_line = 0, step_column = 0;
    };
    StreamKeys stream;
};

struct Summary {
    std::size_t files = 0;
    std::size_t documents = 0;
    std::size_t valid = 0;
    std::size_t invalid = 0;
    std::size_t violations = 0;
    std::size_t suppressed = 0;
    std::size_t unparseable = 0;  // documents or files that could not be read or parsed

    void add(const DocumentResult& document);
    // 0 clean, 1 violations, 2 something could not be read or parsed.
    ExitCode exit_code() const;
    // "checked 30 documents in 12 files: 28 valid, 2 invalid, 5 violations"
    std::string line(const char* noun = "documents") const;
    // For schemas compared (contract breaking), in change wording:
    // "2 breaking changes in 1 of 10 schemas"
    std::string change_line() const;
};

}  // namespace salesint::contracts
