#include "salesint/execute/dlq_replay.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <thread>
#include <unordered_set>

#include "salesint/delivery/sender.hpp"
#include "salesint/domain/audit.hpp"
#include "salesint/domain/dlq.hpp"
#include "salesint/execute/registry.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::execute {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Entries loaded at a time: a selection of many entries never holds all
// their payloads at once.
constexpr std::size_t kPage = 500;

std::string after(const std::string& now, std::chrono::seconds lease) {
    auto instant = parse_rfc3339(now);
    instant->epoch_seconds += lease.count();
    instant->fraction.clear();
    return format_rfc3339_utc(*instant);
}

// The entries of ids that are still in the DLQ, in the order of ids.
std::vector<DlqEntry> load_page(Store& store, const std::vector<std::string>& ids,
                                std::optional<DlqStatus> status) {
    DlqFilter filter;
    filter.entry_ids = ids;
    filter.newest_first = false;
    filter.status = status;
    std::vector<DlqEntry> loaded = status ? store.list_dlq(filter) : std::vector<DlqEntry>{};
    if (!status) {
        // Every status, archived too (an id given by hand).
        for (DlqStatus each : {DlqStatus::kPending, DlqStatus::kReplaying, DlqStatus::kReplayed,
                               DlqStatus::kArchived}) {
            filter.status = each;
            for (DlqEntry& entry : store.list_dlq(filter)) {
                loaded.push_back(std::move(entry));
            }
        }
    }
    std::map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        position.emplace(ids[i], i);
    }
    std::sort(loaded.begin(), loaded.end(), [&](const DlqEntry& a, const DlqEntry& b) {
        return position[a.entry_id] < position[b.entry_id];
    });
    return loaded;
}

// Why an entry could not be claimed.
std::string not_claimed_reason(Store& store, const std::string& entry_id) {
    std::optional<DlqEntry> entry = store.find_dlq(entry_id);
    if (!entry) {
        return "no longer in the DLQ";
    }
    switch (entry->status) {
        case DlqStatus::kReplaying:
            return "being replayed by " + entry->lease_owner + " until " + entry->lease_expires_at;
        case DlqStatus::kReplayed:
            return "already replayed";
        case DlqStatus::kArchived:
            return "archived";
        case DlqStatus::kPending:
            break;
    }
    return "taken by another replay meanwhile";
}

std::vector<ExecutionAttempt> attempts_of(const std::vector<delivery::SendAttempt>& sent) {
    std::vector<ExecutionAttempt> attempts;
    for (const delivery::SendAttempt& attempt : sent) {
        attempts.push_back({0, attempt.number, attempt.at,
                            attempt.status > 0
                                ? std::optional<int>(static_cast<int>(attempt.status))
                                : std::nullopt,
                            attempt.duration_ms, attempt.error});
    }
    return attempts;
}

const webhooks::Scheme* scheme_of(const DlqEntry& entry) {
    const std::string prefix = "webhook:";
    return starts_with(entry.adapter_id, prefix)
               ? &webhooks::scheme_named(entry.adapter_id.substr(prefix.size()))
               : nullptr;
}

// The headers a delivery is sent again with: those of the entry, but for
// the ones send() writes itself (signature, Content-Type, X-Correlation-ID).
net::HeaderList replayed_headers(const DlqEntry& entry, const webhooks::Scheme* scheme) {
    std::vector<std::string> own{"content-type", "x-correlation-id"};
    if (scheme != nullptr) {
        for (const std::string& name : scheme->signature_headers()) {
            own.push_back(to_lower(name));
        }
    }
    net::HeaderList headers;
    const OrderedJson stored = OrderedJson::parse(entry.headers_json, nullptr, false);
    if (!stored.is_object()) {
        return headers;
    }
    for (const auto& [name, value] : stored.items()) {
        if (value.is_string() && std::find(own.begin(), own.end(), to_lower(name)) == own.end()) {
            headers.push_back({name, value.get<std::string>()});
        }
    }
    return headers;
}

