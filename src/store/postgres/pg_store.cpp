#include "pg_store.hpp"

#include "../migrations.hpp"
#include "pg_schema.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/log.hpp"

namespace salesint::store::pg {
namespace {

// Held while a process migrates, so that two first runs do not both create
// the schema ("SALE" in ASCII, as the SQLite file's application id).
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(1396788293)";

// Rolls back an open transaction unless it was committed; a connection
// already lost has nothing to roll back.
class Transaction {
  public:
    explicit Transaction(Connection& db) : db_(db) { db_.exec("BEGIN"); }
    ~Transaction() {
        if (!done_) {
            try {
                db_.exec("ROLLBACK");
            } catch (const PgError&) {  // the failure being raised says more
            }
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        db_.exec("COMMIT");
        done_ = true;
    }

  private:
    Connection& db_;
    bool done_ = false;
};

}  // namespace

PgStore::PgStore(const StoreOptions& options)
    : url_(options.path), tenant_(options.tenant), db_(options.path) {
    // A row lock another process holds is waited for this long, as the SQLite
    // file's busy timeout.
    db_.exec("SET lock_timeout = " + std::to_string(options.lock_timeout_ms));
    migrate();
}

int PgStore::schema_version() {
    Statement exists(db_, "SELECT to_regclass('schema_version') IS NOT NULL");
    exists.executeStep();
    if (std::string(exists.getColumn(0).getText()) != "t") {
        return 0;
    }
    Statement version(db_, "SELECT coalesce(max(version), 0) FROM schema_version");
    version.executeStep();
    return version.getColumn(0).getInt();
}

void PgStore::migrate() {
    const int target = pg_migrations().back().version;
    int version = schema_version();
    if (version == target) {
        return;
    }
    if (version > target) {
        throw refused("PostgreSQL state " + db_.server() + " has schema version " +
                      std::to_string(version) + ", newer than this salesint supports (" +
                      std::to_string(target) + "); use a newer salesint");
    }
    Transaction transaction(db_);
    db_.exec(kMigrationLock);
    version = schema_version();  // another process may have migrated while we waited
    if (version == 0) {
        // Never create salesint's tables beside someone else's.
        Statement tables(db_, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
        tables.executeStep();
        if (tables.getColumn(0).getInt64() > 0) {
            throw usage_error("PostgreSQL database " + db_.server() +
                              " has tables but is not a salesint state");
        }
        db_.exec("CREATE TABLE schema_version (version integer NOT NULL)");
    }
    for (const Migration& migration : pg_migrations()) {
        if (migration.version > version) {
            db_.exec(migration.sql);
            applied_.push_back(migration.version);
            log::info("state " + db_.server() + ": applied migration " +
                      std::to_string(migration.version) + " (" + migration.description + ")");
        }
    }
    db_.exec("DELETE FROM schema_version; INSERT INTO schema_version VALUES (" +
             std::to_string(target) + ")");
    transaction.commit();
}

void PgStore::write(const std::function<void()>& fn) {
    if (write_depth_ > 0) {
        fn();
        return;
    }
    // A deadlock or a serialization failure rolls the whole transaction back
    // and ends the command with exit 5 (safe to run again: nothing was
    // written). It is not run again in here: the functions given to write()
    // also count what they did (an import's rows, a batch's outcomes), and
    // would count it twice.
    Transaction transaction(db_);
    ++write_depth_;
    try {
        fn();
    } catch (...) {
        --write_depth_;
        throw;
    }
    --write_depth_;
    transaction.commit();
}

void PgStore::lock_key(const char* kind, const std::string& key) {
    if (write_depth_ == 0) {
        return;
    }
    Statement lock(db_, "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))");
    lock.bind(1, tenant_ + '\n' + kind + '\n' + key);
    lock.executeStep();
}

StateInfo PgStore::info() {
    StateInfo info;
    info.path = db_.server();
    info.tenant = tenant_;
    info.schema_version = schema_version();
    info.binary_schema_version = pg_migrations().back().version;
    Statement server(db_,
                     "SELECT 'postgresql ' || current_setting('server_version'), "
                     "pg_database_size(current_database())");
    server.executeStep();
    info.journal_mode = server.getColumn(0).getString();
    info.file_bytes = server.getColumn(1).getInt64();
    for (const char* table : tenant_tables()) {
        info.tables.push_back({table, count_where(std::string("SELECT count(*) FROM ") + table +
                                                  " WHERE tenant_id = ?")});
    }
    return info;
}

std::vector<std::string> PgStore::tenants_with_rows() {
    std::string query;
    for (const char* table : tenant_tables()) {
        query +=
            std::string(query.empty() ? "" : " UNION ") + "SELECT DISTINCT tenant_id FROM " + table;
    }
    std::vector<std::string> tenants;
    Statement select(db_, query + " ORDER BY 1");
    while (select.executeStep()) {
        tenants.push_back(select.getColumn(0).getString());
    }
    return tenants;
}

std::int64_t PgStore::count_where(const std::string& sql) {
    Statement query(db_, sql);
    query.bind(1, tenant_);
    query.executeStep();
    return query.getColumn(0).getInt64();
}

CheckFinding PgStore::quick_check() {
    // The server keeps its own files whole; what a monitor can check from
    // here is that it answers and holds every table.
    std::int64_t missing = 0;
    std::string first_missing;
    for (const char* table : tenant_tables()) {
        Statement exists(db_, "SELECT to_regclass(?) IS NULL");
        exists.bind(1, table);
        exists.executeStep();
        if (std::string(exists.getColumn(0).getText()) == "t" && missing++ == 0) {
            first_missing = table;
        }
    }
    return {
        kPostgresTables, missing == 0,
        missing == 0 ? "ok" : std::to_string(missing) + " tables missing, first: " + first_missing};
}

std::vector<CheckFinding> PgStore::check() {
    std::vector<CheckFinding> findings;
    findings.push_back(quick_check());
    if (!findings.back().ok) {
        return findings;
    }
    const int version = schema_version();
    const int target = pg_migrations().back().version;
    findings.push_back(
        {"schema_version", version == target,
         "database " + std::to_string(version) + ", binary " + std::to_string(target)});

    std::int64_t bad_windows = count_where(
        "SELECT count(*) FROM job_runs WHERE tenant_id = ? AND completed_at < started_at");
    findings.push_back({"job_run_windows", bad_windows == 0,
                        bad_windows == 0 ? "ok"
                                         : std::to_string(bad_windows) +
                                               " job runs completed before they started"});
    std::int64_t bad_json = count_where(
        "SELECT (SELECT count(*) FROM executions WHERE tenant_id = ?1 AND ("
        "(output IS NOT NULL AND NOT salesint_is_json(output)) OR "
        "(error IS NOT NULL AND NOT salesint_is_json(error)))) + "
        "(SELECT count(*) FROM outbox WHERE tenant_id = ?1 AND NOT salesint_is_json(envelope))");
    findings.push_back({"json_columns", bad_json == 0,
                        bad_json == 0 ? "ok"
                                      : std::to_string(bad_json) +
                                            " execution outputs or outbox envelopes are not JSON"});
    std::int64_t bad_metadata = count_where(
        "SELECT count(*) FROM mappings WHERE tenant_id = ? AND "
        "CASE WHEN salesint_is_json(metadata) THEN jsonb_typeof(metadata::jsonb) <> 'object' "
        "ELSE true END");
    findings.push_back(
        {"mapping_metadata", bad_metadata == 0,
         bad_metadata == 0
             ? "ok"
             : std::to_string(bad_metadata) + " mappings have metadata that is not a JSON object"});
    return findings;
}

BackupReport PgStore::backup_to(const std::string& /*path*/, bool /*overwrite*/) {
    throw usage_error(
        "a PostgreSQL state is backed up by PostgreSQL's own tools (pg_dump), or "
        "copied whole into a SQLite state file (README, \"When one machine is not "
        "enough\")");
}

}  // namespace salesint::store::pg
