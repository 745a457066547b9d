#include "salesint/execute/executor.hpp"

#include <chrono>
#include <stdexcept>

#include "envelopes.hpp"
#include "identity.hpp"
#include "roster.hpp"
#include "salesint/domain/audit.hpp"
#include "salesint/execute/dlq_replay.hpp"
#include "salesint/execute/history.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/json_writer.hpp"

namespace salesint::execute {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::int64_t elapsed_ms(SteadyClock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - since)
        .count();
}

OrderedJson parse_stored(const std::string& text) {
    OrderedJson value;
    if (text.empty() || !read_json(text, value)) {
        return value;  // the reader of util/json_text: a few times faster than parse()
    }
    return OrderedJson::parse(text);  // damaged (state check says so): as parse() reports it
}

const char* fact_type(ExecutionStatus status) {
    if (status == ExecutionStatus::kSucceeded) {
        return "IntegrationExecutionSucceeded";
    }
    return status == ExecutionStatus::kFailed ? "IntegrationExecutionFailed"
                                              : "IntegrationExecutionDeadLettered";
}

ExitCode exit_code_of(ExecutionStatus status) {
    if (status == ExecutionStatus::kSucceeded) {
        return ExitCode::kSuccess;
    }
    return status == ExecutionStatus::kDeadLettered ? ExitCode::kTransient : ExitCode::kNo;
}

// What a run that was carried out records: failed when the adapter said no.
ExecutionStatus status_of(const Result& result) {
    return result.failure ? ExecutionStatus::kFailed : ExecutionStatus::kSucceeded;
}

// "INVALID_ORDER: customer.email: Invalid email format; serviceItems: ..."
std::string failure_line(const Failure& failure) {
    std::string line = failure.code + ": ";
    if (failure.details.empty()) {
        return line + failure.message;
    }
    for (std::size_t i = 0; i < failure.details.size(); ++i) {
        const FieldError& detail = failure.details[i];
        line += (i > 0 ? "; " : "") +
                (detail.field.empty() ? std::string("(input)") : detail.field) + " (" +
                (detail.pointer.empty() ? "/" : detail.pointer) + "): " + detail.message;
    }
    return line;
}

// The envelope of the one integration fact every recorded outcome emits;
// its output or error is the JSON text stored with the execution.
OutboxMessage integration_fact(const RunContext& context, const Execution& execution) {
    // Each run of an execution (a retry, a refreshed query) states its own fact.
    const std::string fact_id = derived_uuid(
        "fact\n" + context.tenant + "\n" + context.identity +
        (execution.retries > 0 ? "\nrun " + std::to_string(execution.retries) : std::string()));
    OutboxMessage message;
    JsonWriter envelope(message.envelope_json);
    envelope.begin_object();
    write_envelope_meta(envelope, context, fact_id, execution.message_id);
    envelope.key("subject").begin_object();
    envelope.key("aggregate_type").string("integration_execution");
    envelope.key("aggregate_id").string(execution.execution_id);
    envelope.end_object();
    envelope.key("fact").begin_object();
    envelope.key("type").string(fact_type(execution.status));
    envelope.key("adapter_id").string(execution.adapter_id);
    envelope.key("adapter_version").string(execution.adapter_version);
    envelope.key("execution_id").string(execution.execution_id);
    envelope.key("mode").string(to_string(execution.mode));
    envelope.key("connector").string_or_null(execution.connector_code);
    envelope.key("status").string(to_string(execution.status));
    envelope.key("attempts").integer(execution.attempts);
    envelope.key("duration_ms").integer(execution.duration_ms);
    if (execution.status == ExecutionStatus::kSucceeded) {
        envelope.key("output").raw(execution.output_json.empty() ? "null" : execution.output_json);
    } else {
        envelope.key("error").raw(execution.error_json.empty() ? "null" : execution.error_json);
    }
    envelope.end_object();
    envelope.end_object();

    message.message_id = fact_id;
    message.topic = kIntegrationFactsTopic;
    message.partition_key = partition_key(context, execution.execution_id);
    message.created_at = context.now;
    return message;
}

}  // namespace

