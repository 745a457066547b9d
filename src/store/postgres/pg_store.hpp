// The PostgreSQL implementation of Store: one connection, transactions in
// READ COMMITTED with a lock per key where two processes could race (a
// checkpoint, a mapping), the DLQ claim with SKIP LOCKED (ARCHITECTURE.md,
// "A PostgreSQL state").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../table_access.hpp"
#include "pg_connection.hpp"
#include "salesint/store.hpp"

namespace salesint::store::pg {

// A nullable text column read as text, NULL as "".
inline std::string text_or_empty(const Column& column) {
    return column.isNull() ? std::string() : column.getString();
}

class PgStore final : public Store, public TableAccess {
  public:
    explicit PgStore(const StoreOptions& options);

    void write(const std::function<void()>& fn) override;
    const std::string& tenant() const override { return tenant_; }
    StateInfo info() override;
    std::vector<std::string> tenants_with_rows() override;
    std::vector<CheckFinding> check() override;
    CheckFinding quick_check() override;
    BackupReport backup_to(const std::string& path, bool overwrite) override;
    std::vector<int> applied_migrations() const override { return applied_; }

    std::optional<Connector> find_connector(const std::string& system_code) override;
    std::vector<Connector> list_connectors() override;
    void insert_connector(const Connector& connector) override;
    void update_connector(const Connector& connector) override;
    void delete_connector(const std::string& system_code) override;
    std::int64_t count_connector_references(const std::string& system_code) override;

    std::optional<Mapping> find_mapping(const MappingKey& key) override;
    std::vector<Mapping> find_mappings_by_uuid(const std::string& internal_uuid) override;
    std::vector<Mapping> list_mappings(const MappingFilter& filter) override;
    void insert_mapping(const Mapping& mapping) override;
    void update_mapping(const Mapping& mapping) override;
    void delete_mapping(const MappingKey& key) override;
    bool is_entity_type_known(const std::string& system_code,
                              const std::string& entity_type) override;

    std::optional<Checkpoint> find_checkpoint(const std::string& system_code,
                                              const std::string& entity_type) override;
    std::vector<Checkpoint> list_checkpoints(const std::string& system_code) override;
    void upsert_checkpoint(const Checkpoint& checkpoint) override;
    void delete_checkpoint(const std::string& system_code, const std::string& entity_type) override;

    bool insert_inbox(const InboxEntry& entry) override;
    void mark_inbox_processed(const std::string& scheme, const std::string& delivery_id,
                              const std::string& at) override;
    std::vector<InboxEntry> list_inbox() override;
    std::vector<InboxEntry> list_inbox(const InboxFilter& filter) override;
    std::vector<InboxEntry> find_inbox(const std::string& delivery_id) override;
    std::optional<InboxEntry> find_inbox_by_id(std::int64_t id) override;
    void record_inbox_forward_failure(std::int64_t id, const std::string& error) override;

    void insert_dlq(const DlqEntry& entry) override;
    bool insert_dlq_if_absent(const DlqEntry& entry) override;
    std::vector<DlqEntry> list_dlq() override;
    std::vector<DlqEntry> list_dlq(const DlqFilter& filter) override;
    std::vector<std::string> list_dlq_ids(const DlqFilter& filter) override;
    std::optional<DlqEntry> find_dlq(const std::string& entry_id) override;
    bool claim_dlq(const std::string& entry_id, const std::string& owner, const std::string& now,
                   const std::string& expires_at) override;
    bool release_dlq(const DlqEntry& entry, const std::string& owner) override;
    bool delete_dlq(const std::string& entry_id) override;
    std::vector<DlqSummary> summarize_dlq() override;
    void insert_dlq_replay(const DlqReplay& replay) override;
    std::vector<DlqReplay> list_dlq_replays(const std::string& entry_id) override;
    std::vector<DlqEntry> find_dlq_by_message(const std::string& message_id) override;
    void set_dlq_status(const std::string& entry_id, DlqStatus status,
                        const std::string& at) override;

