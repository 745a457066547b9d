#include "sqlite_store.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "file_access.hpp"
#include "file_modes.hpp"
#include "migrations.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/log.hpp"
#include "sqlite_errors.hpp"

namespace salesint::store {

SqliteStore::SqliteStore(const StoreOptions& options)
    : path_(options.path), tenant_(options.tenant), db_(options.path, SQLite::OPEN_READWRITE) {
    try {
        configure_connection(options.lock_timeout_ms);
        migrate();
    } catch (const SQLite::Exception& e) {
        throw with_system_error(e, db_.getHandle());
    }
}

void SqliteStore::configure_connection(int lock_timeout_ms) {
    db_.setBusyTimeout(lock_timeout_ms);
    db_.exec("PRAGMA foreign_keys = ON");
    db_.exec("PRAGMA wal_autocheckpoint = 4096");
    // WAL lets readers work while a writer commits; the mode is stored in the
    // file, so it is only switched once.
    SQLite::Statement mode(db_, "PRAGMA journal_mode");
    if (mode.executeStep() && std::string(mode.getColumn(0).getText()) != "wal") {
        mode.reset();
        db_.exec("PRAGMA page_size = 16384");
        db_.exec("PRAGMA journal_mode = WAL");
    }
    // Only now that the page size is known: SQLite turns a cache size in KiB
    // into pages once, with the page size of that moment, and keeps the count
    // when the file's 16 KiB pages replace the default 4 KiB (four times the
    // memory: 64 MiB where 16 were meant).
    db_.exec("PRAGMA cache_size = -16384");
}

int SqliteStore::user_version() {
    return db_.execAndGet("PRAGMA user_version").getInt();
}

void SqliteStore::migrate() {
    const int target = migrations().back().version;
    int version = user_version();
    if (version == target) {
        return;
    }
    if (version > target) {
        throw refused("state file " + path_ + " has schema version " + std::to_string(version) +
                      ", newer than this salesint supports (" + std::to_string(target) +
                      "); use a newer salesint");
    }
    refuse_other_databases();
    prepare_first_write();
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    version = user_version();  // another process may have migrated while we waited
    for (const Migration& migration : migrations()) {
        if (migration.version > version) {
            db_.exec(migration.sql);
            applied_.push_back(migration.version);
            log::info("state " + path_ + ": applied migration " +
                      std::to_string(migration.version) + " (" + migration.description + ")");
        }
    }
    db_.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db_.exec("PRAGMA user_version = " + std::to_string(target));
    transaction.commit();
}

// Before anything is written to it, so that a file someone else may read is
// never touched, and one that is not a state file is left as it was.
void SqliteStore::refuse_other_databases() {
    const int application_id = db_.execAndGet("PRAGMA application_id").getInt();
    const int tables =
        db_.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table'").getInt();
    if (application_id != kApplicationId && (application_id != 0 || tables > 0)) {
        throw usage_error(path_ + " is a SQLite database but not a salesint state file");
    }
}

void SqliteStore::prepare_first_write() {
    if (prepared_for_writes_) {
        return;
    }
    if (sqlite3_db_readonly(db_.getHandle(), "main") == 1) {
        std::string why = why_not_writable(path_);
        throw usage_error("cannot write the state file " + path_ + ": " +
                          (why.empty() ? "SQLite opened it read-only" : why))
            .with_hint(Hint::kChooseStatePath);
    }
    make_private_for_writing(path_);
    prepared_for_writes_ = true;
}

void SqliteStore::write(const std::function<void()>& fn) {
    if (write_depth_ > 0) {
        fn();
        return;
    }
    prepare_first_write();
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    ++write_depth_;
    try {
        fn();
    } catch (...) {
        --write_depth_;
        last_execution_ = {};
        throw;  // the Transaction's destructor rolls back
    }
    --write_depth_;
    last_execution_ = {};
    transaction.commit();
}

StateInfo SqliteStore::info() {
    StateInfo info;
    info.path = path_;
    info.tenant = tenant_;
    info.schema_version = user_version();
    info.binary_schema_version = migrations().back().version;
    info.journal_mode = db_.execAndGet("PRAGMA journal_mode").getString();
    struct stat status {};
    if (::stat(path_.c_str(), &status) == 0) {
        info.file_bytes = status.st_size;
    }
    for (const char* table : tenant_tables()) {
        SQLite::Statement count(
            db_, std::string("SELECT count(*) FROM ") + table + " WHERE tenant_id = ?");
        count.bind(1, tenant_);
        count.executeStep();
        info.tables.push_back({table, count.getColumn(0).getInt64()});
    }
    return info;
}

std::vector<std::string> SqliteStore::tenants_with_rows() {
    std::string query;
    for (const char* table : tenant_tables()) {
        query +=
            std::string(query.empty() ? "" : " UNION ") + "SELECT DISTINCT tenant_id FROM " + table;
    }
    std::vector<std::string> tenants;
    SQLite::Statement select(db_, query + " ORDER BY 1");
    while (select.executeStep()) {
        tenants.push_back(select.getColumn(0).getString());
    }
    return tenants;
}

CheckFinding SqliteStore::run_check_pragma(const char* pragma, const char* check) {
    std::vector<std::string> problems;
    try {
        SQLite::Statement integrity(db_, std::string("PRAGMA ") + pragma);
        while (integrity.executeStep()) {
            problems.push_back(integrity.getColumn(0).getString());
        }
    } catch (const SQLite::Exception& e) {
        // The check lists what it found, then fails on the pages it cannot
        // read at all (or fails at once when the schema's are damaged).
        if (!is_damage(e, path_)) {
            throw;
        }
        return {check, false, problems.empty() ? e.what() : first_finding(problems.front())};
    }
    const bool intact = problems.size() == 1 && problems.front() == "ok";
    return {check, intact, intact ? "ok" : first_finding(problems.front())};
}

CheckFinding SqliteStore::quick_check() {
    return run_check_pragma("quick_check", kQuickCheck);
}

std::vector<CheckFinding> SqliteStore::check() {
    std::vector<CheckFinding> findings;
    findings.push_back(check_file_modes(path_));
    findings.push_back(run_check_pragma("integrity_check", kIntegrityCheck));
    if (!findings.back().ok) {
        return findings;
    }

    SQLite::Statement foreign(db_, "PRAGMA foreign_key_check");
    std::int64_t orphans = 0;
    std::string first_orphan;
    while (foreign.executeStep()) {
        if (orphans++ == 0) {
            first_orphan =
                foreign.getColumn(0).getString() + " row " + foreign.getColumn(1).getString();
        }
    }
    findings.push_back({"foreign_keys", orphans == 0,
                        orphans == 0 ? "ok"
                                     : std::to_string(orphans) +
                                           " rows refer to missing rows, first: " + first_orphan});

    int version = user_version();
    int target = migrations().back().version;
    findings.push_back({"schema_version", version == target,
                        "file " + std::to_string(version) + ", binary " + std::to_string(target)});

    auto count_where = [&](const std::string& sql) {
        SQLite::Statement query(db_, sql);
        query.bind(1, tenant_);
        query.executeStep();
        return query.getColumn(0).getInt64();
    };
    std::int64_t bad_windows = count_where(
        "SELECT count(*) FROM job_runs WHERE tenant_id = ? AND completed_at < started_at");
    findings.push_back({"job_run_windows", bad_windows == 0,
                        bad_windows == 0 ? "ok"
                                         : std::to_string(bad_windows) +
                                               " job runs completed before they started"});
    std::int64_t bad_json = count_where(
        "SELECT (SELECT count(*) FROM executions WHERE tenant_id = ?1 AND ("
        "(output IS NOT NULL AND NOT json_valid(output)) OR "
        "(error IS NOT NULL AND NOT json_valid(error)))) + "
        "(SELECT count(*) FROM outbox WHERE tenant_id = ?1 AND NOT json_valid(envelope))");
    findings.push_back({"json_columns", bad_json == 0,
                        bad_json == 0 ? "ok"
                                      : std::to_string(bad_json) +
                                            " execution outputs or outbox envelopes are not JSON"});
    std::int64_t bad_metadata = count_where(
        "SELECT count(*) FROM mappings WHERE tenant_id = ? AND "
        "(NOT json_valid(metadata) OR json_type(metadata) <> 'object')");
    findings.push_back(
        {"mapping_metadata", bad_metadata == 0,
         bad_metadata == 0
             ? "ok"
             : std::to_string(bad_metadata) + " mappings have metadata that is not a JSON object"});
    return findings;
}

}  // namespace salesint::store