Executor::Executor(Store* store, const Adapter& adapter, ExecuteOptions options)
    : store_(store), adapter_(adapter), options_(std::move(options)) {
    if (store_ == nullptr && !options_.dry_run) {
        throw std::invalid_argument("an Executor without a state file can only dry-run");
    }
    if (adapter_.uses_roster()) {
        // Checked once, before any input: an unusable roster is a usage
        // error, not a failed execution recorded for every input.
        const Roster roster = parse_roster(options_.roster_text, options_.roster_source);
        if (roster.technicians.empty()) {
            throw usage_error(options_.roster_source +
                              ": /technicians lists no technician; slots cannot be found");
        }
        roster_sha256_ =
            sha256_hex(parse_json_text(options_.roster_text, options_.roster_source).dump());
    }
}

std::string Executor::identity_sha256(const std::string& canonical) const {
    // What makes two executions the same: the input, and the roster that
    // shapes the answer for the adapters that read one.
    return sha256_hex(roster_sha256_.empty() ? canonical
                                             : canonical + "\nroster:" + roster_sha256_);
}

std::string Executor::derived_message_id(const std::string& canonical) const {
    std::string key = adapter_.info().id + "\n" + canonical;
    if (!roster_sha256_.empty()) {
        key += "\nroster:" + roster_sha256_;
    }
    return "msg_" + sha256_hex(key).substr(0, 32);
}

ExecutionMode Executor::mode() const {
    return options_.live ? ExecutionMode::kLive : ExecutionMode::kDeterministic;
}

std::string Executor::now() const {
    return options_.now.empty() ? now_rfc3339() : options_.now;
}

std::optional<std::string> Executor::message_id_of(const Json& input,
                                                   const std::string& canonical) const {
    if (auto key = adapter_.idempotency_key(input)) {
        if (!options_.message_id.empty() && options_.message_id != *key) {
            return std::nullopt;
        }
        return key;
    }
    return !options_.message_id.empty() ? options_.message_id : derived_message_id(canonical);
}

Prepared Executor::prepare(Json input, bool defer_checks) const {
    const AdapterInfo& info = adapter_.info();
    Prepared prepared;
    RunContext& context = prepared.context;
    context.tenant = store_ != nullptr ? store_->tenant() : std::string("default");
    context.now = now();
    context.causation_id = options_.causation_id;
    context.roster = options_.roster_text;
    context.roster_source = options_.roster_source;
    context.max_slots = options_.max_slots;

    prepared.canonical = compact_dump(input);
    if (defer_checks && !adapter_.is_query()) {
        // What a replay needs: the message id and the input's identity.
        if (std::optional<std::string> message_id = message_id_of(input, prepared.canonical)) {
            prepared.input_sha256 = identity_sha256(prepared.canonical);
            context.message_id = std::move(*message_id);
            context.correlation_id =
                options_.correlation_id.empty() ? context.message_id : options_.correlation_id;
            context.identity = identity_of(context.message_id, mode());
            prepared.deferred = true;
            prepared.input = std::move(input);
            return prepared;
        }
    }
    if (auto failure = adapter_.validate(input, prepared.canonical)) {
        // Not recorded, but answered with a correlation id all the same.
        std::string correlation = !options_.correlation_id.empty() ? options_.correlation_id
                                  : !options_.message_id.empty()
                                      ? options_.message_id
                                      : derived_message_id(prepared.canonical);
        Outcome outcome;
        outcome.adapter_id = info.id;
        outcome.mode = mode();
        outcome.dry_run = options_.dry_run;
        outcome.status = ExecutionStatus::kRejected;
        outcome.exit_code = ExitCode::kNo;
        outcome.error_code = failure->code;
        outcome.error = error_response(*failure, correlation, context.now);
        outcome.summary = failure_line(*failure);
        prepared.early = std::move(outcome);
        return prepared;
    }
    prepared.input_sha256 = identity_sha256(prepared.canonical);
    std::optional<std::string> message_id = message_id_of(input, prepared.canonical);
    if (!message_id) {
        throw usage_error(info.id + " uses its idempotency key " +
                          adapter_.idempotency_key(input).value_or("") + " as the message id")
            .with_hint(Hint::kLeaveOutField, {"message_id"});
    }
    context.message_id = std::move(*message_id);
    context.correlation_id =
        options_.correlation_id.empty() ? context.message_id : options_.correlation_id;
    context.identity = identity_of(context.message_id, mode());
    if (!options_.live && claim_ == nullptr) {
        // The deterministic run needs no state file: done here, on the
        // caller's thread (a batch's reader), so that finish() only looks
        // the message up and writes.
        context.canonical_input = prepared.canonical;
        prepared.planned =
            run_locally(input, context, first_run(context), prepared.input_sha256, std::nullopt);
        context.canonical_input = {};  // prepared moves: finish() points it again
    }
    prepared.input = std::move(input);
    return prepared;
}

