// Plain records of the domain model (ARCHITECTURE.md, "The state file"). They
// carry no behaviour; the rules live in src/domain and persistence in src/store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace salesint {

// A system we integrate with. It never holds a secret: it may only name the
// environment variable or file where one is found.
struct Connector {
    std::string system_code;  // PYXIS, TEMPO, ERP, EMAIL, ...
    std::string name;
    bool is_active = true;
    std::string connection_type;  // rest, webhook, sftp, ... (free text)
    std::string base_url;
    std::string auth_method;  // none, api_key, basic, bearer, oauth2, hmac
    std::string auth_header;  // api_key: the header the key goes in; empty: X-API-Key
    std::optional<int> poll_interval_minutes;
    std::string secret_env;   // name of an environment variable, or empty
    std::string secret_file;  // path of a file, or empty
    std::string health_path;  // health: GET base_url + this; empty: base_url itself
    std::string created_at;
    std::string updated_at;
};

enum class MappingStatus { kActive, kPendingReview, kRetired };

struct MappingKey {
    std::string system_code;
    std::string entity_type;
    std::string external_id;
};

struct Mapping {
    MappingKey key;
    std::string internal_uuid;
    MappingStatus status = MappingStatus::kActive;
    std::string last_seen_at;
    std::string metadata_json = "{}";  // a JSON object, stored as text
    std::string created_at;
    std::string updated_at;
    // SHA-256 of the record `job import` last turned into an intent for this
    // mapping; empty before the first one (or while it waits for review).
    std::string content_hash;
    // The cursor value (normalised) of that record, when it had one: an
    // older record for the mapping is stale and not imported.
    std::string content_cursor;
};

struct MappingFilter {
    std::string system_code;  // empty: any
    std::string entity_type;  // empty: any
    std::optional<MappingStatus> status;
};

enum class CheckpointKind { kInteger, kTimestamp, kString };

struct Checkpoint {
    std::string system_code;
    std::string entity_type;
    CheckpointKind kind = CheckpointKind::kString;
    std::string value;  // normalised for its kind
    std::string last_synced_at;
    std::string status = "ok";
    std::string error_message;
    std::string updated_at;
};

struct AuditEntry {
    std::int64_t id = 0;
    std::string at;
    std::string actor;
    std::string action;   // e.g. checkpoint.reset, mapping.force
    std::string subject;  // e.g. PYXIS/orders
    std::optional<std::string> old_value;
    std::optional<std::string> new_value;
    std::string reason;
};

struct AuditFilter {
    std::string since;   // RFC 3339 UTC, empty: from the beginning
    std::string action;  // exact action, or a group such as "checkpoint"
};

// A webhook delivery received by `webhook serve` (deduplicated by delivery
// id), or an envelope loaded by `inbox consume` (scheme "envelope", by its
// meta.message_id).
struct InboxEntry {
    std::int64_t id = 0;
    std::string delivery_id;
    std::string scheme;
    std::string headers_json = "{}";  // {"Name": "value"}
    std::string body;                 // bytes as received
    std::string verdict;              // "valid", or "rejected" (kept for --explain)
    std::string reason;               // why it was rejected; empty when valid
    std::string received_at;
    std::string processed_at;   // forwarded, or empty
    int forward_attempts = 0;   // failed forwards so far
    std::string forward_error;  // the last one's error
};

// Which inbox rows a listing shows: by default every accepted delivery.
enum class InboxView { kAccepted, kRejected, kUnprocessed, kAll };

struct InboxFilter {
    InboxView view = InboxView::kAccepted;
    std::string since;  // RFC 3339; empty: any time
    int limit = 0;      // 0: no limit
};

// Where a DLQ entry stands: waiting for a person, taken by a replay (under a
// lease), replayed, or put aside.
enum class DlqStatus { kPending, kReplaying, kReplayed, kArchived };

// Everything needed to understand and replay a failure.
struct DlqEntry {
    std::string entry_id;
    std::string source;  // "execute", "webhook_send", "outbox" or "inbox"
    std::string adapter_id;
    std::string message_id;
    std::string correlation_id;
    std::string causation_id;
    std::string connector_code;  // execute: the connector it was sent to
    std::string target_url;
    std::string payload;
    std::string headers_json = "{}";  // never signature headers
    std::string error_code;
    std::string error_message;
    std::string attempts_json = "[]";  // [{"attempt", "at", "status", "error", "duration_ms"}]
    std::string first_failed_at;
    std::string last_failed_at;
    DlqStatus status = DlqStatus::kPending;
    int replay_count = 0;
    std::string lease_owner;       // replaying: who holds it
    std::string lease_expires_at;  // replaying: when another replay may take it
    std::string updated_at;
};

// Pending DLQ entries of one adapter (or webhook target), for `stats`.
struct DlqSummary {
    std::string adapter_id;
    std::int64_t pending = 0;  // pending or replaying
    std::string oldest_failed_at;
};

