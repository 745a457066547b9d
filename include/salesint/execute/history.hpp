// What became of executions, for `execution list | show` (README.md,
// "Executions"): the ledger row, every live attempt of every run, the
// envelopes it wrote, its dead letters and its retries.
#pragma once

#include <string>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::execute {

struct ExecutionHistory {
    Execution execution;
    std::vector<ExecutionAttempt> attempts;  // by run, then attempt
    std::vector<OutboxMessage> facts;        // what it wrote to the outbox
    std::vector<DlqEntry> dead_letters;      // oldest first
    std::vector<AuditEntry> retries;         // execution.retry entries of the audit log
};

// The execution with this execution id, or the one of this message id (the
// live one when a rehearsal of it exists too). kNotFound otherwise.
Execution find_execution(Store& store, const std::string& id_or_message_id);

ExecutionHistory history(Store& store, const Execution& execution);

// The audit action of `execution retry`.
inline constexpr const char* kRetryAction = "execution.retry";

}  // namespace salesint::execute
