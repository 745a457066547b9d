// Job runs and their per-row errors. The schema keeps the history append-only
// (a finished run and its errors never change); these statements only add.

#include <limits>

#include "pg_store.hpp"

namespace salesint::store::pg {
namespace {

#define JOB_RUN_COLUMNS                                                                        \
    "id, run_id, system_code, job_type, entity_type, source, status, started_at, "             \
    "completed_at, requested_by_user_id, rows_total, rows_ok, resume_after_row, error_count, " \
    "warning_count, result_summary, worker, heartbeat_at, checkpoint_before, "                 \
    "checkpoint_after, resumed_from"

JobRun read_job_run(Statement& row) {
    JobRun r;
    r.id = row.getColumn(0).getInt64();
    r.run_id = row.getColumn(1).getString();
    r.system_code = row.getColumn(2).getString();
    r.job_type = row.getColumn(3).getString();
    r.entity_type = row.getColumn(4).getString();
    r.source = row.getColumn(5).getString();
    r.status = parse_job_status(row.getColumn(6).getString()).value_or(JobStatus::kFailed);
    r.started_at = row.getColumn(7).getString();
    r.completed_at = text_or_empty(row.getColumn(8));
    r.requested_by_user_id = row.getColumn(9).getString();
    r.rows_total = row.getColumn(10).getInt64();
    r.rows_ok = row.getColumn(11).getInt64();
    r.resume_after_row = row.getColumn(12).getInt64();
    r.error_count = row.getColumn(13).getInt64();
    r.warning_count = row.getColumn(14).getInt64();
    r.result_summary_json = row.getColumn(15).getString();
    r.worker = row.getColumn(16).getString();
    r.heartbeat_at = text_or_empty(row.getColumn(17));
    r.checkpoint_before = row.getColumn(18).getString();
    r.checkpoint_after = row.getColumn(19).getString();
    r.resumed_from = row.getColumn(20).getString();
    return r;
}

// The columns a run may change while it runs, bound by name.
void bind_progress(Statement& statement, const JobRun& run) {
    statement.bind(":status", to_string(run.status));
    if (run.completed_at.empty()) {
        statement.bind(":completed");
    } else {
        statement.bind(":completed", run.completed_at);
    }
    statement.bind(":total", run.rows_total);
    statement.bind(":ok", run.rows_ok);
    statement.bind(":resume", run.resume_after_row);
    statement.bind(":errors", run.error_count);
    statement.bind(":warnings", run.warning_count);
    statement.bind(":summary", run.result_summary_json);
    if (run.heartbeat_at.empty()) {
        statement.bind(":heartbeat");
    } else {
        statement.bind(":heartbeat", run.heartbeat_at);
    }
    statement.bind(":after", run.checkpoint_after);
}

}  // namespace

std::int64_t PgStore::insert_job_run(const JobRun& run) {
    Statement insert(
        db_,
        "INSERT INTO job_runs (tenant_id, run_id, system_code, job_type, entity_type, source, "
        "status, started_at, completed_at, requested_by_user_id, rows_total, rows_ok, "
        "resume_after_row, error_count, warning_count, result_summary, worker, heartbeat_at, "
        "checkpoint_before, checkpoint_after, resumed_from) VALUES (:tenant, :run, :system, "
        ":type, :entity, :source, :status, :started, :completed, :user, :total, :ok, :resume, "
        ":errors, :warnings, :summary, :worker, :heartbeat, :before, :after, :resumed) RETURNING "
        "id");
    insert.bind(":tenant", tenant_);
    insert.bind(":run", run.run_id);
    insert.bind(":system", run.system_code);
    insert.bind(":type", run.job_type);
    insert.bind(":entity", run.entity_type);
    insert.bind(":source", run.source);
    insert.bind(":started", run.started_at);
    insert.bind(":user", run.requested_by_user_id);
    insert.bind(":worker", run.worker);
    insert.bind(":before", run.checkpoint_before);
    insert.bind(":resumed", run.resumed_from);
    bind_progress(insert, run);
    insert.executeStep();
    return insert.getColumn(0).getInt64();
}

void PgStore::update_job_run(const JobRun& run) {
    Statement update(
        db_,
        "UPDATE job_runs SET status = :status, completed_at = :completed, rows_total = :total, "
        "rows_ok = :ok, resume_after_row = :resume, error_count = :errors, warning_count = "
        ":warnings, result_summary = :summary, heartbeat_at = :heartbeat, checkpoint_after = "
        ":after WHERE tenant_id = :tenant AND id = :id");
    update.bind(":tenant", tenant_);
    update.bind(":id", run.id);
    bind_progress(update, run);
    update.exec();
}

std::optional<JobRun> PgStore::find_job_run(const std::string& run_id) {
    Statement query(db_,
                    "SELECT " JOB_RUN_COLUMNS " FROM job_runs WHERE tenant_id = ? AND run_id = ?");
    query.bind(1, tenant_);
    query.bind(2, run_id);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_job_run(query);
}

std::vector<JobRun> PgStore::list_job_runs(const JobRunFilter& filter) {
    lock_key("job", filter.system_code + '\n' + filter.entity_type + '\n' + filter.job_type);
    Statement query(db_, "SELECT " JOB_RUN_COLUMNS
                         " FROM job_runs WHERE tenant_id = :tenant"
                         " AND (:system = '' OR system_code = :system)"
                         " AND (:entity = '' OR entity_type = :entity)"
                         " AND (:type = '' OR job_type = :type)"
                         " AND (:status = '' OR status = :status)"
                         " AND (:since = '' OR started_at >= :since)"
                         " ORDER BY id DESC LIMIT :limit");
    query.bind(":tenant", tenant_);
    query.bind(":system", filter.system_code);
    query.bind(":entity", filter.entity_type);
    query.bind(":type", filter.job_type);
    query.bind(":status", filter.status ? to_string(*filter.status) : "");
    query.bind(":since", filter.since);
    query.bind(":limit", filter.limit > 0 ? filter.limit : std::numeric_limits<int>::max());
    std::vector<JobRun> runs;
    while (query.executeStep()) {
        runs.push_back(read_job_run(query));
    }
    return runs;
}

void PgStore::insert_job_row_errors(std::int64_t job_run_id,
                                    const std::vector<JobRowError>& errors) {
    for (const JobRowError& error : errors) {
        Statement insert(
            db_,
            "INSERT INTO job_row_errors (tenant_id, job_run_id, row_number, severity, code, "
            "message, pointer, raw_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, tenant_);
        insert.bind(2, job_run_id);
        insert.bind(3, error.row_number);
        insert.bind(4, error.severity);
        insert.bind(5, error.code);
        insert.bind(6, error.message);
        insert.bind(7, error.pointer);
        // bytea: a rejected line keeps its bytes, UTF-8 or not.
        insert.bindBlob(8, error.raw_row.data(), static_cast<int>(error.raw_row.size()));
        insert.exec();
    }
}

std::vector<JobRowError> PgStore::list_job_row_errors(std::int64_t job_run_id, int limit) {
    Statement query(db_,
                    "SELECT row_number, severity, code, message, pointer, raw_row FROM "
                    "job_row_errors WHERE tenant_id = ? AND job_run_id = ? ORDER BY "
                    "row_number, id LIMIT ?");
    query.bind(1, tenant_);
    query.bind(2, job_run_id);
    query.bind(3, limit > 0 ? limit : std::numeric_limits<int>::max());
    std::vector<JobRowError> errors;
    while (query.executeStep()) {
        JobRowError e;
        e.row_number = query.getColumn(0).getInt64();
        e.severity = query.getColumn(1).getString();
        e.code = query.getColumn(2).getString();
        e.message = query.getColumn(3).getString();
        e.pointer = query.getColumn(4).getString();
        e.raw_row = query.getColumn(5).getBlob();
        errors.push_back(std::move(e));
    }
    return errors;
}

}  // namespace salesint::store::pg
