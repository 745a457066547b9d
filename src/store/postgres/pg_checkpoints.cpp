
#include "pg_store.hpp"

namespace salesint::store::pg {
namespace {

// Spliced into statements at compile time (adjacent literals), so every
// statement is one constant string.
#define CHECKPOINT_COLUMNS                                                             \
    "system_code, entity_type, value_kind, checkpoint_value, last_synced_at, status, " \
    "error_message, updated_at"

Checkpoint read_checkpoint(Statement& row) {
    Checkpoint c;
    c.system_code = row.getColumn(0).getText();
    c.entity_type = row.getColumn(1).getText();
    c.kind = parse_checkpoint_kind(row.getColumn(2).getText()).value_or(CheckpointKind::kString);
    c.value = row.getColumn(3).getText();
    c.last_synced_at = row.getColumn(4).getText();
    c.status = row.getColumn(5).getText();
    c.error_message = row.getColumn(6).getText();
    c.updated_at = row.getColumn(7).getText();
    return c;
}

}  // namespace

std::optional<Checkpoint> PgStore::find_checkpoint(const std::string& system_code,
                                                   const std::string& entity_type) {
    lock_key("checkpoint", system_code + '\n' + entity_type);
    Statement query(db_, "SELECT " CHECKPOINT_COLUMNS
                         " FROM checkpoints WHERE tenant_id = ? AND system_code = ? "
                         "AND entity_type = ?");
    query.bind(1, tenant_);
    query.bind(2, system_code);
    query.bind(3, entity_type);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_checkpoint(query);
}

std::vector<Checkpoint> PgStore::list_checkpoints(const std::string& system_code) {
    Statement query(db_, "SELECT " CHECKPOINT_COLUMNS
                         " FROM checkpoints WHERE tenant_id = :tenant AND "
                         "(:system = '' OR system_code = :system) "
                         "ORDER BY system_code, entity_type");
    query.bind(":tenant", tenant_);
    query.bind(":system", system_code);
    std::vector<Checkpoint> checkpoints;
    while (query.executeStep()) {
        checkpoints.push_back(read_checkpoint(query));
    }
    return checkpoints;
}

void PgStore::upsert_checkpoint(const Checkpoint& checkpoint) {
    Statement upsert(
        db_,
        "INSERT INTO checkpoints (tenant_id, system_code, entity_type, value_kind, "
        "checkpoint_value, "
        "last_synced_at, status, error_message, updated_at) VALUES (:tenant, :system, :entity, "
        ":kind, :value, :synced, :status, :error, :updated) "
        "ON CONFLICT (tenant_id, system_code, entity_type) DO UPDATE SET "
        "value_kind = excluded.value_kind, checkpoint_value = excluded.checkpoint_value, "
        "last_synced_at = excluded.last_synced_at, status = excluded.status, "
        "error_message = excluded.error_message, updated_at = excluded.updated_at");
    upsert.bind(":tenant", tenant_);
    upsert.bind(":system", checkpoint.system_code);
    upsert.bind(":entity", checkpoint.entity_type);
    upsert.bind(":kind", to_string(checkpoint.kind));
    upsert.bind(":value", checkpoint.value);
    upsert.bind(":synced", checkpoint.last_synced_at);
    upsert.bind(":status", checkpoint.status);
    upsert.bind(":error", checkpoint.error_message);
    upsert.bind(":updated", checkpoint.updated_at);
    upsert.exec();
}

void PgStore::delete_checkpoint(const std::string& system_code, const std::string& entity_type) {
    Statement remove(
        db_, "DELETE FROM checkpoints WHERE tenant_id = ? AND system_code = ? AND entity_type = ?");
    remove.bind(1, tenant_);
    remove.bind(2, system_code);
    remove.bind(3, entity_type);
    remove.exec();
}

}  // namespace salesint::store::pg
