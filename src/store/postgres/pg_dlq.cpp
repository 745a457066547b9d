// The DLQ: entries written by failed deliveries, read by `dlq list|show`,
// claimed under a lease by `dlq replay` and written back once it is done.

#include "pg_store.hpp"
#include "salesint/util/json.hpp"

namespace salesint::store::pg {
namespace {

#define DLQ_COLUMNS                                                                            \
    "entry_id, source, adapter_id, message_id, correlation_id, causation_id, connector_code, " \
    "target_url, payload, headers, error_code, error_message, attempts, first_failed_at, "     \
    "last_failed_at, status, replay_count, lease_owner, lease_expires_at, updated_at"

#define INSERT_DLQ                                                                                \
    "INSERT INTO dlq (tenant_id, entry_id, source, adapter_id, message_id, correlation_id, "      \
    "causation_id, connector_code, target_url, payload, headers, error_code, error_message, "     \
    "attempts, first_failed_at, last_failed_at, status, replay_count, updated_at) VALUES "        \
    "(:tenant, :entry, :source, :adapter, :message, :correlation, :causation, :connector, :url, " \
    ":payload, :headers, :code, :error, :attempts, :first, :last, :status, :replays, :updated)"

constexpr const char* kInsertDlq = INSERT_DLQ;
// An imported entry already here (by its entry id) is left as it is.
constexpr const char* kInsertDlqIfAbsent = INSERT_DLQ " ON CONFLICT (entry_id) DO NOTHING";

void bind_entry(Statement& insert, const std::string& tenant, const DlqEntry& e) {
    insert.bind(":tenant", tenant);
    insert.bind(":entry", e.entry_id);
    insert.bind(":source", e.source);
    insert.bind(":adapter", e.adapter_id);
    insert.bind(":message", e.message_id);
    insert.bind(":correlation", e.correlation_id);
    insert.bind(":causation", e.causation_id);
    insert.bind(":connector", e.connector_code);
    insert.bind(":url", e.target_url);
    insert.bind(":payload", e.payload.data(), static_cast<int>(e.payload.size()));
    insert.bind(":headers", e.headers_json);
    insert.bind(":code", e.error_code);
    insert.bind(":error", e.error_message);
    insert.bind(":attempts", e.attempts_json);
    insert.bind(":first", e.first_failed_at);
    insert.bind(":last", e.last_failed_at);
    // A replaying entry stored elsewhere (an import) arrives without its lease.
    insert.bind(":status",
                to_string(e.status == DlqStatus::kReplaying ? DlqStatus::kPending : e.status));
    insert.bind(":replays", e.replay_count);
    insert.bind(":updated", e.updated_at.empty() ? e.last_failed_at : e.updated_at);
}

DlqEntry read_dlq_entry(Statement& query) {
    DlqEntry e;
    e.entry_id = query.getColumn(0).getText();
    e.source = query.getColumn(1).getText();
    e.adapter_id = query.getColumn(2).getText();
    e.message_id = query.getColumn(3).getText();
    e.correlation_id = query.getColumn(4).getText();
    e.causation_id = query.getColumn(5).getText();
    e.connector_code = query.getColumn(6).getText();
    e.target_url = query.getColumn(7).getText();
    e.payload = query.getColumn(8).getBlob();
    e.headers_json = query.getColumn(9).getText();
    e.error_code = query.getColumn(10).getText();
    e.error_message = query.getColumn(11).getText();
    e.attempts_json = query.getColumn(12).getText();
    e.first_failed_at = query.getColumn(13).getText();
    e.last_failed_at = query.getColumn(14).getText();
    // An unreadable status (a damaged row) reads as pending, as an
    // unreadable mapping status reads as pending_review.
    e.status = parse_dlq_status(query.getColumn(15).getText()).value_or(DlqStatus::kPending);
    e.replay_count = query.getColumn(16).getInt();
    e.lease_owner = query.getColumn(17).getText();
    e.lease_expires_at = text_or_empty(query.getColumn(18));
    e.updated_at = query.getColumn(19).getText();
    return e;
}

std::vector<DlqEntry> read_all(Statement& query) {
    std::vector<DlqEntry> entries;
    while (query.executeStep()) {
        entries.push_back(read_dlq_entry(query));
    }
    return entries;
}

// SELECT columns of the entries filter selects, in its order.
std::string filtered_dlq_sql(const char* columns, const DlqFilter& filter) {
    std::string sql = std::string("SELECT ") + columns +
                      " FROM dlq WHERE tenant_id = :tenant"
                      " AND (:source = '' OR source = :source)"
                      " AND (:adapter = '' OR adapter_id = :adapter)"
                      " AND (:connector = '' OR connector_code = :connector)"
                      " AND (:code = '' OR error_code = :code)"
                      " AND (:since = '' OR last_failed_at >= :since)"
                      " AND (:until = '' OR last_failed_at < :until)"
                      " AND (CASE WHEN :status = '' THEN status <> 'archived'"
                      " ELSE status = :status END)";
    if (!filter.entry_ids.empty()) {
        sql += " AND entry_id = ANY (SELECT jsonb_array_elements_text(:ids::jsonb))";
    }
    sql += filter.newest_first ? " ORDER BY last_failed_at DESC, id DESC" : " ORDER BY id";
    if (filter.limit > 0) {
        sql += " LIMIT " + std::to_string(filter.limit);
    }
    return sql;
}

void bind_filter(Statement& query, const std::string& tenant, const DlqFilter& filter) {
    query.bind(":tenant", tenant);
    query.bind(":source", filter.source);
    query.bind(":adapter", filter.adapter_id);
    query.bind(":connector", filter.connector_code);
    query.bind(":code", filter.error_code);
    query.bind(":since", filter.since);
    query.bind(":until", filter.until);
    query.bind(":status", filter.status ? to_string(*filter.status) : "");
    if (!filter.entry_ids.empty()) {
        query.bind(":ids", Json(filter.entry_ids).dump());
    }
}

}  // namespace

void PgStore::insert_dlq(const DlqEntry& e) {
    Statement insert(db_, kInsertDlq);
    bind_entry(insert, tenant_, e);
    insert.exec();
}

bool PgStore::insert_dlq_if_absent(const DlqEntry& e) {
    Statement insert(db_, kInsertDlqIfAbsent);
    bind_entry(insert, tenant_, e);
    return insert.exec() == 1;
}

std::vector<DlqEntry> PgStore::list_dlq() {
    Statement query(db_, "SELECT " DLQ_COLUMNS " FROM dlq WHERE tenant_id = ? ORDER BY id");
    query.bind(1, tenant_);
    return read_all(query);
}

std::vector<DlqEntry> PgStore::list_dlq(const DlqFilter& filter) {
    Statement query(db_, filtered_dlq_sql(DLQ_COLUMNS, filter));
    bind_filter(query, tenant_, filter);
    return read_all(query);
}

std::vector<std::string> PgStore::list_dlq_ids(const DlqFilter& filter) {
    Statement query(db_, filtered_dlq_sql("entry_id", filter));
    bind_filter(query, tenant_, filter);
    std::vector<std::string> ids;
    while (query.executeStep()) {
        ids.push_back(query.getColumn(0).getText());
    }
    return ids;
}

std::optional<DlqEntry> PgStore::find_dlq(const std::string& entry_id) {
    Statement query(db_, "SELECT " DLQ_COLUMNS " FROM dlq WHERE tenant_id = ? AND entry_id = ?");
    query.bind(1, tenant_);
    query.bind(2, entry_id);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_dlq_entry(query);
}

std::vector<DlqEntry> PgStore::find_dlq_by_message(const std::string& message_id) {
    Statement query(
        db_, "SELECT " DLQ_COLUMNS " FROM dlq WHERE tenant_id = ? AND message_id = ? ORDER BY id");
    query.bind(1, tenant_);
    query.bind(2, message_id);
    return read_all(query);
}

void PgStore::set_dlq_status(const std::string& entry_id, DlqStatus status, const std::string& at) {
    Statement update(
        db_,
        "UPDATE dlq SET status = :status, updated_at = :at, lease_owner = '', "
        "lease_expires_at = CASE WHEN :status = 'replaying' THEN :at ELSE NULL END, "
        "replay_count = replay_count + (CASE WHEN :status = 'replayed' THEN 1 ELSE 0 END) "
        "WHERE tenant_id = :tenant AND entry_id = :entry");
    update.bind(":status", to_string(status));
    update.bind(":at", at);
    update.bind(":tenant", tenant_);
    update.bind(":entry", entry_id);
    update.exec();
}

bool PgStore::claim_dlq(const std::string& entry_id, const std::string& owner,
                        const std::string& now, const std::string& expires_at) {
    // SKIP LOCKED: an entry another replay is claiming this instant is
    // theirs; this one moves on rather than waiting for it.
    Statement update(
        db_,
        "UPDATE dlq SET status = 'replaying', lease_owner = :owner, lease_expires_at = :expires, "
        "updated_at = :now WHERE id = (SELECT id FROM dlq WHERE tenant_id = :tenant AND "
        "entry_id = :entry AND (status = 'pending' OR (status = 'replaying' AND "
        "lease_expires_at <= :now)) FOR UPDATE SKIP LOCKED)");
    update.bind(":owner", owner);
    update.bind(":expires", expires_at);
    update.bind(":now", now);
    update.bind(":tenant", tenant_);
    update.bind(":entry", entry_id);
    return update.exec() == 1;
}

bool PgStore::release_dlq(const DlqEntry& e, const std::string& owner) {
    Statement update(db_,
                     "UPDATE dlq SET status = :status, lease_owner = '', lease_expires_at = NULL, "
                     "attempts = :attempts, error_code = :code, error_message = :error, "
                     "last_failed_at = greatest(last_failed_at, :last), replay_count = :replays, "
                     "updated_at = :updated WHERE tenant_id = :tenant AND entry_id = :entry AND "
                     "status = 'replaying' AND lease_owner = :owner");
    // Released, an entry is never left replaying without a lease.
    update.bind(":status",
                to_string(e.status == DlqStatus::kReplaying ? DlqStatus::kPending : e.status));
    update.bind(":attempts", e.attempts_json);
    update.bind(":code", e.error_code);
    update.bind(":error", e.error_message);
    update.bind(":last", e.last_failed_at);
    update.bind(":replays", e.replay_count);
    update.bind(":updated", e.updated_at);
    update.bind(":tenant", tenant_);
    update.bind(":entry", e.entry_id);
    update.bind(":owner", owner);
    return update.exec() == 1;
}

bool PgStore::delete_dlq(const std::string& entry_id) {
    Statement remove(db_, "DELETE FROM dlq WHERE tenant_id = ? AND entry_id = ?");
    remove.bind(1, tenant_);
    remove.bind(2, entry_id);
    return remove.exec() == 1;
}

std::vector<DlqSummary> PgStore::summarize_dlq() {
    Statement query(db_,
                    "SELECT adapter_id, count(*), min(first_failed_at) FROM dlq WHERE "
                    "tenant_id = ? AND status IN ('pending', 'replaying') GROUP BY "
                    "adapter_id ORDER BY adapter_id");
    query.bind(1, tenant_);
    std::vector<DlqSummary> summaries;
    while (query.executeStep()) {
        summaries.push_back({query.getColumn(0).getString(), query.getColumn(1).getInt64(),
                             query.getColumn(2).getString()});
    }
    return summaries;
}

void PgStore::insert_dlq_replay(const DlqReplay& r) {
    Statement insert(db_,
                     "INSERT INTO dlq_replays (tenant_id, entry_id, at, actor, mode, "
                     "outcome, execution_id, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, tenant_);
    insert.bind(2, r.entry_id);
    insert.bind(3, r.at);
    insert.bind(4, r.actor);
    insert.bind(5, r.mode);
    insert.bind(6, r.outcome);
    insert.bind(7, r.execution_id);
    insert.bind(8, r.error);
    insert.exec();
}

std::vector<DlqReplay> PgStore::list_dlq_replays(const std::string& entry_id) {
    Statement query(db_,
                    "SELECT entry_id, at, actor, mode, outcome, execution_id, error FROM "
                    "dlq_replays WHERE tenant_id = ? AND entry_id = ? ORDER BY id");
    query.bind(1, tenant_);
    query.bind(2, entry_id);
    std::vector<DlqReplay> replays;
    while (query.executeStep()) {
        DlqReplay r;
        r.entry_id = query.getColumn(0).getText();
        r.at = query.getColumn(1).getText();
        r.actor = query.getColumn(2).getText();
        r.mode = query.getColumn(3).getText();
        r.outcome = query.getColumn(4).getText();
        r.execution_id = query.getColumn(5).getText();
        r.error = query.getColumn(6).getText();
        replays.push_back(std::move(r));
    }
    return replays;
}

}  // namespace salesint::store::pg