Outcome Executor::first_run(const RunContext& context) const {
    Outcome outcome;
    outcome.adapter_id = adapter_.info().id;
    outcome.mode = mode();
    outcome.dry_run = options_.dry_run;
    outcome.message_id = context.message_id;
    outcome.execution_id = derived_uuid("execution\n" + context.tenant + "\n" + context.identity);
    return outcome;
}

Outcome Executor::finish(Prepared& prepared) {
    if (prepared.early) {
        return std::move(*prepared.early);
    }
    RunContext& context = prepared.context;
    context.canonical_input = prepared.canonical;  // points into prepared, which stays put

    if (prepared.deferred) {
        // An input recorded before with the same bytes was valid then: its
        // stored outcome is the answer. Anything else goes the full way
        // (checked first: an invalid input is rejected before a conflict).
        std::optional<Execution> stored =
            store_ != nullptr ? store_->find_execution(context.message_id, mode()) : std::nullopt;
        if (stored && stored->adapter_id == adapter_.info().id &&
            stored->input_sha256 == prepared.input_sha256) {
            Outcome replayed = replay_or_conflict(*stored, prepared.input_sha256, context);
            replayed.dry_run = options_.dry_run;
            return replayed;
        }
        prepared = prepare(std::move(prepared.input));
        return finish(prepared);
    }
    std::optional<Execution> previous;
    if (store_ != nullptr) {
        if (auto stored = store_->find_execution(context.message_id, mode())) {
            if (!adapter_.is_query() || stored->adapter_id != adapter_.info().id ||
                is_fresh(*stored, prepared.input_sha256, context.now)) {
                Outcome replayed = replay_or_conflict(*stored, prepared.input_sha256, context);
                replayed.dry_run = options_.dry_run;
                return replayed;
            }
            previous = std::move(stored);  // a query's answer that expired: asked again
        }
    }
    if (prepared.planned && !previous) {
        // Recorded in place: the plan stays with prepared, to be freed on the
        // thread that made it; the row gets a copy of its outcome.
        return commit(*prepared.planned, context, std::nullopt, std::nullopt);
    }
    Outcome outcome = first_run(context);
    if (previous) {
        outcome.execution_id = previous->execution_id;
        outcome.refreshed = true;
    }
    if (options_.live) {
        outcome =
            run_live(prepared.input, context, std::move(outcome), prepared.input_sha256, previous);
    } else {
        Recording recording = run_locally(prepared.input, context, std::move(outcome),
                                          prepared.input_sha256, previous);
        outcome = commit(recording, context, std::nullopt, previous);
    }
    return outcome;
}

Recording Executor::run_locally(const Json& input, const RunContext& context, Outcome outcome,
                                const std::string& input_sha256,
                                const std::optional<Execution>& previous) const {
    const auto started = SteadyClock::now();
    Result result = adapter_.run_deterministic(input, context);
    outcome.attempts = 1;
    outcome.duration_ms = elapsed_ms(started);
    const ExecutionStatus status = status_of(result);
    return compose(std::move(outcome), status, context, input_sha256, std::move(result),
                   std::nullopt, previous);
}

// A query's stored answer is replayed while it was computed from the same
// request and roster, on the same UTC day, no longer than max_age ago.
bool Executor::is_fresh(const Execution& stored, const std::string& input_sha256,
                        const std::string& now) const {
    const std::string& at = stored.updated_at.empty() ? stored.created_at : stored.updated_at;
    const auto then = parse_rfc3339(at);
    const auto current = parse_rfc3339(now);
    if (stored.input_sha256 != input_sha256 || !then || !current ||
        at.substr(0, 10) != now.substr(0, 10)) {
        return false;
    }
    const std::int64_t age = current->epoch_seconds - then->epoch_seconds;
    return age >= 0 && age <= options_.max_age.count();
}

