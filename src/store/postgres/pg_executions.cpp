// Executions and the outbox: what `execute` records, in one transaction per
// input (or per batch chunk).

#include <limits>

#include "pg_store.hpp"

namespace salesint::store::pg {
namespace {

void bind_text_or_null(Statement& statement, const char* name, const std::string& text) {
    if (text.empty()) {
        statement.bind(name);  // NULL
    } else {
        statement.bind(name, text);
    }
}

// A text[] literal: {"a","b"}, each element quoted.
std::string text_array(const std::vector<std::string>& values) {
    std::string array = "{";
    for (const std::string& value : values) {
        array += array.size() > 1 ? ",\"" : "\"";
        for (char c : value) {
            if (c == '"' || c == '\\') {
                array += '\\';
            }
            array += c;
        }
        array += '"';
    }
    return array + "}";
}

std::string bigint_array(const std::vector<std::int64_t>& values) {
    std::string array = "{";
    for (std::int64_t value : values) {
        array += (array.size() > 1 ? "," : "") + std::to_string(value);
    }
    return array + "}";
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

Execution read_execution(Statement& query) {
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

std::optional<Execution> PgStore::find_execution(const std::string& message_id,
                                                 ExecutionMode mode) {
    Statement query(db_, "SELECT " EXECUTION_COLUMNS
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

std::optional<Execution> PgStore::find_execution_by_id(const std::string& execution_id) {
    Statement query(db_, "SELECT " EXECUTION_COLUMNS
                         " FROM executions WHERE tenant_id = ? AND execution_id = ?");
    query.bind(1, tenant_);
    query.bind(2, execution_id);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_execution(query);
}

std::vector<Execution> PgStore::list_executions(const ExecutionFilter& filter) {
    Statement query(db_, "SELECT " EXECUTION_COLUMNS
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
    query.bind(":limit", filter.limit > 0 ? filter.limit : std::numeric_limits<int>::max());
    std::vector<Execution> executions;
    while (query.executeStep()) {
        executions.push_back(read_execution(query));
    }
    return executions;
}

bool PgStore::insert_execution(const Execution& e) {
    Statement insert(
        db_,
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
    return insert.exec() == 1;
}

bool PgStore::update_execution(const Execution& e, int expected_retries) {
    Statement update(
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

void PgStore::insert_execution_attempts(const std::string& execution_id,
                                        const std::vector<ExecutionAttempt>& attempts) {
    if (attempts.empty()) {
        return;  // a local run: preparing the statement would cost more than the insert
    }
    Statement insert(
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

std::vector<ExecutionAttempt> PgStore::list_execution_attempts(const std::string& execution_id) {
    Statement query(
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

void PgStore::insert_outbox(const OutboxMessage& m) {
    Statement insert(db_,
                     "INSERT INTO outbox (tenant_id, message_id, topic, partition_key, "
                     "envelope, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind(1, tenant_);
    insert.bind(2, m.message_id);
    insert.bind(3, m.topic);
    insert.bind(4, m.partition_key);
    insert.bind(5, m.envelope_json);
    insert.bind(6, m.created_at);
    insert.exec();
}

namespace {

#define OUTBOX_COLUMNS                                                           \
    "id, message_id, topic, partition_key, envelope, created_at, published_at, " \
    "publish_attempts, last_error, dead_lettered_at"

std::vector<OutboxMessage> read_outbox(Statement& query) {
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

std::vector<OutboxMessage> PgStore::list_outbox(const std::string& topic) {
    Statement query(db_, "SELECT " OUTBOX_COLUMNS
                         " FROM outbox WHERE tenant_id = ? AND (? = '' OR topic = ?) ORDER BY id");
    query.bind(1, tenant_);
    query.bind(2, topic);
    query.bind(3, topic);
    return read_outbox(query);
}

std::vector<OutboxMessage> PgStore::list_outbox_caused_by(const std::string& message_id) {
    // Only envelopes that name the message id as text are parsed; a damaged
    // envelope is skipped (state check reports it), not an SQL error.
    Statement query(
        db_, "SELECT " OUTBOX_COLUMNS
             " FROM outbox WHERE tenant_id = ?1 AND strpos(envelope, ?2) > 0 AND CASE WHEN "
             "salesint_is_json(envelope) THEN envelope::jsonb #>> '{meta,causation_id}' = ?2 "
             "ELSE false END ORDER BY id");
    query.bind(1, tenant_);
    query.bind(2, message_id);
    return read_outbox(query);
}

std::vector<OutboxMessage> PgStore::list_outbox(const OutboxFilter& filter) {
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
    Statement query(db_, sql);
    query.bind(":tenant", tenant_);
    query.bind(":after", filter.after_id);
    query.bind(":topic", filter.topic);
    query.bind(":since", filter.since);
    return read_outbox(query);
}

std::optional<OutboxMessage> PgStore::find_outbox(std::int64_t id) {
    Statement query(db_, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE tenant_id = ? AND id = ?");
    query.bind(1, tenant_);
    query.bind(2, id);
    auto found = read_outbox(query);
    if (found.empty()) {
        return std::nullopt;
    }
    return std::move(found.front());
}

void PgStore::mark_outbox_published(const std::vector<std::int64_t>& ids, const std::string& at) {
    if (ids.empty()) {
        return;
    }
    // One statement for the whole batch: a round trip per envelope would
    // bound the relay by the network's latency.
    Statement update(db_,
                     "UPDATE outbox SET published_at = ? FROM unnest(?::bigint[]) AS batch(id) "
                     "WHERE outbox.id = batch.id AND tenant_id = ? AND published_at IS NULL");
    update.bind(1, at);
    update.bind(2, bigint_array(ids));
    update.bind(3, tenant_);
    update.exec();
}

void PgStore::record_outbox_failure(std::int64_t id, const std::string& error) {
    Statement update(db_,
                     "UPDATE outbox SET publish_attempts = publish_attempts + 1, "
                     "last_error = ? WHERE tenant_id = ? AND id = ?");
    update.bind(1, error);
    update.bind(2, tenant_);
    update.bind(3, id);
    update.exec();
}

void PgStore::mark_outbox_dead_lettered(std::int64_t id, const std::string& at) {
    Statement update(db_,
                     "UPDATE outbox SET dead_lettered_at = ? WHERE tenant_id = ? AND id = ? "
                     "AND published_at IS NULL");
    update.bind(1, at);
    update.bind(2, tenant_);
    update.bind(3, id);
    update.exec();
}

bool PgStore::requeue_outbox(const std::string& message_id) {
    Statement update(db_,
                     "UPDATE outbox SET dead_lettered_at = NULL, publish_attempts = 0, "
                     "last_error = '' WHERE tenant_id = ? AND message_id = ? AND "
                     "published_at IS NULL");
    update.bind(1, tenant_);
    update.bind(2, message_id);
    return update.exec() == 1;
}

OutboxBacklog PgStore::outbox_backlog() {
    // The partial index outbox_unpublished finds them.
    Statement query(db_,
                    "SELECT count(*), coalesce(min(created_at), '') FROM outbox WHERE "
                    "tenant_id = ? AND published_at IS NULL AND dead_lettered_at IS NULL");
    query.bind(1, tenant_);
    query.executeStep();
    return {query.getColumn(0).getInt64(), query.getColumn(1).getString()};
}

std::vector<ExecutionSample> PgStore::list_execution_samples(const std::string& since,
                                                             const std::string& adapter_id) {
    Statement query(db_,
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

std::optional<std::vector<std::string>> PgStore::hold_outbox_keys(
    const std::vector<std::string>& keys) {
    // Session locks, released by release_outbox_keys() or when the relay's
    // connection ends (a killed relay holds nothing). Keys share 1,024 locks
    // by their hash, so that a batch of many keys takes a bounded number of
    // PostgreSQL's lock slots; a key is always behind the same lock.
    Statement hold(db_,
                   "SELECT key FROM unnest(?::text[]) AS key WHERE NOT pg_try_advisory_lock("
                   "1396788294, (hashtextextended(? || key, 0) & 1023)::integer)");
    hold.bind(1, text_array(keys));
    hold.bind(2, tenant_ + '\n');
    std::vector<std::string> busy;
    while (hold.executeStep()) {
        busy.push_back(hold.getColumn(0).getString());
    }
    return busy;
}

void PgStore::release_outbox_keys() {
    db_.exec("SELECT pg_advisory_unlock_all()");
}

std::vector<std::int64_t> PgStore::unpublished_among(const std::vector<std::int64_t>& ids) {
    Statement query(db_,
                    "SELECT outbox.id FROM outbox JOIN unnest(?::bigint[]) AS batch(id) "
                    "ON outbox.id = batch.id WHERE tenant_id = ? AND published_at IS NULL AND "
                    "dead_lettered_at IS NULL ORDER BY outbox.id");
    query.bind(1, bigint_array(ids));
    query.bind(2, tenant_);
    std::vector<std::int64_t> unpublished;
    while (query.executeStep()) {
        unpublished.push_back(query.getColumn(0).getInt64());
    }
    return unpublished;
}

}  // namespace salesint::store::pg