// Why an entry is not replayed in this mode, or nullopt.
std::optional<std::string> not_replayable(const DlqEntry& entry, const ReplayOptions& options) {
    if (entry.source == "webhook_send") {
        if (!options.live) {
            return std::string("a webhook delivery has no local rehearsal; it is replayed live");
        }
        if (starts_with(entry.adapter_id, "webhook:") && !options.secret) {
            return std::string("no secret was given to sign the webhook delivery again");
        }
        return std::nullopt;
    }
    if (entry.source == "inbox") {
        return std::string("an inbox delivery is forwarded again by the inbox's drain");
    }
    if (entry.source != "execute" && entry.source != "outbox") {
        return "entries of source " + entry.source + " are not replayed";
    }
    return std::nullopt;
}

class Replayer {
  public:
    Replayer(Store& store, const ReplayOptions& options, ReplaySummary& summary)
        : store_(store), options_(options), summary_(summary) {}

    // Claims ids in one transaction; the ones taken, and reports the others.
    std::vector<std::string> claim(const std::vector<std::string>& ids) {
        const std::string now = now_rfc3339();
        const std::string expires = after(now, options_.lease);
        std::vector<bool> taken(ids.size());
        store_.write([&] {
            for (std::size_t i = 0; i < ids.size(); ++i) {
                taken[i] = store_.claim_dlq(ids[i], options_.owner, now, expires);
            }
        });
        std::vector<std::string> claimed;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (taken[i]) {
                claimed.push_back(ids[i]);
            } else {
                ReplayedEntry skipped;
                skipped.entry_id = ids[i];
                skipped.error = not_claimed_reason(store_, ids[i]);
                report(skipped);
            }
        }
        return claimed;
    }

    // Replays one claimed entry; inside a transaction when the caller holds
    // one (deterministic batches), else each write in its own.
    ReplayedEntry replay(const DlqEntry& entry) {
        DlqClaim claim{entry, options_.owner, options_.actor};
        ReplayedEntry result;
        result.entry_id = entry.entry_id;
        result.source = entry.source;
        result.adapter_id = entry.adapter_id;
        if (auto reason = not_replayable(entry, options_)) {
            return left_as_it_was(claim, std::move(result), *reason);
        }
        if (entry.source == "outbox") {
            return requeue(claim, std::move(result));
        }
        if (entry.source == "webhook_send") {
            const webhooks::Scheme* scheme = nullptr;
            try {
                scheme = scheme_of(entry);
            } catch (const Error& error) {
                return left_as_it_was(claim, std::move(result), error.what());
            }
            return redeliver(claim, std::move(result), scheme);
        }
        const Adapter* adapter = nullptr;
        try {
            adapter = &adapter_named(entry.adapter_id);
        } catch (const Error& error) {
            return left_as_it_was(claim, std::move(result), error.what());
        }
        Outcome outcome;
        try {
            outcome = executor_for(*adapter).replay(claim);
        } catch (const Error& error) {
            return failed(claim, std::move(result), "", error.what());
        }
        result.execution_id = outcome.execution_id;
        if (outcome.dlq_replay == "replayed") {
            result.outcome = EntryOutcome::kReplayed;
            return result;
        }
        if (outcome.dlq_replay == "failed") {
            result.outcome = EntryOutcome::kFailed;
            result.error = outcome.summary;
            return result;
        }
        if (outcome.dlq_replay == "lease_lost") {
            result.outcome = EntryOutcome::kFailed;
            result.error =
                "the lease ran out before the replay was recorded; another replay "
                "holds the entry";
            return result;
        }
        // Nothing recorded: written back here.
        if (outcome.replayed && outcome.status == ExecutionStatus::kSucceeded) {
            DlqEntry back = entry;
            back.status = DlqStatus::kReplayed;
            back.updated_at = now_rfc3339();
            result.error = "already succeeded (execution " + outcome.execution_id + ")";
            store_.write([&] {
                write_back(store_, claim, back, mode(), EntryOutcome::kSkipped,
                           outcome.execution_id, result.error);
            });
            result.outcome = EntryOutcome::kSkipped;
            return result;
        }
        if (outcome.status == ExecutionStatus::kRateLimited ||
            outcome.status == ExecutionStatus::kCircuitOpen) {
            result = left_as_it_was(claim, std::move(result), outcome.summary);
            result.outcome = EntryOutcome::kFailed;
            result.unavailable = true;
            return result;
        }
        return failed(claim, std::move(result), outcome.error_code, outcome.summary);
    }

    void report(const ReplayedEntry& entry) {
        switch (entry.outcome) {
            case EntryOutcome::kReplayed:
                ++summary_.replayed;
                break;
            case EntryOutcome::kFailed:
                ++summary_.failed;
                break;
            case EntryOutcome::kSkipped:
                ++summary_.skipped;
                break;
        }
        summary_.unavailable = summary_.unavailable || entry.unavailable;
        if (options_.emit) {
            options_.emit(entry);
        }
    }

    // Claimed entries a failed transaction left replaying go back to pending.
    void release_unchanged(const std::vector<DlqEntry>& entries) {
        try {
            store_.write([&] {
                for (DlqEntry entry : entries) {
                    entry.status = DlqStatus::kPending;
                    store_.release_dlq(entry, options_.owner);
                }
            });
        } catch (...) {
            // Their leases run out by themselves.
        }
    }

  private:
    ExecutionMode mode() const {
        return options_.live ? ExecutionMode::kLive : ExecutionMode::kDeterministic;
    }

    Executor& executor_for(const Adapter& adapter) {
        auto found = executors_.find(adapter.info().id);
        if (found == executors_.end()) {
            ExecuteOptions execute = options_.execute_options
                                         ? options_.execute_options(adapter.info())
                                         : ExecuteOptions{};
            execute.live = options_.live;
            execute.dry_run = false;
            found = executors_
                        .emplace(adapter.info().id,
                                 std::make_unique<Executor>(&store_, adapter, std::move(execute)))
                        .first;
        }
        return *found->second;
    }

    // An envelope the relay gave up on goes back in its queue, in its place
    // (its id), for the next relay: this command has no sink to send it to.
    ReplayedEntry requeue(const DlqClaim& claim, ReplayedEntry result) {
        DlqEntry back = claim.entry;
        back.status = DlqStatus::kReplayed;
        back.replay_count = claim.entry.replay_count + 1;
        back.updated_at = now_rfc3339();
        const std::string note = "back on the outbox for the next relay";
        bool queued = false;
        store_.write([&] {
            queued = store_.requeue_outbox(claim.entry.message_id);
            if (queued) {
                write_back(store_, claim, back, mode(), EntryOutcome::kReplayed, "", note);
            }
        });
        if (!queued) {
            return left_as_it_was(
                claim, std::move(result),
                "envelope " + claim.entry.message_id + " is no longer waiting in the outbox");
        }
        result.outcome = EntryOutcome::kReplayed;
        result.error = note;
        return result;
    }

    // Not run: the entry goes back to pending as it was; the history says why.
    ReplayedEntry left_as_it_was(const DlqClaim& claim, ReplayedEntry result,
                                 const std::string& reason) {
        DlqEntry back = claim.entry;
        back.status = DlqStatus::kPending;
        back.updated_at = now_rfc3339();
        store_.write(
            [&] { write_back(store_, claim, back, mode(), EntryOutcome::kSkipped, "", reason); });
        result.outcome = EntryOutcome::kSkipped;
        result.error = reason;
        return result;
    }

    ReplayedEntry failed(const DlqClaim& claim, ReplayedEntry result, const std::string& code,
                         const std::string& message) {
        const DlqEntry back = written_back(claim.entry, false, {}, code, message, now_rfc3339());
        bool kept = false;
        store_.write([&] {
            kept = write_back(store_, claim, back, mode(), EntryOutcome::kFailed,
                              result.execution_id, message);
        });
        result.outcome = EntryOutcome::kFailed;
        result.error = kept ? message : message + " (the lease had run out)";
        return result;
    }

    ReplayedEntry redeliver(const DlqClaim& claim, ReplayedEntry result,
                            const webhooks::Scheme* scheme) {
        const DlqEntry& entry = claim.entry;
        delivery::SendRequest request;
        request.scheme = scheme;
        if (request.scheme != nullptr) {
            request.secret = *options_.secret;
        }
        request.url = entry.target_url;
        request.payload = entry.payload;
        request.delivery_id = entry.message_id;
        request.correlation_id = entry.correlation_id;
        request.extra_headers = replayed_headers(entry, request.scheme);
        request.max_attempts = options_.max_attempts;
        request.timeout = options_.timeout;
        request.backoff = options_.backoff;
        request.on_retry = options_.on_retry;
        const auto started = SteadyClock::now();
        const delivery::SendResult sent = delivery::send(request);

        const std::string now = now_rfc3339();
        const bool delivered = sent.outcome == delivery::SendOutcome::kDelivered;
        WebhookDelivery recorded;
        recorded.delivery_id = request.delivery_id;
        recorded.source = "replay";
        recorded.target_url = request.url;
        recorded.scheme = request.scheme != nullptr ? request.scheme->name() : "";
        recorded.outcome = delivered                                           ? "delivered"
                           : sent.outcome == delivery::SendOutcome::kRefused   ? "refused"
                           : sent.outcome == delivery::SendOutcome::kExhausted ? "exhausted"
                                                                               : "blocked";
        recorded.attempts = static_cast<int>(sent.attempts.size());
        if (!sent.attempts.empty() && sent.attempts.back().status > 0) {
            recorded.http_status = static_cast<int>(sent.attempts.back().status);
        }
        recorded.duration_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started)
                .count();
        recorded.at = now;

        std::string code;
        std::string message;
        if (!delivered && !sent.attempts.empty()) {
            const DlqEntry failure = delivery::dead_letter(request, sent);
            code = failure.error_code;
            message = failure.error_message;
        }
        const DlqEntry back =
            written_back(entry, delivered, attempts_of(sent.attempts), code, message, now);
        bool kept = false;
        store_.write([&] {
            store_.insert_webhook_delivery(recorded);
            kept = write_back(store_, claim, back, ExecutionMode::kLive,
                              delivered ? EntryOutcome::kReplayed : EntryOutcome::kFailed, "",
                              message);
        });
        result.outcome = delivered && kept ? EntryOutcome::kReplayed : EntryOutcome::kFailed;
        result.error = delivered ? (kept ? "" : "delivered, but the lease had run out") : message;
        return result;
    }

    Store& store_;
    const ReplayOptions& options_;
    ReplaySummary& summary_;
    std::map<std::string, std::unique_ptr<Executor>> executors_;
};

