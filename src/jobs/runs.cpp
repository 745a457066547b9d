#include "salesint/jobs/runs.hpp"

#include <signal.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cerrno>
#include <string_view>

#include "salesint/domain/connectors.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/uuid.hpp"

namespace salesint::jobs {
namespace {

std::string host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') {
        return "localhost";
    }
    return name;
}

// Whether the worker "host:pid" is gone for sure: a process of this host
// that no longer exists. Another host's run is judged by its heartbeat.
bool local_worker_gone(const std::string& worker, bool& is_local) {
    const auto colon = worker.rfind(':');
    is_local = colon != std::string::npos && worker.substr(0, colon) == host_name();
    if (!is_local) {
        return false;
    }
    long pid = 0;
    try {
        pid = std::stol(worker.substr(colon + 1));
    } catch (const std::exception&) {
        return true;  // no pid we could ever signal: nobody runs it
    }
    if (pid <= 0) {
        return true;
    }
    return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

std::int64_t ms_of(const std::string& rfc3339);

// Whether a running run's worker is gone: a process of this host that no
// longer exists, or another host's run whose last commit is older than
// stale_after_ms.
bool worker_gone(const JobRun& run, std::int64_t now_ms, std::int64_t stale_after_ms) {
    bool is_local = false;
    return local_worker_gone(run.worker, is_local) ||
           (!is_local &&
            now_ms - ms_of(run.heartbeat_at.empty() ? run.started_at : run.heartbeat_at) >
                stale_after_ms);
}

// A run as readers are shown it: one still marked running whose worker is
// gone is interrupted, although only the next job's start writes that down
// (a command that reads never writes).
JobRun as_seen(JobRun run, std::int64_t now_ms) {
    if (run.status == JobStatus::kRunning && worker_gone(run, now_ms, kStaleAfterMs)) {
        run.status = JobStatus::kInterrupted;
    }
    return run;
}

std::int64_t ms_of(const std::string& rfc3339) {
    auto instant = parse_rfc3339(rfc3339);
    if (!instant) {
        return 0;
    }
    std::string millis = (instant->fraction + "000").substr(0, 3);
    return instant->epoch_seconds * 1000 + std::stoll(millis);
}

// The record without the line break it was read with.
std::string without_line_end(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

// The CSV header the run read, from its result_summary's "columns".
std::optional<std::vector<std::string>> csv_columns(const JobRun& run) {
    nlohmann::json summary;
    if (read_json(run.result_summary_json, summary) || !summary.is_object()) {
        return std::nullopt;
    }
    auto found = summary.find("columns");
    if (found == summary.end() || !found->is_array() || found->empty()) {
        return std::nullopt;
    }
    std::vector<std::string> columns;
    for (const auto& column : *found) {
        if (!column.is_string()) {
            return std::nullopt;
        }
        columns.push_back(column.get<std::string>());
    }
    return columns;
}

}  // namespace

std::string this_worker() {
    return host_name() + ":" + std::to_string(getpid());
}

std::string new_run_id() {
    std::string uuid = new_uuid_v4();
    std::string hex;
    for (char c : uuid) {
        if (c != '-' && hex.size() < 12) {
            hex += c;
        }
    }
    return "run_" + hex;
}

std::vector<JobRun> close_abandoned_runs(Store& store, std::int64_t stale_after_ms) {
    std::vector<JobRun> closed;
    store.write([&] {
        JobRunFilter running;
        running.status = JobStatus::kRunning;
        const std::int64_t now_ms = unix_ms_now();
        const std::string now = now_rfc3339();
        for (JobRun run : store.list_job_runs(running)) {
            if (!worker_gone(run, now_ms, stale_after_ms)) {
                continue;
            }
            run.status = JobStatus::kInterrupted;
            run.completed_at = now < run.started_at ? run.started_at : now;
            store.update_job_run(run);
            closed.push_back(run);
        }
    });
    return closed;
}

JobRun get_run(Store& store, const std::string& run_id) {
    auto run = store.find_job_run(run_id);
    if (!run) {
        throw not_found("job run " + run_id + " not found in tenant '" + store.tenant() + "'");
    }
    return as_seen(*run, unix_ms_now());
}

std::vector<JobRun> list_runs(Store& store, const JobRunFilter& filter) {
    JobRunFilter normalized = filter;
    if (!normalized.system_code.empty()) {
        normalized.system_code = connectors::normalize_system_code(normalized.system_code);
    }
    // Running and interrupted are told apart here, not by the store: ask it
    // for both and filter what is seen (the limit applies after that).
    const auto wanted = normalized.status;
    const bool judged_here = wanted == JobStatus::kRunning || wanted == JobStatus::kInterrupted;
    if (judged_here) {
        normalized.status.reset();
        normalized.limit = 0;
    }
    const std::int64_t now_ms = unix_ms_now();
    std::vector<JobRun> runs;
    for (auto& run : store.list_job_runs(normalized)) {
        JobRun seen = as_seen(std::move(run), now_ms);
        if (judged_here && seen.status != *wanted) {
            continue;
        }
        if (judged_here && filter.limit > 0 && static_cast<int>(runs.size()) >= filter.limit) {
            break;
        }
        runs.push_back(std::move(seen));
    }
    return runs;
}

std::vector<JobRowError> run_errors(Store& store, const JobRun& run, int limit) {
    return store.list_job_row_errors(run.id, limit);
}

std::int64_t duration_ms(const JobRun& run) {
    if (run.completed_at.empty()) {
        return 0;
    }
    const std::int64_t ms = ms_of(run.completed_at) - ms_of(run.started_at);
    return ms > 0 ? ms : 0;
}

OrderedJson row_error_json(const JobRowError& error) {
    OrderedJson out = OrderedJson::object();
    out["row"] = error.row_number;
    out["severity"] = error.severity;
    out["code"] = error.code;
    out["message"] = error.message;
    out["pointer"] = error.pointer;
    out["record"] = error.raw_row;
    return out;
}

OrderedJson run_json(const JobRun& run, const std::vector<JobRowError>& first_errors) {
    OrderedJson out = OrderedJson::object();
    out["run_id"] = run.run_id;
    out["job_type"] = run.job_type;
    out["system_code"] = run.system_code;
    out["entity_type"] = run.entity_type;
    out["source"] = run.source;
    out["status"] = to_string(run.status);
    out["started_at"] = run.started_at;
    out["completed_at"] = run.completed_at.empty() ? OrderedJson() : OrderedJson(run.completed_at);
    const std::int64_t ms = duration_ms(run);
    out["duration_ms"] = ms;
    out["rows_per_second"] =
        ms > 0 ? static_cast<double>(run.rows_total) * 1000.0 / static_cast<double>(ms) : 0.0;
    out["requested_by_user_id"] = run.requested_by_user_id;
    out["rows_total"] = run.rows_total;
    out["rows_ok"] = run.rows_ok;
    out["error_count"] = run.error_count;
    out["warning_count"] = run.warning_count;
    out["resume_after_row"] = run.resume_after_row;
    out["resumed_from"] = run.resumed_from;
    out["worker"] = run.worker;
    out["checkpoint"] = {{"before", run.checkpoint_before}, {"after", run.checkpoint_after}};
    OrderedJson summary = OrderedJson::object();
    nlohmann::json parsed;
    if (!read_json(run.result_summary_json, parsed) && parsed.is_object()) {
        summary = OrderedJson::parse(run.result_summary_json);
    }
    out["result_summary"] = summary;
    OrderedJson errors = OrderedJson::array();
    for (const JobRowError& error : first_errors) {
        errors.push_back(row_error_json(error));
    }
    out["first_errors"] = errors;
    return out;
}

std::vector<JobRowError> run_errors_of(Store& store, const JobRun& run,
                                       const std::string& severity) {
    if (!severity.empty() && severity != "error" && severity != "warning") {
        throw usage_error("severity must be error or warning, not '" + severity + "'")
            .with_field("severity");
    }
    std::vector<JobRowError> errors = run_errors(store, run);
    if (!severity.empty()) {
        std::erase_if(errors, [&](const JobRowError& e) { return e.severity != severity; });
    }
    return errors;
}

bool is_csv_path(const std::string& path) {
    constexpr std::string_view kCsv = ".csv";
    if (path.size() < kCsv.size()) {
        return false;
    }
    std::string tail = path.substr(path.size() - kCsv.size());
    for (char& c : tail) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return tail == kCsv;
}

RetryFile retry_file(Store& store, const JobRun& run, bool csv) {
    RetryFile file;
    if (csv) {
        auto columns = csv_columns(run);
        if (!columns) {
            throw usage_error("job run " + run.run_id + " did not read CSV (source " +
                              (run.source.empty() ? std::string("unknown") : run.source) +
                              "): its rows in error can be written as NDJSON only");
        }
        for (std::size_t i = 0; i < columns->size(); ++i) {
            file.text += (i == 0 ? "" : ",") + csv_quote((*columns)[i]);
        }
        file.text += "\n";
    }
    for (const JobRowError& error : run_errors_of(store, run, "error")) {
        std::string record = without_line_end(error.raw_row);
        if (!csv) {
            // A JSON element read across lines (a JSON array's) keeps its
            // meaning on one line: raw line breaks in JSON are whitespace.
            for (char& c : record) {
                if (c == '\n' || c == '\r') {
                    c = ' ';
                }
            }
        }
        file.text += record + "\n";
        ++file.rows;
    }
    return file;
}

std::int64_t write_retry_file(Store& store, const JobRun& run, const std::string& path,
                              bool overwrite) {
    struct stat existing {};
    if (!overwrite && stat(path.c_str(), &existing) == 0) {
        throw refused(path + " exists; refusing to overwrite it").with_hint(Hint::kForceOverwrite);
    }
    RetryFile file = retry_file(store, run, is_csv_path(path));
    write_file_atomically(path, file.text);
    return file.rows;
}

}  // namespace salesint::jobs
