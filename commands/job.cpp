// salesint job import (job export: job_export.cpp; list, show, errors: job_history.cpp)
#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "interrupt.hpp"
#include "progress.hpp"
#include "salesint/domain/connectors.hpp"
#include "salesint/errors.hpp"
#include "salesint/jobs/import.hpp"
#include "salesint/jobs/records.hpp"
#include "salesint/jobs/runs.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes =
    R"(Each record is validated for its entity type (order/orders: the rules of
`execute fsm.order.intake.v2`), mapped to an internal UUID (an existing mapping or a new one;
an entity type or role salesint does not know waits in pending_review) and turned into a
SalesDomainIntent on sales.domain.intents.v1, partitioned by tenant and that UUID:
  {"topic", "meta": {...}, "subject": {"aggregate_type": ENTITY, "aggregate_id": UUID},
   "intent": {"type": "ImportRecord", "change": "created"|"updated",
              "source": {"system_code", "entity_type", "external_id", "job_run_id", "row"},
              "record": {...}}}
A record identical to the one last imported for its mapping writes no intent (unchanged), nor
does one whose cursor value is older than that record's (stale: an older copy).
Each batch's mappings, intents, per-row errors, the checkpoint (the largest cursor value
committed) and the run's counts are written in one transaction: a run killed at any instant
is closed as interrupted by the next start and --resume continues after its last batch.
A bad record never stops the run: it is a per-row error (salesint job errors RUN).
-o json prints the run as `job show -o json` does, result_summary: {"read", "created",
"updated", "unchanged", "stale", "pending_review", "rejected", "warnings", "skipped", "intents",
"id_field", "cursor_field", "dry_run", "columns"? (CSV), "error"?}.
Exit codes: 0 every record taken, 1 records rejected (partial; failed at --max-errors),
2 a source that cannot be read, 3 no such connector, 4 an import of the same system and
entity already running or nothing to resume, 5 the connector stayed unavailable, 130 or 143
interrupted (the run is cancelled and resumable).)";

struct ImportFlags {
    std::string system, entity, from, format, id_field, cursor_field;
    int batch_size = 1000;
    int max_errors = 0;
    bool dry_run = false, resume = false;
};

std::unique_ptr<jobs::RecordSource> open_source(Context& context, const ImportFlags& flags,
                                                jobs::ImportRequest& request) {
    if (flags.from != "connector") {
        jobs::RecordFormat format = jobs::format_of_path(flags.from);
        if (!flags.format.empty()) {
            auto given = jobs::parse_record_format(flags.format);
            if (!given) {
                throw usage_error("--format: '" + flags.format + "' is not ndjson, csv or json");
            }
            format = *given;
        }
        return jobs::open_file_source(flags.from, format);
    }
    Store& store = context.store();
    jobs::PageRequest pages;
    pages.connector = connectors::get(store, flags.system);
    pages.entity_type = flags.entity;
    pages.page_size = static_cast<std::size_t>(flags.batch_size);
    if (auto checkpoint = store.find_checkpoint(pages.connector.system_code, flags.entity)) {
        pages.since = checkpoint->value;
    }
    request.source_starts_at_checkpoint = true;
    return jobs::open_connector_source(pages);
}

void print_text(const jobs::ImportOutcome& outcome) {
    const jobs::ImportCounts& c = outcome.counts;
    const JobRun& run = outcome.run;
    const double seconds = static_cast<double>(jobs::duration_ms(run)) / 1000.0;
    std::cout << (run.id == 0 ? "dry run " : "run ") << run.run_id << " " << to_string(run.status)
              << ": " << c.read << " read, " << c.created << " created, " << c.updated
              << " updated, " << c.unchanged << " unchanged, " << c.stale << " stale, "
              << c.pending_review << " pending review, " << c.rejected << " rejected, "
              << c.warnings << " warnings";
    if (c.skipped > 0) {
        std::cout << ", " << c.skipped << " passed over (committed by run " << run.resumed_from
                  << ")";
    }
    std::cout << " (" << seconds << " s)\n";
    std::cout << "checkpoint " << run.system_code << "/" << run.entity_type << ": "
              << (run.checkpoint_before.empty() ? "(none)" : run.checkpoint_before) << " -> "
              << (run.checkpoint_after.empty() ? "(none)" : run.checkpoint_after) << "\n";
    for (const JobRowError& error : outcome.first_errors) {
        std::cout << "line " << error.row_number << "  " << error.code << "  "
                  << escape_control(error.message) << "\n";
    }
    if (c.rejected + c.warnings > 0 && run.id != 0) {
        std::cout << "every row in error: salesint job errors " << run.run_id << "\n";
    }
}

