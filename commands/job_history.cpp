// salesint job list | show RUN | errors RUN
#include <cstdio>
#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "option_values.hpp"
#include "salesint/errors.hpp"
#include "salesint/jobs/runs.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kRunShape =
    R"(JSON shape of a job run (list: an array of them, first_errors empty):
  {"run_id", "job_type": "import"|"export", "system_code", "entity_type", "source",
   "status": "running"|"succeeded"|"failed"|"partial"|"cancelled"|"interrupted",
   "started_at", "completed_at" (null while running), "duration_ms", "rows_per_second",
   "requested_by_user_id", "rows_total", "rows_ok", "error_count", "warning_count",
   "resume_after_row", "resumed_from", "worker", "checkpoint": {"before", "after"},
   "result_summary": {...the run's counts}, "first_errors": [per-row errors]}
The history is append-only: no command changes or deletes a run.)";

constexpr const char* kShowShape =
    R"(JSON shape: the run as 'salesint job list' prints it, with first_errors holding its
first 10 per-row errors: {"row", "severity", "code", "message", "pointer", "record"}.)";

constexpr const char* kErrorShape =
    R"(JSON shape of a per-row error (an array of them, in row order):
  {"row", "severity": "error"|"warning", "code", "message", "pointer", "record"}
row is the line of the source (a CSV record spanning lines: its first); record is the row
as it was read. --export FILE writes the records in error (severity error) to fix and
import again: FILE ending in .csv as CSV under the run's header (CSV sources only), any
other FILE or - as NDJSON, one record a line; it prints {"run_id", "file", "format",
"rows"}.)";

const std::vector<Column> kRunColumns{
    {"run_id", "RUN"},           {"job_type", "TYPE"},   {"system_code", "SYSTEM"},
    {"entity_type", "ENTITY"},   {"status", "STATUS"},   {"started_at", "STARTED"},
    {"duration_ms", "DURATION"}, {"rows_total", "ROWS"}, {"rows_ok", "OK"},
    {"error_count", "ERRORS"},
};

const std::vector<Column> kErrorColumns{
    {"row", "ROW"},         {"severity", "SEVERITY"}, {"code", "CODE"},
    {"pointer", "POINTER"}, {"message", "MESSAGE"},
};

constexpr int kFirstErrors = 10;

// "850 ms", "12.3 s", "-" while running.
std::string duration_text(const JobRun& run) {
    if (run.completed_at.empty()) {
        return "-";
    }
    const std::int64_t ms = jobs::duration_ms(run);
    if (ms < 1000) {
        return std::to_string(ms) + " ms";
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
    return text;
}

std::string text_of(const OrderedJson& value) {
    return value.is_null() ? "-" : value.is_string() ? value.get<std::string>() : value.dump();
}

std::string or_dash(const std::string& text) {
    return text.empty() ? "-" : text;
}

// "line 12  invalid_order  /customer/email: must be ..."
std::string error_line(const JobRowError& error) {
    std::string line = "line " + std::to_string(error.row_number) + "  " + error.code + "  ";
    if (error.severity != "error") {
        line += "(" + error.severity + ") ";
    }
    line += error.pointer.empty() ? error.message : error.pointer + ": " + error.message;
    return escape_control(line);
}

void print_run_text(const JobRun& run, const OrderedJson& shown,
                    const std::vector<JobRowError>& first_errors, bool more) {
    const OrderedJson& summary = shown["result_summary"];
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f", shown["rows_per_second"].get<double>());
    const std::vector<std::pair<std::string, std::string>> lines{
        {"run", run.run_id},
        {"type", run.job_type},
        {"system/entity", run.system_code + "/" + run.entity_type},
        {"source", or_dash(run.source)},
        {"status", to_string(run.status)},
        {"requested by", or_dash(run.requested_by_user_id)},
        {"started", run.started_at},
        {"completed", or_dash(run.completed_at)},
        {"duration", duration_text(run)},
        {"rows/s", run.completed_at.empty() ? "-" : rate},
        {"rows read / ok", std::to_string(run.rows_total) + " / " + std::to_string(run.rows_ok)},
        {"errors", std::to_string(run.error_count)},
        {"warnings", std::to_string(run.warning_count)},
        {"checkpoint", or_dash(run.checkpoint_before) + " -> " + or_dash(run.checkpoint_after)},
        {"resumed from", or_dash(run.resumed_from)},
        {"worker", or_dash(run.worker)},
    };
    for (const auto& [key, value] : lines) {
        std::cout << key << ": " << escape_control(value) << "\n";
    }
    std::cout << "summary:" << (summary.empty() ? " none" : "") << "\n";
    for (const auto& [key, value] : summary.items()) {
        std::cout << "  " << escape_control(key) << ": " << escape_control(text_of(value)) << "\n";
    }
    if (first_errors.empty()) {
        std::cout << "row errors: none\n";
        return;
    }
    std::cout << "row errors" << (more ? " (the first " + std::to_string(kFirstErrors) + ")" : "")
              << ":\n";
    for (const JobRowError& error : first_errors) {
        std::cout << "  " << error_line(error) << "\n";
    }
    if (more) {
        std::cout << "all of them: salesint job errors " << escape_control(run.run_id) << "\n";
    }
}

struct ListFlags {
    JobRunFilter filter;
    std::string status, since;
};

struct ErrorsFlags {
    std::string run_id, severity, export_path;
    bool force = false;
};

ExitCode run_errors_command(Context& context, const ErrorsFlags& flags) {
    Store& store = context.store();
    const JobRun run = jobs::get_run(store, flags.run_id);
    if (flags.export_path.empty()) {
        context.print_each(kErrorColumns, jobs::run_errors_of(store, run, flags.severity),
                           [](const JobRowError& error, const std::string&) {
                               return jobs::row_error_json(error);
                           });
        return ExitCode::kSuccess;
    }
    if (flags.severity == "warning") {
        throw usage_error("--export writes the rows in error only; leave out --severity warning");
    }
    if (flags.export_path == "-") {
        const jobs::RetryFile file = jobs::retry_file(store, run, /*csv=*/false);
        std::cout << file.text << std::flush;
        if (!context.options.quiet) {
            std::cerr << file.rows << " row" << (file.rows == 1 ? "" : "s")
                      << " written to stdout\n";
        }
        return ExitCode::kSuccess;
    }
    const std::int64_t rows = jobs::write_retry_file(store, run, flags.export_path, flags.force);
    OrderedJson object = OrderedJson::object();
    object["run_id"] = run.run_id;
    object["file"] = flags.export_path;
    object["format"] = jobs::is_csv_path(flags.export_path) ? "csv" : "ndjson";
    object["rows"] = rows;
    context.print_result(std::to_string(rows) + " row" + (rows == 1 ? "" : "s") + " written to " +
                             escape_control(flags.export_path),
                         object);
    return ExitCode::kSuccess;
}

}  // namespace

