#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <string_view>

#include "context.hpp"
#include "groups.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/suggest.hpp"
#include "salesint/version.hpp"

namespace salesint::cli {
namespace {

void add_global_options(CLI::App& app, Context& context) {
    GlobalOptions& options = context.options;
    options.state_path = "./salesint.db";
    options.tenant = "default";
    Command root(&app, context);
    root.option(
            "--state", options.state_path,
            "State file; created (mode 0600) by the first command that writes, migrated on opening")
        .env("SALESINT_STATE")
        .type_name("PATH")
        .show_default();
    root.option("--tenant", options.tenant, "Tenant for everything read or written")
        .env("SALESINT_TENANT")
        .type_name("ID")
        .identifier()
        .show_default();
    root.choice("-o,--output", options.output, {"text", "json", "ndjson", "csv"},
                "Output format: text for people, json/ndjson/csv for scripts")
        .type_name("FORMAT");
    app.add_flag("-v,--verbose", options.verbose, "Log details to stderr");
    app.add_flag("-q,--quiet", options.quiet, "Log errors only");
    root.choice("--log-format", options.log_format, {"text", "json"},
                "Format of log lines on stderr")
        .type_name("FORMAT");
}

// "salesint checkpoint set": the deepest command the parser reached.
std::string command_path(const CLI::App& app) {
    std::string path = app.get_name();
    const CLI::App* current = &app;
    while (true) {
        auto selected = current->get_subcommands();
        if (selected.empty()) {
            return path;
        }
        current = selected.front();
        path += " " + current->get_name();
    }
}

const CLI::App* leaf_command(const CLI::App& app) {
    const CLI::App* current = &app;
    while (!current->get_subcommands().empty()) {
        current = current->get_subcommands().front();
    }
    return current;
}

// The message on one line, with any control character (from a file, a
// header, an argument) shown escaped rather than sent to the terminal.
std::string one_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return escape_control(text);
}

// The core's errors speak of fields (base_url) and say what can be done as a
// Hint; here they become the options of the command that ran and the commands
// to run next. The option of a field is --FIELD with dashes for underscores
// when the command (or the root) has it, else the one named here.
const std::map<std::string_view, std::string_view> kOptionOfField{
    {"internal_uuid", "--uuid"},                   // mapping set
    {"poll_interval_minutes", "--poll-interval"},  // connector add, set
    {"target", "--to"},                            // state backup
};

// The option that gives field in the command leaf (or the root): "--base-url"
// for base_url. Empty when the command has none.
struct FieldOption {
    std::string name;
    const CLI::Option* option = nullptr;
};

FieldOption option_of(const std::string& field, const CLI::App& leaf) {
    if (field.empty() ||
        field.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
        return {};  // "entity type", "f.json: /0/value": a name, not a field
    }
    auto special = kOptionOfField.find(field);
    std::string name =
        special != kOptionOfField.end() ? std::string(special->second) : "--" + field;
    std::replace(name.begin(), name.end(), '_', '-');
    for (const CLI::App* app = &leaf; app != nullptr; app = app->get_parent()) {
        if (const CLI::Option* option = app->get_option_no_throw(name)) {
            return {name, option};
        }
    }
    return {};
}

// "--to FILE": the option with the kind of value it takes, or "".
std::string option_usage(const std::string& field, const CLI::App& leaf) {
    FieldOption found = option_of(field, leaf);
    if (found.option == nullptr) {
        return "";
    }
    std::string value = found.option->get_type_name();
    value = value.substr(0, value.find(':'));  // without the validators' descriptions
    return found.name + (value.empty() ? "" : " " + value);
}

bool is_word_byte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

// The first mention of each field the error names becomes its option.
std::string with_options(std::string message, const Error& error, const CLI::App& leaf) {
    for (const std::string& field : error.fields()) {
        const std::string option = option_of(field, leaf).name;
        for (std::size_t at = message.find(field); !option.empty() && at != std::string::npos;
             at = message.find(field, at + 1)) {
            const std::size_t end = at + field.size();
            if ((at == 0 || !is_word_byte(message[at - 1])) &&
                (end == message.size() || !is_word_byte(message[end]))) {
                message.replace(at, field.size(), option);
                break;
            }
        }
    }
    return message;
}

// What the command line offers for the error's hint, with its punctuation.
std::string hint_text(const Error& error, const CLI::App& leaf) {
    const std::vector<std::string>& subject = error.subject();
    const std::string first = subject.empty() ? "" : subject[0];
    const std::string second = subject.size() < 2 ? "" : subject[1];
    std::string usage;
    switch (error.hint()) {
        case Hint::kNone:
            return "";
        case Hint::kAddConnector:
            return " (add it with 'salesint connector add " + first + "')";
        case Hint::kShowExecution:
            return "; 'salesint execution show " + first + "' shows what happened";
        case Hint::kAddConnectorToCall:
            return "; add it with 'salesint connector add " + first +
                   " --name NAME --base-url URL'";
        case Hint::kChangeConnector:
            return " (change it with 'salesint connector set " + first + "')";
        case Hint::kEnableConnector:
            return "; 'salesint connector enable " + first + "' turns it back on";
        case Hint::kDisableConnector:
            return "; remove those first or disable it with 'salesint connector disable " + first +
                   "'";
        case Hint::kSetConnectorUrl:
            return "; set one with 'salesint connector set " + first + " --base-url URL'";
        case Hint::kSetConnectorSecret:
            return "; set one with 'salesint connector set " + first + " --secret-env VAR'";
        case Hint::kUseSecretSource:
            return "; name a secret with --secret-env or --secret-file instead";
        case Hint::kRewindCheckpoint:
            return " (rewind with 'salesint checkpoint reset " + first + " " + second +
                   " --reason TEXT --to VALUE')";
        case Hint::kUseTenant:
            return " (pass --tenant " + first + ")";
        case Hint::kCheckpointShape:
            return " as 'checkpoint get -o json' prints";
        case Hint::kForceRepoint:
            return "; repoint it with --force (audited)";
        case Hint::kGiveField:
            usage = option_usage(first, leaf);
            return usage.empty() ? "" : " (" + usage + ")";
        case Hint::kLeaveOutField:
            usage = option_of(first, leaf).name;
            return usage.empty() ? "" : "; leave out " + usage;
        case Hint::kChooseStatePath:
            return "; choose another path with --state or SALESINT_STATE";
        case Hint::kChooseBackupTarget:
            return "; choose another file with --to";
        case Hint::kForceOverwrite:
            return " (--force replaces it)";
        case Hint::kCheckAndRestore:
            return "; run 'salesint state check' and restore from a backup ('salesint state "
                   "backup')";
        case Hint::kListRules:
            return " (the rules are listed in `salesint contract validate --help`)";
        case Hint::kListSchemas:
            return " (`salesint contract schemas` lists them)";
        case Hint::kWriteBaseline:
            return " written by --write-baseline";
    }
    return "";
}

// Prints the one-line error; a usage error also says where help is.
int report(ExitCode code, const std::string& message, const CLI::App& app) {
    std::cerr << "salesint: error: " << one_line(message) << '\n';
    if (code == ExitCode::kUsage) {
        std::cerr << "Run '" << command_path(app) << " --help' for usage.\n";
    }
    return static_cast<int>(code);
}

// An error of the core in the words of the command that ran.
int report(const Error& error, const CLI::App& app) {
    const CLI::App& leaf = *leaf_command(app);
    return report(error.code(), with_options(error.what(), error, leaf) + hint_text(error, leaf),
                  app);
}

void configure_logging(const GlobalOptions& options) {
    log::Level level = options.quiet     ? log::Level::kError
                       : options.verbose ? log::Level::kDebug
                                         : log::Level::kWarn;
    log::configure(level, options.log_format == "json" ? log::Format::kJson : log::Format::kText);
}

std::string exit_code_footer() {
    std::string text = "Exit codes:\n";
    for (const auto& doc : kExitCodeDocs) {
        text += "  " + std::to_string(static_cast<int>(doc.code)) + "  " + doc.meaning + "\n";
    }
    return text;
}

// The first word of argv that is not an option or an option's value: the
// group the user chose, or "" (as for `salesint --help`).
std::string chosen_group(int argc, char** argv) {
    static const std::vector<std::string_view> kTakesValue{"--state", "--tenant", "-o", "--output",
                                                           "--log-format"};
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--") {
            break;
        }
        if (!arg.empty() && arg.front() == '-') {
            if (std::find(kTakesValue.begin(), kTakesValue.end(), arg) != kTakesValue.end()) {
                ++i;
            }
            continue;
        }
        return std::string(arg);
    }
    return "";
}

