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

// A webhook delivery received by `webhook serve`, deduplicated by delivery id.
struct InboxEntry {
    std::int64_t id = 0;
    std::string delivery_id;
    std::string scheme;
    std::string headers_json = "{}";  // {"Name": "value"}
    std::string body;                 // bytes as received
    std::string verdict;              // "valid"
    std::string received_at;
    std::string processed_at;  // forwarded, or empty
};

// Where a DLQ entry stands: waiting for a person, replayed, or put aside.
enum class DlqStatus { kPending, kReplayed, kArchived };

// Everything needed to understand and replay a failure.
struct DlqEntry {
    std::string entry_id;
    std::string source;  // "execute" or "webhook_send"
    std::string adapter_id;
    std::string message_id;
    std::string correlation_id;
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

struct StateInfo {
    std::string path;
    std::string tenant;
    int schema_version = 0;
    int binary_schema_version = 0;
    std::string journal_mode;
    std::int64_t file_bytes = 0;
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

}  // namespace salesint
