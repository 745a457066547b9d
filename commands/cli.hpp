// The salesint command line: the tree of commands and the one place where
// failures become the exit codes of PRODUCT.md.
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

// The whole command tree, bound to context.
std::unique_ptr<CLI::App> build_app(Context& context);

// Parses argv, runs the command, and returns the process exit code.
int run(int argc, char** argv);

}  // namespace salesint::cli
