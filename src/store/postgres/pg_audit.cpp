
#include "pg_store.hpp"

namespace salesint::store::pg {
namespace {

void bind_optional(Statement& statement, const char* name,
                   const std::optional<std::string>& value) {
    if (value) {
        statement.bind(name, *value);
    } else {
        statement.bind(name);
    }
}

std::optional<std::string> optional_text(const Column& column) {
    if (column.isNull()) {
        return std::nullopt;
    }
    return column.getString();
}

}  // namespace

void PgStore::append_audit(const AuditEntry& entry) {
    Statement insert(
        db_,
        "INSERT INTO audit_log (tenant_id, at, actor, action, subject, old_value, new_value, "
        "reason) "
        "VALUES (:tenant, :at, :actor, :action, :subject, :old, :new, :reason)");
    insert.bind(":tenant", tenant_);
    insert.bind(":at", entry.at);
    insert.bind(":actor", entry.actor);
    insert.bind(":action", entry.action);
    insert.bind(":subject", entry.subject);
    bind_optional(insert, ":old", entry.old_value);
    bind_optional(insert, ":new", entry.new_value);
    insert.bind(":reason", entry.reason);
    insert.exec();
}

std::vector<AuditEntry> PgStore::list_audit(const AuditFilter& filter) {
    // An action filter matches the action itself or its group ("checkpoint"
    // matches "checkpoint.reset").
    Statement query(
        db_,
        "SELECT id, at, actor, action, subject, old_value, new_value, reason FROM audit_log "
        "WHERE tenant_id = :tenant AND (:since = '' OR at >= :since) "
        "AND (:action = '' OR action = :action OR substr(action, 1, length(:action) + 1) = "
        ":action || '.') ORDER BY id");
    query.bind(":tenant", tenant_);
    query.bind(":since", filter.since);
    query.bind(":action", filter.action);
    std::vector<AuditEntry> entries;
    while (query.executeStep()) {
        AuditEntry e;
        e.id = query.getColumn(0).getInt64();
        e.at = query.getColumn(1).getText();
        e.actor = query.getColumn(2).getText();
        e.action = query.getColumn(3).getText();
        e.subject = query.getColumn(4).getText();
        e.old_value = optional_text(query.getColumn(5));
        e.new_value = optional_text(query.getColumn(6));
        e.reason = query.getColumn(7).getText();
        entries.push_back(std::move(e));
    }
    return entries;
}

}  // namespace salesint::store::pg