// Waits until the next start the rate allows; false when stopped meanwhile.
class Pace {
  public:
    explicit Pace(double per_second) : per_second_(per_second) {}

    bool wait(const std::atomic<bool>* stop) {
        if (per_second_ <= 0) {
            return true;
        }
        const auto now = SteadyClock::now();
        if (started_ == 0) {
            first_ = now;
        } else {
            const auto next =
                first_ +
                std::chrono::duration_cast<SteadyClock::duration>(
                    std::chrono::duration<double>(static_cast<double>(started_) / per_second_));
            while (SteadyClock::now() < next) {
                if (stop != nullptr && *stop) {
                    return false;
                }
                std::this_thread::sleep_for(std::min<SteadyClock::duration>(
                    next - SteadyClock::now(), std::chrono::milliseconds(50)));
            }
        }
        ++started_;
        return true;
    }

  private:
    double per_second_;
    std::size_t started_ = 0;
    SteadyClock::time_point first_;
};

bool stopped(const ReplayOptions& options) {
    return options.stop != nullptr && *options.stop;
}

}  // namespace

const char* to_string(EntryOutcome outcome) {
    switch (outcome) {
        case EntryOutcome::kReplayed:
            return "replayed";
        case EntryOutcome::kFailed:
            return "failed";
        case EntryOutcome::kSkipped:
            break;
    }
    return "skipped";
}

