// The state store: persistence of the domain model for one tenant. Commands and
// domain rules see only this interface; a SQLite file and a PostgreSQL
// database implement it (ARCHITECTURE.md).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "salesint/errors.hpp"
#include "salesint/model.hpp"

namespace salesint {

struct StoreOptions {
    std::string path;                // the SQLite file, or a postgresql:// URL
    std::string tenant = "default";  // every read and write is scoped to it
    int lock_timeout_ms = 10'000;    // wait this long for another writer
    // False: a missing file is kNotFound rather than created (a reader must
    // never leave a new file behind).
    bool create_if_missing = true;
};

class Store {
  public:
    virtual ~Store() = default;

    // Runs fn in one write transaction: committed when fn returns, rolled back
    // when it throws. Nested calls join the outer transaction. Before the first
    // write of a process the store makes the file private (README, "The state
    // file"): tightened to 0600 if it is ours, refused (kRefused) if it is
    // another user's and others may read it; a read-only file is kUsage.
    // On PostgreSQL, a deadlock or a serialization failure rolls it back and
    // is kTransient (nothing was written).
    virtual void write(const std::function<void()>& fn) = 0;

    virtual const std::string& tenant() const = 0;
    virtual StateInfo info() = 0;
    // Every tenant that has a row in any table of the file, sorted (not
    // scoped to tenant(): it says which tenants an empty listing missed).
    virtual std::vector<std::string> tenants_with_rows() = 0;
    // The file's modes, the backend's integrity check (kIntegrityCheck) and the
    // invariants the schema holds; a damaged file is a failed finding, not an error.
    virtual std::vector<CheckFinding> check() = 0;
    // The backend's quick integrity check alone (kQuickCheck), for monitors;
    // a damaged file is a failed finding, not an error.
    virtual CheckFinding quick_check() = 0;
    // Copies the whole file (every tenant) to path as one consistent snapshot
    // while other processes keep writing. The copy has mode 0600 and appears
    // only once complete; an existing path is refused (kRefused) unless
    // overwrite.
    virtual BackupReport backup_to(const std::string& path, bool overwrite) = 0;
    // Migrations this process applied when it opened the file (empty when the
    // file was already current).
    virtual std::vector<int> applied_migrations() const = 0;

    virtual std::optional<Connector> find_connector(const std::string& system_code) = 0;
    virtual std::vector<Connector> list_connectors() = 0;
    virtual void insert_connector(const Connector& connector) = 0;
    virtual void update_connector(const Connector& connector) = 0;
    virtual void delete_connector(const std::string& system_code) = 0;
    // Rows that refer to the connector (mappings and checkpoints).
    virtual std::int64_t count_connector_references(const std::string& system_code) = 0;

    virtual std::optional<Mapping> find_mapping(const MappingKey& key) = 0;
    virtual std::vector<Mapping> find_mappings_by_uuid(const std::string& internal_uuid) = 0;
    virtual std::vector<Mapping> list_mappings(const MappingFilter& filter) = 0;
    virtual void insert_mapping(const Mapping& mapping) = 0;
    virtual void update_mapping(const Mapping& mapping) = 0;
    virtual void delete_mapping(const MappingKey& key) = 0;
    // True once an active mapping exists for the entity type of the system.
    virtual bool is_entity_type_known(const std::string& system_code,
                                      const std::string& entity_type) = 0;

    virtual std::optional<Checkpoint> find_checkpoint(const std::string& system_code,
                                                      const std::string& entity_type) = 0;
    virtual std::vector<Checkpoint> list_checkpoints(const std::string& system_code) = 0;
    virtual void upsert_checkpoint(const Checkpoint& checkpoint) = 0;
    virtual void delete_checkpoint(const std::string& system_code,
                                   const std::string& entity_type) = 0;

