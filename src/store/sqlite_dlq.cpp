#include <SQLiteCpp/Statement.h>

#include "sqlite_store.hpp"

namespace salesint::store {

void SqliteStore::insert_dlq(const DlqEntry& e) {
    SQLite::Statement insert(
        db_,
        "INSERT INTO dlq (tenant_id, entry_id, source, adapter_id, message_id, correlation_id, "
        "target_url, payload, headers, error_code, error_message, attempts, first_failed_at, "
        "last_failed_at, status, replay_count, updated_at) VALUES (:tenant, :entry, :source, "
        ":adapter, :message, :correlation, :url, :payload, :headers, :code, :error, :attempts, "
        ":first, :last, :status, :replays, :last)");
    insert.bind(":tenant", tenant_);
    insert.bind(":entry", e.entry_id);
    insert.bind(":source", e.source);
    insert.bind(":adapter", e.adapter_id);
    insert.bind(":message", e.message_id);
    insert.bind(":correlation", e.correlation_id);
    insert.bind(":url", e.target_url);
    insert.bind(":payload", e.payload.data(), static_cast<int>(e.payload.size()));
    insert.bind(":headers", e.headers_json);
    insert.bind(":code", e.error_code);
    insert.bind(":error", e.error_message);
    insert.bind(":attempts", e.attempts_json);
    insert.bind(":first", e.first_failed_at);
    insert.bind(":last", e.last_failed_at);
    insert.bind(":status", to_string(e.status));
    insert.bind(":replays", e.replay_count);
    insert.exec();
}

namespace {

#define DLQ_COLUMNS                                                                            \
    "entry_id, source, adapter_id, message_id, correlation_id, target_url, payload, headers, " \
    "error_code, error_message, attempts, first_failed_at, last_failed_at, status, "           \
    "replay_count"

DlqEntry read_dlq_entry(SQLite::Statement& query) {
    DlqEntry e;
    e.entry_id = query.getColumn(0).getText();
    e.source = query.getColumn(1).getText();
    e.adapter_id = query.getColumn(2).getText();
    e.message_id = query.getColumn(3).getText();
    e.correlation_id = query.getColumn(4).getText();
    e.target_url = query.getColumn(5).getText();
    e.payload = query.getColumn(6).getString();
    e.headers_json = query.getColumn(7).getText();
    e.error_code = query.getColumn(8).getText();
    e.error_message = query.getColumn(9).getText();
    e.attempts_json = query.getColumn(10).getText();
    e.first_failed_at = query.getColumn(11).getText();
    e.last_failed_at = query.getColumn(12).getText();
    // An unreadable status (a damaged row) reads as pending, as an
    // unreadable mapping status reads as pending_review.
    e.status = parse_dlq_status(query.getColumn(13).getText()).value_or(DlqStatus::kPending);
    e.replay_count = query.getColumn(14).getInt();
    return e;
}

}  // namespace

std::vector<DlqEntry> SqliteStore::list_dlq() {
    SQLite::Statement query(db_, "SELECT " DLQ_COLUMNS " FROM dlq WHERE tenant_id = ? ORDER BY id");
    query.bind(1, tenant_);
    std::vector<DlqEntry> entries;
    while (query.executeStep()) {
        entries.push_back(read_dlq_entry(query));
    }
    return entries;
}

std::vector<DlqEntry> SqliteStore::find_dlq_by_message(const std::string& message_id) {
    SQLite::Statement query(
        db_, "SELECT " DLQ_COLUMNS " FROM dlq WHERE tenant_id = ? AND message_id = ? ORDER BY id");
    query.bind(1, tenant_);
    query.bind(2, message_id);
    std::vector<DlqEntry> entries;
    while (query.executeStep()) {
        entries.push_back(read_dlq_entry(query));
    }
    return entries;
}

void SqliteStore::set_dlq_status(const std::string& entry_id, DlqStatus status,
                                 const std::string& at) {
    SQLite::Statement update(
        db_,
        "UPDATE dlq SET status = :status, updated_at = :at, "
        "replay_count = replay_count + (CASE WHEN :status = 'replayed' THEN 1 ELSE 0 END) "
        "WHERE tenant_id = :tenant AND entry_id = :entry");
    update.bind(":status", to_string(status));
    update.bind(":at", at);
    update.bind(":tenant", tenant_);
    update.bind(":entry", entry_id);
    update.exec();
}

}  // namespace salesint::store
