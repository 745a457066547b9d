// `execute --batch`: every line of an NDJSON file through one Executor.
//
// Deterministic inputs are committed in transactions of many rows, and each
// row's outcome is reported only once its transaction has committed, so that
// what was printed is what the state file holds. A run stopped part-way keeps
// the committed transactions; running the same file again replays them (same
// message ids) and carries on with the rest. Live rows commit one by one: a
// remote call cannot be rolled back. Memory stays flat in the number of rows.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "salesint/execute/executor.hpp"

namespace salesint::execute {

struct BatchRow {
    std::size_t line = 0;  // 1-based line of the file
    Outcome outcome;
};

struct BatchSummary {
    std::size_t rows = 0;
    std::map<std::string, std::size_t> by_status;
    std::size_t replayed = 0;                 // of those recorded before
    ExitCode exit_code = ExitCode::kSuccess;  // the highest of any row
    std::string first_problem;                // "FILE:LINE: INVALID_ORDER: ..."
    bool stopped = false;                     // options.stop ended it early
};

struct BatchOptions {
    std::size_t rows_per_transaction = 4000;
    std::function<void(const BatchRow&)> emit;       // each row, in file order
    std::function<void(std::size_t rows)> progress;  // now and then
    // Once set, no further row is started: the rows taken so far commit and
    // are reported, and the batch returns (a rerun resumes where it ended).
    const std::atomic<bool>* stop = nullptr;
};

// Rows are recorded in the executor's store (nothing is, in a dry run).
BatchSummary run_batch(Executor& executor, const std::string& path, const BatchOptions& options);

}  // namespace salesint::execute
