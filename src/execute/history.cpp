#include "salesint/execute/history.hpp"

#include <algorithm>

#include "salesint/errors.hpp"
#include "salesint/util/json.hpp"

namespace salesint::execute {

Execution find_execution(Store& store, const std::string& id_or_message_id) {
    if (auto found = store.find_execution_by_id(id_or_message_id)) {
        return *found;
    }
    for (ExecutionMode mode : {ExecutionMode::kLive, ExecutionMode::kDeterministic}) {
        if (auto found = store.find_execution(id_or_message_id, mode)) {
            return *found;
        }
    }
    throw not_found("no execution or message id " + id_or_message_id + " in tenant '" +
                    store.tenant() + "'");
}

ExecutionHistory history(Store& store, const Execution& execution) {
    ExecutionHistory result;
    result.execution = execution;
    result.attempts = store.list_execution_attempts(execution.execution_id);
    // A rehearsal and the live run of one message id share the causation id;
    // each integration fact names its execution.
    for (OutboxMessage& message : store.list_outbox_caused_by(execution.message_id)) {
        const Json envelope = Json::parse(message.envelope_json, nullptr, false);
        const Json* fact =
            envelope.is_object() && envelope.contains("fact") && envelope["fact"].is_object()
                ? &envelope["fact"]
                : nullptr;
        // An integration fact names its execution; the adapter's own events
        // (order intake) come from deterministic runs only.
        const bool ours = fact != nullptr
                              ? fact->value("execution_id", std::string()) == execution.execution_id
                              : execution.mode == ExecutionMode::kDeterministic;
        if (ours) {
            result.facts.push_back(std::move(message));
        }
    }
    if (execution.mode == ExecutionMode::kLive) {
        for (DlqEntry& entry : store.find_dlq_by_message(execution.message_id)) {
            if (entry.source == "execute" && entry.adapter_id == execution.adapter_id) {
                result.dead_letters.push_back(std::move(entry));
            }
        }
    }
    AuditFilter filter;
    filter.action = kRetryAction;
    for (AuditEntry& entry : store.list_audit(filter)) {
        if (entry.subject == execution.execution_id) {
            result.retries.push_back(std::move(entry));
        }
    }
    return result;
}

}  // namespace salesint::execute