ExitCode ReplaySummary::exit_code() const {
    if (unavailable) {
        return ExitCode::kTransient;
    }
    return failed > 0 || canary_failed ? ExitCode::kNo : ExitCode::kSuccess;
}

std::string lease_owner() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) {
        host[0] = '\0';
    }
    return current_user() + "@" + (host[0] != '\0' ? host : "localhost") + ":" +
           std::to_string(::getpid());
}

Selected select_for_replay(Store& store, const ReplaySelection& selection) {
    DlqFilter filter = selection.filter;
    filter.newest_first = false;
    filter.limit = 0;
    std::vector<std::string> ids;
    if (!selection.entry_ids.empty()) {
        for (const std::string& id : selection.entry_ids) {
            if (!store.find_dlq(id)) {
                throw not_found("no DLQ entry " + id);
            }
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
                ids.push_back(id);
            }
        }
        // Narrowed by the filters, in the order given.
        filter.entry_ids = ids;
        std::unordered_set<std::string> kept;
        for (DlqStatus status : {DlqStatus::kPending, DlqStatus::kReplaying, DlqStatus::kReplayed,
                                 DlqStatus::kArchived}) {
            filter.status = status;
            for (std::string& id : store.list_dlq_ids(filter)) {
                kept.insert(std::move(id));
            }
        }
        std::erase_if(ids, [&](const std::string& id) { return !kept.contains(id); });
    } else {
        for (DlqStatus status : {DlqStatus::kPending, DlqStatus::kReplaying}) {
            filter.status = status;
            for (std::string& id : store.list_dlq_ids(filter)) {
                ids.push_back(std::move(id));
            }
        }
    }

    Selected selected;
    std::size_t webhook = 0;
    if (!selection.group.empty() || !selection.entry_ids.empty()) {
        // Loaded a page at a time: the group, and the sources.
        std::vector<std::string> kept;
        for (std::size_t start = 0; start < ids.size(); start += kPage) {
            const std::vector<std::string> page(
                ids.begin() + static_cast<std::ptrdiff_t>(start),
                ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), start + kPage)));
            for (const DlqEntry& entry : load_page(store, page, std::nullopt)) {
                if (!selection.group.empty() &&
                    dlq::group_id(entry, dlq::GroupBy::kError) != selection.group &&
                    dlq::group_id(entry, dlq::GroupBy::kAdapter) != selection.group) {
                    continue;
                }
                if (selection.limit > 0 &&
                    kept.size() == static_cast<std::size_t>(selection.limit)) {
                    break;
                }
                webhook += entry.source == "webhook_send" ? 1 : 0;
                kept.push_back(entry.entry_id);
            }
        }
        if (!selection.group.empty() && kept.empty()) {
            throw not_found("no pending DLQ entry in group " + selection.group);
        }
        selected.entry_ids = std::move(kept);
    } else {
        if (selection.limit > 0 && ids.size() > static_cast<std::size_t>(selection.limit)) {
            ids.resize(static_cast<std::size_t>(selection.limit));
        }
        if (filter.source.empty() || filter.source == "webhook_send") {
            std::unordered_set<std::string> deliveries;
            filter.source = "webhook_send";
            for (DlqStatus status : {DlqStatus::kPending, DlqStatus::kReplaying}) {
                filter.status = status;
                for (std::string& id : store.list_dlq_ids(filter)) {
                    deliveries.insert(std::move(id));
                }
            }
            for (const std::string& id : ids) {
                webhook += deliveries.contains(id) ? 1 : 0;
            }
        }
        selected.entry_ids = std::move(ids);
    }
    selected.webhook_deliveries = webhook;
    return selected;
}

