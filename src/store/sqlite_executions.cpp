// Executions and the outbox: what `execute` records, in one transaction per
// input (or per batch chunk).
#include <SQLiteCpp/Statement.h>

#include "sqlite_store.hpp"

namespace salesint::store {
namespace {

void bind_text_or_null(SQLite::Statement& statement, const char* name, const std::string& text) {
    if (text.empty()) {
        statement.bind(name);  // NULL
    } else {
        statement.bind(name, text);
    }
}

// Replaces the first copy of value in text by marker, for a value long
// enough to be worth it; whether it did.
bool stand_in(std::string& text, const std::string& value, char marker) {
    constexpr std::size_t kShortestWorthIt = 64;
    const std::size_t at = value.size() >= kShortestWorthIt ? text.find(value) : std::string::npos;
    if (at == std::string::npos) {
        return false;
    }
    text.replace(at, value.size(), 1, marker);
    return true;
}

// A status the schema does not allow is a damaged row. Like an unreadable
// mapping status (read as pending_review), it reads as the answer that claims
// least: failed, never a success to replay.
ExecutionStatus recorded_status(const std::string& text) {
    const std::optional<ExecutionStatus> status = parse_execution_status(text);
    return status && is_recorded(*status) ? *status : ExecutionStatus::kFailed;
}

#define EXECUTION_COLUMNS                                                                 \
    "execution_id, message_id, adapter_id, adapter_version, mode, connector_code, "       \
    "input_sha256, input, status, output, error, attempts, duration_ms, correlation_id, " \
    "causation_id, created_at, retries, updated_at"

Execution read_execution(SQLite::Statement& query) {
    Execution e;
    e.execution_id = query.getColumn(0).getString();
    e.message_id = query.getColumn(1).getString();
    e.adapter_id = query.getColumn(2).getString();
    e.adapter_version = query.getColumn(3).getString();
    e.mode = parse_execution_mode(query.getColumn(4).getString())
                 .value_or(ExecutionMode::kDeterministic);
    e.connector_code = query.getColumn(5).getString();
    e.input_sha256 = query.getColumn(6).getString();
    e.input = query.getColumn(7).getString();
    e.status = recorded_status(query.getColumn(8).getString());
    e.output_json = text_or_empty(query.getColumn(9));
    e.error_json = text_or_empty(query.getColumn(10));
    e.attempts = query.getColumn(11).getInt();
    e.duration_ms = query.getColumn(12).getInt64();
    e.correlation_id = query.getColumn(13).getString();
    e.causation_id = query.getColumn(14).getString();
    e.created_at = query.getColumn(15).getString();
    e.retries = query.getColumn(16).getInt();
    e.updated_at = query.getColumn(17).getString();
    return e;
}

}  // namespace

SQLite::Statement& SqliteStore::cached(std::unique_ptr<SQLite::Statement>& slot, const char* sql) {
    if (!slot) {
        slot = std::make_unique<SQLite::Statement>(db_, sql);
    } else {
        slot->reset();
        slot->clearBindings();
    }
    return *slot;
}

std::optional<Execution> SqliteStore::find_execution(const std::string& message_id,
                                                     ExecutionMode mode) {
    SQLite::Statement& query = cached(
        find_execution_, "SELECT " EXECUTION_COLUMNS
                         " FROM executions WHERE tenant_id = ? AND message_id = ? AND mode = ?");
    query.bind(1, tenant_);
    query.bind(2, message_id);
    query.bind(3, to_string(mode));
    if (!query.executeStep()) {
        return std::nullopt;
    }
    Execution e = read_execution(query);
    query.reset();
    return e;
}

std::optional<Execution> SqliteStore::find_execution_by_id(const std::string& execution_id) {
    SQLite::Statement query(db_, "SELECT " EXECUTION_COLUMNS
                                 " FROM executions WHERE tenant_id = ? AND execution_id = ?");
    query.bind(1, tenant_);
    query.bind(2, execution_id);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_execution(query);
}

std::vector<Execution> SqliteStore::list_executions(const ExecutionFilter& filter) {
    SQLite::Statement query(db_, "SELECT " EXECUTION_COLUMNS
                                 " FROM executions WHERE tenant_id = :tenant"
                                 " AND (:adapter = '' OR adapter_id = :adapter)"
                                 " AND (:status = '' OR status = :status)"
                                 " AND (:since = '' OR updated_at >= :since)"
                                 " AND (:message = '' OR message_id = :message)"
                                 " ORDER BY updated_at DESC, id DESC LIMIT :limit");
    query.bind(":tenant", tenant_);
    query.bind(":adapter", filter.adapter_id);
    query.bind(":status", filter.status ? std::string(to_string(*filter.status)) : std::string());
    query.bind(":since", filter.since);
    query.bind(":message", filter.message_id);
    query.bind(":limit", filter.limit > 0 ? filter.limit : -1);
    std::vector<Execution> executions;
    while (query.executeStep()) {
        executions.push_back(read_execution(query));
    }
    return executions;
}

bool SqliteStore::insert_execution(const Execution& e) {
    SQLite::Statement& insert = cached(
        insert_execution_,
        "INSERT INTO executions (tenant_id, execution_id, message_id, adapter_id, "
        "adapter_version, mode, connector_code, input_sha256, input, status, output, error, "
        "attempts, duration_ms, correlation_id, causation_id, created_at, retries, updated_at) "
        "VALUES (:tenant, :execution, :message, :adapter, :version, :mode, :connector, :sha, "
        ":input, :status, :output, :error, :attempts, :duration, :correlation, :causation, "
        ":created, :retries, :updated) "
        "ON CONFLICT (tenant_id, message_id, mode) DO NOTHING");
    insert.bind(":tenant", tenant_);
    insert.bind(":execution", e.execution_id);
    insert.bind(":message", e.message_id);
    insert.bind(":adapter", e.adapter_id);
    insert.bind(":version", e.adapter_version);
    insert.bind(":mode", to_string(e.mode));
    insert.bind(":connector", e.connector_code);
    insert.bind(":sha", e.input_sha256);
    insert.bind(":input", e.input);
    insert.bind(":status", to_string(e.status));
    bind_text_or_null(insert, ":output", e.output_json);
    bind_text_or_null(insert, ":error", e.error_json);
    insert.bind(":attempts", e.attempts);
    insert.bind(":duration", e.duration_ms);
    insert.bind(":correlation", e.correlation_id);
    insert.bind(":causation", e.causation_id);
    insert.bind(":created", e.created_at);
    insert.bind(":retries", e.retries);
    insert.bind(":updated", e.updated_at.empty() ? e.created_at : e.updated_at);
    const bool inserted = insert.exec() == 1;
    last_execution_ = inserted ? LastExecution{db_.getLastInsertRowid(), e.input, e.output_json}
                               : LastExecution{};
    return inserted;
}

bool SqliteStore::update_execution(const Execution& e, int expected_retries) {
    last_execution_ = {};
    // Envelopes that refer to the input or the output keep them as they were
    // (migration 7).
    SQLite::Statement keep(db_,
                           "UPDATE outbox_rows SET envelope = replace(replace(envelope, char(1), "
                           "e.input), char(2), ifnull(e.output, '')), envelope_from = NULL FROM "
                           "executions e WHERE e.tenant_id = :tenant AND e.execution_id = "
                           ":execution AND (e.input IS NOT :input OR e.output IS NOT :output) "
                           "AND outbox_rows.envelope_from = e.id");
    keep.bind(":tenant", tenant_);
    keep.bind(":execution", e.execution_id);
    keep.bind(":input", e.input);
    bind_text_or_null(keep, ":output", e.output_json);
    keep.exec();
    SQLite::Statement update(
        db_,
        "UPDATE executions SET connector_code = :connector, input_sha256 = :sha, input = :input, "
        "status = :status, output = :output, error = :error, attempts = :attempts, "
        "duration_ms = :duration, retries = :retries, updated_at = :updated "
        "WHERE tenant_id = :tenant AND execution_id = :execution AND retries = :expected");
    update.bind(":tenant", tenant_);
    update.bind(":execution", e.execution_id);
    update.bind(":connector", e.connector_code);
    update.bind(":sha", e.input_sha256);
    update.bind(":input", e.input);
    update.bind(":status", to_string(e.status));
    bind_text_or_null(update, ":output", e.output_json);
    bind_text_or_null(update, ":error", e.error_json);
    update.bind(":attempts", e.attempts);
    update.bind(":duration", e.duration_ms);
    update.bind(":retries", e.retries);
    update.bind(":updated", e.updated_at);
    update.bind(":expected", expected_retries);
    return update.exec() == 1;
}

void SqliteStore::insert_execution_attempts(const std::string& execution_id,
                                            const std::vector<ExecutionAttempt>& attempts) {
    if (attempts.empty()) {
        return;  // a local run: preparing the statement would cost more than the insert
    }
    SQLite::Statement insert(
        db_,
        "INSERT INTO execution_attempts (tenant_id, execution_id, run, attempt, at, http_status, "
        "duration_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const ExecutionAttempt& a : attempts) {
        insert.reset();
        insert.bind(1, tenant_);
        insert.bind(2, execution_id);
        insert.bind(3, a.run);
        insert.bind(4, a.attempt);
        insert.bind(5, a.at);
        if (a.http_status) {
            insert.bind(6, *a.http_status);
        } else {
            insert.bind(6);  // NULL
        }
        insert.bind(7, a.duration_ms);
        insert.bind(8, a.error);
        insert.exec();
    }
}

std::vector<ExecutionAttempt> SqliteStore::list_execution_attempts(
    const std::string& execution_id) {
    SQLite::Statement query(
        db_,
        "SELECT run, attempt, at, http_status, duration_ms, error FROM execution_attempts "
        "WHERE tenant_id = ? AND execution_id = ? ORDER BY run, attempt");
    query.bind(1, tenant_);
    query.bind(2, execution_id);
    std::vector<ExecutionAttempt> attempts;
    while (query.executeStep()) {
        ExecutionAttempt a;
        a.run = query.getColumn(0).getInt();
        a.attempt = query.getColumn(1).getInt();
        a.at = query.getColumn(2).getString();
        if (!query.getColumn(3).isNull()) {
            a.http_status = query.getColumn(3).getInt();
        }
        a.duration_ms = query.getColumn(4).getInt64();
        a.error = query.getColumn(5).getString();
        attempts.push_back(std::move(a));
    }
    return attempts;
}

void SqliteStore::insert_outbox(const OutboxMessage& m) {
    SQLite::Statement& insert = cached(insert_outbox_,
                                       "INSERT INTO outbox_rows (tenant_id, message_id, topic, "
                                       "partition_key, envelope, created_at, envelope_from) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, tenant_);
    insert.bind(2, m.message_id);
    insert.bind(3, m.topic);
    insert.bind(4, m.partition_key);
    insert.bind(6, m.created_at);
    // An envelope carrying the input or the output of the execution just
    // recorded in this transaction refers to them instead of holding second
    // copies (migration 7).
    std::string spliced;
    bool refers = false;
    if (last_execution_.rowid != 0 &&
        m.envelope_json.find_first_of("\x01\x02") == std::string::npos) {
        spliced = m.envelope_json;
        refers = stand_in(spliced, last_execution_.input, '\x01');
        refers = stand_in(spliced, last_execution_.output, '\x02') || refers;
    }
    // Not copied again by SQLite: both strings outlive the statement's run.
    insert.bindNoCopy(5, refers ? spliced : m.envelope_json);
    if (refers) {
        insert.bind(7, last_execution_.rowid);
    } else {
        insert.bind(7);  // NULL
    }
    insert.exec();
}

namespace {

#define OUTBOX_COLUMNS                                                           \
    "id, message_id, topic, partition_key, envelope, created_at, published_at, " \
    "publish_attempts, last_error, dead_lettered_at"

std::vector<OutboxMessage> read_outbox(SQLite::Statement& query) {
    std::vector<OutboxMessage> messages;
    while (query.executeStep()) {
        OutboxMessage m;
        m.id = query.getColumn(0).getInt64();
        m.message_id = query.getColumn(1).getString();
        m.topic = query.getColumn(2).getString();
        m.partition_key = query.getColumn(3).getString();
        m.envelope_json = query.getColumn(4).getString();
        m.created_at = query.getColumn(5).getString();
        m.published_at = text_or_empty(query.getColumn(6));
        m.publish_attempts = query.getColumn(7).getInt();
        m.last_error = query.getColumn(8).getString();
        m.dead_lettered_at = text_or_empty(query.getColumn(9));
        messages.push_back(std::move(m));
    }
    return messages;
}

}  // namespace

std::vector<OutboxMessage> SqliteStore::list_outbox(const std::string& topic) {
    SQLite::Statement query(
        db_, "SELECT " OUTBOX_COLUMNS
             " FROM outbox WHERE tenant_id = ? AND (? = '' OR topic = ?) ORDER BY id");
    query.bind(1, tenant_);
    query.bind(2, topic);
    query.bind(3, topic);
    return read_outbox(query);
}

std::vector<OutboxMessage> SqliteStore::list_outbox_caused_by(const std::string& message_id) {
    // json_valid first: a damaged envelope is skipped (state check reports
    // it), not an SQL error.
    SQLite::Statement query(
        db_, "SELECT " OUTBOX_COLUMNS
             " FROM outbox WHERE tenant_id = ? AND CASE WHEN json_valid(envelope) "
             "THEN json_extract(envelope, '$.meta.causation_id') = ? ELSE 0 END ORDER BY id");
    query.bind(1, tenant_);
    query.bind(2, message_id);
    return read_outbox(query);
}

std::vector<OutboxMessage> SqliteStore::list_outbox(const OutboxFilter& filter) {
    std::string sql = "SELECT " OUTBOX_COLUMNS
                      " FROM outbox WHERE tenant_id = :tenant AND id > :after"
                      " AND (:topic = '' OR topic = :topic)"
                      " AND (:since = '' OR created_at >= :since)";
    if (filter.status) {
        switch (*filter.status) {
            case OutboxStatus::kPublished:
                sql += " AND published_at IS NOT NULL";
                break;
            case OutboxStatus::kDeadLettered:
                sql += " AND published_at IS NULL AND dead_lettered_at IS NOT NULL";
                break;
            case OutboxStatus::kFailed:
                sql +=
                    " AND published_at IS NULL AND dead_lettered_at IS NULL"
                    " AND publish_attempts > 0";
                break;
            case OutboxStatus::kPending:
                sql +=
                    " AND published_at IS NULL AND dead_lettered_at IS NULL"
                    " AND publish_attempts = 0";
                break;
        }
    }
    sql += filter.newest_first ? " ORDER BY id DESC" : " ORDER BY id";
    if (filter.limit > 0) {
        sql += " LIMIT " + std::to_string(filter.limit);
    }
    SQLite::Statement query(db_, sql);
    query.bind(":tenant", tenant_);
    query.bind(":after", filter.after_id);
    query.bind(":topic", filter.topic);
    query.bind(":since", filter.since);
    return read_outbox(query);
}

std::optional<OutboxMessage> SqliteStore::find_outbox(std::int64_t id) {
    SQLite::Statement query(db_,
                            "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE tenant_id = ? AND id = ?");
    query.bind(1, tenant_);
    query.bind(2, id);
    auto found = read_outbox(query);
    if (found.empty()) {
        return std::nullopt;
    }
    return std::move(found.front());
}

void SqliteStore::mark_outbox_published(const std::vector<std::int64_t>& ids,
                                        const std::string& at) {
    SQLite::Statement update(
        db_,
        "UPDATE outbox_rows SET published_at = ? WHERE tenant_id = ? AND id = ? "
        "AND published_at IS NULL");
    for (std::int64_t id : ids) {
        update.bind(1, at);
        update.bind(2, tenant_);
        update.bind(3, id);
        update.exec();
        update.reset();
    }
}

void SqliteStore::record_outbox_failure(std::int64_t id, const std::string& error) {
    SQLite::Statement update(db_,
                             "UPDATE outbox_rows SET publish_attempts = publish_attempts + 1, "
                             "last_error = ? WHERE tenant_id = ? AND id = ?");
    update.bind(1, error);
    update.bind(2, tenant_);
    update.bind(3, id);
    update.exec();
}

void SqliteStore::mark_outbox_dead_lettered(std::int64_t id, const std::string& at) {
    SQLite::Statement update(
        db_,
        "UPDATE outbox_rows SET dead_lettered_at = ? WHERE tenant_id = ? AND id = ? "
        "AND published_at IS NULL");
    update.bind(1, at);
    update.bind(2, tenant_);
    update.bind(3, id);
    update.exec();
}

bool SqliteStore::requeue_outbox(const std::string& message_id) {
    SQLite::Statement update(
        db_,
        "UPDATE outbox_rows SET dead_lettered_at = NULL, publish_attempts = 0, "
        "last_error = '' WHERE tenant_id = ? AND message_id = ? AND "
        "published_at IS NULL");
    update.bind(1, tenant_);
    update.bind(2, message_id);
    return update.exec() == 1;
}

OutboxBacklog SqliteStore::outbox_backlog() {
    // The outbox_unpublished index (tenant_id, published_at, id) finds them.
    SQLite::Statement query(db_,
                            "SELECT count(*), coalesce(min(created_at), '') FROM outbox WHERE "
                            "tenant_id = ? AND published_at IS NULL AND dead_lettered_at IS NULL");
    query.bind(1, tenant_);
    query.executeStep();
    return {query.getColumn(0).getInt64(), query.getColumn(1).getString()};
}

std::vector<ExecutionSample> SqliteStore::list_execution_samples(const std::string& since,
                                                                 const std::string& adapter_id) {
    SQLite::Statement query(db_,
                            "SELECT adapter_id, mode, status, duration_ms, created_at FROM "
                            "executions WHERE tenant_id = :tenant AND (:since = '' OR created_at "
                            ">= :since) AND (:adapter = '' OR adapter_id = :adapter) ORDER BY id");
    query.bind(":tenant", tenant_);
    query.bind(":since", since);
    query.bind(":adapter", adapter_id);
    std::vector<ExecutionSample> samples;
    while (query.executeStep()) {
        ExecutionSample s;
        s.adapter_id = query.getColumn(0).getString();
        s.mode = parse_execution_mode(query.getColumn(1).getString())
                     .value_or(ExecutionMode::kDeterministic);
        s.status = recorded_status(query.getColumn(2).getString());
        s.duration_ms = query.getColumn(3).getInt64();
        s.created_at = query.getColumn(4).getString();
        samples.push_back(std::move(s));
    }
    return samples;
}

std::optional<std::vector<std::string>> SqliteStore::hold_outbox_keys(
    const std::vector<std::string>& /*keys*/) {
    return std::nullopt;
}

void SqliteStore::release_outbox_keys() {}

std::vector<std::int64_t> SqliteStore::unpublished_among(const std::vector<std::int64_t>& ids) {
    std::string list;
    for (std::int64_t id : ids) {
        list += (list.empty() ? "" : ",") + std::to_string(id);
    }
    SQLite::Statement query(db_, "SELECT id FROM outbox_rows WHERE tenant_id = ? AND id IN (" +
                                     list +
                                     ") AND published_at IS NULL AND dead_lettered_at IS NULL "
                                     "ORDER BY id");
    query.bind(1, tenant_);
    std::vector<std::int64_t> unpublished;
    while (query.executeStep()) {
        unpublished.push_back(query.getColumn(0).getInt64());
    }
    return unpublished;
}

}  // namespace salesint::store