void install_job_history(Command group) {
    Context& context = group.context();

    auto list_flags = std::make_shared<ListFlags>();
    Command list = group.add("list", "List job runs, newest first", [=, &context] {
        JobRunFilter filter = list_flags->filter;
        if (!list_flags->status.empty()) {
            filter.status = parse_job_status(list_flags->status);
        }
        filter.since = time_bound_option(list_flags->since, "--since");
        std::vector<JobRun> runs = jobs::list_runs(context.store(), filter);
        if (context.format() != OutputFormat::kText) {
            context.print_each(kRunColumns, runs, [](const JobRun& run, const std::string&) {
                return jobs::run_json(run, {});
            });
            return;
        }
        context.print_each(kRunColumns, runs, [](const JobRun& run, const std::string&) {
            OrderedJson row = jobs::run_json(run, {});
            row["duration_ms"] = duration_text(run);
            return row;
        });
    });
    list.footer(kRunShape);
    list.option("--system", list_flags->filter.system_code, "Only this system")
        .type_name("SYSTEM")
        .identifier();
    list.option("--entity", list_flags->filter.entity_type, "Only this entity type")
        .type_name("ENTITY")
        .identifier();
    list.choice("--type", list_flags->filter.job_type, {"import", "export"},
                "Only imports or only exports")
        .type_name("TYPE");
    list.choice("--status", list_flags->status,
                {"running", "succeeded", "failed", "partial", "cancelled", "interrupted"},
                "Only runs with this status")
        .type_name("STATUS");
    list.option("--since", list_flags->since, "Started at or after this time (RFC 3339, or 1h, 7d)")
        .type_name("TIME");
    list.option("--limit", list_flags->filter.limit, "At most N runs")
        .type_name("N")
        .range(1, 100000000);

    auto show_id = std::make_shared<std::string>();
    Command show = group.add(
        "show", "Show one job run: counts, timing, checkpoint and its first row errors",
        [=, &context] {
            Store& store = context.store();
            const JobRun run = jobs::get_run(store, *show_id);
            std::vector<JobRowError> first = jobs::run_errors(store, run, kFirstErrors + 1);
            const bool more = first.size() > static_cast<std::size_t>(kFirstErrors);
            if (more) {
                first.resize(kFirstErrors);
            }
            const OrderedJson shown = jobs::run_json(run, first);
            if (context.format() == OutputFormat::kText) {
                print_run_text(run, shown, first, more);
            } else {
                context.print_object(shown);
            }
        });
    show.footer(kShowShape);
    show.positional("RUN", *show_id, "Run id (as listed)").required().identifier();

    auto errors_flags = std::make_shared<ErrorsFlags>();
    Command errors =
        group.add("errors", "List a run's per-row errors in row order, or export the rows in error",
                  [=, &context] { return run_errors_command(context, *errors_flags); });
    errors.footer(kErrorShape);
    errors.positional("RUN", errors_flags->run_id, "Run id (as listed)").required().identifier();
    errors.choice("--severity", errors_flags->severity, {"error", "warning"}, "Only this severity")
        .type_name("SEVERITY");
    errors
        .option("--export", errors_flags->export_path,
                "Write the records in error to FILE to fix and import again (.csv: CSV, "
                "otherwise NDJSON; -: stdout)")
        .type_name("FILE");
    errors.flag("--force", errors_flags->force, "Replace FILE if it exists");
}

}  // namespace salesint::cli