ReplaySummary replay_entries(Store& store, const std::vector<std::string>& entry_ids,
                             const ReplayOptions& options) {
    ReplaySummary summary;
    Replayer replayer(store, options, summary);
    Pace pace(options.rate);
    const std::size_t total = entry_ids.size();
    std::size_t done = 0;
    std::size_t canary_failures = 0;
    auto reached = [&](const ReplayedEntry& entry) {
        replayer.report(entry);
        ++done;
        if (options.canary > 0 && done <= static_cast<std::size_t>(options.canary) &&
            entry.outcome == EntryOutcome::kFailed) {
            ++canary_failures;
        }
    };
    auto canary_stops = [&] {
        if (options.canary > 0 && done >= static_cast<std::size_t>(options.canary) &&
            canary_failures > 0) {
            summary.canary_failed = true;
            return true;
        }
        return false;
    };

    std::size_t next = 0;
    while (next < total) {
        if (stopped(options)) {
            summary.interrupted = true;
            break;
        }
        if (canary_stops() || summary.unavailable) {
            break;
        }
        if (options.live) {
            // One entry at a time: claimed just before its call.
            if (!pace.wait(options.stop)) {
                summary.interrupted = true;
                break;
            }
            const std::string& id = entry_ids[next++];
            std::size_t skipped_before = summary.skipped;
            std::vector<std::string> claimed = replayer.claim({id});
            if (claimed.empty()) {
                done += summary.skipped - skipped_before;
            } else if (std::optional<DlqEntry> entry = store.find_dlq(id)) {
                reached(replayer.replay(*entry));
            }
        } else {
            // A batch: claimed in one transaction, run and written back in
            // another. The canary's entries form batches of their own.
            std::size_t size = std::max<std::size_t>(1, options.batch);
            if (options.canary > 0 && next < static_cast<std::size_t>(options.canary)) {
                size = std::min(size, static_cast<std::size_t>(options.canary) - next);
            }
            const std::vector<std::string> page(
                entry_ids.begin() + static_cast<std::ptrdiff_t>(next),
                entry_ids.begin() + static_cast<std::ptrdiff_t>(std::min(total, next + size)));
            next += page.size();
            const std::size_t skipped_before = summary.skipped;
            const std::vector<std::string> claimed = replayer.claim(page);
            done += summary.skipped - skipped_before;
            if (claimed.empty()) {
                continue;
            }
            std::vector<DlqEntry> entries = load_page(store, claimed, DlqStatus::kReplaying);
            std::erase_if(
                entries, [&](const DlqEntry& entry) { return entry.lease_owner != options.owner; });
            std::vector<ReplayedEntry> results;
            results.reserve(entries.size());
            try {
                store.write([&] {
                    results.clear();
                    for (const DlqEntry& entry : entries) {
                        results.push_back(replayer.replay(entry));
                    }
                });
            } catch (...) {
                replayer.release_unchanged(entries);
                throw;
            }
            // Reported only now that their transaction committed.
            for (const ReplayedEntry& result : results) {
                reached(result);
            }
        }
        if (options.progress) {
            options.progress(done);
        }
    }
    summary.left = total - std::min(total, next);
    if (options.canary > 0 && canary_stops()) {
        summary.canary_failed = true;
    }
    return summary;
}