    std::optional<Execution> find_execution(const std::string& message_id,
                                            ExecutionMode mode) override;
    std::optional<Execution> find_execution_by_id(const std::string& execution_id) override;
    std::vector<Execution> list_executions(const ExecutionFilter& filter) override;
    std::vector<ExecutionSample> list_execution_samples(const std::string& since,
                                                        const std::string& adapter_id) override;
    bool insert_execution(const Execution& execution) override;
    bool update_execution(const Execution& execution, int expected_retries) override;
    void insert_execution_attempts(const std::string& execution_id,
                                   const std::vector<ExecutionAttempt>& attempts) override;
    std::vector<ExecutionAttempt> list_execution_attempts(const std::string& execution_id) override;
    void insert_outbox(const OutboxMessage& message) override;
    std::vector<OutboxMessage> list_outbox(const std::string& topic) override;
    std::vector<OutboxMessage> list_outbox_caused_by(const std::string& message_id) override;
    std::vector<OutboxMessage> list_outbox(const OutboxFilter& filter) override;
    std::optional<OutboxMessage> find_outbox(std::int64_t id) override;
    void mark_outbox_published(const std::vector<std::int64_t>& ids,
                               const std::string& at) override;
    void record_outbox_failure(std::int64_t id, const std::string& error) override;
    void mark_outbox_dead_lettered(std::int64_t id, const std::string& at) override;
    OutboxBacklog outbox_backlog() override;
    bool requeue_outbox(const std::string& message_id) override;
    std::optional<std::vector<std::string>> hold_outbox_keys(
        const std::vector<std::string>& keys) override;
    void release_outbox_keys() override;
    std::vector<std::int64_t> unpublished_among(const std::vector<std::int64_t>& ids) override;

    std::int64_t insert_job_run(const JobRun& run) override;
    void update_job_run(const JobRun& run) override;
    std::optional<JobRun> find_job_run(const std::string& run_id) override;
    std::vector<JobRun> list_job_runs(const JobRunFilter& filter) override;
    void insert_job_row_errors(std::int64_t job_run_id,
                               const std::vector<JobRowError>& errors) override;
    std::vector<JobRowError> list_job_row_errors(std::int64_t job_run_id, int limit) override;

    void insert_webhook_delivery(const WebhookDelivery& delivery) override;
    std::vector<WebhookDelivery> list_webhook_deliveries(const std::string& since) override;

    Breaker load_breaker(const std::string& connector_code) override;
    void save_breaker(const Breaker& breaker) override;
    RateWindow load_rate_window(const std::string& scope) override;
    void save_rate_window(const std::string& scope, const RateWindow& window) override;

    void append_audit(const AuditEntry& entry) override;
    std::vector<AuditEntry> list_audit(const AuditFilter& filter) override;

    // TableAccess (state copy)
    std::vector<std::string> table_columns(const std::string& table) override;
    std::int64_t count_all_rows(const std::string& table) override;
    void read_snapshot(const std::function<void()>& fn) override;
    void read_rows(const std::string& table, const std::vector<std::string>& columns,
                   const std::function<void(const Row&)>& fn) override;
    void insert_rows(const std::string& table, const std::vector<std::string>& columns,
                     const std::vector<Row>& rows) override;
    void finish_copy() override;

  private:
    // Inside write(): waits for, then holds until commit, a lock on one key
    // of kind (a mapping, a checkpoint, a rate window). What a transaction
    // reads there before it writes cannot change under it: the next one to
    // read the key waits, as every writer waits for the SQLite file's lock.
    // Outside write() it does nothing.
    void lock_key(const char* kind, const std::string& key);
    void migrate();
    int schema_version();
    // A count of rows of the tenant that sql (one `?` for the tenant) finds.
    std::int64_t count_where(const std::string& sql);

    std::string url_;
    std::string tenant_;
    Connection db_;
    std::vector<int> applied_;
    int write_depth_ = 0;
};

}  // namespace salesint::store::pg
