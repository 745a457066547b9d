
#include "pg_store.hpp"
#include "salesint/errors.hpp"

namespace salesint::store::pg {
namespace {

// Spliced into statements at compile time (adjacent literals), so every
// statement is one constant string.
#define MAPPING_COLUMNS                                                                    \
    "system_code, entity_type, external_id, internal_uuid, mapping_status, last_seen_at, " \
    "metadata, "                                                                           \
    "created_at, updated_at, content_hash, content_cursor"

Mapping read_mapping(Statement& row) {
    Mapping m;
    m.key.system_code = row.getColumn(0).getText();
    m.key.entity_type = row.getColumn(1).getText();
    m.key.external_id = row.getColumn(2).getText();
    m.internal_uuid = row.getColumn(3).getText();
    m.status =
        parse_mapping_status(row.getColumn(4).getText()).value_or(MappingStatus::kPendingReview);
    m.last_seen_at = row.getColumn(5).getText();
    m.metadata_json = row.getColumn(6).getText();
    m.created_at = row.getColumn(7).getText();
    m.updated_at = row.getColumn(8).getText();
    m.content_hash = row.getColumn(9).getText();
    m.content_cursor = row.getColumn(10).getText();
    return m;
}

std::vector<Mapping> read_all(Statement& query) {
    std::vector<Mapping> mappings;
    while (query.executeStep()) {
        mappings.push_back(read_mapping(query));
    }
    return mappings;
}

void bind_key(Statement& statement, const std::string& tenant, const MappingKey& key) {
    statement.bind(":tenant", tenant);
    statement.bind(":system", key.system_code);
    statement.bind(":entity", key.entity_type);
    statement.bind(":external", key.external_id);
}

#define MAPPING_KEY_CONDITION                                                      \
    "tenant_id = :tenant AND system_code = :system AND entity_type = :entity AND " \
    "external_id = :external"

}  // namespace

std::optional<Mapping> PgStore::find_mapping(const MappingKey& key) {
    lock_key("mapping", key.system_code + '\n' + key.entity_type + '\n' + key.external_id);
    Statement query(db_, "SELECT " MAPPING_COLUMNS " FROM mappings WHERE " MAPPING_KEY_CONDITION);
    bind_key(query, tenant_, key);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    Mapping found = read_mapping(query);
    query.reset();  // a cached statement left stepped would hold its read open
    return found;
}

std::vector<Mapping> PgStore::find_mappings_by_uuid(const std::string& internal_uuid) {
    Statement query(db_, "SELECT " MAPPING_COLUMNS
                         " FROM mappings WHERE tenant_id = ? AND internal_uuid = ? "
                         "ORDER BY system_code, entity_type, external_id");
    query.bind(1, tenant_);
    query.bind(2, internal_uuid);
    return read_all(query);
}

std::vector<Mapping> PgStore::list_mappings(const MappingFilter& filter) {
    // Empty filter values match everything; one statement serves every combination.
    Statement query(db_, "SELECT " MAPPING_COLUMNS
                         " FROM mappings WHERE tenant_id = :tenant"
                         " AND (:system = '' OR system_code = :system)"
                         " AND (:entity = '' OR entity_type = :entity)"
                         " AND (:status = '' OR mapping_status = :status)"
                         " ORDER BY system_code, entity_type, external_id");
    query.bind(":tenant", tenant_);
    query.bind(":system", filter.system_code);
    query.bind(":entity", filter.entity_type);
    query.bind(":status", filter.status ? to_string(*filter.status) : "");
    return read_all(query);
}

void PgStore::insert_mapping(const Mapping& mapping) {
    Statement insert(
        db_,
        "INSERT INTO mappings (tenant_id, system_code, entity_type, external_id, "
        "internal_uuid, mapping_status, last_seen_at, metadata, created_at, updated_at, "
        "content_hash, content_cursor) VALUES (:tenant, :system, :entity, :external, :uuid, "
        ":status, :seen, :metadata, :created, :updated, :hash, :cursor)");
    bind_key(insert, tenant_, mapping.key);
    insert.bind(":uuid", mapping.internal_uuid);
    insert.bind(":status", to_string(mapping.status));
    insert.bind(":seen", mapping.last_seen_at);
    insert.bind(":metadata", mapping.metadata_json);
    insert.bind(":created", mapping.created_at);
    insert.bind(":updated", mapping.updated_at);
    insert.bind(":hash", mapping.content_hash);
    insert.bind(":cursor", mapping.content_cursor);
    insert.exec();
}

void PgStore::update_mapping(const Mapping& mapping) {
    Statement update(db_,
                     "UPDATE mappings SET internal_uuid = :uuid, mapping_status = :status, "
                     "last_seen_at = :seen, metadata = :metadata, updated_at = :updated, "
                     "content_hash = :hash, content_cursor = :cursor WHERE " MAPPING_KEY_CONDITION);
    bind_key(update, tenant_, mapping.key);
    update.bind(":uuid", mapping.internal_uuid);
    update.bind(":status", to_string(mapping.status));
    update.bind(":seen", mapping.last_seen_at);
    update.bind(":metadata", mapping.metadata_json);
    update.bind(":updated", mapping.updated_at);
    update.bind(":hash", mapping.content_hash);
    update.bind(":cursor", mapping.content_cursor);
    update.exec();
}

void PgStore::delete_mapping(const MappingKey& key) {
    Statement remove(db_, "DELETE FROM mappings WHERE " MAPPING_KEY_CONDITION);
    bind_key(remove, tenant_, key);
    remove.exec();
}

bool PgStore::is_entity_type_known(const std::string& system_code, const std::string& entity_type) {
    Statement query(db_,
                    "SELECT 1 FROM mappings WHERE tenant_id = ? AND system_code = ? AND "
                    "entity_type = ? AND mapping_status = 'active' LIMIT 1");
    query.bind(1, tenant_);
    query.bind(2, system_code);
    query.bind(3, entity_type);
    return query.executeStep();
}

}  // namespace salesint::store::pg