void plan_replay(Store& store, const std::vector<std::string>& entry_ids,
                 const ReplayOptions& options,
                 const std::function<void(const PlannedReplay&)>& emit) {
    std::map<std::string, std::unique_ptr<Executor>> executors;
    const std::string now = now_rfc3339();
    for (std::size_t start = 0; start < entry_ids.size(); start += kPage) {
        const std::vector<std::string> page(
            entry_ids.begin() + static_cast<std::ptrdiff_t>(start),
            entry_ids.begin() +
                static_cast<std::ptrdiff_t>(std::min(entry_ids.size(), start + kPage)));
        for (const DlqEntry& entry : load_page(store, page, std::nullopt)) {
            PlannedReplay planned;
            planned.entry_id = entry.entry_id;
            planned.source = entry.source;
            planned.adapter_id = entry.adapter_id;
            planned.action = "skip";
            if (entry.status == DlqStatus::kReplayed || entry.status == DlqStatus::kArchived) {
                planned.note = std::string("already ") + to_string(entry.status);
            } else if (entry.status == DlqStatus::kReplaying && entry.lease_expires_at > now) {
                planned.note =
                    "being replayed by " + entry.lease_owner + " until " + entry.lease_expires_at;
            } else if (auto reason = not_replayable(entry, options)) {
                planned.note = *reason;
            } else if (entry.source == "outbox") {
                planned.action = "requeue";
                planned.note = "back on the outbox for the next relay";
            } else if (entry.source == "webhook_send") {
                const webhooks::Scheme* scheme = scheme_of(entry);
                OrderedJson headers = OrderedJson::object();
                if (scheme != nullptr) {
                    for (const std::string& name : scheme->signature_headers()) {
                        headers[name] = "(signed when sent)";
                    }
                }
                for (const auto& header : replayed_headers(entry, scheme)) {
                    headers[header.name] = header.value;
                }
                headers["Content-Type"] = "application/json";
                headers["X-Correlation-ID"] = entry.correlation_id;
                planned.action = "send";
                planned.request = {{"method", "POST"},
                                   {"url", entry.target_url},
                                   {"headers", std::move(headers)},
                                   {"body", entry.payload}};
            } else {
                try {
                    const Adapter& adapter = adapter_named(entry.adapter_id);
                    auto found = executors.find(entry.adapter_id);
                    if (found == executors.end()) {
                        ExecuteOptions execute = options.execute_options
                                                     ? options.execute_options(adapter.info())
                                                     : ExecuteOptions{};
                        execute.live = options.live;
                        execute.dry_run = true;
                        found =
                            executors
                                .emplace(entry.adapter_id, std::make_unique<Executor>(
                                                               &store, adapter, std::move(execute)))
                                .first;
                    }
                    DlqClaim claim{entry, options.owner, options.actor};
                    const Outcome outcome = found->second->replay(claim);
                    if (outcome.replayed && outcome.status == ExecutionStatus::kSucceeded) {
                        planned.action = "mark replayed";
                        planned.note = "already succeeded (execution " + outcome.execution_id +
                                       "); nothing is called";
                    } else if (outcome.status == ExecutionStatus::kRejected ||
                               outcome.status == ExecutionStatus::kConflict ||
                               (outcome.replayed &&
                                outcome.status != ExecutionStatus::kSucceeded)) {
                        planned.action = "fail";
                        planned.note = outcome.summary;
                    } else {
                        planned.action = "run";
                        if (!options.live) {
                            planned.note = "locally; the remote is not called";
                        }
                    }
                    if (outcome.request) {
                        const LiveRequest& request = *outcome.request;
                        OrderedJson headers = OrderedJson::object();
                        for (const auto& header : request.headers) {
                            headers[header.name] = header.value;
                        }
                        for (const auto& header : request.secret_headers) {
                            headers[header.name] = "(secret, added when sent)";
                        }
                        if (request.scheme != nullptr) {
                            for (const std::string& name : request.scheme->signature_headers()) {
                                headers[name] = "(signed when sent)";
                            }
                        }
                        headers["Content-Type"] = "application/json";
                        headers["X-Correlation-ID"] = request.correlation_id.empty()
                                                          ? entry.correlation_id
                                                          : request.correlation_id;
                        planned.request = {{"method", "POST"},
                                           {"url", request.url},
                                           {"headers", std::move(headers)},
                                           {"body", request.body}};
                    }
                } catch (const Error& error) {
                    planned.action = "fail";
                    planned.note = error.what();
                }
            }
            emit(planned);
        }
    }
}

