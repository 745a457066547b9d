
#include "pg_store.hpp"

namespace salesint::store::pg {
namespace {

// Spliced into statements at compile time (adjacent literals), so every
// statement is one constant string.
#define CONNECTOR_COLUMNS                                                                   \
    "system_code, name, is_active, connection_type, base_url, auth_method, "                \
    "poll_interval_minutes, secret_env, secret_file, created_at, updated_at, auth_header, " \
    "health_path"

Connector read_connector(Statement& row) {
    Connector c;
    c.system_code = row.getColumn(0).getText();
    c.name = row.getColumn(1).getText();
    c.is_active = row.getColumn(2).getInt() != 0;
    c.connection_type = row.getColumn(3).getText();
    c.base_url = row.getColumn(4).getText();
    c.auth_method = row.getColumn(5).getText();
    if (!row.getColumn(6).isNull()) {
        c.poll_interval_minutes = row.getColumn(6).getInt();
    }
    c.secret_env = row.getColumn(7).getText();
    c.secret_file = row.getColumn(8).getText();
    c.created_at = row.getColumn(9).getText();
    c.updated_at = row.getColumn(10).getText();
    c.auth_header = row.getColumn(11).getText();
    c.health_path = row.getColumn(12).getText();
    return c;
}

void bind_fields(Statement& statement, const Connector& c) {
    statement.bind(":name", c.name);
    statement.bind(":is_active", c.is_active ? 1 : 0);
    statement.bind(":connection_type", c.connection_type);
    statement.bind(":base_url", c.base_url);
    statement.bind(":auth_method", c.auth_method);
    if (c.poll_interval_minutes) {
        statement.bind(":poll", *c.poll_interval_minutes);
    } else {
        statement.bind(":poll");  // NULL
    }
    statement.bind(":secret_env", c.secret_env);
    statement.bind(":secret_file", c.secret_file);
    statement.bind(":updated_at", c.updated_at);
    statement.bind(":auth_header", c.auth_header);
    statement.bind(":health_path", c.health_path);
}

}  // namespace

std::optional<Connector> PgStore::find_connector(const std::string& system_code) {
    lock_key("connector", system_code);
    Statement query(db_, "SELECT " CONNECTOR_COLUMNS
                         " FROM connectors WHERE tenant_id = ? AND system_code = ?");
    query.bind(1, tenant_);
    query.bind(2, system_code);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_connector(query);
}

std::vector<Connector> PgStore::list_connectors() {
    Statement query(db_, "SELECT " CONNECTOR_COLUMNS
                         " FROM connectors WHERE tenant_id = ? ORDER BY system_code");
    query.bind(1, tenant_);
    std::vector<Connector> connectors;
    while (query.executeStep()) {
        connectors.push_back(read_connector(query));
    }
    return connectors;
}

void PgStore::insert_connector(const Connector& connector) {
    Statement insert(
        db_,
        "INSERT INTO connectors (tenant_id, system_code, name, is_active, connection_type, "
        "base_url, "
        "auth_method, poll_interval_minutes, secret_env, secret_file, created_at, updated_at, "
        "auth_header, health_path) "
        "VALUES (:tenant, :code, :name, :is_active, :connection_type, :base_url, :auth_method, "
        ":poll, :secret_env, :secret_file, :created_at, :updated_at, :auth_header, "
        ":health_path)");
    insert.bind(":tenant", tenant_);
    insert.bind(":code", connector.system_code);
    insert.bind(":created_at", connector.created_at);
    bind_fields(insert, connector);
    insert.exec();
}

void PgStore::update_connector(const Connector& connector) {
    Statement update(
        db_,
        "UPDATE connectors SET name = :name, is_active = :is_active, "
        "connection_type = :connection_type, base_url = :base_url, auth_method = :auth_method, "
        "poll_interval_minutes = :poll, secret_env = :secret_env, secret_file = :secret_file, "
        "updated_at = :updated_at, auth_header = :auth_header, health_path = :health_path "
        "WHERE tenant_id = :tenant AND system_code = :code");
    update.bind(":tenant", tenant_);
    update.bind(":code", connector.system_code);
    bind_fields(update, connector);
    update.exec();
}

void PgStore::delete_connector(const std::string& system_code) {
    Statement remove(db_, "DELETE FROM connectors WHERE tenant_id = ? AND system_code = ?");
    remove.bind(1, tenant_);
    remove.bind(2, system_code);
    remove.exec();
}

std::int64_t PgStore::count_connector_references(const std::string& system_code) {
    Statement count(
        db_,
        "SELECT (SELECT count(*) FROM mappings WHERE tenant_id = ?1 AND system_code = ?2) + "
        "(SELECT count(*) FROM checkpoints WHERE tenant_id = ?1 AND system_code = ?2) + "
        "(SELECT count(*) FROM job_runs WHERE tenant_id = ?1 AND system_code = ?2)");
    count.bind(1, tenant_);
    count.bind(2, system_code);
    count.executeStep();
    return count.getColumn(0).getInt64();
}

}  // namespace salesint::store::pg
