// salesint job export
#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "interrupt.hpp"
#include "salesint/jobs/export.hpp"
#include "salesint/jobs/runs.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes =
    R"(Envelopes come from the outbox (every status, oldest first), the inbox (the envelopes
`inbox consume` stored) or an NDJSON file ("-": stdin). Each one's subject.aggregate_id is
translated to the system's external id through an active mapping only: no mapping, a
mapping pending review or a retired one is a per-row error (unmapped, pending_review,
retired), never a guess. Envelopes of another subject.aggregate_type are skipped.
A row, as written (NDJSON; a .csv target has these columns, data as JSON text):
  {"<id-field>", "internal_uuid", "entity_type", "event_type", "message_id",
   "occurred_at", "data"}
data is the record a `job import` turned into the intent, else the intent or fact itself.
--to connector POSTs JSON arrays of --batch-size rows to BASE_URL/ENTITY with the
connector's authentication, retrying transient answers (full-jitter backoff).
A file target appears only once complete; with --to - the rows go to stdout and the summary
to stderr.
The export checkpoint (checkpoint SYSTEM ENTITY.export) is the largest meta.occurred_at
exported, advanced in the transaction that closes the run. --since-checkpoint exports the
envelopes at or after it: those at the checkpoint again (at-least-once, never lost). A file
is written before that transaction commits, so a crash in between leaves the checkpoint
behind and the next export repeats rows rather than skipping any.
-o json prints the run as `job show -o json` does:
  {"run_id", "job_type", "system_code", "entity_type", "source", "status", "started_at",
   "completed_at", "duration_ms", "rows_per_second", "requested_by_user_id", "rows_total",
   "rows_ok", "error_count", "warning_count", "resume_after_row", "resumed_from", "worker",
   "checkpoint": {"before", "after"}, "result_summary": {"exported", "rejected", "skipped",
   "batches", "target", "target_error"?}, "first_errors": [{"row", "severity", "code",
   "message", "pointer", "record"}]}
Exit codes: 0 every envelope exported or skipped, 1 rows rejected (the run is partial, or
failed when none was exported) or the connector refused a batch, 5 the connector was
unavailable (the run failed; nothing of the checkpoint moved).)";

struct ExportFlags {
    std::string system, entity, to, from = "outbox", id_field = "id";
    bool since_checkpoint = false;
    int batch_size = 500;
};

ExitCode run_job_export(Context& context, const ExportFlags& flags) {
    jobs::ExportRequest request;
    request.system_code = flags.system;
    request.entity_type = flags.entity;
    request.to = flags.to;
    request.id_field = flags.id_field;
    request.since_checkpoint = flags.since_checkpoint;
    request.batch_size = static_cast<std::size_t>(flags.batch_size);
    request.requested_by = current_user();
    if (flags.from == "outbox") {
        request.from = jobs::ExportSourceKind::kOutbox;
    } else if (flags.from == "inbox") {
        request.from = jobs::ExportSourceKind::kInbox;
    } else {
        request.from = jobs::ExportSourceKind::kFile;
        request.from_path = flags.from;
    }

    InterruptGuard interrupt;
    const jobs::ExportOutcome outcome =
        jobs::run_export(context.store(), request, &interrupt.requested());

    // With --to - the rows are on stdout: the summary goes to stderr.
    std::ostream& out = flags.to == "-" ? std::cerr : std::cout;
    if (context.format() == OutputFormat::kText) {
        const jobs::ExportCounts& counts = outcome.counts;
        out << "run " << outcome.run.run_id << " " << to_string(outcome.run.status) << ": "
            << counts.exported << " exported, " << counts.rejected << " rejected, "
            << counts.skipped << " skipped to " << escape_control(outcome.target) << "\n";
        if (!outcome.target_error.empty()) {
            out << "target failed: " << escape_control(outcome.target_error) << "\n";
        }
        if (counts.rejected > 0) {
            out << counts.rejected << " row" << (counts.rejected == 1 ? "" : "s")
                << " rejected; see them with: salesint job errors " << outcome.run.run_id << "\n";
        }
    } else {
        render_object(out, context.format(), jobs::run_json(outcome.run, outcome.first_errors));
    }

    if (outcome.stopped) {
        return static_cast<ExitCode>(interrupt.exit_code());  // 130 or 143, as shells say
    }
    if (!outcome.target_error.empty()) {
        return outcome.target_unavailable ? ExitCode::kTransient : ExitCode::kNo;
    }
    return outcome.run.status == JobStatus::kSucceeded ? ExitCode::kSuccess : ExitCode::kNo;
}

}  // namespace

void install_job_export(Command group) {
    auto flags = std::make_shared<ExportFlags>();
    Command command = group.add(
        "export", "Export internal envelopes with the system's external ids (active mappings only)",
        [flags, &context = group.context()] { return run_job_export(context, *flags); });
    command.footer(kShapes);
    command.option("--system", flags->system, "The system whose ids are written")
        .type_name("SYSTEM")
        .required()
        .identifier();
    command.option("--entity", flags->entity, "The entity type, e.g. customer, order")
        .type_name("ENTITY")
        .required()
        .identifier();
    command
        .option("--to", flags->to,
                "A file (.csv: CSV, else NDJSON; -: stdout) or 'connector' (POST to its base_url)")
        .type_name("TARGET")
        .required();
    command
        .option("--from", flags->from,
                "Where the envelopes come from: outbox, inbox or an NDJSON file (-: stdin)")
        .type_name("FILE|outbox|inbox")
        .show_default();
    command.flag("--since-checkpoint", flags->since_checkpoint,
                 "Only envelopes at or after the export checkpoint (those at it again: "
                 "at-least-once)");
    command.option("--id-field", flags->id_field, "The name of the external id in each row")
        .type_name("FIELD")
        .identifier()
        .show_default();
    command.option("--batch-size", flags->batch_size, "Rows per POST to the connector")
        .type_name("N")
        .range(1, 100000)
        .show_default();
}

}  // namespace salesint::cli
