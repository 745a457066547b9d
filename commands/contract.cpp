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
};

// --format wins; without it, -o json means json.
std::string report_format(const std::string& format, const Context& context) {
    if (!format.empty()) {
        return format;
    }
    return context.format() == OutputFormat::kJson ? "json" : "text";
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

    auto reporter = make_reporter(report_format(args.format, context), std::cout,
                                  {"contract validate", "documents", &validation_rules()});
    BaselineWriter baseline;
    Summary summary =
        validate_inputs(args.inputs.empty() ? std::vector<std::string>{"-"} : args.inputs, options,
                        [&](const DocumentResult& document) {
                            reporter->document(document);
                            if (!args.write_baseline.empty()) {
                                baseline.add(document);
                            }
                        });
    reporter->finish(summary);
    if (!args.write_baseline.empty()) {
        baseline.write(args.write_baseline, "salesint contract validate");
        std::cerr << "salesint: wrote " << baseline.size() << " violations to "
                  << args.write_baseline << "\n";
        // The baseline now accepts what was found; only unreadable input fails.
        return summary.unparseable > 0 ? ExitCode::kUsage : ExitCode::kSuccess;
    }
    return summary.exit_code();
}

void run_schemas(const std::string& name, const std::string& out_dir, Context& context) {
    std::vector<const ShippedSchema*> chosen;
    for (const ShippedSchema& schema : shipped_schemas()) {
        if (name.empty() || schema.name == name) {
            chosen.push_back(&schema);
        }
    }
    if (chosen.empty()) {
        throw not_found("no shipped schema named " + name + " (see `salesint contract schemas`)");
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

ExitCode run_breaking(const std::string& old_path, const std::string& new_path,
                      const std::string& mode, const std::string& format, Context& context) {
    Compatibility compatibility = parse_compatibility(mode);
    auto reporter = make_reporter(report_format(format, context), std::cout,
                                  {"contract breaking", "schemas", &breaking_rules()});
    Summary summary;
    for (const DocumentResult& result : check_breaking(old_path, new_path, compatibility)) {
        summary.add(result);
        ++summary.files;
        reporter->document(result);
    }
    reporter->finish(summary);
    return summary.exit_code();
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
    validate.footer(
        "Exit codes: 0 clean, 1 violations, 2 a file or document could not be read or parsed.\n\n"
        "Text output: FILE:LINE:COL: RULE: MESSAGE (at POINTER), a line per file naming the\n"
        "schemas picked, and the summary line. JSON shape (--format json):\n"
        "  {command, summary: {files, documents, valid, invalid, violations, unparseable,\n"
        "   suppressed, exit_code}, files: [{file, documents, valid, schemas: {NAME: count}}],\n"
        "   violations: [{file, line, column, rule, pointer, message, schema, document_line,\n"
        "   fingerprint}]}\n"
        "junit: a testsuite per file, a testcase per document. github: ::error workflow\n"
        "commands. sarif: SARIF 2.1.0 with every rule and a result per violation.\n\n"
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

    struct BreakingArgs {
        std::string old_path, new_path, mode = "backward", format;
    };
    auto breaking_args = std::make_shared<BreakingArgs>();
    Command breaking =
        group.add("breaking", "Report breaking changes between two versions of JSON Schemas",
                  [&context, breaking_args] {
                      return run_breaking(breaking_args->old_path, breaking_args->new_path,
                                          breaking_args->mode, breaking_args->format, context);
                  });
    breaking.positional("old", breaking_args->old_path, "The old schema file or directory")
        .required();
    breaking.positional("new", breaking_args->new_path, "The new schema file or directory")
        .required();
    breaking.choice("--mode", breaking_args->mode, {"backward", "forward", "full"},
                    "backward (new reads old data; default), forward (old reads new data), full");
    breaking.choice("--format", breaking_args->format, kReportFormats,
                    "Report as text, json, junit, github or sarif");
    breaking.footer(
        "Directories are compared file by file (*.json, paired by name). Exit 1 when a change\n"
        "breaks the mode. The rules (after Confluent Schema Registry's for JSON Schema):\n" +
        rule_list(breaking_rules()));
}

}  // namespace salesint::cli