struct DlqFilter {
    std::vector<std::string> entry_ids;  // empty: any
    std::string source;                  // empty: any
    std::string adapter_id;
    std::string connector_code;
    std::string error_code;
    std::string since;  // last failure at or after (RFC 3339)
    std::string until;  // last failure before
    // none: every status but archived
    std::optional<DlqStatus> status;
    bool newest_first = true;
    int limit = 0;  // 0: no limit
};

// One replay of a DLQ entry, kept for `dlq show`.
struct DlqReplay {
    std::string entry_id;
    std::string at;
    std::string actor;
    std::string mode;     // deterministic or live
    std::string outcome;  // replayed, failed, skipped
    std::string execution_id;
    std::string error;
};

// Every webhook delivery attempted (`webhook send`, forwards, relays,
// replays), successes too, so that a delivery success rate can be computed.
struct WebhookDelivery {
    std::string delivery_id;
    std::string source;  // send, forward, drain, relay, replay
    std::string target_url;
    std::string scheme;   // empty: unsigned
    std::string outcome;  // delivered, refused, exhausted, blocked
    int attempts = 0;
    std::optional<int> http_status;  // of the last attempt
    std::int64_t duration_ms = 0;
    std::string at;
};

enum class ExecutionMode { kDeterministic, kLive };

// What became of one `execute` input. Only succeeded, failed and
// dead_lettered are recorded (is_recorded); the others answer an input that
// left no execution row: rejected by its contract, a message id used with
// another input, the rate limit or an open breaker, a batch line that is not
// JSON, or a live dry run's plan.
enum class ExecutionStatus {
    kSucceeded,
    kFailed,
    kDeadLettered,
    kRejected,
    kConflict,
    kRateLimited,
    kCircuitOpen,
    kInvalidJson,
    kPlanned,
};

bool is_recorded(ExecutionStatus status);

// One `execute` call, kept by message id: a second call with the same message
// id gets this record back instead of a second side effect.
struct Execution {
    std::string execution_id;
    std::string message_id;
    std::string adapter_id;
    std::string adapter_version;
    ExecutionMode mode = ExecutionMode::kDeterministic;
    std::string connector_code;
    std::string input_sha256;                           // of the canonical input
    std::string input;                                  // canonical JSON
    ExecutionStatus status = ExecutionStatus::kFailed;  // one that is_recorded
    std::string output_json;                            // empty when there is none
    std::string error_json;                             // empty when there is none
    int attempts = 0;
    std::int64_t duration_ms = 0;
    std::string correlation_id;
    std::string causation_id;
    std::string created_at;
    int retries = 0;         // runs after the first: `execution retry`, a query refreshed
    std::string updated_at;  // of the last run
};

// One HTTP attempt of a live execution. run 0 is the first run, n the n-th
// retry.
struct ExecutionAttempt {
    int run = 0;
    int attempt = 1;
    std::string at;                  // RFC 3339 UTC, when it was sent
    std::optional<int> http_status;  // none: no answer (timeout, refused, ...)
    std::int64_t duration_ms = 0;
    std::string error;  // empty for a delivered answer
};

struct ExecutionSample {
    std::string adapter_id;
    ExecutionMode mode = ExecutionMode::kDeterministic;
    ExecutionStatus status = ExecutionStatus::kFailed;
    std::int64_t duration_ms = 0;
    std::string created_at;
};

struct ExecutionFilter {
    std::string adapter_id;                 // empty: any
    std::optional<ExecutionStatus> status;  // none: any
    std::string since;                      // RFC 3339; empty: any time
    std::string message_id;                 // empty: any
    int limit = 0;                          // 0: no limit
};

// An envelope waiting to be published.
struct OutboxMessage {
    std::int64_t id = 0;
    std::string message_id;
    std::string topic;
    std::string partition_key;
    std::string envelope_json;
    std::string created_at;
    std::string published_at;  // empty until published
    int publish_attempts = 0;  // failed attempts so far
    std::string last_error;
    std::string dead_lettered_at;  // moved to the DLQ: the relay passes it by
};

// pending: never tried; failed: tried and refused, still waiting;
// dead_lettered: given up on and moved to the DLQ.
enum class OutboxStatus { kPending, kPublished, kFailed, kDeadLettered };

OutboxStatus status_of(const OutboxMessage& message);

// Envelopes neither published nor dead-lettered, for `stats`.
struct OutboxBacklog {
    std::int64_t count = 0;
    std::string oldest_created_at;  // empty when none
};

struct OutboxFilter {
    std::string topic;                   // empty: any
    std::optional<OutboxStatus> status;  // none: any
    std::string since;                   // created at or after (RFC 3339)
    std::int64_t after_id = 0;           // ids above this one
    bool newest_first = false;
    int limit = 0;  // 0: no limit
};

