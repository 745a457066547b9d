#include "migrations.hpp"

namespace salesint::store {
namespace {

// Version 1: the whole domain model (ARCHITECTURE.md, "The state file"), so
// that later features add behaviour rather than schema churn. Every row
// carries its tenant.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE connectors (
    tenant_id             TEXT NOT NULL CHECK (tenant_id <> ''),
    system_code           TEXT NOT NULL CHECK (system_code <> ''),
    name                  TEXT NOT NULL CHECK (name <> ''),
    is_active             INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    connection_type       TEXT NOT NULL DEFAULT '',
    base_url              TEXT NOT NULL DEFAULT '',
    auth_method           TEXT NOT NULL DEFAULT '',
    poll_interval_minutes INTEGER CHECK (poll_interval_minutes IS NULL OR poll_interval_minutes > 0),
    secret_env            TEXT NOT NULL DEFAULT '',  -- where a secret is found, never the secret
    secret_file           TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    PRIMARY KEY (tenant_id, system_code)
) WITHOUT ROWID;

CREATE TABLE mappings (
    id             INTEGER PRIMARY KEY,
    tenant_id      TEXT NOT NULL CHECK (tenant_id <> ''),
    system_code    TEXT NOT NULL,
    entity_type    TEXT NOT NULL CHECK (entity_type <> ''),
    external_id    TEXT NOT NULL CHECK (external_id <> ''),
    internal_uuid  TEXT NOT NULL CHECK (length(internal_uuid) = 36),
    mapping_status TEXT NOT NULL CHECK (mapping_status IN ('active', 'pending_review', 'retired')),
    last_seen_at   TEXT,
    metadata       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (tenant_id, system_code, entity_type, external_id),
    FOREIGN KEY (tenant_id, system_code) REFERENCES connectors (tenant_id, system_code)
);
CREATE INDEX mappings_by_uuid ON mappings (tenant_id, internal_uuid);

CREATE TABLE job_runs (
    id                    INTEGER PRIMARY KEY,
    tenant_id             TEXT NOT NULL CHECK (tenant_id <> ''),
    run_id                TEXT NOT NULL UNIQUE,
    system_code           TEXT NOT NULL,
    job_type              TEXT NOT NULL CHECK (job_type IN ('import', 'export')),
    entity_type           TEXT NOT NULL DEFAULT '',
    source                TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL
                          CHECK (status IN ('running', 'succeeded', 'failed', 'partial', 'cancelled')),
    started_at            TEXT NOT NULL,
    completed_at          TEXT CHECK (completed_at IS NULL OR completed_at >= started_at),
    requested_by_user_id  TEXT NOT NULL DEFAULT '',
    rows_total            INTEGER NOT NULL DEFAULT 0,
    rows_ok               INTEGER NOT NULL DEFAULT 0,
    resume_after_row      INTEGER NOT NULL DEFAULT 0,
    error_count           INTEGER NOT NULL DEFAULT 0,
    warning_count         INTEGER NOT NULL DEFAULT 0,
    result_summary        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(result_summary)),
    FOREIGN KEY (tenant_id, system_code) REFERENCES connectors (tenant_id, system_code)
);
CREATE INDEX job_runs_by_tenant ON job_runs (tenant_id, started_at);
CREATE TRIGGER job_runs_append_only BEFORE DELETE ON job_runs
BEGIN
    SELECT RAISE(ABORT, 'job runs are append-only');
END;

CREATE TABLE job_row_errors (
    id         INTEGER PRIMARY KEY,
    tenant_id  TEXT NOT NULL CHECK (tenant_id <> ''),
    job_run_id INTEGER NOT NULL REFERENCES job_runs (id),
    row_number INTEGER NOT NULL,
    severity   TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    code       TEXT NOT NULL,
    message    TEXT NOT NULL,
    pointer    TEXT NOT NULL DEFAULT '',
    raw_row    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_row_errors_by_run ON job_row_errors (job_run_id, row_number);

CREATE TABLE checkpoints (
    tenant_id        TEXT NOT NULL CHECK (tenant_id <> ''),
    system_code      TEXT NOT NULL,
    entity_type      TEXT NOT NULL CHECK (entity_type <> ''),
    value_kind       TEXT NOT NULL CHECK (value_kind IN ('integer', 'timestamp', 'string')),
    checkpoint_value TEXT NOT NULL,
    last_synced_at   TEXT,
    status           TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'error')),
    error_message    TEXT NOT NULL DEFAULT '',
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, system_code, entity_type),
    FOREIGN KEY (tenant_id, system_code) REFERENCES connectors (tenant_id, system_code)
) WITHOUT ROWID;

