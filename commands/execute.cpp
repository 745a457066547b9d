// salesint execute ID [--input FILE|-] [--batch FILE.ndjson] ...
#include <sys/stat.h>

#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "interrupt.hpp"
#include "option_values.hpp"
#include "progress.hpp"
#include "salesint/execute/batch.hpp"
#include "salesint/execute/executor.hpp"
#include "salesint/execute/registry.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

struct ExecuteFlags {
    std::string id;
    std::string input;
    std::string batch;
    std::string message_id;
    std::string correlation_id;
    std::string causation_id;
    bool live = false;
    std::string connector;
    bool dry_run = false;
    std::string now;
    std::string roster;
    int max_attempts = 0;  // 0: the adapter's
    std::string timeout;
    std::string backoff;
    std::string max_backoff;
    int rate_limit = 0;  // 0: the adapter's
    int breaker_min_calls = 5;
    std::string breaker_wait = "30s";
};

bool file_exists(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0;
}

execute::ExecuteOptions executor_options(const ExecuteFlags& flags,
                                         const execute::AdapterInfo& info) {
    execute::ExecuteOptions options;
    options.message_id = flags.message_id;
    options.correlation_id = flags.correlation_id;
    options.causation_id = flags.causation_id;
    options.live = flags.live;
    options.connector = flags.connector;
    options.dry_run = flags.dry_run;
    if (!flags.now.empty()) {
        auto instant = parse_rfc3339(flags.now);
        if (!instant) {
            throw usage_error("--now: '" + flags.now + "' is not an RFC 3339 time");
        }
        options.now = format_rfc3339_utc(*instant);
    }
    if (flags.roster.empty()) {
        options.roster_text = std::string(execute::embedded_fixture(execute::kDefaultRoster));
        options.roster_source = std::string(execute::kDefaultRoster) + " (built in)";
    } else {
        options.roster_text = read_json_bytes(flags.roster);
        options.roster_source = display_name(flags.roster);
    }
    options.retry = info.retry;
    if (flags.max_attempts != 0) {
        if (flags.max_attempts < 1) {
            throw usage_error("--max-attempts must be at least 1");
        }
        options.retry.max_attempts = flags.max_attempts;
    }
    if (!flags.timeout.empty()) {
        options.retry.timeout = duration_option(flags.timeout, "--timeout");
    }
    if (!flags.backoff.empty()) {
        options.retry.backoff = duration_option(flags.backoff, "--backoff");
    }
    if (!flags.max_backoff.empty()) {
        options.retry.max_backoff = duration_option(flags.max_backoff, "--max-backoff");
    }
    options.rate_limit.per_minute =
        flags.rate_limit != 0 ? flags.rate_limit : info.rate_limit_per_minute;
    if (options.rate_limit.per_minute < 1) {
        throw usage_error("--rate-limit must be at least 1");
    }
    if (flags.breaker_min_calls < 1) {
        throw usage_error("--breaker-min-calls must be at least 1");
    }
    options.breaker.min_calls = flags.breaker_min_calls;
    options.breaker.wait_ms = duration_option(flags.breaker_wait, "--breaker-wait").count();
    options.on_retry = [](const std::string& message) { log::warn(message); };
    return options;
}

