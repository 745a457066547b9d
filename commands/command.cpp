#include "command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>

#include "command_traits.hpp"
#include "context.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

const char* const kTextCheck = "text";

// A CLI11 check for values of the kind; its message follows the option's
// name ("--reason: not valid UTF-8 at byte 3"), and it adds nothing to help.
CLI::Validator text_check(TextKind kind) {
    return CLI::Validator(
        [kind](std::string& value) { return text_problem(value, kind).value_or(""); }, "",
        kTextCheck);
}

CLI::Option* checked(CLI::Option* option) {
    return option->check(text_check(TextKind::kOneLine));
}

}  // namespace

Option& Option::required() {
    option_->required();
    return *this;
}

Option& Option::type_name(const std::string& name) {
    option_->type_name(name);
    return *this;
}

Option& Option::identifier() {
    option_->get_validator(kTextCheck)->active(false);
    option_->check(text_check(TextKind::kIdentifier));
    return *this;
}

Option& Option::multiline() {
    option_->get_validator(kTextCheck)->active(false);
    option_->check(text_check(TextKind::kMultiline));
    return *this;
}

Option& Option::range(int min, int max) {
    option_->check(CLI::Range(min, max));
    return *this;
}

Option& Option::env(const std::string& variable) {
    option_->envname(variable);
    return *this;
}

Option& Option::show_default() {
    option_->capture_default_str();
    return *this;
}

bool Option::given() const {
    return option_->count() > 0;
}

CLI::App* Command::add_subcommand(const std::string& name, const std::string& description) {
    return app_->add_subcommand(name, description);
}

void Command::set_action(Action action) {
    // What the leaf declared (command_traits.cpp) holds while it runs: the
    // state file opened without creating it unless it writes, and only its -o
    // formats.
    context_->actions[app_] = [owner = context_, leaf = app_, run = std::move(action)] {
        const std::string path = leaf_path(*leaf);
        owner->running = traits_of(path);
        const std::vector<std::string>& formats = owner->running.formats;
        if (std::find(formats.begin(), formats.end(), owner->options.output) == formats.end()) {
            throw usage_error("'salesint " + path + "' does not print -o " + owner->options.output +
                              "; its formats are " + join(formats, ", "));
        }
        return run();
    };
}

void Command::leaf() {
    app_->require_subcommand(0);
}

Option Command::positional(const std::string& name, std::string& target,
                           const std::string& description) {
    return Option(checked(app_->add_option(name, target, description)));
}

Option Command::positional(const std::string& name, std::vector<std::string>& target,
                           const std::string& description) {
    return Option(checked(app_->add_option(name, target, description)));
}

Option Command::option(const std::string& names, std::string& target,
                       const std::string& description) {
    return Option(checked(app_->add_option(names, target, description)));
}

Option Command::option(const std::string& names, int& target, const std::string& description) {
    return Option(app_->add_option(names, target, description));
}

Option Command::option(const std::string& names, std::vector<std::string>& target,
                       const std::string& description) {
    return Option(
        checked(app_->add_option(names, target, description)->allow_extra_args(false)->take_all()));
}

Option Command::flag(const std::string& names, bool& target, const std::string& description) {
    return Option(app_->add_flag(names, target, description));
}

Option Command::choice(const std::string& names, std::string& target,
                       const std::vector<std::string>& values, const std::string& description) {
    CLI::Option* option =
        app_->add_option(names, target, description)->check(CLI::IsMember(values));
    context_->choices[option] = values;
    return Option(option);
}

void Command::footer(const std::string& text) {
    app_->footer(text);
}

void Command::hide() {
    app_->group("");
}

std::string leaf_path(const CLI::App& app) {
    std::string path;
    for (const CLI::App* at = &app; at->get_parent() != nullptr; at = at->get_parent()) {
        path = path.empty() ? at->get_name() : at->get_name() + " " + path;
    }
    return path;
}

CLI::App* Command::root() const {
    CLI::App* app = app_;
    while (app->get_parent() != nullptr) {
        app = app->get_parent();
    }
    return app;
}

}  // namespace salesint::cli