CREATE TABLE executions (
    id             INTEGER PRIMARY KEY,
    tenant_id      TEXT NOT NULL CHECK (tenant_id <> ''),
    execution_id   TEXT NOT NULL UNIQUE,
    message_id     TEXT NOT NULL,
    adapter_id     TEXT NOT NULL,
    adapter_version TEXT NOT NULL DEFAULT '',
    mode           TEXT NOT NULL CHECK (mode IN ('deterministic', 'live')),
    connector_code TEXT NOT NULL DEFAULT '',
    input_sha256   TEXT NOT NULL,
    input          TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'dead_lettered')),
    output         TEXT CHECK (output IS NULL OR json_valid(output)),
    error          TEXT CHECK (error IS NULL OR json_valid(error)),
    attempts       INTEGER NOT NULL DEFAULT 1,
    duration_ms    INTEGER NOT NULL DEFAULT 0,
    correlation_id TEXT NOT NULL DEFAULT '',
    causation_id   TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    UNIQUE (tenant_id, message_id)
);

CREATE TABLE dlq (
    id              INTEGER PRIMARY KEY,
    tenant_id       TEXT NOT NULL CHECK (tenant_id <> ''),
    entry_id        TEXT NOT NULL UNIQUE,
    source          TEXT NOT NULL CHECK (source IN ('execute', 'webhook_send')),
    adapter_id      TEXT NOT NULL DEFAULT '',
    message_id      TEXT NOT NULL DEFAULT '',
    correlation_id  TEXT NOT NULL DEFAULT '',
    target_url      TEXT NOT NULL DEFAULT '',
    payload         BLOB NOT NULL,
    headers         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers)),  -- never signatures
    error_code      TEXT NOT NULL,
    error_message   TEXT NOT NULL,
    attempts        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attempts)),
    first_failed_at TEXT NOT NULL,
    last_failed_at  TEXT NOT NULL CHECK (last_failed_at >= first_failed_at),
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'replayed', 'archived')),
    replay_count    INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT NOT NULL
);
CREATE INDEX dlq_by_status ON dlq (tenant_id, status, last_failed_at);

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    tenant_id        TEXT NOT NULL CHECK (tenant_id <> ''),
    message_id       TEXT NOT NULL,
    topic            TEXT NOT NULL,
    partition_key    TEXT NOT NULL,
    envelope         TEXT NOT NULL CHECK (json_valid(envelope)),
    created_at       TEXT NOT NULL,
    published_at     TEXT,
    publish_attempts INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    UNIQUE (tenant_id, message_id)
);
CREATE INDEX outbox_unpublished ON outbox (tenant_id, published_at, id);

CREATE TABLE inbox (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL CHECK (tenant_id <> ''),
    delivery_id  TEXT NOT NULL,
    scheme       TEXT NOT NULL,
    headers      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers)),
    body         BLOB NOT NULL,
    verdict      TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    processed_at TEXT,
    UNIQUE (tenant_id, scheme, delivery_id)
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL CHECK (tenant_id <> ''),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_time ON audit_log (tenant_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Shared resilience state, so that consecutive processes see the same breaker
-- and the same rate-limit windows.
CREATE TABLE circuit_breakers (
    tenant_id            TEXT NOT NULL CHECK (tenant_id <> ''),
    connector_code       TEXT NOT NULL,
    state                TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'half_open')),
    window_started_at    TEXT NOT NULL,
    window_calls         INTEGER NOT NULL DEFAULT 0,
    window_failures      INTEGER NOT NULL DEFAULT 0,
    opened_at            TEXT,
    updated_at           TEXT NOT NULL,
    PRIMARY KEY (tenant_id, connector_code)
) WITHOUT ROWID;