// A machine format and a dry run print the outcome whole and answer its
// code; otherwise a failure is the one error line.
ExitCode print_single(Context& context, const execute::Outcome& outcome,
                      const std::string& source) {
    if (context.format() != OutputFormat::kText) {
        context.print_object(execute::outcome_record(outcome));
        return outcome.exit_code;
    }
    if (outcome.dry_run) {
        std::cout << "dry run: " << outcome.adapter_id << " (" << to_string(outcome.mode)
                  << "), message " << outcome.message_id << ": " << outcome.summary << "\n";
        for (const std::string& write : outcome.writes) {
            std::cout << "  would write " << write << "\n";
        }
        if (!outcome.output.is_null()) {
            std::cout << outcome.output.dump(2) << "\n";
        }
        return outcome.exit_code;
    }
    if (is_recorded(outcome.status)) {
        std::cout << to_string(outcome.status) << (outcome.replayed ? " (replayed)" : "") << ": "
                  << outcome.adapter_id << " " << to_string(outcome.mode) << ", message "
                  << outcome.message_id << ", execution " << outcome.execution_id << ", "
                  << outcome.attempts << " attempt" << (outcome.attempts == 1 ? "" : "s") << ", "
                  << outcome.duration_ms << " ms\n";
        if (!outcome.output.is_null()) {
            std::cout << outcome.output.dump(2) << "\n";
        }
    }
    if (outcome.exit_code != ExitCode::kSuccess) {
        throw Error(outcome.exit_code, source + ": " + outcome.summary);
    }
    return ExitCode::kSuccess;
}

ExitCode run_batch_command(Context& context, execute::Executor& executor, const std::string& path) {
    ProgressLine progress("inputs", context.options.quiet);
    const bool machine = context.format() != OutputFormat::kText;
    RowWriter writer = context.rows({{"line", "LINE"},
                                     {"status", "STATUS"},
                                     {"message_id", "MESSAGE"},
                                     {"error_code", "ERROR"},
                                     {"execution_id", "EXECUTION"}});
    execute::BatchOptions options;
    options.emit = [&](const execute::BatchRow& row) {
        if (machine) {
            writer.add(execute::outcome_record(row.outcome, row.line));
        } else if (row.outcome.exit_code != ExitCode::kSuccess) {
            std::cerr << escape_control(display_name(path)) << ":" << row.line << ": "
                      << to_string(row.outcome.status) << ": "
                      << escape_control(row.outcome.summary) << "\n";
        }
    };
    options.progress = [&](std::size_t rows) { progress.update(rows); };
    InterruptGuard interrupt;
    options.stop = &interrupt.requested();
    execute::BatchSummary summary = execute::run_batch(executor, path, options);
    progress.finish();
    if (machine) {
        writer.finish();
    } else {
        std::cout << summary.rows << " inputs";
        for (const auto& [status, count] : summary.by_status) {
            std::cout << ", " << count << " " << status;
        }
        if (summary.replayed > 0) {
            std::cout << " (" << summary.replayed << " replayed)";
        }
        std::cout << (executor.options().dry_run ? " (dry run: nothing written)" : "") << "\n";
    }
    if (summary.stopped) {
        std::cout.flush();
        std::cerr << "salesint: interrupted: " << summary.rows
                  << " inputs done and committed; run the same command again to resume\n";
        return static_cast<ExitCode>(interrupt.exit_code());  // 130 or 143, as shells say
    }
    return summary.exit_code;
}

}  // namespace

