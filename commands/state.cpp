// salesint state init | info | check | migrate | backup | copy
#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "salesint/domain/json_shapes.hpp"
#include "salesint/domain/state.hpp"
#include "salesint/util/state_location.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes = R"(JSON shapes:
  state info:  {"path", "tenant_id", "schema_version", "binary_schema_version",
                "journal_mode", "file_bytes", "tables": {"<table>": <rows of the tenant>}}
  state check: [{"check", "ok", "detail"}]   (exit 1 when any "ok" is false)
  state init, state migrate: {"path", "schema_version", "applied_migrations": [<version>]}
  state backup: {"path", "bytes", "schema_version"}
  state copy:   {"from", "to", "schema_version", "rows", "tables": {"<table>": <rows>}}
A damaged state file makes every command exit 4 with one line; state check
reports it as its failed sqlite_integrity check (exit 1).)";

OrderedJson migration_json(Context& context) {
    state::MigrationReport report = state::migration_report(context.store());
    return {{"path", printable_state(context.options.state_path)},
            {"schema_version", report.to_version},
            {"applied_migrations", report.applied}};
}

void print_info(Context& context) {
    StateInfo info = context.store().info();
    if (context.format() != OutputFormat::kText) {
        context.print_object(state_info_json(info));
        return;
    }
    std::cout << "path:            " << info.path << '\n'
              << "tenant:          " << info.tenant << '\n'
              << "schema version:  " << info.schema_version
              << " (this salesint: " << info.binary_schema_version << ")\n"
              << "journal mode:    " << info.journal_mode << '\n'
              << "file size:       " << info.file_bytes << " bytes\n\n";
    OrderedJson rows = OrderedJson::array();
    for (const auto& table : info.tables) {
        rows.push_back({{"table", table.table}, {"rows", table.rows}});
    }
    context.print_rows({{"table", "TABLE"}, {"rows", "ROWS"}}, rows);
}

ExitCode print_check(Context& context) {
    auto findings = state::check([&context]() -> Store& { return context.store(); });
    OrderedJson rows = OrderedJson::array();
    for (const auto& finding : findings) {
        OrderedJson row = check_finding_json(finding);
        row["result"] = finding.ok ? "ok" : "FAILED";
        rows.push_back(row);
    }
    if (context.format() == OutputFormat::kText) {
        context.print_rows({{"check", "CHECK"}, {"result", "RESULT"}, {"detail", "DETAIL"}}, rows);
    } else {
        for (auto& row : rows) {
            row.erase("result");
        }
        context.print_rows({{"check", "check"}, {"ok", "ok"}, {"detail", "detail"}}, rows);
    }
    return state::all_ok(findings) ? ExitCode::kSuccess : ExitCode::kNo;
}

void print_migration(Context& context, const std::string& verb) {
    OrderedJson report = migration_json(context);
    std::vector<std::string> applied;
    for (const auto& version : report["applied_migrations"]) {
        applied.push_back(std::to_string(version.get<int>()));
    }
    std::string line =
        report["path"].get<std::string>() + ": schema version " +
        std::to_string(report["schema_version"].get<int>()) +
        (applied.empty() ? " (" + verb + ")" : " (applied " + join(applied, ", ") + ")");
    context.print_result(line, report);
}

void print_backup(Context& context, const std::string& to, bool force) {
    BackupReport report = context.store().backup_to(to, force);
    context.print_result(report.path + ": " + std::to_string(report.bytes) +
                             " bytes (schema version " + std::to_string(report.schema_version) +
                             ")",
                         {{"path", report.path},
                          {"bytes", report.bytes},
                          {"schema_version", report.schema_version}});
}

void print_copy(Context& context, const std::string& to) {
    context.store();  // a missing source is reported as every reading command reports it
    const CopyReport report =
        copy_state(context.options.state_path, to, StoreOptions{}.lock_timeout_ms);
    OrderedJson tables = OrderedJson::object();
    for (const TableCount& table : report.tables) {
        tables[table.table] = table.rows;
    }
    context.print_result(report.from + " -> " + report.to + ": " + std::to_string(report.rows) +
                             " rows copied (schema version " +
                             std::to_string(report.schema_version) + ")",
                         {{"from", report.from},
                          {"to", report.to},
                          {"schema_version", report.schema_version},
                          {"rows", report.rows},
                          {"tables", tables}});
}

}  // namespace

void install_state(Command group) {
    Context& context = group.context();
    group.footer(kShapes);
    group.add("init", "Create the state file (mode 0600) at the current schema",
              [&context] { print_migration(context, "already initialised"); });
    group.add("info", "Show path, schema version and row counts per table",
              [&context] { print_info(context); });
    group.add("check",
              "Run SQLite's integrity check, salesint's invariants and a check of the file "
              "modes; exit 1 if any fails",
              [&context] { return print_check(context); });
    group.add("migrate", "Apply pending schema migrations (opening the file applies them too)",
              [&context] { print_migration(context, "up to date"); });
    auto to = std::make_shared<std::string>();
    auto force = std::make_shared<bool>(false);
    Command backup = group.add(
        "backup",
        "Copy the whole state file (every tenant), consistent while others write; mode 0600",
        [&context, to, force] { print_backup(context, *to, *force); });
    backup.option("--to", *to, "The copy to write; an existing file is refused (exit 4)")
        .required()
        .type_name("FILE");
    backup.flag("--force", *force, "Replace FILE if it exists");
    auto copy_to = std::make_shared<std::string>();
    Command copy = group.add(
        "copy",
        "Copy the whole state (every tenant) into an empty one, a SQLite file or a PostgreSQL "
        "URL, in one transaction",
        [&context, copy_to] { print_copy(context, *copy_to); });
    copy.option("--to", *copy_to,
                "The state to fill: a file path or postgresql://...; one that holds rows is "
                "refused (exit 4)")
        .required()
        .type_name("STATE");
}

}  // namespace salesint::cli