CREATE TABLE rate_limit_windows (
    tenant_id    TEXT NOT NULL CHECK (tenant_id <> ''),
    scope        TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, scope, window_start)
) WITHOUT ROWID;
)sql";

// Version 2: the breaker and rate-limit tables as `execute` uses them. Times
// are unix milliseconds, compared on every live call; no release wrote the
// version 1 shapes, so they are replaced rather than converted.
constexpr const char* kSchemaV2 = R"sql(
DROP TABLE circuit_breakers;
CREATE TABLE circuit_breakers (
    tenant_id         TEXT NOT NULL CHECK (tenant_id <> ''),
    connector_code    TEXT NOT NULL,
    state             TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'half_open')),
    window_started_ms INTEGER NOT NULL,
    window_calls      INTEGER NOT NULL DEFAULT 0 CHECK (window_calls >= 0),
    window_failures   INTEGER NOT NULL DEFAULT 0 CHECK (window_failures BETWEEN 0 AND window_calls),
    opened_ms         INTEGER,  -- when it opened, or when the half-open probe started
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, connector_code)
) WITHOUT ROWID;

DROP TABLE rate_limit_windows;
CREATE TABLE rate_limit_windows (
    tenant_id         TEXT NOT NULL CHECK (tenant_id <> ''),
    scope             TEXT NOT NULL,  -- execute:<adapter id>
    window_started_ms INTEGER NOT NULL,
    hits              INTEGER NOT NULL DEFAULT 0 CHECK (hits >= 0),
    burst_started_ms  INTEGER,        -- first request over the limit in this window
    PRIMARY KEY (tenant_id, scope)
) WITHOUT ROWID;

-- The JSON columns that execute writes on every input lose their json_valid()
-- checks: SQLite parsed every envelope again on insert, a fifth of the cost
-- of a batch. salesint writes them from its own serializer, and `state check`
-- still verifies them (json_columns).
CREATE TABLE executions_v2 (
    id              INTEGER PRIMARY KEY,
    tenant_id       TEXT NOT NULL CHECK (tenant_id <> ''),
    execution_id    TEXT NOT NULL UNIQUE,
    message_id      TEXT NOT NULL,
    adapter_id      TEXT NOT NULL,
    adapter_version TEXT NOT NULL DEFAULT '',
    mode            TEXT NOT NULL CHECK (mode IN ('deterministic', 'live')),
    connector_code  TEXT NOT NULL DEFAULT '',
    input_sha256    TEXT NOT NULL,
    input           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'dead_lettered')),
    output          TEXT,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 1,
    duration_ms     INTEGER NOT NULL DEFAULT 0,
    correlation_id  TEXT NOT NULL DEFAULT '',
    causation_id    TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    UNIQUE (tenant_id, message_id)
);
INSERT INTO executions_v2 SELECT * FROM executions;
DROP TABLE executions;
ALTER TABLE executions_v2 RENAME TO executions;
CREATE INDEX executions_by_adapter ON executions (tenant_id, adapter_id, created_at);

CREATE TABLE outbox_v2 (
    id               INTEGER PRIMARY KEY,
    tenant_id        TEXT NOT NULL CHECK (tenant_id <> ''),
    message_id       TEXT NOT NULL,
    topic            TEXT NOT NULL,
    partition_key    TEXT NOT NULL,
    envelope         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    published_at     TEXT,
    publish_attempts INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    UNIQUE (tenant_id, message_id)
);
INSERT INTO outbox_v2 SELECT * FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_unpublished ON outbox (tenant_id, published_at, id);
)sql";

