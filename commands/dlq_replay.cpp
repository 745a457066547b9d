// salesint dlq replay (ID... | --all | --group G): run failed messages again.
#include <iostream>
#include <memory>

#include "context.hpp"
#include "dlq_options.hpp"
#include "execute_options.hpp"
#include "groups.hpp"
#include "interrupt.hpp"
#include "option_values.hpp"
#include "progress.hpp"
#include "salesint/execute/dlq_replay.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/webhooks/secrets.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes = R"shapes(JSON shape of a replay:
  {"mode", "replayed": n, "failed": n, "skipped": n, "left": n,
   "entries": [{"entry_id", "outcome", "execution_id", "error"}]}
outcome is replayed, failed (still failing: back to pending, its new attempts appended) or
skipped (being replayed by another run, already done, or not replayable now); left counts
the entries of the set that were not reached (canary failed, interrupted, remote unavailable).
A dry run: {"dry_run": true, "mode", "count", "entries": [{"entry_id", "source", "adapter_id",
  "action", "note", "request": {"method", "url", "headers", "body"} or null}]}
  (action: run, send, requeue (an outbox envelope back in the relay's queue), mark replayed,
  fail, skip; signatures "(signed when sent)", credentials
  "(secret, added when sent)").
--connector calls that connector instead of the one each entry failed against.
Exit codes: 0 nothing failed, 1 an entry still fails or the canary failed, 5 the remote stayed
unavailable (circuit open, rate limited), 130 interrupted.)shapes";

struct ReplayFlags {
    std::vector<std::string> ids;
    bool all = false;
    std::string group;
    std::string source, adapter, error_code, since, until;
    bool dry_run = false;
    int canary = 0;
    std::string rate;
    int limit = 0;
    webhooks::SecretSources secrets;
    bool deterministic = false;
    std::string lease = "5m";
    // How live calls are made, as `execute --live` makes them.
    ExecuteFlags live;
};

