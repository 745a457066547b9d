// A plain description of the command tree, read from the CLI11 app, from
// which the man page and the shell completions are generated: one source.
#pragma once

#include <string>
#include <vector>

#include "command_traits.hpp"

namespace CLI {
class App;
}

namespace salesint::cli {

class Context;

struct OptionDoc {
    std::vector<std::string> short_names;  // "o"
    std::vector<std::string> long_names;   // "output"
    std::string value_name;                // "FORMAT"; empty for a flag
    std::string description;
    std::vector<std::string> choices;
    bool takes_file = false;
    bool required = false;
};

// Where the values of a positional come from, for completion.
enum class ValueSource { kNone, kAdapterIds, kConnectorCodes };

struct PositionalDoc {
    std::string name;
    std::string description;
    bool required = false;
    ValueSource values = ValueSource::kNone;
};

struct CommandDoc {
    std::vector<std::string> path;  // {"mapping", "set"}; empty for the root
    std::string description;
    std::string footer;
    std::vector<OptionDoc> options;  // without --help and --version
    std::vector<PositionalDoc> positionals;
    std::vector<CommandDoc> children;  // hidden commands left out
    // What a leaf declared (command_traits.cpp); runnable is false for a group.
    bool runnable = false;
    bool declared = false;  // the table names it (else the defaults hold)
    StateUse state = StateUse::kReads;
    std::vector<std::string> formats;
    bool listing = false;

    std::string full_name() const;  // "salesint mapping set"
    // True when a positional's values can be completed (ValueSource).
    bool completes_values() const;
};

CommandDoc describe_tree(const CLI::App& root, const Context& context);

// The whole tree as the binary builds it (every group installed), with what
// each command declares (command_traits.cpp): for the tests.
CommandDoc describe_command_table();

// Every command of the tree, depth first, root first.
std::vector<const CommandDoc*> flatten(const CommandDoc& root);

}  // namespace salesint::cli