// A job run: one `job import` or `job export`. The history is append-only: a
// run is written as running when it starts and changed once more, when it
// ends (or when a later start finds it abandoned: interrupted).
enum class JobStatus { kRunning, kSucceeded, kFailed, kPartial, kCancelled, kInterrupted };

struct JobRun {
    std::int64_t id = 0;  // the row id, which per-row errors refer to
    std::string run_id;   // what people name it by
    std::string system_code;
    std::string job_type;  // import or export
    std::string entity_type;
    std::string source;  // the file, "-", "connector", "outbox", ...
    JobStatus status = JobStatus::kRunning;
    std::string started_at;
    std::string completed_at;  // empty while running
    std::string requested_by_user_id;
    std::int64_t rows_total = 0;        // records read (good and bad)
    std::int64_t rows_ok = 0;           // records taken (created, updated or unchanged)
    std::int64_t resume_after_row = 0;  // the last source row committed
    std::int64_t error_count = 0;
    std::int64_t warning_count = 0;
    std::string result_summary_json = "{}";
    std::string worker;        // host:pid of the process running it
    std::string heartbeat_at;  // its last commit
    std::string checkpoint_before;
    std::string checkpoint_after;
    std::string resumed_from;  // the run id this one continues, or empty
};

struct JobRunFilter {
    std::string system_code;          // empty: any
    std::string entity_type;          // empty: any
    std::string job_type;             // empty: any
    std::optional<JobStatus> status;  // none: any
    std::string since;                // started at or after (RFC 3339)
    int limit = 0;                    // 0: no limit
};

// A record a job could not take, or took with a warning.
struct JobRowError {
    std::int64_t row_number = 0;     // the line of the source (CSV: its first line)
    std::string severity = "error";  // error or warning
    std::string code;
    std::string message;
    std::string pointer;  // where in the record, or empty
    std::string raw_row;  // the record, or the raw line when it did not parse
};

struct TableCount {
    std::string table;
    std::int64_t rows = 0;
};

// One line of `state check`.
struct CheckFinding {
    std::string check;
    bool ok = true;
    std::string detail;
};

// The store's own integrity check. When it fails, the checks that read rows
// are not run: they would only read the damaged pages again.
inline constexpr const char* kIntegrityCheck = "sqlite_integrity";
// SQLite's quick check: the integrity check without the indexes' contents,
// in time linear in the file's size (`salesint health`).
inline constexpr const char* kQuickCheck = "sqlite_quick_check";
// A PostgreSQL state's quick check: the server answers and holds every table
// (it keeps its own files whole).
inline constexpr const char* kPostgresTables = "postgresql_tables";

struct StateInfo {
    std::string path;
    std::string tenant;
    int schema_version = 0;
    int binary_schema_version = 0;
    std::string journal_mode;
    std::int64_t file_bytes = 0;
    std::vector<TableCount> tables;
};

// What `state copy` copied: every tenant's rows, per table.
struct CopyReport {
    std::string from;  // both as printable_state shows them
    std::string to;
    int schema_version = 0;
    std::int64_t rows = 0;
    std::vector<TableCount> tables;
};

// What `state backup` wrote.
struct BackupReport {
    std::string path;
    std::int64_t bytes = 0;
    int schema_version = 0;
};

// The circuit breaker of a connector as the state file keeps it
// (domain/circuit_breaker.hpp holds the rule that moves it).
enum class BreakerState { kClosed, kOpen, kHalfOpen };

struct Breaker {
    std::string connector_code;
    BreakerState state = BreakerState::kClosed;
    std::int64_t window_started_ms = 0;
    int window_calls = 0;
    int window_failures = 0;
    std::int64_t opened_ms = 0;  // when it opened, or when the probe started
};

// One window of one scope; -1 marks "not started".
struct RateWindow {
    std::int64_t started_ms = -1;
    int hits = 0;
    std::int64_t burst_started_ms = -1;
};

const char* to_string(MappingStatus status);
std::optional<MappingStatus> parse_mapping_status(const std::string& text);
const char* to_string(CheckpointKind kind);
std::optional<CheckpointKind> parse_checkpoint_kind(const std::string& text);
const char* to_string(BreakerState state);
BreakerState parse_breaker_state(const std::string& text);
const char* to_string(ExecutionStatus status);
std::optional<ExecutionStatus> parse_execution_status(const std::string& text);
const char* to_string(ExecutionMode mode);
std::optional<ExecutionMode> parse_execution_mode(const std::string& text);
const char* to_string(DlqStatus status);
std::optional<DlqStatus> parse_dlq_status(const std::string& text);
const char* to_string(OutboxStatus status);
const char* to_string(JobStatus status);
std::optional<JobStatus> parse_job_status(const std::string& text);
std::optional<OutboxStatus> parse_outbox_status(const std::string& text);

}  // namespace salesint