// Version 3 (issue: live integrations). A deterministic run is a rehearsal:
// the ledger keys executions by mode, so that it never stands for the live
// call of the same message id. An execution can run again (`execution
// retry`, a query's answer refreshed): retries counts those runs and every
// live attempt of every run is kept in execution_attempts. Connectors name
// the header an api_key goes in and a health path.
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE executions_v3 (
    id              INTEGER PRIMARY KEY,
    tenant_id       TEXT NOT NULL CHECK (tenant_id <> ''),
    execution_id    TEXT NOT NULL UNIQUE,
    message_id      TEXT NOT NULL,
    adapter_id      TEXT NOT NULL,
    adapter_version TEXT NOT NULL DEFAULT '',
    mode            TEXT NOT NULL CHECK (mode IN ('deterministic', 'live')),
    connector_code  TEXT NOT NULL DEFAULT '',
    input_sha256    TEXT NOT NULL,
    input           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'dead_lettered')),
    output          TEXT,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 1,
    duration_ms     INTEGER NOT NULL DEFAULT 0,
    correlation_id  TEXT NOT NULL DEFAULT '',
    causation_id    TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    retries         INTEGER NOT NULL DEFAULT 0 CHECK (retries >= 0),
    updated_at      TEXT NOT NULL,
    UNIQUE (tenant_id, message_id, mode)
);
INSERT INTO executions_v3
SELECT id, tenant_id, execution_id, message_id, adapter_id, adapter_version, mode,
       connector_code, input_sha256, input, status, output, error, attempts, duration_ms,
       correlation_id, causation_id, created_at, 0, created_at
FROM executions;
DROP TABLE executions;
ALTER TABLE executions_v3 RENAME TO executions;
CREATE INDEX executions_by_adapter ON executions (tenant_id, adapter_id, created_at);
CREATE INDEX executions_by_time ON executions (tenant_id, created_at);

CREATE TABLE execution_attempts (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL CHECK (tenant_id <> ''),
    execution_id TEXT NOT NULL,
    run          INTEGER NOT NULL CHECK (run >= 0),  -- 0: the first run, n: the n-th retry
    attempt      INTEGER NOT NULL CHECK (attempt >= 1),
    at           TEXT NOT NULL,
    http_status  INTEGER,                            -- NULL: no answer
    duration_ms  INTEGER NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT '',
    UNIQUE (tenant_id, execution_id, run, attempt)
);

ALTER TABLE connectors ADD COLUMN auth_header TEXT NOT NULL DEFAULT '';
ALTER TABLE connectors ADD COLUMN health_path TEXT NOT NULL DEFAULT '';
)sql";

// Version 4 (issue: on-call). A DLQ entry is claimed by a replay under a
// lease (replaying, owner, expiry) so that two replays never call the remote
// twice for one entry, and a crashed replay's lease runs out; entries also
// come from the outbox relay and the inbox drain, name their connector and
// causation id, and every replay is kept (dlq_replays). Outbox envelopes
// given up on are dead-lettered; the inbox keeps rejected deliveries and
// failed forwards; every webhook delivery is recorded, successes too.
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE dlq_v4 (
    id               INTEGER PRIMARY KEY,
    tenant_id        TEXT NOT NULL CHECK (tenant_id <> ''),
    entry_id         TEXT NOT NULL UNIQUE,
    source           TEXT NOT NULL CHECK (source IN ('execute', 'webhook_send', 'outbox', 'inbox')),
    adapter_id       TEXT NOT NULL DEFAULT '',
    message_id       TEXT NOT NULL DEFAULT '',
    correlation_id   TEXT NOT NULL DEFAULT '',
    causation_id     TEXT NOT NULL DEFAULT '',
    connector_code   TEXT NOT NULL DEFAULT '',
    target_url       TEXT NOT NULL DEFAULT '',
    payload          BLOB NOT NULL,
    headers          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers)),  -- never signatures
    error_code       TEXT NOT NULL,
    error_message    TEXT NOT NULL,
    attempts         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attempts)),
    first_failed_at  TEXT NOT NULL,
    last_failed_at   TEXT NOT NULL CHECK (last_failed_at >= first_failed_at),
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'replaying', 'replayed', 'archived')),
    replay_count     INTEGER NOT NULL DEFAULT 0 CHECK (replay_count >= 0),
    lease_owner      TEXT NOT NULL DEFAULT '',
    lease_expires_at TEXT,
    updated_at       TEXT NOT NULL,
    CHECK ((status = 'replaying') = (lease_expires_at IS NOT NULL))
);
INSERT INTO dlq_v4
SELECT id, tenant_id, entry_id, source, adapter_id, message_id, correlation_id, '',
       CASE WHEN source = 'execute' THEN COALESCE(
           (SELECT e.connector_code FROM executions e WHERE e.tenant_id = dlq.tenant_id
               AND e.message_id = dlq.message_id AND e.mode = 'live'), '') ELSE '' END,
       target_url, payload, headers, error_code, error_message, attempts, first_failed_at,
       last_failed_at, status, replay_count, '', NULL, updated_at
