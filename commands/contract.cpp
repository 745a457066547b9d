// salesint contract validate | schemas | breaking
#include <filesystem>
#include <iostream>

#include "context.hpp"
#include "groups.hpp"
#include "salesint/contracts/breaking.hpp"
#include "salesint/contracts/report.hpp"
#include "salesint/contracts/rules.hpp"
#include "salesint/contracts/schemas.hpp"
#include "salesint/contracts/suppressions.hpp"
#include "salesint/contracts/validate.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/suggest.hpp"

namespace salesint::cli {
namespace {

using namespace salesint::contracts;

struct ValidateArgs {
    std::vector<std::string> inputs;
    std::string schema;
    std::string format;
    std::vector<std::string> ignore;
    std::string config;
    std::string write_baseline;
    std::string baseline;
    int jobs = 0;
    bool allow_empty = false;
    bool stream_rules = false;
};

// The columns of a violation as a row (-o csv, -o ndjson).
const std::vector<Column> kViolationColumns{{"file", "FILE"},
                                            {"line", "LINE"},
                                            {"column", "COLUMN"},
                                            {"rule", "RULE"},
                                            {"pointer", "POINTER"},
                                            {"message", "MESSAGE"},
                                            {"schema", "SCHEMA"},
                                            {"document_line", "DOCUMENT_LINE"},
                                            {"fingerprint", "FINGERPRINT"}};

// -o csv and -o ndjson: one violation per record, nothing else.
class RowsReporter : public Reporter {
  public:
    explicit RowsReporter(const Context& context) : writer_(context.rows(kViolationColumns)) {}

    void document(const DocumentResult& document) override {
        for (const Violation& violation : document.violations) {
            writer_.add(violation_row(document, violation));
        }
    }
    void finish(const Summary&) override { writer_.finish(); }