ExitCode run_job_import(Context& context, const ImportFlags& flags) {
    jobs::ImportRequest request;
    request.system_code = flags.system;
    request.entity_type = flags.entity;
    request.id_field = flags.id_field;
    request.cursor_field = flags.cursor_field;
    request.cursor_field_given = !flags.cursor_field.empty();
    request.batch_size = static_cast<std::size_t>(flags.batch_size);
    request.max_errors = flags.max_errors;
    request.dry_run = flags.dry_run;
    request.resume = flags.resume;
    request.requested_by = current_user();
    std::unique_ptr<jobs::RecordSource> source = open_source(context, flags, request);

    ProgressLine progress("records", context.options.quiet);
    InterruptGuard interrupt;
    const jobs::ImportOutcome outcome = jobs::run_import(
        context.store(), *source, request,
        [&progress](const jobs::ImportCounts& counts) {
            progress.update(static_cast<std::size_t>(counts.read));
        },
        &interrupt.requested());
    progress.finish();

    if (context.format() == OutputFormat::kText) {
        print_text(outcome);
    } else {
        context.print_object(jobs::run_json(outcome.run, outcome.first_errors));
    }
    if (outcome.stopped) {
        return static_cast<ExitCode>(interrupt.exit_code());
    }
    return outcome.run.status == JobStatus::kSucceeded ? ExitCode::kSuccess : ExitCode::kNo;
}

void install_job_import(Command group) {
    auto flags = std::make_shared<ImportFlags>();
    Command command = group.add(
        "import", "Import records: validate, map to internal ids, write intents, checkpoint",
        [flags, &context = group.context()] { return run_job_import(context, *flags); });
    command.footer(kShapes);
    command.option("--system", flags->system, "The system the records come from")
        .type_name("SYSTEM")
        .required()
        .identifier();
    command.option("--entity", flags->entity, "The entity type, e.g. orders, customers")
        .type_name("ENTITY")
        .required()
        .identifier();
    command
        .option("--from", flags->from,
                "A file, - (stdin), or 'connector' (GET pages from its base_url)")
        .type_name("SOURCE")
        .required();
    command.option("--format", flags->format, "ndjson, csv or json (default: by extension)")
        .type_name("FORMAT");
    command.option("--id-field", flags->id_field, "The record's external id (default: by entity)")
        .type_name("FIELD")
        .identifier();
    command
        .option("--cursor-field", flags->cursor_field,
                "The field the checkpoint follows (default: updatedAt)")
        .type_name("FIELD")
        .identifier();
    command.option("--batch-size", flags->batch_size, "Records per transaction (and page)")
        .type_name("N")
        .range(1, 100000)
        .show_default();
    command
        .option("--max-errors", flags->max_errors, "Stop the run as failed at N rejected records")
        .type_name("N")
        .range(0, 1000000000);
    command.flag("--dry-run", flags->dry_run,
                 "Read, validate and map everything; print what would happen; write nothing");
    command.flag("--resume", flags->resume,
                 "Continue the job's last unfinished run after its last committed batch");
}

}  // namespace

void install_job(Command group) {
    install_job_import(group);
    install_job_export(group);
    install_job_history(group);
}

}  // namespace salesint::cli
