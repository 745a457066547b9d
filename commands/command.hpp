// A thin facade over CLI11 for the command files. CLI11 is header-only and
// adds seconds of compile time to every file that includes it; behind this
// facade only command.cpp, cli.cpp and command_tree.cpp pay for it.
#pragma once

#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include "salesint/errors.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace salesint::cli {

class Context;

class Option {
  public:
    explicit Option(CLI::Option* option) : option_(option) {}
    Option& required();
    Option& type_name(const std::string& name);
    // Every text value is UTF-8 without control characters; an identifier
    // (an id, a code, a tenant) also has no spaces around it,
    // and a multiline value (JSON given inline) may hold line breaks and tabs.
    Option& identifier();
    Option& multiline();
    // A number outside [min, max] is a usage error naming the option; the
    // range shows in help.
    Option& range(int min, int max);
    // Also read from the environment variable when not given.
    Option& env(const std::string& variable);
    // Shows the initial value in help.
    Option& show_default();
    // True when the user gave the option (or the positional) on the command line.
    bool given() const;

  private:
    CLI::Option* option_;
};

// What a leaf does, returning its exit code. The one rule for saying "no"
// (ARCHITECTURE.md): an answer printed in full (an invalid signature, a
// failed check, documents with violations) returns its code; a failure that
// one line explains is thrown as an Error, which cli::run prints and maps.
using Action = std::function<ExitCode()>;

// An action that returns nothing answers 0.
template <class F>
Action as_action(F action) {
    if constexpr (std::is_void_v<std::invoke_result_t<F&>>) {
        return [action = std::move(action)]() mutable {
            action();
            return ExitCode::kSuccess;
        };
    } else {
        return Action(std::move(action));
    }
}

class Command {
  public:
    Command(CLI::App* app, Context& context) : app_(app), context_(&context) {}

    // A leaf subcommand that runs action when chosen.
    template <class F>
    Command add(const std::string& name, const std::string& description, F action) {
        Command command(add_subcommand(name, description), *context_);
        command.on_run(std::move(action));
        return command;
    }
    // Sets what a leaf does, for actions that need the Command itself.
    template <class F>
    void on_run(F action) {
        set_action(as_action(std::move(action)));
    }
    // Makes a group a leaf of its own (`salesint execute ID`): it runs rather
    // than asking for a subcommand.
    void leaf();

    Option positional(const std::string& name, std::string& target, const std::string& description);
    // A positional that takes every remaining argument.
    Option positional(const std::string& name, std::vector<std::string>& target,
                      const std::string& description);
    Option option(const std::string& names, std::string& target, const std::string& description);
    Option option(const std::string& names, int& target, const std::string& description);
    // A repeatable option: every occurrence is kept, in order.
    Option option(const std::string& names, std::vector<std::string>& target,
                  const std::string& description);
    Option flag(const std::string& names, bool& target, const std::string& description);
    // An option whose value must be one of values (listed in help and completions).
    Option choice(const std::string& names, std::string& target,
                  const std::vector<std::string>& values, const std::string& description);
    void footer(const std::string& text);
    // Leaves the command out of help, the man page and completions.
    void hide();

    CLI::App* app() const { return app_; }
    CLI::App* root() const;
    Context& context() const { return *context_; }

  private:
    CLI::App* add_subcommand(const std::string& name, const std::string& description);
    void set_action(Action action);

    CLI::App* app_;
    Context* context_;
};

}  // namespace salesint::cli