void audit_replay(Store& store, const std::string& selection, const ReplayOptions& options,
                  const ReplaySummary& summary) {
    OrderedJson counts = {{"replayed", summary.replayed},
                          {"failed", summary.failed},
                          {"skipped", summary.skipped},
                          {"left", summary.left}};
    std::string reason = std::string(options.live ? "live" : "deterministic") + " replay";
    if (options.canary > 0) {
        reason += ", canary " + std::to_string(options.canary) +
                  (summary.canary_failed ? " failed" : " passed");
    }
    if (summary.interrupted) {
        reason += ", interrupted";
    }
    if (summary.unavailable) {
        reason += ", remote unavailable";
    }
    store.write([&] {
        audit::record(store, kReplayAction, selection, std::nullopt, counts.dump(), reason);
    });
}

DlqEntry written_back(const DlqEntry& claimed, bool replayed,
                      const std::vector<ExecutionAttempt>& attempts, const std::string& error_code,
                      const std::string& error_message, const std::string& now) {
    DlqEntry back = claimed;
    back.replay_count = claimed.replay_count + 1;
    back.updated_at = now;
    if (replayed) {
        back.status = DlqStatus::kReplayed;
        return back;
    }
    back.status = DlqStatus::kPending;
    OrderedJson list = OrderedJson::parse(claimed.attempts_json, nullptr, false);
    if (!list.is_array()) {
        list = OrderedJson::array();
    }
    for (const ExecutionAttempt& attempt : attempts) {
        list.push_back(
            {{"attempt", attempt.attempt},
             {"at", attempt.at},
             {"status", attempt.http_status ? OrderedJson(*attempt.http_status) : OrderedJson()},
             {"error", attempt.error},
             {"duration_ms", attempt.duration_ms},
             {"replay", back.replay_count}});
    }
    back.attempts_json = list.dump();
    if (!error_code.empty()) {
        back.error_code = error_code;
    }
    if (!error_message.empty()) {
        back.error_message = error_message;
    }
    back.last_failed_at = attempts.empty() ? now : std::max(now, attempts.back().at);
    return back;
}

bool write_back(Store& store, const DlqClaim& claim, const DlqEntry& back, ExecutionMode mode,
                EntryOutcome outcome, const std::string& execution_id, const std::string& error) {
    const bool kept = store.release_dlq(back, claim.owner);
    DlqReplay replay;
    replay.entry_id = back.entry_id;
    replay.at = back.updated_at.empty() ? now_rfc3339() : back.updated_at;
    replay.actor = claim.actor;
    replay.mode = to_string(mode);
    replay.outcome = kept ? to_string(outcome) : "failed";
    replay.execution_id = execution_id;
    replay.error = kept ? error
                        : "the lease ran out before this replay was recorded; another replay "
                          "took the entry";
    store.insert_dlq_replay(replay);
    return kept;
}

}  // namespace salesint::execute
