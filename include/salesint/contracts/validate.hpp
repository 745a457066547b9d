// `contract validate`: every document of every input checked against its
// schema and the rules beyond it, in parallel, reported in input order.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "salesint/contracts/suppressions.hpp"
#include "salesint/contracts/violation.hpp"

namespace salesint::contracts {

struct ValidateOptions {
    // "auto", a shipped schema's name, or the path of a JSON Schema file.
    std::string schema = "auto";
    Suppressions* suppressions = nullptr;
    unsigned threads = 0;  // 0: one per core
};

// Inputs are files, directories (searched for *.json, *.ndjson, *.jsonl) and
// "-" for stdin. A .ndjson or .jsonl file holds one document per line, a .json
// file one document; stdin and other files are told apart by their content.
// on_document is called once per document, in input order, on this thread.
// Throws a usage Error for a bad --schema or an input that does not exist.
Summary validate_inputs(const std::vector<std::string>& inputs, const ValidateOptions& options,
                        const std::function<void(const DocumentResult&)>& on_document);

}  // namespace salesint::contracts
