// The history of job runs (README.md, "Import and export jobs"): append-only.
// A run is written as running when it starts, its progress with each batch
// it commits, and it is closed once. A run left running by a process that is
// gone (killed, crashed, the machine rebooted) is closed as interrupted by
// the next start of a job, so that no run stays "running" forever.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/store.hpp"
#include "salesint/util/json.hpp"

namespace salesint::jobs {

// Closes as interrupted every run of the tenant whose worker is gone: a
// process of this host that no longer exists, or another host's run whose
// last commit is older than stale_after_ms. Returns the runs it closed.
inline constexpr std::int64_t kStaleAfterMs = 600'000;
std::vector<JobRun> close_abandoned_runs(Store& store, std::int64_t stale_after_ms = kStaleAfterMs);

// "host:pid" of this process, as runs name their worker.
std::string this_worker();

// A new run id: "run_" and 12 hex digits.
std::string new_run_id();

// The run by id (kNotFound naming it), and the runs a filter selects, as
// readers see them: a run still marked running whose worker is gone (as
// close_abandoned_runs judges it) is shown interrupted.
JobRun get_run(Store& store, const std::string& run_id);
std::vector<JobRun> list_runs(Store& store, const JobRunFilter& filter);

// A run's per-row errors (and warnings) in row order; limit 0: all.
std::vector<JobRowError> run_errors(Store& store, const JobRun& run, int limit = 0);

// Wall time of a finished run in milliseconds (0 while running).
std::int64_t duration_ms(const JobRun& run);

// A run as `job list|show -o json` print it (README.md, "job show"): every
// column, the summary as an object, duration_ms and rows_per_second;
// first_errors: the first of its per-row errors, or none.
OrderedJson run_json(const JobRun& run, const std::vector<JobRowError>& first_errors);
OrderedJson row_error_json(const JobRowError& error);

// A run's per-row problems of one severity ("error" or "warning"; empty:
// both), in row order. Another severity is a usage Error naming the field.
std::vector<JobRowError> run_errors_of(Store& store, const JobRun& run,
                                       const std::string& severity);

// The records of a run's rows in error (severity error), as a file to fix and
// import again (README.md, "job errors"). CSV: the run's CSV columns (its
// result_summary's "columns") as the header, then each row as it was read; a
// run whose source was not CSV has none (a usage Error). NDJSON: one record
// a line.
struct RetryFile {
    std::string text;
    std::int64_t rows = 0;
};
RetryFile retry_file(Store& store, const JobRun& run, bool csv);
// Whether a retry file at path is CSV (its name ends in .csv) or NDJSON.
bool is_csv_path(const std::string& path);
// Writes retry_file (CSV or NDJSON by path) to path through a temporary
// file renamed over it. An existing file is refused (kRefused) unless
// overwrite. Returns the rows written.
std::int64_t write_retry_file(Store& store, const JobRun& run, const std::string& path,
                              bool overwrite);

}  // namespace salesint::jobs
