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
    // No documents at all (an empty directory or file, a pattern that
    // matched nothing) is a usage Error unless this is set.
    bool allow_empty = false;
    // Rules across the documents, in input order: a meta.message_id seen
    // before (stream.duplicate_message_id), a process fact's subject.step
    // below an earlier one of its tenant and workflow_id
    // (stream.step_backwards).
    bool stream_rules = false;
};

// Inputs are files, directories (searched for *.json, *.ndjson, *.jsonl) and
// "-" for stdin; an input that does not exist and holds *, ? or [ is a
// glob(3) pattern (quoted, so that the shell left it alone). A .ndjson or .jsonl file holds one
// document per line, a .json file one document; stdin and other files are told apart by their
// content. on_document is called once per document, in input order, on this thread. Throws a usage
// Error for a bad --schema or an input that does not exist.
Summary validate_inputs(const std::vector<std::string>& inputs, const ValidateOptions& options,
                        const std::function<void(const DocumentResult&)>& on_document);

}  // namespace salesint::contracts