// The subcommands help shows (an empty group hides a command).
std::vector<std::string> visible_subcommands(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands(
             [](const CLI::App* candidate) { return !candidate->get_group().empty(); })) {
        names.push_back(sub->get_name());
    }
    return names;
}

// A group reached without one of its subcommands: the word the user typed in
// its place (as cobra says it, with the nearest name), or the list of them.
std::optional<std::string> missing_subcommand(const CLI::App& app) {
    const CLI::App& group = *leaf_command(app);
    if (group.get_require_subcommand_min() == 0) {
        return std::nullopt;
    }
    const std::vector<std::string> names = visible_subcommands(group);
    for (const std::string& word : app.remaining(true)) {
        if (!word.empty() && word.front() != '-') {
            return "unknown command \"" + word + "\" for \"" + command_path(app) + "\"" +
                   did_you_mean(word, names);
        }
    }
    return "'" + command_path(app) + "' needs a subcommand: " + join(names, ", ");
}

}  // namespace

const std::vector<CommandGroup>& command_groups() {
    static const std::vector<CommandGroup> kGroups{
        {"state", "Create, inspect, check and migrate the state file", install_state},
        {"connector", "Manage the external systems salesint integrates with", install_connector},
        {"mapping", "Inspect and manage ID mappings between systems", install_mapping},
        {"checkpoint", "Inspect and move sync checkpoints (monotonic)", install_checkpoint},
        {"audit", "Read the audit log of resets, repoints, approvals and removals", install_audit},
        {"adapters", "List and describe the adapters by stable Execute ID", install_adapters},
        {"execute", "Run an adapter on an input: idempotent, recorded, with an integration fact",
         install_execute},
        {"execution", "List and show executions, and retry a failed live one", install_execution},
        {"contract", "Validate envelopes and payloads, ship the schemas, find breaking changes",
         install_contract},
        {"health", "Check the state file, each connector's health URL and secret; exit 0, 1 or 5",
         install_health},
        {"webhook", "Sign, verify, receive and send webhooks", install_webhook},
        {"dlq", "List, show, replay, archive and move failed deliveries (the dead-letter queue)",
         install_dlq},
        {"outbox", "List and show envelopes waiting to be published, and relay them to a sink",
         install_outbox},
        {"inbox", "Deliveries received by 'webhook serve' and envelopes consumed: list, forward",
         install_inbox},
        {"job", "Import records from a system and export envelopes to it, with run history",
         install_job},
        {"stats", "Executions, failures, latency, DLQ and outbox per adapter; --check for alerts",
         install_stats},
        {"completion", "Print shell completion scripts", install_completion},
    };
    return kGroups;
}

