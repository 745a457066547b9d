// Executing an adapter on one input, as README.md ("Execute") describes it:
//
//   1. the input is checked against the adapter's contract; a rejected input
//      is answered (exit 1) and nothing is recorded, so that the corrected
//      input can go through under the same message id (Stripe's rule for
//      idempotency keys);
//   2. the message id is the adapter's idempotency key (order intake), the
//      --message-id given, or "msg_" + SHA-256 of adapter ID and canonical
//      input; a message id seen before returns the stored outcome
//      (replayed: true), or exit 4 when it came with another input;
//   3. deterministic mode computes the result locally; live mode checks the
//      tenant's rate limit and the connector's circuit breaker (both kept in
//      the state file) and POSTs with retries, backoff and full jitter;
//   4. the execution row, one SalesIntegrationFact on
//      sales.integration.facts.v1, the adapter's own events and, for a live
//      call that failed for good, the DLQ entry are written in one
//      transaction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "salesint/domain/circuit_breaker.hpp"
#include "salesint/domain/rate_limit.hpp"
#include "salesint/errors.hpp"
#include "salesint/execute/adapter.hpp"
#include "salesint/store.hpp"

namespace salesint::execute {

struct ExecuteOptions {
    std::string message_id;      // empty: derived (see above)
    std::string correlation_id;  // empty: the message id, which starts the chain
    std::string causation_id;    // what caused this input, if anything
    bool live = false;
    std::string connector;  // live: instead of the adapter's choice
    bool dry_run = false;
    std::string now;  // RFC 3339; empty: the clock
    std::string roster_text;
    std::string roster_source;
    RetryPolicy retry;
    // Queries (Adapter::is_query): how long a stored answer is replayed.
    std::chrono::seconds max_age{300};
    int max_slots = 0;  // slot answers: at most this many; 0: the adapter's default
    BreakerPolicy breaker;
    RateLimit rate_limit;
    std::function<void(const std::string&)> on_retry;  // "attempt 1/4: HTTP 503; retrying in 0.4 s"
};

// A DLQ entry claimed under a lease by a replay (dlq_replay.hpp).
struct DlqClaim {
    DlqEntry entry;     // as claimed: replaying, held by owner
    std::string owner;  // the lease's owner
    std::string actor;  // who replays, for the entry's replay history
};

struct Outcome {
    // Recorded (succeeded, failed, dead_lettered: is_recorded) or not
    // (rejected, conflict, rate_limited, circuit_open, invalid_json, planned).
    ExecutionStatus status = ExecutionStatus::kFailed;
    ExitCode exit_code = ExitCode::kSuccess;
    std::string execution_id;
    std::string message_id;
    std::string adapter_id;
    ExecutionMode mode = ExecutionMode::kDeterministic;
    std::string connector;
    OrderedJson output;  // null when there is none
    OrderedJson error;   // an error response, null when there is none
    std::string error_code;
    std::string summary;  // one line for people
    int attempts = 0;
    std::int64_t duration_ms = 0;
    bool replayed = false;
    std::string dlq_entry_id;
    bool dry_run = false;
    bool refreshed = false;                     // a query's expired answer computed again
    int run = 0;                                // 0: the first run; n: the n-th retry or refresh
    std::vector<std::string> writes;            // what was (or, dry, would be) written
    std::optional<LiveRequest> request;         // dry run, live mode
    std::vector<ExecutionAttempt> attempt_log;  // live: every HTTP attempt of this run
    // Executor::replay: what the run wrote back to the claimed DLQ entry, in
    // its transaction: "replayed", "failed", or "lease_lost" (another replay
    // took the entry meanwhile); empty when the run recorded nothing.
    std::string dlq_replay;
};

// What a run leaves to record, worked out before anything is written.
struct Recording {
    Outcome outcome;
    Execution execution;
    std::vector<OutboxMessage> outbox;  // the integration fact, then the adapter's events
    std::optional<DlqEntry> written;    // a claimed DLQ entry as this run leaves it
};

// An input checked and identified, ready to run: the part of an execution
// that needs no state file, so that a batch can do it on another thread.
struct Prepared {
    Json input;
    std::string canonical;  // input.dump(): keys sorted, no spaces
    std::string input_sha256;
    RunContext context;            // canonical_input is set by finish()
    std::optional<Outcome> early;  // rejected: nothing more to do
    // Deterministic mode: the first run, computed ahead; finish() records it
    // unless the state file already holds the message.
    std::optional<Recording> planned;
    // Only identified (prepare's defer_checks): finish() replays it when the
    // state file holds these very bytes, and checks and runs it otherwise.
    bool deferred = false;
};

class Executor {
  public:
    // store: the state file, where executions are found and recorded. Only a
    // dry run (options.dry_run) may have none: it then cannot tell a replay
    // from a first run, nor run live.
    Executor(Store* store, const Adapter& adapter, ExecuteOptions options);