Outcome Executor::retry(const Execution& stored) {
    const AdapterInfo& info = adapter_.info();
    if (stored.adapter_id != info.id) {
        throw std::invalid_argument("retry: execution of another adapter");
    }
    if (stored.mode != ExecutionMode::kLive || !options_.live) {
        throw refused("execution " + stored.execution_id +
                      " ran in deterministic mode: a rehearsal is run again as a new execution, "
                      "not retried");
    }
    if (stored.status == ExecutionStatus::kSucceeded) {
        throw refused("execution " + stored.execution_id + " succeeded at " + stored.updated_at +
                      "; there is nothing to retry");
    }
    return run_again(stored);
}

// A new run of a stored live execution: its input, ids and connector.
Outcome Executor::run_again(const Execution& stored) {
    const AdapterInfo& info = adapter_.info();
    Json input = parse_json_text(stored.input, "execution " + stored.execution_id + " input");
    RunContext context;
    context.tenant = store_ != nullptr ? store_->tenant() : std::string("default");
    context.now = now();
    context.message_id = stored.message_id;
    context.correlation_id = stored.correlation_id;
    context.causation_id = stored.causation_id;
    context.identity = identity_of(stored.message_id, stored.mode);
    context.roster = options_.roster_text;
    context.roster_source = options_.roster_source;
    context.max_slots = options_.max_slots;
    context.canonical_input = stored.input;

    Outcome outcome;
    outcome.adapter_id = info.id;
    outcome.mode = stored.mode;
    outcome.dry_run = options_.dry_run;
    outcome.message_id = stored.message_id;
    outcome.execution_id = stored.execution_id;
    if (options_.connector.empty()) {
        options_.connector = stored.connector_code;  // the connector it was sent to
    }
    return run_live(input, context, std::move(outcome), stored.input_sha256, stored);
}

Outcome Executor::replay(const DlqClaim& claim) {
    const DlqEntry& entry = claim.entry;
    // Per entry: the ids and the connector; restored afterwards.
    struct Restore {
        Executor& executor;
        std::string message_id, correlation_id, causation_id, connector;
        ~Restore() {
            executor.options_.message_id = std::move(message_id);
            executor.options_.correlation_id = std::move(correlation_id);
            executor.options_.causation_id = std::move(causation_id);
            executor.options_.connector = std::move(connector);
            executor.claim_ = nullptr;
        }
    } restore{*this, options_.message_id, options_.correlation_id, options_.causation_id,
              options_.connector};
    claim_ = &claim;
    if (options_.connector.empty()) {
        options_.connector = entry.connector_code;
    }
    if (options_.live && store_ != nullptr) {
        if (auto stored = store_->find_execution(entry.message_id, ExecutionMode::kLive)) {
            if (stored->adapter_id == adapter_.info().id &&
                stored->status != ExecutionStatus::kSucceeded && !adapter_.is_query()) {
                return run_again(*stored);
            }
            // Succeeded (nothing to call), or another adapter's: as stored.
            RunContext context;
            context.now = now();
            context.correlation_id = entry.correlation_id;
            Outcome outcome = replay_or_conflict(*stored, stored->input_sha256, context);
            outcome.dry_run = options_.dry_run;
            return outcome;
        }
    }
    options_.message_id = entry.message_id;
    options_.correlation_id = entry.correlation_id;
    options_.causation_id = entry.causation_id;
    Json input = parse_json_text(entry.payload, "DLQ entry " + entry.entry_id + " payload");
    Prepared prepared = prepare(std::move(input));
    return finish(prepared);
}

Outcome Executor::unreadable(const std::string& message, std::string_view raw) const {
    Outcome outcome;
    outcome.status = ExecutionStatus::kInvalidJson;
    outcome.exit_code = ExitCode::kUsage;
    outcome.adapter_id = adapter_.info().id;
    outcome.mode = mode();
    outcome.dry_run = options_.dry_run;
    outcome.error_code = "INVALID_JSON";
    const std::string correlation = !options_.correlation_id.empty()
                                        ? options_.correlation_id
                                        : "msg_" + sha256_hex(std::string(raw)).substr(0, 32);
    outcome.error = error_response(Failure{"INVALID_JSON", message, {}}, correlation, now());
    outcome.summary = message;
    return outcome;
}

