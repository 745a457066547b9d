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

// `since` is any RFC 3339 time (usage Error otherwise).
std::vector<AuditEntry> list(Store& store, const std::string& since, const std::string& action);

}  // namespace salesint::audit
