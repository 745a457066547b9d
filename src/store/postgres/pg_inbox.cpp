
#include "pg_store.hpp"

namespace salesint::store::pg {
namespace {

#define INBOX_COLUMNS                                                                      \
    "id, delivery_id, scheme, headers, body, verdict, received_at, processed_at, reason, " \
    "forward_attempts, forward_error"

InboxEntry read_inbox(Statement& row) {
    InboxEntry e;
    e.id = row.getColumn(0).getInt64();
    e.delivery_id = row.getColumn(1).getText();
    e.scheme = row.getColumn(2).getText();
    e.headers_json = row.getColumn(3).getText();
    e.body = row.getColumn(4).getBlob();  // bytea: binary-safe
    e.verdict = row.getColumn(5).getText();
    e.received_at = row.getColumn(6).getText();
    e.processed_at = row.getColumn(7).getText();
    e.reason = row.getColumn(8).getText();
    e.forward_attempts = row.getColumn(9).getInt();
    e.forward_error = row.getColumn(10).getText();
    return e;
}

std::vector<InboxEntry> read_all(Statement& query) {
    std::vector<InboxEntry> entries;
    while (query.executeStep()) {
        entries.push_back(read_inbox(query));
    }
    return entries;
}

}  // namespace

bool PgStore::insert_inbox(const InboxEntry& entry) {
    Statement insert(db_,
                     "INSERT INTO inbox (tenant_id, delivery_id, scheme, headers, body, "
                     "verdict, received_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT (tenant_id, scheme, delivery_id) DO NOTHING");
    insert.bind(1, tenant_);
    insert.bind(2, entry.delivery_id);
    insert.bind(3, entry.scheme);
    insert.bind(4, entry.headers_json);
    insert.bind(5, entry.body.data(), static_cast<int>(entry.body.size()));
    insert.bind(6, entry.verdict);
    insert.bind(7, entry.received_at);
    insert.bind(8, entry.reason);
    return insert.exec() == 1;
}

void PgStore::mark_inbox_processed(const std::string& scheme, const std::string& delivery_id,
                                   const std::string& at) {
    Statement update(db_,
                     "UPDATE inbox SET processed_at = ? WHERE tenant_id = ? AND scheme = ? "
                     "AND delivery_id = ?");
    update.bind(1, at);
    update.bind(2, tenant_);
    update.bind(3, scheme);
    update.bind(4, delivery_id);
    update.exec();
}

std::vector<InboxEntry> PgStore::list_inbox() {
    return list_inbox(InboxFilter{});
}

std::vector<InboxEntry> PgStore::list_inbox(const InboxFilter& filter) {
    std::string sql = "SELECT " INBOX_COLUMNS
                      " FROM inbox WHERE tenant_id = :tenant"
                      " AND (:since = '' OR received_at >= :since)";
    switch (filter.view) {
        case InboxView::kAccepted:
            sql += " AND verdict <> 'rejected'";
            break;
        case InboxView::kRejected:
            sql += " AND verdict = 'rejected'";
            break;
        case InboxView::kUnprocessed:
            sql += " AND verdict <> 'rejected' AND processed_at IS NULL";
            break;
        case InboxView::kAll:
            break;
    }
    sql += filter.view == InboxView::kUnprocessed ? " ORDER BY id" : " ORDER BY id DESC";
    if (filter.limit > 0) {
        sql += " LIMIT " + std::to_string(filter.limit);
    }
    Statement query(db_, sql);
    query.bind(":tenant", tenant_);
    query.bind(":since", filter.since);
    return read_all(query);
}

std::optional<InboxEntry> PgStore::find_inbox_by_id(std::int64_t id) {
    Statement query(db_, "SELECT " INBOX_COLUMNS " FROM inbox WHERE tenant_id = ? AND id = ?");
    query.bind(1, tenant_);
    query.bind(2, id);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_inbox(query);
}

void PgStore::record_inbox_forward_failure(std::int64_t id, const std::string& error) {
    Statement update(db_,
                     "UPDATE inbox SET forward_attempts = forward_attempts + 1, "
                     "forward_error = ? WHERE tenant_id = ? AND id = ?");
    update.bind(1, error);
    update.bind(2, tenant_);
    update.bind(3, id);
    update.exec();
}

std::vector<InboxEntry> PgStore::find_inbox(const std::string& delivery_id) {
    Statement query(db_, "SELECT " INBOX_COLUMNS
                         " FROM inbox WHERE tenant_id = ? AND delivery_id = ? ORDER BY id");
    query.bind(1, tenant_);
    query.bind(2, delivery_id);
    return read_all(query);
}

}  // namespace salesint::store::pg