std::unique_ptr<CLI::App> build_app(Context& context, int argc, char** argv) {
    const std::string chosen = chosen_group(argc, argv);
    const bool whole_tree = chosen == "completion" || chosen == "manpage" || chosen == "__complete";
    auto app = std::make_unique<CLI::App>(
        "salesint: run, inspect and check sales integrations from the command line", "salesint");
    app->set_version_flag("--version", std::string("salesint ") + kVersion);
    // Global options may follow the subcommand: `salesint mapping list -o json`.
    app->fallthrough();
    app->require_subcommand(1);
    add_global_options(*app, context);
    for (const CommandGroup& group : command_groups()) {
        CLI::App* sub = app->add_subcommand(group.name, group.summary);
        sub->require_subcommand(1);
        if (whole_tree || chosen == group.name) {
            group.install(Command(sub, context));
        }
    }
    install_manpage(Command(app.get(), context));
    install_value_completion(Command(app.get(), context));
    app->footer(exit_code_footer());
    return app;
}

int run(int argc, char** argv) {
    Context context;
    std::unique_ptr<CLI::App> app = build_app(context, argc, argv);
    try {
        app->parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
            return app->exit(e);  // --help, --version
        }
        if (auto missing = dynamic_cast<const CLI::RequiredError*>(&e) != nullptr
                               ? missing_subcommand(*app)
                               : std::nullopt) {
            return report(ExitCode::kUsage, *missing, *app);
        }
        return report(ExitCode::kUsage, e.what(), *app);
    }
    configure_logging(context.options);
    try {
        auto action = context.actions.find(leaf_command(*app));
        if (action == context.actions.end()) {
            return report(ExitCode::kUsage, "'" + command_path(*app) + "' needs a subcommand",
                          *app);
        }
        const ExitCode answer = action->second();
        std::cout.flush();
        return static_cast<int>(answer);
    } catch (const Error& e) {
        return report(e, *app);
    } catch (const std::exception& e) {
        if (auto translated = translate_store_exception(e, context.options.state_path)) {
            return report(*translated, *app);
        }
        return report(ExitCode::kNo, std::string("internal error: ") + e.what(), *app);
    }
}

}  // namespace salesint::cli
