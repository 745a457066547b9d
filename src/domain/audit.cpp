#include "salesint/domain/audit.hpp"

#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/strings.hpp"

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

std::vector<AuditEntry> list(Store& store, const std::string& since, const std::string& action) {
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