FROM dlq;
DROP TABLE dlq;
ALTER TABLE dlq_v4 RENAME TO dlq;
CREATE INDEX dlq_by_status ON dlq (tenant_id, status, last_failed_at);
CREATE INDEX dlq_by_message ON dlq (tenant_id, message_id);

CREATE TABLE dlq_replays (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL CHECK (tenant_id <> ''),
    entry_id     TEXT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    mode         TEXT NOT NULL CHECK (mode IN ('deterministic', 'live')),
    outcome      TEXT NOT NULL CHECK (outcome IN ('replayed', 'failed', 'skipped')),
    execution_id TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dlq_replays_by_entry ON dlq_replays (tenant_id, entry_id, id);

ALTER TABLE outbox ADD COLUMN dead_lettered_at TEXT;

ALTER TABLE inbox ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE inbox ADD COLUMN forward_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inbox ADD COLUMN forward_error TEXT NOT NULL DEFAULT '';

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY,
    tenant_id   TEXT NOT NULL CHECK (tenant_id <> ''),
    delivery_id TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('send', 'forward', 'drain', 'relay', 'replay')),
    target_url  TEXT NOT NULL,
    scheme      TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL CHECK (outcome IN ('delivered', 'refused', 'exhausted', 'blocked')),
    attempts    INTEGER NOT NULL CHECK (attempts >= 0),
    http_status INTEGER,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    at          TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (tenant_id, at);
)sql";

// Version 5 (issue: import and export jobs). A run can be found abandoned
// (interrupted) by the next start; it names the process running it and its
// last commit, the checkpoint before and after, and the run it resumes. A
// finished run and its per-row errors never change again. A mapping keeps
// the hash of the record last imported for it, so that an unchanged record
// writes no second intent. SQLite cannot change a CHECK in place, so
// job_runs is rebuilt (its per-row errors set aside and put back).
constexpr const char* kSchemaV5 = R"sql(
CREATE TABLE job_row_errors_v4 AS SELECT * FROM job_row_errors;
DROP TABLE job_row_errors;

CREATE TABLE job_runs_v5 (
    id                    INTEGER PRIMARY KEY,
    tenant_id             TEXT NOT NULL CHECK (tenant_id <> ''),
    run_id                TEXT NOT NULL UNIQUE,
    system_code           TEXT NOT NULL,
    job_type              TEXT NOT NULL CHECK (job_type IN ('import', 'export')),
    entity_type           TEXT NOT NULL DEFAULT '',
    source                TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed',
                                                          'partial', 'cancelled', 'interrupted')),
    started_at            TEXT NOT NULL,
    completed_at          TEXT CHECK (completed_at IS NULL OR completed_at >= started_at),
    requested_by_user_id  TEXT NOT NULL DEFAULT '',
    rows_total            INTEGER NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
    rows_ok               INTEGER NOT NULL DEFAULT 0 CHECK (rows_ok >= 0),
    resume_after_row      INTEGER NOT NULL DEFAULT 0 CHECK (resume_after_row >= 0),
    error_count           INTEGER NOT NULL DEFAULT 0 CHECK (error_count >= 0),
    warning_count         INTEGER NOT NULL DEFAULT 0 CHECK (warning_count >= 0),
    result_summary        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(result_summary)),
    worker                TEXT NOT NULL DEFAULT '',
    heartbeat_at          TEXT,
    checkpoint_before     TEXT NOT NULL DEFAULT '',
    checkpoint_after      TEXT NOT NULL DEFAULT '',
    resumed_from          TEXT NOT NULL DEFAULT '',
    CHECK ((status = 'running') = (completed_at IS NULL)),
    FOREIGN KEY (tenant_id, system_code) REFERENCES connectors (tenant_id, system_code)
);
INSERT INTO job_runs_v5 (id, tenant_id, run_id, system_code, job_type, entity_type, source,
                         status, started_at, completed_at, requested_by_user_id, rows_total,
                         rows_ok, resume_after_row, error_count, warning_count, result_summary,
                         heartbeat_at)