Outcome Executor::replay_or_conflict(const Execution& stored, const std::string& input_sha256,
                                     const RunContext& context) const {
    Outcome outcome;
    outcome.execution_id = stored.execution_id;
    outcome.message_id = stored.message_id;
    outcome.adapter_id = stored.adapter_id;
    outcome.mode = stored.mode;
    outcome.connector = stored.connector_code;
    if (stored.adapter_id != adapter_.info().id || stored.input_sha256 != input_sha256) {
        Failure failure;
        failure.code = adapter_.conflict_code();
        failure.message = failure.code == std::string("DUPLICATE_ORDER")
                              ? "Order already exists (idempotency)"
                              : "Message id already used for another input";
        failure.details.push_back({"", "",
                                   "message id " + stored.message_id + " was executed by " +
                                       stored.adapter_id + " at " + stored.created_at +
                                       " with another input (execution " + stored.execution_id +
                                       ")"});
        outcome.status = ExecutionStatus::kConflict;
        outcome.exit_code = ExitCode::kRefused;
        outcome.error_code = failure.code;
        outcome.error = error_response(failure, context.correlation_id, context.now);
        outcome.summary = failure.code + ": " + failure.details.front().message;
        return outcome;
    }
    outcome.status = stored.status;
    outcome.exit_code = exit_code_of(stored.status);
    outcome.output = parse_stored(stored.output_json);
    outcome.error = parse_stored(stored.error_json);
    if (outcome.error.is_object()) {
        outcome.error_code = outcome.error["error"].value("code", "");
    }
    outcome.attempts = stored.attempts;
    outcome.duration_ms = stored.duration_ms;
    outcome.replayed = true;
    outcome.summary = "already executed at " + stored.created_at + " (" + to_string(stored.status) +
                      "); returning the stored outcome";
    if (!outcome.error_code.empty()) {
        outcome.summary = outcome.error_code + ": " +
                          outcome.error["error"].value("message", std::string()) + " (" +
                          outcome.summary + ")";
    }
    return outcome;
}

Outcome Executor::record(Outcome outcome, ExecutionStatus status, const RunContext& context,
                         const std::string& input_sha256, Result result,
                         const std::optional<DlqEntry>& dead_letter,
                         const std::optional<Execution>& previous) {
    Recording recording = compose(std::move(outcome), status, context, input_sha256,
                                  std::move(result), dead_letter, previous);
    return commit(recording, context, dead_letter, previous);
}

