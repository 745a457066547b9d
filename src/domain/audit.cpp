#include "salesint/domain/audit.hpp"

#include <algorithm>

#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/suggest.hpp"

namespace salesint::audit {

void record(Store& store, const std::string& action, const std::string& subject,
            const std::optional<std::string>& old_value,
            const std::optional<std::string>& new_value, const std::string& reason) {
    require_text("reason", reason, TextKind::kOneLine);
    AuditEntry entry;
    entry.at = now_rfc3339();
    entry.actor = current_user();
    entry.action = action;
    entry.subject = subject;
    entry.old_value = old_value;
    entry.new_value = new_value;
    entry.reason = reason;
    store.append_audit(entry);
}

const std::vector<std::string>& known_actions() {
    static const std::vector<std::string> kActions{
        "checkpoint.reset",  "connector.add",    "connector.set",           "connector.enable",
        "connector.disable", "connector.remove", "connector.breaker_reset", "mapping.force",
        "mapping.approve",   "mapping.remove",   "mapping.retire",          "dlq.archive",
        "dlq.purge",         "dlq.replay",       "execution.retry"};
    return kActions;
}

namespace {

// An action filter names an action or a group of them ("checkpoint"); one
// that names neither is a typo, which would otherwise list nothing. An
// action found in the log is taken as it is (written by a newer binary).
void require_known_action(Store& store, const std::string& action) {
    std::vector<std::string> names = known_actions();
    for (const std::string& known : known_actions()) {
        const std::string group = known.substr(0, known.find('.'));
        if (std::find(names.begin(), names.end(), group) == names.end()) {
            names.push_back(group);
        }
    }
    if (action.empty() || std::find(names.begin(), names.end(), action) != names.end() ||
        !store.list_audit({"", action}).empty()) {
        return;
    }
    const std::string suggestion = did_you_mean(action, names);
    throw usage_error("unknown audit action \"" + action + "\"" +
                      (suggestion.empty() ? "; actions: " + join(known_actions(), ", ") +
                                                ", or a group such as checkpoint"
                                          : suggestion));
}

}  // namespace

std::vector<AuditEntry> list(Store& store, const std::string& since, const std::string& action) {
    require_known_action(store, action);
    AuditFilter filter;
    filter.action = action;
    if (!since.empty()) {
        auto instant = parse_rfc3339(since);
        if (!instant) {
            throw usage_error("since: '" + since +
                              "' is not an RFC 3339 time such as 2026-01-31T00:00:00Z")
                .with_field("since");
        }
        // Entries are stamped to the second: round a fractional bound up so
        // that the text comparison in the store stays exact.
        if (!instant->fraction.empty()) {
            instant->fraction.clear();
            instant->epoch_seconds += 1;
        }
        filter.since = format_rfc3339_utc(*instant);
    }
    return store.list_audit(filter);
}

}  // namespace salesint::audit
