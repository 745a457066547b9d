// The salesint command line: the tree of commands and the one place where
// failures become the exit codes of salesint/errors.hpp.
#pragma once

#include <memory>
#include <vector>

namespace CLI {
class App;
}

namespace salesint::cli {

class Command;
class Context;

using InstallGroup = void (*)(Command group);

struct CommandGroup {
    const char* name;
    const char* summary;
    InstallGroup install;
};

// Every subcommand group, in the order help lists them.
const std::vector<CommandGroup>& command_groups();

// The command tree, bound to context. Every group is listed, but only the
// group named in argv is filled in (all of them for `completion` and
// `manpage`, which describe the whole tree): building all of CLI11's options
// was a fifth of the instructions of `salesint --version`.
std::unique_ptr<CLI::App> build_app(Context& context, int argc, char** argv);

// Parses argv, runs the command, and returns the process exit code.
int run(int argc, char** argv);

}  // namespace salesint::cli
