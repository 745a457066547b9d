// salesint execute ID [--input FILE|-] [--batch FILE.ndjson] ...
#include <sys/stat.h>

#include <iostream>
#include <memory>

#include "context.hpp"
#include "execute_options.hpp"
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
#include "salesint/util/state_location.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

bool file_exists(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0;
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
        if (!flags->dry_run || is_database_url(context.options.state_path) ||
            file_exists(context.options.state_path)) {
            store = &context.store();
        } else {
            log::warn("dry run without a state file (" +
                      printable_state(context.options.state_path) +
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
    group.flag("--dry-run", flags->dry_run, "Validate and show what would be done; write nothing");
    group.option("--now", flags->now, "Execution time (RFC 3339), for reproducible runs")
        .type_name("TIME");
    group.option("--roster", flags->roster, "Technician roster for slot availability")
        .type_name("FILE");
    group
        .option("--max-age", flags->max_age,
                "Queries (slot availability): how long a stored answer is replayed")
        .type_name("DURATION");
    group
        .option("--max-slots", flags->max_slots,
                "Slot availability: at most this many slots (default 500; truncated: true says "
                "when more were found)")
        .type_name("N")
        .range(1, 100000);
    add_live_options(group, *flags);
    group.footer(
        "Exit codes: 0 succeeded (or replayed a success), 1 rejected or failed, 2 unreadable\n"
        "input, 3 unknown adapter or connector, 4 message id used with another input\n"
        "(DUPLICATE_ORDER for order intake), 5 rate limited, circuit open or retries\n"
        "exhausted (dead-lettered). A batch exits with the highest code of its rows.\n"
        "\n"
        "A failed or dead-lettered live execution replays its outcome when run again;\n"
        "'salesint execution retry ID' sends it again under the same message id.\n"
        "\n"
        "Idempotency: the message id is order intake's SHA-256(externalOrderId-salesSystem),\n"
        "else --message-id, else msg_ + SHA-256 of the Execute ID and the canonical input.\n"
        "A rejected input is not recorded, so a corrected one may reuse the message id.\n"
        "Deterministic and live runs are recorded apart: a rehearsal never stands for the\n"
        "live call. A slot answer is replayed for --max-age, then computed again.\n"
        "\n"
        "Circuit breaker (per connector, in the state file): opens when at least half of\n"
        "the calls in a 60 s window failed (network, timeout, 408, 429, 5xx) and the window\n"
        "holds --breaker-min-calls calls; after --breaker-wait one probe goes through.\n"
        "\n"
        "JSON shape (-o json; one per line with --batch, plus line):\n"
        "  {execution_id, message_id, adapter_id, mode, status, error_code, output | error,\n"
        "   attempts, duration_ms, replayed, refreshed?, run?, connector?, dlq_entry_id?,\n"
        "   dry_run?, writes?, request?}\n"
        "  status: succeeded | failed | dead_lettered (recorded), rejected | conflict |\n"
        "          rate_limited | circuit_open | invalid_json | planned (not recorded)\n"
        "  error: {error: {code, message, details: [{field, pointer, message}]},\n"
        "          correlationId, timestamp}   (the sales APIs' error response)\n");
}

}  // namespace salesint::cli
