// The JSON shapes of the domain records, as `-o json` prints them and as the
// man page documents them. Keys are stable: add, never rename or remove.
#pragma once

#include <string>

#include "salesint/model.hpp"
#include "salesint/output.hpp"

namespace salesint {

OrderedJson connector_json(const Connector& connector, const std::string& tenant);
// {"state", "window_calls", "window_failures", "failure_rate", "opened_at",
// "next_probe_at"}: next_probe_at is when an open breaker lets one call
// through, wait_ms after it opened.
OrderedJson breaker_json(const Breaker& breaker, std::int64_t wait_ms);
OrderedJson mapping_json(const Mapping& mapping, const std::string& tenant);
OrderedJson checkpoint_json(const Checkpoint& checkpoint, const std::string& tenant);
OrderedJson audit_json(const AuditEntry& entry, const std::string& tenant);
// An execution as `execution list` shows it (no input, output or error).
OrderedJson execution_json(const Execution& execution, const std::string& tenant);
OrderedJson execution_attempt_json(const ExecutionAttempt& attempt);
OrderedJson state_info_json(const StateInfo& info);
OrderedJson check_finding_json(const CheckFinding& finding);

}  // namespace salesint