SELECT id, tenant_id, run_id, system_code, job_type, entity_type, source,
       CASE WHEN status = 'running' THEN 'interrupted' ELSE status END, started_at,
       COALESCE(completed_at, started_at), requested_by_user_id, rows_total, rows_ok,
       resume_after_row, error_count, warning_count, result_summary, started_at
FROM job_runs;
DROP TABLE job_runs;
ALTER TABLE job_runs_v5 RENAME TO job_runs;
CREATE INDEX job_runs_by_tenant ON job_runs (tenant_id, started_at);
CREATE INDEX job_runs_by_job ON job_runs (tenant_id, system_code, entity_type, job_type, id);
CREATE TRIGGER job_runs_append_only BEFORE DELETE ON job_runs
BEGIN
    SELECT RAISE(ABORT, 'job runs are append-only');
END;
CREATE TRIGGER job_runs_closed_for_good BEFORE UPDATE ON job_runs WHEN OLD.status <> 'running'
BEGIN
    SELECT RAISE(ABORT, 'job runs are append-only: a finished run never changes');
END;

CREATE TABLE job_row_errors (
    id         INTEGER PRIMARY KEY,
    tenant_id  TEXT NOT NULL CHECK (tenant_id <> ''),
    job_run_id INTEGER NOT NULL REFERENCES job_runs (id),
    row_number INTEGER NOT NULL,
    severity   TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    code       TEXT NOT NULL,
    message    TEXT NOT NULL,
    pointer    TEXT NOT NULL DEFAULT '',
    raw_row    TEXT NOT NULL DEFAULT ''
);
INSERT INTO job_row_errors SELECT * FROM job_row_errors_v4;
DROP TABLE job_row_errors_v4;
CREATE INDEX job_row_errors_by_run ON job_row_errors (job_run_id, row_number);
CREATE TRIGGER job_row_errors_append_only BEFORE DELETE ON job_row_errors
BEGIN
    SELECT RAISE(ABORT, 'job row errors are append-only');
END;
CREATE TRIGGER job_row_errors_unchanged BEFORE UPDATE ON job_row_errors
BEGIN
    SELECT RAISE(ABORT, 'job row errors are append-only');
END;

ALTER TABLE mappings ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
)sql";

// The cursor value (normalised, as checkpoints compare them) of the record
// behind content_hash, so that an older copy of a record is never imported
// over a newer one.
constexpr const char* kSchemaV6 = R"sql(
ALTER TABLE mappings ADD COLUMN content_cursor TEXT NOT NULL DEFAULT '';
)sql";

// Version 7: an input and an output stored once. An envelope that carries
// the input of the execution recorded with it (OrderIntakeReceived's
// orderData) or its output (the integration fact's) is kept in outbox_rows
// with the byte 0x01 in place of the input and 0x02 in place of the output
// (JSON text never holds a raw control character), and envelope_from naming
// the execution; the view outbox puts them back, so that everything reading
// outbox, salesint or sqlite3, sees the envelope as published. Writes through the view reach
// outbox_rows.
// Indexes on random keys (message ids are hashes or UUIDs) cost an insert
// more than the row itself: every insert lands on another page. Dropped
// here are those no query uses: the outbox's unique message id (execute
// derives envelope ids from the ledger's unique key, imports draw UUIDs;
// nothing looks an envelope up by it), and two execution indexes whose
// columns every query filters on through optional parameters, which SQLite
// cannot search by (the ledger's unique key serves tenant scans).
constexpr const char* kSchemaV7 = R"sql(
CREATE TABLE outbox_rows (
    id               INTEGER PRIMARY KEY,
    tenant_id        TEXT NOT NULL CHECK (tenant_id <> ''),
    message_id       TEXT NOT NULL,
    topic            TEXT NOT NULL,
    partition_key    TEXT NOT NULL,
    envelope         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    published_at     TEXT,
    publish_attempts INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    dead_lettered_at TEXT,
    envelope_from    INTEGER
);
INSERT INTO outbox_rows
SELECT id, tenant_id, message_id, topic, partition_key, envelope, created_at, published_at,
       publish_attempts, last_error, dead_lettered_at, NULL
