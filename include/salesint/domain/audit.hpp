// The audit log: who did what, when and why, for every change that rewrites
// history (resets, forced repoints, approvals, removals).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::audit {

// Appends an entry stamped with the current user and time; call it inside the
// transaction of the change it records.
void record(Store& store, const std::string& action, const std::string& subject,
            const std::optional<std::string>& old_value,
            const std::optional<std::string>& new_value, const std::string& reason);

// Every action the code records, in the order of their groups.
const std::vector<std::string>& known_actions();

// `since` is any RFC 3339 time (usage Error otherwise); `action` is empty, a
// known action or group of them, or one found in the log (usage Error with
// the nearest name otherwise).
std::vector<AuditEntry> list(Store& store, const std::string& since, const std::string& action);

}  // namespace salesint::audit