void install_execute(Command group) {
    Context& context = group.context();
    auto flags = std::make_shared<ExecuteFlags>();
    group.leaf();
    group.on_run([&context, flags] {
        const execute::Adapter& adapter = execute::adapter_named(flags->id);
        if (flags->input.empty() == flags->batch.empty()) {
            throw usage_error("give one of --input FILE (or - for stdin) and --batch FILE.ndjson");
        }
        if (!flags->batch.empty() && !flags->message_id.empty()) {
            throw usage_error("--message-id names one input; a batch derives one per line");
        }
        if (!flags->connector.empty() && !flags->live) {
            throw usage_error("--connector is for live mode; add --live");
        }
        execute::ExecuteOptions options = executor_options(*flags, adapter.info());
        // A dry run never creates a state file; without one it cannot tell a
        // replay from a first run, and says so.
        Store* store = nullptr;
        if (!flags->dry_run || file_exists(context.options.state_path)) {
            store = &context.store();
        } else {
            log::warn("dry run without a state file (" + context.options.state_path +
                      "): replays cannot be detected");
        }
        execute::Executor executor(store, adapter, std::move(options));
        if (!flags->batch.empty()) {
            return run_batch_command(context, executor, flags->batch);
        }
        const std::string source = display_name(flags->input);
        const Json input = read_json_file(flags->input);
        return print_single(context, executor.execute(input), source);
    });
    group.positional("id", flags->id, "Execute ID (see 'salesint adapters list')")
        .required()
        .identifier();
    group.option("--input", flags->input, "The input document ('-' for stdin)").type_name("FILE");
    group.option("--batch", flags->batch, "One input per line; one outcome line each")
        .type_name("FILE.ndjson");
    group
        .option("--message-id", flags->message_id,
                "Idempotency key (default: derived from the input)")
        .type_name("ID")
        .identifier();
    group.option("--correlation-id", flags->correlation_id, "Default: the message id")
        .type_name("ID")
        .identifier();
    group.option("--causation-id", flags->causation_id, "The message that caused this one")
        .type_name("ID")
        .identifier();
    group.flag("--live", flags->live, "Call the connector instead of computing locally");
    group
        .option("--connector", flags->connector,
                "Live: the connector to call (default: the adapter's)")
        .type_name("CODE")
        .identifier();
    group.flag("--dry-run", flags->dry_run, "Validate and show what would be done; write nothing");
    group.option("--now", flags->now, "Execution time (RFC 3339), for reproducible runs")
        .type_name("TIME");
    group.option("--roster", flags->roster, "Technician roster for slot availability")
        .type_name("FILE");
    group.option("--max-attempts", flags->max_attempts, "Live: attempts before giving up")
        .type_name("N")
        .range(1, 100);
    group.option("--timeout", flags->timeout, "Live: time limit of one attempt")
        .type_name("DURATION");
    group.option("--backoff", flags->backoff, "Live: base of the exponential backoff")
        .type_name("DURATION");
    group.option("--max-backoff", flags->max_backoff, "Live: longest wait between attempts")
        .type_name("DURATION");
    group
        .option("--rate-limit", flags->rate_limit,
                "Live: calls a minute per tenant (default: the adapter's)")
        .type_name("N")
        .range(1, 1000000);
    group
        .option("--breaker-min-calls", flags->breaker_min_calls,
                "Live: calls in the 60 s window before the breaker may open")
        .type_name("N")
        .range(1, 1000000);
    group
        .option("--breaker-wait", flags->breaker_wait,
                "Live: how long an open breaker refuses calls before a probe")
        .type_name("DURATION");
    group.footer(
        "Exit codes: 0 succeeded (or replayed a success), 1 rejected or failed, 2 unreadable\n"
        "input, 3 unknown adapter or connector, 4 message id used with another input\n"
        "(DUPLICATE_ORDER for order intake), 5 rate limited, circuit open or retries\n"
        "exhausted (dead-lettered). A batch exits with the highest code of its rows.\n"
        "\n"
        "Idempotency: the message id is order intake's SHA-256(externalOrderId-salesSystem),\n"
        "else --message-id, else msg_ + SHA-256 of the Execute ID and the canonical input.\n"
        "A rejected input is not recorded, so a corrected one may reuse the message id.\n"
        "\n"
        "Circuit breaker (per connector, in the state file): opens when at least half of\n"
        "the calls in a 60 s window failed (network, timeout, 408, 429, 5xx) and the window\n"
        "holds --breaker-min-calls calls; after --breaker-wait one probe goes through.\n"
        "\n"
        "JSON shape (-o json; one per line with --batch, plus line):\n"
        "  {execution_id, message_id, adapter_id, mode, status, error_code, output | error,\n"
        "   attempts, duration_ms, replayed, connector?, dlq_entry_id?,\n"
        "   dry_run?, writes?, request?}\n"
        "  status: succeeded | failed | dead_lettered (recorded), rejected | conflict |\n"
        "          rate_limited | circuit_open | invalid_json | planned (not recorded)\n"
        "  error: {error: {code, message, details: [{field, pointer, message}]},\n"
        "          correlationId, timestamp}   (the sales APIs' error response)\n");
}

}  // namespace salesint::cli
