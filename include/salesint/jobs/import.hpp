// `job import` (README.md, "Import and export jobs"): records from a source,
// each validated for its entity type, mapped to an internal UUID and turned
// into a SalesDomainIntent on sales.domain.intents.v1, in batches. Each
// batch's mappings, intents, per-row errors, the checkpoint (the largest
// cursor value committed) and the run's counts are written in one
// transaction, so the checkpoint never runs ahead of the data and a run
// killed at any instant resumes where its last batch ended.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "salesint/jobs/records.hpp"
#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::jobs {

struct ImportRequest {
    std::string system_code;
    std::string entity_type;
    std::string id_field;             // empty: the entity type's (README.md table)
    std::string cursor_field;         // empty: the entity type's, if it has one
    bool cursor_field_given = false;  // a record without it is then a warning
    std::size_t batch_size = 1000;
    std::int64_t max_errors = 0;  // 0: no limit; at N errors the run fails
    bool dry_run = false;         // read, validate and map; write nothing
    bool resume = false;          // continue the last unfinished run of the job
    // The source starts after the checkpoint by itself (a connector's
    // pages): a resumed run passes over no rows.
    bool source_starts_at_checkpoint = false;
    std::string requested_by;  // who started it ($USER)
};

// Counts of a run as it goes; the last one is the run's result_summary.
struct ImportCounts {
    std::int64_t read = 0;            // records read, good and bad
    std::int64_t created = 0;         // new mappings (and their intents)
    std::int64_t updated = 0;         // known mappings whose record changed (an intent each)
    std::int64_t unchanged = 0;       // identical to the record last imported (no intent)
    std::int64_t stale = 0;           // older (by cursor) than the record last imported (no intent)
    std::int64_t pending_review = 0;  // mappings waiting for review (no intent yet)
    std::int64_t rejected = 0;        // per-row errors
    std::int64_t warnings = 0;
    std::int64_t skipped = 0;  // rows a resumed run did not read again
    std::int64_t intents = 0;
};

struct ImportOutcome {
    JobRun run;  // as closed (a dry run: as it would have been, never stored)
    ImportCounts counts;
    std::vector<JobRowError> first_errors;  // at most 10
    bool stopped = false;                   // interrupted by a signal
};

using ImportProgress = std::function<void(const ImportCounts&)>;

// Runs the import of source. stop (may be null) is polled between batches:
// once set, the batch being read is dropped, the run closed as cancelled and
// resumable. Throws Error only for what stops the whole run before it
// starts (an unknown connector, a run of the same job already running); a
// source that fails part-way closes the run as failed, with the checkpoint's
// status set to error, and rethrows.
ImportOutcome run_import(Store& store, RecordSource& source, const ImportRequest& request,
                         const ImportProgress& progress, const std::atomic<bool>* stop);

// The record's external id field and cursor field when none is given, by
// entity type: order/orders: externalOrderId, updatedAt; anything else: id,
// updatedAt.
std::string default_id_field(const std::string& entity_type);
std::string default_cursor_field(const std::string& entity_type);

}  // namespace salesint::jobs