    // Stores a delivery unless one with the same scheme and delivery id is
    // there already; returns false for such a duplicate.
    virtual bool insert_inbox(const InboxEntry& entry) = 0;
    virtual void mark_inbox_processed(const std::string& scheme, const std::string& delivery_id,
                                      const std::string& at) = 0;
    virtual std::vector<InboxEntry> list_inbox() = 0;  // newest first, accepted ones
    virtual std::vector<InboxEntry> list_inbox(const InboxFilter& filter) = 0;  // newest first
    virtual std::vector<InboxEntry> find_inbox(const std::string& delivery_id) = 0;
    virtual std::optional<InboxEntry> find_inbox_by_id(std::int64_t id) = 0;
    // A forward that failed: forward_attempts + 1, forward_error.
    virtual void record_inbox_forward_failure(std::int64_t id, const std::string& error) = 0;

    virtual void insert_dlq(const DlqEntry& entry) = 0;
    // Stores the entry unless one with its entry id is there (any tenant);
    // returns false then.
    virtual bool insert_dlq_if_absent(const DlqEntry& entry) = 0;
    virtual std::vector<DlqEntry> list_dlq() = 0;  // oldest first, every status
    virtual std::vector<DlqEntry> list_dlq(const DlqFilter& filter) = 0;
    // The entry ids list_dlq(filter) would return, in its order: a selection
    // of many entries without holding their payloads.
    virtual std::vector<std::string> list_dlq_ids(const DlqFilter& filter) = 0;
    virtual std::optional<DlqEntry> find_dlq(const std::string& entry_id) = 0;
    // Takes a pending entry, or one whose lease expired before now, for
    // owner until expires_at (status replaying). False: someone else holds
    // it, or it is no longer pending.
    virtual bool claim_dlq(const std::string& entry_id, const std::string& owner,
                           const std::string& now, const std::string& expires_at) = 0;
    // Writes a claimed entry back (status, attempts, error, replay count,
    // failure times) and drops the lease, if owner still holds it; false
    // otherwise (the lease expired and another replay took the entry).
    virtual bool release_dlq(const DlqEntry& entry, const std::string& owner) = 0;
    virtual bool delete_dlq(const std::string& entry_id) = 0;
    // Pending and replaying entries per adapter, by adapter id.
    virtual std::vector<DlqSummary> summarize_dlq() = 0;
    virtual void insert_dlq_replay(const DlqReplay& replay) = 0;
    virtual std::vector<DlqReplay> list_dlq_replays(
        const std::string& entry_id) = 0;  // oldest first
    // The entries of one message id, oldest first.
    virtual std::vector<DlqEntry> find_dlq_by_message(const std::string& message_id) = 0;
    virtual void set_dlq_status(const std::string& entry_id, DlqStatus status,
                                const std::string& at) = 0;

    // The ledger holds one execution per message id and mode: a
    // deterministic rehearsal never stands for the live call.
    virtual std::optional<Execution> find_execution(const std::string& message_id,
                                                    ExecutionMode mode) = 0;
    virtual std::optional<Execution> find_execution_by_id(const std::string& execution_id) = 0;
    // Newest first.
    virtual std::vector<Execution> list_executions(const ExecutionFilter& filter) = 0;
    // What `stats` needs of the executions created at or after since (empty:
    // all) of one adapter (empty: any), without their inputs and outputs.
    virtual std::vector<ExecutionSample> list_execution_samples(const std::string& since,
                                                                const std::string& adapter_id) = 0;
    // Stores the execution unless one with the same message id and mode is
    // there already (another process won the race); returns false then.
    virtual bool insert_execution(const Execution& execution) = 0;
    // Another run of a stored execution: its status, output, error, counts
    // and, for a refreshed query, its input. Returns false when the row is
    // no longer at expected_retries (another process ran it meanwhile).
    virtual bool update_execution(const Execution& execution, int expected_retries) = 0;
    virtual void insert_execution_attempts(const std::string& execution_id,
                                           const std::vector<ExecutionAttempt>& attempts) = 0;
    virtual std::vector<ExecutionAttempt> list_execution_attempts(
        const std::string& execution_id) = 0;
    virtual void insert_outbox(const OutboxMessage& message) = 0;
    // Oldest first; topic empty: any.
    virtual std::vector<OutboxMessage> list_outbox(const std::string& topic) = 0;
    virtual std::vector<OutboxMessage> list_outbox(const OutboxFilter& filter) = 0;
    virtual std::optional<OutboxMessage> find_outbox(std::int64_t id) = 0;
    virtual void mark_outbox_published(const std::vector<std::int64_t>& ids,
                                       const std::string& at) = 0;
    // A publish that failed: publish_attempts + 1, last_error.
    virtual void record_outbox_failure(std::int64_t id, const std::string& error) = 0;
    virtual void mark_outbox_dead_lettered(std::int64_t id, const std::string& at) = 0;
    virtual OutboxBacklog outbox_backlog() = 0;
    // Puts a dead-lettered, unpublished envelope back in the relay's queue
    // (no failures, no dead letter); false when there is none by that id.
    virtual bool requeue_outbox(const std::string& message_id) = 0;
    // The envelopes whose meta.causation_id is message_id (what an
    // execution of it wrote), oldest first.
    virtual std::vector<OutboxMessage> list_outbox_caused_by(const std::string& message_id) = 0;
    // Several relays at once (README, "When one machine is not enough"): this
    // process's relay takes the partition keys it is about to publish and
    // holds them until release_outbox_keys(); the answer is the keys another
    // process holds, which it must leave alone. nullopt: the backend has no
    // such holds (a SQLite file is relayed by one relay at a time).
    virtual std::optional<std::vector<std::string>> hold_outbox_keys(
        const std::vector<std::string>& keys) = 0;
    virtual void release_outbox_keys() = 0;
    // Of ids, those neither published nor dead-lettered now, in order: what
    // another relay published before this one held the key is left out.
    virtual std::vector<std::int64_t> unpublished_among(const std::vector<std::int64_t>& ids) = 0;