  private:
    RowWriter writer_;
};

// --format wins; without it, -o json means json, -o csv and -o ndjson a row
// per violation ("rows").
std::string report_format(const std::string& format, const Context& context) {
    if (!format.empty()) {
        return format;
    }
    switch (context.format()) {
        case OutputFormat::kJson:
            return "json";
        case OutputFormat::kCsv:
        case OutputFormat::kNdjson:
            return "rows";
        case OutputFormat::kText:
            break;
    }
    return "text";
}

std::unique_ptr<Reporter> reporter_for(const std::string& format, const Context& context,
                                       ReportInfo info) {
    if (format == "rows") {
        return std::make_unique<RowsReporter>(context);
    }
    info.quiet = context.options.quiet;
    return make_reporter(format, std::cout, std::move(info));
}

// Runs a report; with --format sarif a failure that stops the run still
// writes a SARIF document (the error in its invocation) before the one-line
// error and exit 2, so that a CI step uploading it always has a file.
template <class F>
ExitCode reporting(const std::string& format, const ReportInfo& info, F run) {
    try {
        return run();
    } catch (const std::exception& error) {
        if (format == "sarif") {
            write_sarif_failure(std::cout, info, error.what());
        }
        throw;
    }
}

std::string rule_list(const std::vector<RuleInfo>& rules) {
    std::string text;
    for (const RuleInfo& rule : rules) {
        text += "  " + std::string(rule.id) +
                std::string(rule.id.size() < 26 ? 26 - rule.id.size() : 1, ' ') +
                std::string(rule.summary) + "\n";
    }
    return text;
}

ExitCode run_validate(const ValidateArgs& args, Context& context) {
    const std::string format = report_format(args.format, context);
    const ReportInfo info{"contract validate", "documents", &validation_rules()};
    return reporting(format, info, [&] {
        Suppressions suppressions;
        std::string schema = args.schema;
        if (!args.config.empty()) {
            std::string configured = suppressions.load_config(args.config);
            if (schema.empty()) {
                schema = configured;
            }
        }
        for (const std::string& rule : args.ignore) {
            suppressions.ignore_rule(rule);
        }
        if (!args.baseline.empty()) {
            suppressions.load_baseline(args.baseline);
        }
        ValidateOptions options;
        options.schema = schema.empty() ? "auto" : schema;
        options.suppressions = &suppressions;
        options.threads = static_cast<unsigned>(std::max(0, args.jobs));
        options.allow_empty = args.allow_empty;
        options.stream_rules = args.stream_rules;

        auto reporter = reporter_for(format, context, info);
        BaselineWriter baseline;
        Summary summary =
            validate_inputs(args.inputs.empty() ? std::vector<std::string>{"-"} : args.inputs,
                            options, [&](const DocumentResult& document) {
                                reporter->document(document);
                                if (!args.write_baseline.empty()) {
                                    baseline.add(document);
                                }
                            });
        reporter->finish(summary);
        if (!args.write_baseline.empty()) {
            baseline.write(args.write_baseline, "salesint contract validate");
            if (!context.options.quiet) {
                std::cerr << "salesint: wrote " << baseline.size() << " violations to "
                          << args.write_baseline << "\n";
            }
            // The baseline now accepts what was found; only unreadable input fails.
            return summary.unparseable > 0 ? ExitCode::kUsage : ExitCode::kSuccess;
        }
        return summary.exit_code();
    });
}

void run_schemas(const std::string& name, const std::string& out_dir, Context& context) {
    std::vector<const ShippedSchema*> chosen;
    for (const ShippedSchema& schema : shipped_schemas()) {
        if (name.empty() || schema.name == name) {
            chosen.push_back(&schema);
        }
    }
    if (chosen.empty()) {
        std::vector<std::string> names;
        for (const ShippedSchema& schema : shipped_schemas()) {
            names.emplace_back(schema.name);
        }
        throw not_found("no shipped schema named " + name + did_you_mean(name, names) +
                        " (see `salesint contract schemas`)");
    }
    if (!out_dir.empty()) {
        std::filesystem::create_directories(out_dir);
        for (const ShippedSchema* schema : chosen) {
            write_file_atomically(out_dir + "/" + std::string(schema->name) + ".schema.json",
                                  schema->text);
        }
        context.print_result("wrote " + std::to_string(chosen.size()) + " schemas to " + out_dir,
                             {{"directory", out_dir}, {"schemas", chosen.size()}});
        return;
    }
    if (!name.empty()) {
        std::cout << chosen.front()->text;
        return;
    }
    RowWriter writer = context.rows({{"name", "NAME"}, {"topic", "TOPIC"}, {"summary", "SUMMARY"}});
    for (const ShippedSchema* schema : chosen) {
        writer.add({{"name", schema->name},
                    {"topic", schema->topic.empty() ? OrderedJson() : OrderedJson(schema->topic)},
                    {"summary", schema_summary(*schema)}});
    }
    writer.finish();
}

struct BreakingArgs {
    std::string old_path, new_path, mode = "backward", format, against_git, config;
    std::vector<std::string> ignore;
};

ExitCode run_breaking(const BreakingArgs& args, Context& context) {
    const std::string format = report_format(args.format, context);
    const ReportInfo info{"contract breaking", "schemas", &breaking_rules(), true};
    return reporting(format, info, [&] {
        Compatibility compatibility = parse_compatibility(args.mode);
        Suppressions suppressions(breaking_rules());
        if (!args.config.empty()) {
            suppressions.load_config(args.config);
        }
        for (const std::string& rule : args.ignore) {
            suppressions.ignore_rule(rule);
        }
        std::vector<DocumentResult> results;
        if (!args.against_git.empty()) {
            if (!args.new_path.empty()) {
                throw usage_error(
                    "with --against-git, give one PATH (the schemas as they are now)");
            }
            results = check_breaking_against_git(args.against_git,
                                                 args.old_path.empty() ? "." : args.old_path,
                                                 compatibility, &suppressions);
        } else {
            if (args.old_path.empty() || args.new_path.empty()) {
                throw usage_error("give OLD and NEW, or --against-git REF [PATH]");
            }
            results = check_breaking(args.old_path, args.new_path, compatibility, &suppressions);
        }
        auto reporter = reporter_for(format, context, info);
        Summary summary;
        for (const DocumentResult& result : results) {
            summary.add(result);
            ++summary.files;
            reporter->document(result);
        }
        reporter->finish(summary);
        return summary.exit_code();
    });
}

}  // namespace

void install_contract(Command group) {
    Context& context = group.context();

    auto validate_args = std::make_shared<ValidateArgs>();
    Command validate = group.add(
        "validate", "Check envelopes and payloads against the contracts (JSON and NDJSON)",
        [&context, validate_args] { return run_validate(*validate_args, context); });
    validate.positional("inputs", validate_args->inputs,
                        "Files, directories (*.json, *.ndjson, *.jsonl) or - for stdin");
    validate.option("--schema", validate_args->schema,
                    "auto (default: by topic or shape), a name from `contract schemas`, or a "
                    "JSON Schema file");
    validate.choice(
        "--format", validate_args->format, kReportFormats,
        "Report as text, json, junit, github or sarif (default text; json with -o json)");
    validate.option("--ignore", validate_args->ignore,
                    "Skip a rule id or glob (repeatable): --ignore schema.additional_properties");
    validate.option("--config", validate_args->config,
                    "JSON file: {\"ignore\": {RULE: [PATH_GLOB...]}, \"schema\": NAME}");
    validate.option("--write-baseline", validate_args->write_baseline,
                    "Record the violations found in FILE (and exit 0)");
    validate.option("--baseline", validate_args->baseline,
                    "Accept the violations recorded in FILE; report only new ones");
    validate.option("-j,--jobs", validate_args->jobs, "Worker threads (default: one per core)")
        .range(1, 256);
    validate.flag("--allow-empty", validate_args->allow_empty,
                  "Succeed when there is nothing to check (an empty directory or file, a quoted "
                  "pattern that matched nothing); otherwise that is exit 2");
    validate.flag("--stream-rules", validate_args->stream_rules,
                  "Also check across documents, in input order (captured topic dumps): a "
                  "meta.message_id seen twice, a workflow's subject.step going backwards");
    validate.footer(
        "Exit codes: 0 clean, 1 violations, 2 a file or document could not be read or parsed,\n"
        "or no documents at all (without --allow-empty); 3 a --schema NAME that is not shipped.\n"
        "Inputs that do not exist and hold * ? [ are glob patterns: 'events/*.ndjson'.\n\n"
        "Text output: FILE:LINE:COL: RULE: MESSAGE (at POINTER), a line per file naming the\n"
        "schemas picked (left out with -q), and the summary line. JSON shape (--format json):\n"
        "  {command, summary: {files, documents, valid, invalid, violations, unparseable,\n"
        "   suppressed, exit_code}, files: [{file, documents, valid, schemas: {NAME: count}}],\n"
        "   violations: [{file, line, column, rule, pointer, message, schema, document_line,\n"
        "   fingerprint}]}\n"
        "-o csv (a header row) and -o ndjson: one violation per record, with the fields of\n"
        "violations above. junit: a testsuite per file, a testcase per document. github:\n"
        "::error workflow commands. sarif: SARIF 2.1.0 with every rule and a result per\n"
        "violation, written also when the run fails (the error in\n"
        "runs[0].invocations[0].toolExecutionNotifications, exit 2).\n\n"
        "Rules:\n" +
        rule_list(validation_rules()));

    auto schema_name = std::make_shared<std::string>();
    auto out_dir = std::make_shared<std::string>();
    Command schemas = group.add(
        "schemas", "List the shipped JSON Schemas (draft 7), or print or write them",
        [&context, schema_name, out_dir] { run_schemas(*schema_name, *out_dir, context); });
    schemas.positional("name", *schema_name, "A schema to print, e.g. integration-fact")
        .identifier();
    schemas.option("--out", *out_dir, "Write the schemas to DIR as NAME.schema.json");
    schemas.footer("JSON shape (list): [{name, topic, summary}]\n");

    auto breaking_args = std::make_shared<BreakingArgs>();
    Command breaking =
        group.add("breaking", "Report breaking changes between two versions of JSON Schemas",
                  [&context, breaking_args] { return run_breaking(*breaking_args, context); });
    breaking.positional("old", breaking_args->old_path,
                        "The old schema file or directory (with --against-git: PATH, default .)");
    breaking.positional("new", breaking_args->new_path, "The new schema file or directory");
    breaking
        .option("--against-git", breaking_args->against_git,
                "Compare PATH with itself at git revision REF (a branch, tag or commit)")
        .type_name("REF");
    breaking.choice("--mode", breaking_args->mode, {"backward", "forward", "full"},
                    "backward (new reads old data; default), forward (old reads new data), full");
    breaking.choice("--format", breaking_args->format, kReportFormats,
                    "Report as text, json, junit, github or sarif");
    breaking.option("--ignore", breaking_args->ignore,
                    "Skip a rule id or glob (repeatable): --ignore 'composition.*'");
    breaking.option("--config", breaking_args->config,
                    "JSON file: {\"ignore\": {RULE: [PATH_GLOB...]}}");
    breaking.footer(
        "Usage: contract breaking OLD NEW, or contract breaking --against-git REF [PATH] (PATH\n"
        "as it was at REF, read with git, against PATH now). Directories are compared file by\n"
        "file (*.json, paired by name). Local $refs are followed, and anyOf, oneOf and allOf\n"
        "are compared branch by branch. Changes are reported sorted by file, line and column,\n"
        "and summed up as '2 breaking changes in 1 of 10 schemas'. Exit 1 when a change breaks\n"
        "the mode; 3 when REF or PATH is not in the git repository. -o csv and -o ndjson: one\n"
        "change per record {file, line, column, rule, pointer, message, schema, document_line,\n"
        "fingerprint}. The rules (after Confluent Schema Registry's for JSON Schema):\n" +
        rule_list(breaking_rules()));
}

}  // namespace salesint::cli
