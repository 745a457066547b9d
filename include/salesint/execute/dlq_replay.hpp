// Replaying DLQ entries, as README.md ("Dead letters") describes it: the set
// is fixed when the replay starts; each entry is claimed under a lease
// (replaying, owner, expiry) in a short transaction before anything is
// called, so that two replays never run one entry twice and a crashed
// replay's entries are taken again once its lease ran out; the entry is
// written back in the transaction that records what its replay did
// (replayed, or pending with the new attempts appended and replay_count
// raised), beside a row of its replay history.
//
// An execute entry runs again through its adapter under its message id
// (live: the same connector and Idempotency-Key, fresh attempts; a message
// whose live execution already succeeded is only marked replayed); a
// webhook_send entry is signed again with the secret of the day and POSTed to
// its target with the same delivery id. Deterministic mode rehearses execute
// entries locally (the remote is never called), in transactions of many
// entries.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "salesint/execute/executor.hpp"
#include "salesint/net/retry.hpp"
#include "salesint/store.hpp"
#include "salesint/webhooks/scheme.hpp"

namespace salesint::execute {

// Which entries a replay takes: the ids given, else those the filter
// selects, narrowed to one group (domain/dlq.hpp) when group is set.
struct ReplaySelection {
    std::vector<std::string> entry_ids;
    DlqFilter filter;   // its status is ignored: only entries that can be claimed are taken
    std::string group;  // a group id by error or by adapter; empty: any
    int limit = 0;      // 0: no limit
};

struct Selected {
    std::vector<std::string> entry_ids;  // oldest failure first
    std::size_t webhook_deliveries = 0;  // of source webhook_send: they need a secret
};

// The set, fixed once: pending entries, and entries a replay holds (whose
// lease may have run out by the time they are reached). An id given that is
// not in the DLQ is an Error (not found).
Selected select_for_replay(Store& store, const ReplaySelection& selection);

enum class EntryOutcome { kReplayed, kFailed, kSkipped };
const char* to_string(EntryOutcome outcome);

struct ReplayedEntry {
    std::string entry_id;
    std::string source;
    std::string adapter_id;
    EntryOutcome outcome = EntryOutcome::kSkipped;
    std::string execution_id;  // execute entries that ran, or had run
    std::string error;         // failed: why; skipped: the reason
    bool unavailable = false;  // the remote could not be asked (breaker open, rate limited)
};

struct ReplayOptions {
    bool live = true;  // false: deterministic rehearsal, the remote never called
    int canary = 0;    // > 0: stop after that many unless each was replayed
    double rate = 0;   // entries started per second; 0: no bound
    std::chrono::seconds lease{300};
    std::string owner;  // the lease owner: user@host:pid
    std::string actor;  // who replays, for the replay history
    // The execute options of an adapter's runs (retry policy, breaker, rate
    // limit, connector instead of the entry's).
    std::function<ExecuteOptions(const AdapterInfo&)> execute_options;
    // webhook_send entries: the signing secret of today, and how to retry.
    std::optional<webhooks::Secret> secret;
    int max_attempts = 5;
    std::chrono::milliseconds timeout{30'000};
    net::Backoff backoff;
    // Deterministic mode: entries claimed, run and written back per transaction.
    std::size_t batch = 500;
    // Once set no further entry is started; the current one is finished.
    const std::atomic<bool>* stop = nullptr;
    std::function<void(const ReplayedEntry&)> emit;    // each entry, once written back
    std::function<void(std::size_t done)> progress;    // now and then
    std::function<void(const std::string&)> on_retry;  // webhook retries, for the log
};

struct ReplaySummary {
    std::size_t replayed = 0;
    std::size_t failed = 0;   // still failing
    std::size_t skipped = 0;  // taken by another replay, already done, or not replayable
    std::size_t left = 0;     // of the set, not reached (canary, interruption, remote unavailable)
    bool unavailable = false;
    bool canary_failed = false;
    bool interrupted = false;
    // 0 when nothing failed; 5 when the remote stayed unavailable; 1 otherwise.
    ExitCode exit_code() const;
};

// Who holds a lease: user@host:pid.
std::string lease_owner();

ReplaySummary replay_entries(Store& store, const std::vector<std::string>& entry_ids,
                             const ReplayOptions& options);

// What a dry run shows of one entry.
struct PlannedReplay {
    std::string entry_id;
    std::string source;
    std::string adapter_id;
    std::string action;  // "run", "mark replayed", "skip"
    std::string note;    // why, for mark and skip
    // Live: {"method", "url", "headers", "body"}, signatures "(signed when
    // sent)", credentials "(secret, added when sent)"; null otherwise.
    OrderedJson request;
};

// What replay_entries would do with each entry, writing nothing.
void plan_replay(Store& store, const std::vector<std::string>& entry_ids,
                 const ReplayOptions& options,
                 const std::function<void(const PlannedReplay&)>& emit);

// The audit entry of one replay run (action dlq.replay): subject the
// selection, new value the counts.
void audit_replay(Store& store, const std::string& selection, const ReplayOptions& options,
                  const ReplaySummary& summary);

inline constexpr const char* kReplayAction = "dlq.replay";

// The claimed entry as a replay leaves it: replayed; or pending with the
// replay's attempts appended to its attempts, its error replaced and
// replay_count raised.
DlqEntry written_back(const DlqEntry& claimed, bool replayed,
                      const std::vector<ExecutionAttempt>& attempts, const std::string& error_code,
                      const std::string& error_message, const std::string& now);

// Releases the claimed entry as back says and adds its replay to the
// history, inside the caller's transaction. False when the lease was lost
// (another replay took the entry): the history then says so.
bool write_back(Store& store, const DlqClaim& claim, const DlqEntry& back, ExecutionMode mode,
                EntryOutcome outcome, const std::string& execution_id, const std::string& error);

}  // namespace salesint::execute