    // Job runs (append-only: a run is inserted running and updated while it
    // runs; the store refuses to change one that has ended).
    virtual std::int64_t insert_job_run(const JobRun& run) = 0;  // returns its row id
    virtual void update_job_run(const JobRun& run) = 0;
    virtual std::optional<JobRun> find_job_run(const std::string& run_id) = 0;
    virtual std::vector<JobRun> list_job_runs(const JobRunFilter& filter) = 0;  // newest first
    virtual void insert_job_row_errors(std::int64_t job_run_id,
                                       const std::vector<JobRowError>& errors) = 0;
    // In row order; limit 0: all.
    virtual std::vector<JobRowError> list_job_row_errors(std::int64_t job_run_id, int limit) = 0;

    // A connector's breaker; a closed one with an empty window when none is stored.
    virtual Breaker load_breaker(const std::string& connector_code) = 0;
    virtual void save_breaker(const Breaker& breaker) = 0;
    virtual RateWindow load_rate_window(const std::string& scope) = 0;
    virtual void save_rate_window(const std::string& scope, const RateWindow& window) = 0;

    virtual void insert_webhook_delivery(const WebhookDelivery& delivery) = 0;
    // At or after since (RFC 3339; empty: all), oldest first.
    virtual std::vector<WebhookDelivery> list_webhook_deliveries(const std::string& since) = 0;

    virtual void append_audit(const AuditEntry& entry) = 0;
    virtual std::vector<AuditEntry> list_audit(const AuditFilter& filter) = 0;
};

// Opens (creating with mode 0600 and migrating when needed; with
// create_if_missing false, a missing file is kNotFound) the store at
// options.path. Throws Error: kRefused for a schema newer than this binary,
// StateDamaged for a damaged file, kUsage for a file that is not a state file
// or a path where the file cannot be created or written (saying why),
// kTransient when locked too long. A file this call created is removed again
// when it fails.
std::unique_ptr<Store> open_store(const StoreOptions& options);

// Copies every row of every tenant of the state at from into the state at to
// (created or migrated if need be, either backend), in one transaction on the
// target: all rows or none. The source is read as one snapshot while others
// may write to it. A target that holds any row is refused (kRefused); a file
// this call created is removed again when the copy fails.
CopyReport copy_state(const std::string& from, const std::string& to, int lock_timeout_ms);

// The schema version this binary writes.
int current_schema_version();

// The exit-code Error for a failure raised inside the store at state_path (a
// lock held too long, a full disk, a damaged page), or nullopt if error did not
// come from the store.
std::optional<Error> translate_store_exception(const std::exception& error,
                                               const std::string& state_path);

}  // namespace salesint
