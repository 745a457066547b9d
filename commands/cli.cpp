#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <string_view>

#include "context.hpp"
#include "groups.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/version.hpp"

namespace salesint::cli {
namespace {

void add_global_options(CLI::App& app, Context& context) {
    GlobalOptions& options = context.options;
    options.state_path = "./salesint.db";
    options.tenant = "default";
    Command root(&app, context);
    root.option("--state", options.state_path,
                "State file; created (mode 0600) and migrated on first use")
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

// Prints the one-line error; a usage error also says where help is.
int report(ExitCode code, const std::string& message, const CLI::App& app) {
    std::cerr << "salesint: error: " << one_line(message) << '\n';
    if (code == ExitCode::kUsage) {
        std::cerr << "Run '" << command_path(app) << " --help' for usage.\n";
    }
    return static_cast<int>(code);
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
        {"contract", "Validate envelopes and payloads, ship the schemas, find breaking changes",
         install_contract},
        {"webhook", "Sign, verify, receive and send webhooks", install_webhook},
        {"inbox", "List and show webhook deliveries received by 'webhook serve'", install_inbox},
        {"completion", "Print shell completion scripts", install_completion},
    };
    return kGroups;
}

std::unique_ptr<CLI::App> build_app(Context& context, int argc, char** argv) {
    const std::string chosen = chosen_group(argc, argv);
    const bool whole_tree = chosen == "completion" || chosen == "manpage";
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
        return report(e.code(), e.what(), *app);
    } catch (const std::exception& e) {
        if (auto translated = translate_store_exception(e, context.options.state_path)) {
            return report(translated->code(), translated->what(), *app);
        }
        return report(ExitCode::kNo, std::string("internal error: ") + e.what(), *app);
    }
}

}  // namespace salesint::cli