    // One input; its writes join the caller's transaction if one is open.
    Outcome execute(Json input) {
        Prepared prepared = prepare(std::move(input));
        return finish(prepared);
    }

    // Validation and identifiers; touches no state, safe on any thread.
    // defer_checks: only canonical form and ids, the rest left to finish()
    // (Prepared::deferred), for inputs that are likely replays: a batch run
    // again hands the reader thread only the part a replay needs.
    Prepared prepare(Json input, bool defer_checks = false) const;
    // Replay, conflict, or run and record; on the thread that owns the store.
    // prepared is read, not taken: what another thread allocated for it is
    // freed there (a batch hands its chunks back to the reader).
    Outcome finish(Prepared& prepared);
    // The outcome for input that could not be read as JSON (a line of a
    // batch): status invalid_json, exit 2, never recorded. raw: its bytes.
    Outcome unreadable(const std::string& message, std::string_view raw) const;
    // Runs a failed or dead-lettered live execution again under its message
    // id (so the remote sees the same Idempotency-Key) and updates its row;
    // a dead letter it clears is marked replayed. Refused (kRefused) for a
    // deterministic or succeeded execution, or another adapter's.
    Outcome retry(const Execution& stored);
    // Replays a claimed DLQ entry of an execution under its message id. Live:
    // a failed or dead-lettered execution runs again as retry() does (a new
    // run, fresh attempts, the same Idempotency-Key); without one (an
    // imported entry) the entry's payload runs with its message, correlation
    // and causation ids; one that succeeded is returned as stored (replayed:
    // true) and nothing is called. Deterministic: the adapter runs locally
    // under the message id. A run that is recorded writes the entry back in
    // the same transaction (dlq_replay.hpp: written_back) instead of adding a
    // dead letter; otherwise the caller writes it back.
    Outcome replay(const DlqClaim& claim);

    const ExecuteOptions& options() const { return options_; }
    const Adapter& adapter() const { return adapter_; }
    // Null only for a dry run without a state file (see the constructor).
    Store* store() const { return store_; }

  private:
    Outcome replay_or_conflict(const Execution& stored, const std::string& input_sha256,
                               const RunContext& context) const;
    // input_sha256: what makes the execution the same (identity_sha256).
    Outcome run_live(const Json& input, RunContext& context, Outcome outcome,
                     const std::string& input_sha256, const std::optional<Execution>& previous);
    // status: one that is_recorded.
    // previous: the row this run replaces (a retry, a refreshed query).
    Outcome record(Outcome outcome, ExecutionStatus status, const RunContext& context,
                   const std::string& input_sha256, Result result,
                   const std::optional<DlqEntry>& dead_letter,
                   const std::optional<Execution>& previous);
    // record() in two halves: what to write (touches no state file), then
    // writing it in one transaction.
    Recording compose(Outcome outcome, ExecutionStatus status, const RunContext& context,
                      const std::string& input_sha256, Result result,
                      const std::optional<DlqEntry>& dead_letter,
                      const std::optional<Execution>& previous) const;
    Outcome commit(Recording& recording, const RunContext& context,
                   const std::optional<DlqEntry>& dead_letter,
                   const std::optional<Execution>& previous);
    // The outcome of a first run before it runs: ids, adapter, mode.
    Outcome first_run(const RunContext& context) const;
    // Deterministic mode: the adapter's local run, composed for recording.
    Recording run_locally(const Json& input, const RunContext& context, Outcome outcome,
                          const std::string& input_sha256,
                          const std::optional<Execution>& previous) const;
    bool is_fresh(const Execution& stored, const std::string& input_sha256,
                  const std::string& now) const;
    ExecutionMode mode() const;
    std::string now() const;
    std::string identity_sha256(const std::string& canonical) const;
    std::string derived_message_id(const std::string& canonical) const;
    // The message id of an input (prepare's step 2); nullopt when its
    // idempotency key differs from the one given (a usage error).
    std::optional<std::string> message_id_of(const Json& input, const std::string& canonical) const;

    Outcome run_again(const Execution& stored);

    Store* store_;
    const Adapter& adapter_;
    const DlqClaim* claim_ = nullptr;  // during replay()
    ExecuteOptions options_;
    std::string roster_sha256_;  // of the roster's canonical JSON, for adapters that read one
};

// The error response (docs/contracts.md): {"error": {code, message, details},
// correlationId, timestamp}.
OrderedJson error_response(const Failure& failure, const std::string& correlation_id,
                           const std::string& timestamp);

// The documented JSON shape of an outcome (see `salesint execute --help`);
// a batch row's starts with its line.
OrderedJson outcome_record(const Outcome& outcome, std::size_t line = 0);

}  // namespace salesint::execute
