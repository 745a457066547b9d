// What each command declares once, in one table (command_traits.cpp): what it
// does with the state file and which -o formats it prints. The command layer
// applies it before a command runs (command.cpp); the tests read it to run
// every command that only reads and every listing in every format.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace salesint::cli {

// A command that only reads never creates a state file: with a missing one it
// exits 3 naming the path (Context::store).
enum class StateUse {
    kReads,   // reads it, never creates it
    kWrites,  // writes it: a missing file is created (mode 0600) and migrated
    kNone,    // never opens it
};

struct LeafTraits {
    StateUse state = StateUse::kReads;
    // Any other -o is a usage error naming these.
    std::vector<std::string> formats{"text", "json", "ndjson", "csv"};
    bool listing = false;  // prints rows, as a table, a JSON array, NDJSON lines, CSV
};

// The traits the table declares for the command at path ("checkpoint list"),
// or nullptr.
const LeafTraits* declared_traits(const std::string& path);
// The declared traits, or the defaults for a command the table does not name:
// it reads (so it never creates a file) and prints every format.
LeafTraits traits_of(const std::string& path);
// Every path the table names.
std::vector<std::string> declared_paths();

// "checkpoint list": the app's path below the root (command.cpp).
std::string leaf_path(const CLI::App& app);

}  // namespace salesint::cli