Recording Executor::compose(Outcome outcome, ExecutionStatus status, const RunContext& context,
                            const std::string& input_sha256, Result result,
                            const std::optional<DlqEntry>& dead_letter,
                            const std::optional<Execution>& previous) const {
    const AdapterInfo& info = adapter_.info();
    outcome.status = status;
    outcome.exit_code = exit_code_of(outcome.status);
    if (result.failure) {
        outcome.error_code = result.failure->code;
        outcome.error = error_response(*result.failure, context.correlation_id, context.now);
        outcome.summary = failure_line(*result.failure);
    } else if (outcome.status == ExecutionStatus::kSucceeded) {
        outcome.output = std::move(result.output);
        outcome.summary = info.id + " " + to_string(outcome.mode) + ": succeeded";
    }

    Execution execution;
    execution.execution_id = outcome.execution_id;
    execution.message_id = context.message_id;
    execution.adapter_id = info.id;
    execution.adapter_version = info.version;
    execution.mode = outcome.mode;
    execution.connector_code = outcome.connector;
    execution.input_sha256 = input_sha256;
    execution.input = std::string(context.canonical_input);
    execution.status = outcome.status;
    execution.output_json = outcome.output.is_null() ? "" : outcome.output.dump();
    execution.error_json = outcome.error.is_null() ? "" : outcome.error.dump();
    execution.attempts = outcome.attempts;
    execution.duration_ms = outcome.duration_ms;
    execution.correlation_id = context.correlation_id;
    execution.causation_id = context.causation_id;
    execution.created_at = context.now;
    execution.updated_at = context.now;
    if (previous) {
        execution.created_at = previous->created_at;
        execution.retries = previous->retries + 1;
        execution.attempts += previous->attempts;
        outcome.attempts = execution.attempts;
        outcome.run = execution.retries;
        for (ExecutionAttempt& attempt : outcome.attempt_log) {
            attempt.run = execution.retries;
        }
    }

    OutboxMessage fact = integration_fact(context, execution);
    if (previous) {
        outcome.writes.push_back("executions " + execution.execution_id + " (run " +
                                 std::to_string(execution.retries) + ", " +
                                 to_string(outcome.status) + ")");
        result.events.clear();  // its events were stated by the first run
    } else if (outcome.status == ExecutionStatus::kSucceeded) {
        outcome.writes.push_back("executions " + execution.execution_id);
    } else {
        outcome.writes.push_back("executions " + execution.execution_id + " (" +
                                 to_string(outcome.status) + ")");
        result.events.clear();  // domain events only follow success
    }
    outcome.writes.push_back(std::string("outbox ") + kIntegrationFactsTopic + " " +
                             fact.message_id);
    for (const OutboxMessage& event : result.events) {
        outcome.writes.push_back("outbox " + event.topic + " " + event.message_id);
    }
    std::optional<DlqEntry> written;  // the claimed entry, as this run leaves it
    if (claim_ != nullptr) {
        const bool replayed = outcome.status == ExecutionStatus::kSucceeded;
        std::vector<ExecutionAttempt> attempts = outcome.attempt_log;
        if (attempts.empty() && !replayed) {
            // A local run that said no: one attempt without an answer.
            attempts.push_back(
                {0, 1, context.now, std::nullopt, outcome.duration_ms, outcome.summary});
        }
        written =
            written_back(claim_->entry, replayed, attempts, outcome.error_code,
                         dead_letter ? dead_letter->error_message : outcome.summary, context.now);
        outcome.dlq_entry_id = claim_->entry.entry_id;
        outcome.writes.push_back("dlq " + claim_->entry.entry_id + " (" +
                                 to_string(written->status) + ")");
    } else if (dead_letter) {
        outcome.dlq_entry_id = dead_letter->entry_id;
        outcome.writes.push_back("dlq " + dead_letter->entry_id);
        outcome.summary += "; dead-lettered as " + dead_letter->entry_id;
    }
    Recording recording{std::move(outcome), std::move(execution), {}, std::move(written)};
    recording.outbox.reserve(1 + result.events.size());
    recording.outbox.push_back(std::move(fact));
    for (OutboxMessage& event : result.events) {
        recording.outbox.push_back(std::move(event));
    }
    return recording;
}

Outcome Executor::commit(Recording& recording, const RunContext& context,
                         const std::optional<DlqEntry>& dead_letter,
                         const std::optional<Execution>& previous) {
    const AdapterInfo& info = adapter_.info();
    Outcome& outcome = recording.outcome;
    const Execution& execution = recording.execution;
    const std::optional<DlqEntry>& written = recording.written;
    if (options_.dry_run) {
        return outcome;
    }
    // The dead letters of an earlier run: a retry that succeeds replayed
    // them; one that is dead-lettered again supersedes them (archived), so
    // that a message has one pending dead letter, its newest.
    std::optional<DlqStatus> cleared_as;
    if (previous && outcome.status == ExecutionStatus::kSucceeded) {
        cleared_as = DlqStatus::kReplayed;
    } else if (previous && dead_letter && claim_ == nullptr) {
        cleared_as = DlqStatus::kArchived;
    }
    bool inserted = false;
    store_->write([&] {
        inserted = previous ? store_->update_execution(execution, previous->retries)
                            : store_->insert_execution(execution);
        if (!inserted) {
            return;  // another process recorded (or ran again) this execution first
        }
        store_->insert_execution_attempts(execution.execution_id, outcome.attempt_log);
        // Read inside the transaction, so that no other process changes
        // the entries between the look and the update.
        for (const DlqEntry& entry : cleared_as ? store_->find_dlq_by_message(execution.message_id)
                                                : std::vector<DlqEntry>{}) {
            if (entry.source == "execute" && entry.adapter_id == info.id &&
                entry.status == DlqStatus::kPending) {
                store_->set_dlq_status(entry.entry_id, *cleared_as, context.now);
                outcome.writes.push_back("dlq " + entry.entry_id + " (" + to_string(*cleared_as) +
                                         ")");
            }
        }
        if (previous && !outcome.refreshed) {
            audit::record(
                *store_, kRetryAction, execution.execution_id,
                std::string(to_string(previous->status)), std::string(to_string(execution.status)),
                "run " + std::to_string(execution.retries) + " of message " + execution.message_id +
                    ", " + std::to_string(outcome.attempt_log.size()) + " attempt(s)");
        }
        for (const OutboxMessage& message : recording.outbox) {
            store_->insert_outbox(message);
        }
        if (written) {
            const bool replayed = written->status == DlqStatus::kReplayed;
            const bool kept =
                write_back(*store_, *claim_, *written, execution.mode,
                           replayed ? EntryOutcome::kReplayed : EntryOutcome::kFailed,
                           execution.execution_id, replayed ? std::string() : outcome.summary);
            outcome.dlq_replay = !kept ? "lease_lost" : replayed ? "replayed" : "failed";
        } else if (dead_letter) {
            store_->insert_dlq(*dead_letter);
        }
    });
    if (!inserted) {
        if (auto stored = store_->find_execution(context.message_id, execution.mode)) {
            if (previous) {
                throw refused("execution " + execution.execution_id +
                              " was run again by another process meanwhile")
                    .with_hint(Hint::kShowExecution, {execution.execution_id});
            }
            return replay_or_conflict(*stored, execution.input_sha256, context);
        }
    }
    return outcome;
}