double rate_value(const ReplayFlags& flags) {
    if (flags.rate.empty()) {
        return flags.deterministic ? 0.0 : 10.0;
    }
    std::size_t used = 0;
    double rate = 0;
    try {
        rate = std::stod(flags.rate, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != flags.rate.size() || !(rate > 0) || rate > 1e6) {
        throw usage_error("--rate '" + flags.rate +
                          "' is not a number of entries a second (10, 0.5)");
    }
    return rate;
}

std::string selection_text(const ReplayFlags& flags, const std::vector<std::string>& ids) {
    std::string text = flags.all ? "all" : !flags.group.empty() ? "group " + flags.group : "";
    if (!flags.ids.empty()) {
        text =
            "entries " +
            join(std::vector<std::string>(
                     flags.ids.begin(),
                     flags.ids.begin() +
                         static_cast<std::ptrdiff_t>(std::min<std::size_t>(flags.ids.size(), 5))),
                 ", ") +
            (flags.ids.size() > 5 ? " and " + std::to_string(flags.ids.size() - 5) + " more" : "");
    }
    const std::vector<std::pair<std::string, std::string>> filters{{"source", flags.source},
                                                                   {"adapter", flags.adapter},
                                                                   {"error_code", flags.error_code},
                                                                   {"since", flags.since},
                                                                   {"until", flags.until}};
    for (const auto& [name, value] : filters) {
        if (!value.empty()) {
            text += " " + name + "=" + value;
        }
    }
    return text + " (" + std::to_string(ids.size()) + " selected)";
}

OrderedJson planned_json(const execute::PlannedReplay& planned) {
    return {{"entry_id", planned.entry_id},
            {"source", planned.source},
            {"adapter_id", planned.adapter_id},
            {"action", planned.action},
            {"note", planned.note.empty() ? OrderedJson() : OrderedJson(planned.note)},
            {"request", planned.request}};
}

void print_planned_text(const execute::PlannedReplay& planned) {
    std::cout << escape_control(planned.entry_id) << "  " << planned.source << "  "
              << escape_control(planned.adapter_id) << "  " << planned.action;
    if (!planned.note.empty()) {
        std::cout << ": " << escape_control(planned.note);
    }
    std::cout << "\n";
    if (planned.request.is_object()) {
        std::cout << "  POST " << escape_control(planned.request["url"].get<std::string>()) << "\n";
        for (const auto& [name, value] : planned.request["headers"].items()) {
            std::cout << "  " << escape_control(name) << ": "
                      << escape_control(value.get<std::string>()) << "\n";
        }
        std::cout << "  " << escape_control(planned.request["body"].get<std::string>()) << "\n";
    }
}

ExitCode run_replay(Context& context, const ReplayFlags& flags) {
    const int chosen =
        (flags.ids.empty() ? 0 : 1) + (flags.all ? 1 : 0) + (flags.group.empty() ? 0 : 1);
    if (chosen == 0) {
        throw usage_error("say what to replay: entry ids, --all or --group G");
    }
    if (chosen > 1) {
        throw usage_error("entry ids, --all and --group exclude each other");
    }
    if (!flags.live.connector.empty() && flags.deterministic) {
        throw usage_error("--connector is for live replays; leave out --deterministic");
    }
    execute::ReplayOptions options;
    options.live = !flags.deterministic;
    options.canary = flags.canary;
    options.rate = rate_value(flags);
    const auto lease = duration_option(flags.lease, "--lease");
    if (lease < std::chrono::seconds(1)) {
        throw usage_error("--lease must be at least 1s");
    }
    options.lease = std::chrono::duration_cast<std::chrono::seconds>(lease);
    // A secret that is named but missing stops the replay before anything is claimed.
    if (!flags.secrets.empty()) {
        webhooks::LoadedSecrets loaded = webhooks::load_secrets(flags.secrets);
        if (loaded.secrets.empty()) {
            throw usage_error("no secret: " + join(loaded.notes, "; "));
        }
        if (loaded.secrets.size() > 1) {
            throw usage_error("a replay signs with one secret, got " +
                              std::to_string(loaded.secrets.size()));
        }
        options.secret = loaded.secrets.front();
    }
    ExecuteFlags execute_flags = flags.live;
    execute_flags.live = options.live;
    // Checked once now, rather than failing every entry.
    (void)executor_options(execute_flags, execute::AdapterInfo{});
    options.execute_options = [execute_flags](const execute::AdapterInfo& info) {
        return executor_options(execute_flags, info);
    };
    if (flags.live.max_attempts > 0) {
        options.max_attempts = flags.live.max_attempts;
    }
    options.timeout = flags.live.timeout.empty() ? std::chrono::milliseconds(30'000)
                                                 : duration_option(flags.live.timeout, "--timeout");
    options.backoff.base = flags.live.backoff.empty()
                               ? std::chrono::milliseconds(1'000)
                               : duration_option(flags.live.backoff, "--backoff");
    options.backoff.cap = flags.live.max_backoff.empty()
                              ? std::chrono::milliseconds(30'000)
                              : duration_option(flags.live.max_backoff, "--max-backoff");
    options.on_retry = [](const std::string& message) { log::warn(message); };
    options.owner = execute::lease_owner();
    options.actor = current_user();

    DlqFilterOptions filter_options;
    filter_options.source = flags.source;
    filter_options.adapter = flags.adapter;
    filter_options.error_code = flags.error_code;
    filter_options.since = flags.since;
    filter_options.until = flags.until;
    execute::ReplaySelection selection;
    selection.entry_ids = flags.ids;
    selection.filter = dlq_filter(filter_options);
    selection.group = flags.group;
    selection.limit = flags.limit;

    Store& store = context.store();
    const execute::Selected selected = execute::select_for_replay(store, selection);
    const bool machine = context.format() != OutputFormat::kText;
    const char* mode = options.live ? "live" : "deterministic";

    if (flags.dry_run) {
        OrderedJson entries = OrderedJson::array();
        execute::plan_replay(store, selected.entry_ids, options,
                             [&](const execute::PlannedReplay& planned) {
                                 if (machine) {
                                     entries.push_back(planned_json(planned));
                                 } else {
                                     print_planned_text(planned);
                                 }
                             });
        if (machine) {
            context.print_object({{"dry_run", true},
                                  {"mode", mode},
                                  {"count", selected.entry_ids.size()},
                                  {"entries", std::move(entries)}});
        } else {
            const std::size_t count = selected.entry_ids.size();
            std::cout << "dry run (" << mode << "): " << count
                      << (count == 1 ? " entry" : " entries")
                      << " would be replayed; nothing written\n";
        }
        return ExitCode::kSuccess;
    }
    if (options.live && selected.webhook_deliveries > 0 && !options.secret) {
        throw usage_error(std::to_string(selected.webhook_deliveries) +
                          " webhook deliveries are selected: give the secret to sign them with "
                          "--secret-env VAR or --secret-file PATH");
    }

    ProgressLine progress("entries", context.options.quiet);
    OrderedJson entries = OrderedJson::array();
    options.emit = [&](const execute::ReplayedEntry& entry) {
        if (machine) {
            entries.push_back(
                {{"entry_id", entry.entry_id},
                 {"outcome", to_string(entry.outcome)},
                 {"execution_id",
                  entry.execution_id.empty() ? OrderedJson() : OrderedJson(entry.execution_id)},
                 {"error", entry.error.empty() ? OrderedJson() : OrderedJson(entry.error)}});
        } else if (entry.outcome != execute::EntryOutcome::kReplayed) {
            std::cout << to_string(entry.outcome) << "  " << escape_control(entry.entry_id) << "  "
                      << escape_control(entry.error) << "\n";
        }
    };
    options.progress = [&](std::size_t done) { progress.update(done); };
    InterruptGuard interrupt;
    options.stop = &interrupt.requested();
    const execute::ReplaySummary summary =
        execute::replay_entries(store, selected.entry_ids, options);
    progress.finish();
    execute::audit_replay(store, selection_text(flags, selected.entry_ids), options, summary);

    if (machine) {
        context.print_object({{"mode", mode},
                              {"replayed", summary.replayed},
                              {"failed", summary.failed},
                              {"skipped", summary.skipped},
                              {"left", summary.left},
                              {"entries", std::move(entries)}});
    } else {
        std::cout << "replayed " << summary.replayed << ", still failing " << summary.failed
                  << ", skipped " << summary.skipped << ", left for a later run " << summary.left
                  << " (" << mode
                  << (options.live ? ")" : "; a rehearsal: the remote was not called)") << "\n";
        if (summary.canary_failed) {
            std::cout << "the canary of " << flags.canary
                      << " entries did not all succeed; the rest were left\n";
        }
        if (summary.unavailable) {
            std::cout << "the remote stayed unavailable; the rest were left\n";
        }
    }
    if (summary.interrupted) {
        std::cout.flush();
        std::cerr << "salesint: interrupted: the entries done are recorded; run the same command "
                     "again for the rest\n";
        return static_cast<ExitCode>(interrupt.exit_code());
    }
    return summary.exit_code();
}

}  // namespace

void install_dlq_replay(Command group) {
    Context& context = group.context();
    auto flags = std::make_shared<ReplayFlags>();
    Command replay = group.add(
        "replay",
        "Run failed messages again: claimed under a lease, recorded with their execution; "
        "--dry-run first",
        [&context, flags] { return run_replay(context, *flags); });
    replay.footer(kShapes);
    replay.positional("ID", flags->ids, "DLQ entry ids").identifier();
    replay.flag("--all", flags->all, "Every pending entry the filters select");
    replay.option("--group", flags->group, "The pending entries of a group ('dlq list --group-by')")
        .type_name("G")
        .identifier();
    replay.choice("--source", flags->source, {"execute", "webhook_send", "outbox", "inbox"},
                  "Only entries from this source");
    replay
        .option("--adapter", flags->adapter,
                "Only this adapter's entries (webhook:SCHEME for deliveries)")
        .type_name("ID");
    replay.option("--error-code", flags->error_code, "Only entries with this error code (HTTP_503)")
        .type_name("CODE");
    replay
        .option("--since", flags->since,
                "Only entries that last failed at or after TIME (RFC 3339, or an age: 1h, 7d)")
        .type_name("TIME");
    replay
        .option("--until", flags->until,
                "Only entries that last failed before TIME (RFC 3339, or an age: 1h, 7d)")
        .type_name("TIME");
    replay.flag("--dry-run", flags->dry_run,
                "List what would be replayed and the requests it would send; write nothing");
    replay.option("--canary", flags->canary, "Replay N first; stop unless all of them succeed")
        .type_name("N")
        .range(1, 1000000);
    replay
        .option("--rate", flags->rate,
                "Entries started a second (default: 10 live, no bound with --deterministic)")
        .type_name("PER_SECOND");
    replay.option("--limit", flags->limit, "At most N entries").type_name("N").range(1, 100000000);
    replay
        .option("--secret-env", flags->secrets.env_vars,
                "Environment variable holding the secret that signs webhook deliveries again")
        .type_name("VAR")
        .identifier();
    replay.option("--secret-file", flags->secrets.files, "File holding that secret")
        .type_name("PATH");
    replay.flag("--deterministic", flags->deterministic,
                "Rehearse locally (the remote is not called), e.g. on a copy of a state file");
    replay
        .option("--lease", flags->lease, "How long an entry stays claimed by this run (default 5m)")
        .type_name("DURATION");
    // --connector here calls that connector instead of the one each entry
    // failed against.
    add_live_options(replay, flags->live);
}

}  // namespace salesint::cli