FROM outbox;
DROP TABLE outbox;
CREATE INDEX outbox_unpublished ON outbox_rows (tenant_id, published_at, id);
CREATE VIEW outbox AS
SELECT id, tenant_id, message_id, topic, partition_key,
       CASE WHEN envelope_from IS NULL THEN envelope
            ELSE (SELECT replace(replace(r.envelope, char(1), e.input), char(2),
                                 ifnull(e.output, '')) FROM executions e
                  WHERE e.id = r.envelope_from) END AS envelope,
       created_at, published_at, publish_attempts, last_error, dead_lettered_at
FROM outbox_rows r;
CREATE TRIGGER outbox_insert INSTEAD OF INSERT ON outbox BEGIN
    INSERT INTO outbox_rows (id, tenant_id, message_id, topic, partition_key, envelope, created_at,
                             published_at, publish_attempts, last_error, dead_lettered_at)
    VALUES (NEW.id, NEW.tenant_id, NEW.message_id, NEW.topic, NEW.partition_key, NEW.envelope,
            NEW.created_at, NEW.published_at, coalesce(NEW.publish_attempts, 0),
            coalesce(NEW.last_error, ''), NEW.dead_lettered_at);
END;
CREATE TRIGGER outbox_update INSTEAD OF UPDATE ON outbox BEGIN
    UPDATE outbox_rows
    SET tenant_id = NEW.tenant_id, message_id = NEW.message_id, topic = NEW.topic,
        partition_key = NEW.partition_key,
        envelope = CASE WHEN NEW.envelope IS OLD.envelope THEN envelope ELSE NEW.envelope END,
        envelope_from = CASE WHEN NEW.envelope IS OLD.envelope THEN envelope_from END,
        created_at = NEW.created_at, published_at = NEW.published_at,
        publish_attempts = NEW.publish_attempts, last_error = NEW.last_error,
        dead_lettered_at = NEW.dead_lettered_at
    WHERE id = OLD.id;
END;
CREATE TRIGGER outbox_delete INSTEAD OF DELETE ON outbox BEGIN
    DELETE FROM outbox_rows WHERE id = OLD.id;
END;
DROP INDEX executions_by_adapter;
DROP INDEX executions_by_time;
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> kMigrations{
        {1,
         "domain model: connectors, mappings, job runs, checkpoints, executions, dlq, outbox, "
         "inbox, audit log, breakers, rate limits",
         kSchemaV1},
        {2,
         "circuit breakers and rate-limit windows in unix milliseconds; execution and outbox "
         "JSON checked by state check rather than on every insert",
         kSchemaV2},
        {3,
         "executions keyed by mode, with retries and every live attempt; connectors' api key "
         "header and health path",
         kSchemaV3},
        {4,
         "dlq leases, replay history and sources outbox and inbox; dead-lettered outbox "
         "envelopes; rejected inbox deliveries and failed forwards; every webhook delivery",
         kSchemaV4},
        {5,
         "job runs that can be interrupted and resumed, with their worker, checkpoints and a "
         "closed run immutable; per-row errors append-only; a content hash per mapping",
         kSchemaV5},
        {6, "the cursor value of the record last imported per mapping", kSchemaV6},
        {7,
         "an execution's input and output stored once: envelopes that carry them refer to "
         "them (view outbox over outbox_rows); two unused execution indexes dropped",
         kSchemaV7},
    };
    return kMigrations;
}

const std::vector<const char*>& tenant_tables() {
    static const std::vector<const char*> kTables{"connectors",
                                                  "mappings",
                                                  "checkpoints",
                                                  "job_runs",
                                                  "job_row_errors",
                                                  "executions",
                                                  "execution_attempts",
                                                  "dlq",
                                                  "dlq_replays",
                                                  "outbox",
                                                  "inbox",
                                                  "webhook_deliveries",
                                                  "audit_log",
                                                  "circuit_breakers",
                                                  "rate_limit_windows"};
    return kTables;
}

}  // namespace salesint::store