OrderedJson error_response(const Failure& failure, const std::string& correlation_id,
                           const std::string& timestamp) {
    OrderedJson details = OrderedJson::array();
    for (const FieldError& detail : failure.details) {
        OrderedJson entry = OrderedJson::object();
        if (!detail.field.empty()) {
            entry["field"] = detail.field;
            entry["pointer"] = detail.pointer;
        }
        entry["message"] = detail.message;
        details.push_back(std::move(entry));
    }
    OrderedJson error = OrderedJson::object();
    error["code"] = failure.code;
    error["message"] = failure.message;
    error["details"] = std::move(details);
    OrderedJson response = OrderedJson::object();
    response["error"] = std::move(error);
    response["correlationId"] =
        correlation_id.empty() ? OrderedJson() : OrderedJson(correlation_id);
    response["timestamp"] = timestamp;
    return response;
}

OrderedJson outcome_record(const Outcome& outcome, std::size_t line) {
    OrderedJson record = OrderedJson::object();
    if (line > 0) {
        record["line"] = line;
    }
    record["execution_id"] =
        outcome.execution_id.empty() ? OrderedJson() : OrderedJson(outcome.execution_id);
    record["message_id"] =
        outcome.message_id.empty() ? OrderedJson() : OrderedJson(outcome.message_id);
    record["adapter_id"] = outcome.adapter_id;
    record["mode"] = to_string(outcome.mode);
    record["status"] = to_string(outcome.status);
    record["error_code"] =
        outcome.error_code.empty() ? OrderedJson() : OrderedJson(outcome.error_code);
    if (!outcome.error.is_null()) {
        record["error"] = outcome.error;
    } else {
        record["output"] = outcome.output;
    }
    record["attempts"] = outcome.attempts;
    record["duration_ms"] = outcome.duration_ms;
    record["replayed"] = outcome.replayed;
    if (outcome.refreshed) {
        record["refreshed"] = true;
    }
    if (outcome.run > 0) {
        record["run"] = outcome.run;
    }
    if (!outcome.connector.empty()) {
        record["connector"] = outcome.connector;
    }
    if (!outcome.dlq_entry_id.empty()) {
        record["dlq_entry_id"] = outcome.dlq_entry_id;
    }
    if (outcome.dry_run) {
        record["dry_run"] = true;
        record["writes"] = outcome.writes;
        if (outcome.request) {
            OrderedJson headers = OrderedJson::object();
            for (const auto& header : outcome.request->headers) {
                headers[header.name] = header.value;
            }
            for (const auto& header : outcome.request->secret_headers) {
                headers[header.name] = "(secret, added when sent)";
            }
            if (outcome.request->scheme != nullptr) {
                for (const std::string& name : outcome.request->scheme->signature_headers()) {
                    headers[name] = "(signed when sent)";
                }
            }
            record["request"] = {
                {"method", "POST"}, {"url", outcome.request->url}, {"headers", std::move(headers)}};
            if (!outcome.request->correlation_id.empty()) {
                record["request"]["headers"]["X-Correlation-ID"] = outcome.request->correlation_id;
            }
        }
    }
    return record;
}

}  // namespace salesint::execute
