#include "command_traits.hpp"

#include <map>
#include <string_view>

namespace salesint::cli {
namespace {

const std::vector<std::string> kAll{"text", "json", "ndjson", "csv"};
const std::vector<std::string> kText{"text"};

LeafTraits reads() {
    return {StateUse::kReads, kAll, false};
}
LeafTraits lists() {
    return {StateUse::kReads, kAll, true};
}
LeafTraits writes() {
    return {StateUse::kWrites, kAll, false};
}
LeafTraits stateless(std::vector<std::string> formats = kAll, bool listing = false) {
    return {StateUse::kNone, std::move(formats), listing};
}

// Every runnable command, by path. e2e/cli/command_traits_test.cpp fails for
// a command missing here, and runs each one that reads against a missing
// state file and each listing in every format.
const std::map<std::string, LeafTraits, std::less<>>& table() {
    static const std::map<std::string, LeafTraits, std::less<>> kTable{
        {"state init", writes()},
        {"state info", reads()},
        {"state check", reads()},
        {"state migrate", writes()},
        {"state backup", reads()},  // reads this file, writes the copy
        {"state copy", reads()},    // reads this state, writes the target
        {"connector add", writes()},
        {"connector list", lists()},
        {"connector show", reads()},
        {"connector set", writes()},
        {"connector enable", writes()},
        {"connector disable", writes()},
        {"connector remove", writes()},
        {"connector breaker-reset", writes()},
        {"mapping list", lists()},
        {"mapping get", reads()},
        {"mapping resolve", lists()},
        {"mapping set", writes()},
        {"mapping approve", writes()},
        {"mapping remove", writes()},
        {"mapping retire", writes()},
        {"checkpoint list", lists()},
        {"checkpoint get", reads()},
        {"checkpoint set", writes()},
        {"checkpoint reset", writes()},
        {"audit list", lists()},
        {"adapters list", stateless(kAll, true)},
        {"adapters describe", stateless()},
        {"execute", writes()},
        {"execution list", lists()},
        {"execution show", reads()},
        {"execution retry", writes()},
        // contract validate's own --format picks its report; -o follows it.
        {"contract validate", stateless()},
        {"contract schemas", stateless(kAll, true)},
        {"contract breaking", stateless()},
        // A missing state file is its own failed check (exit 1), never created.
        {"health", reads()},
        {"webhook sign", stateless()},
        {"webhook verify", stateless()},
        {"webhook send", writes()},
        {"webhook serve", writes()},
        {"dlq list", lists()},
        {"dlq show", reads()},
        {"dlq replay", writes()},
        {"dlq archive", writes()},
        {"dlq purge", writes()},
        {"dlq export", reads()},
        {"dlq import", writes()},
        {"outbox list", lists()},
        {"outbox show", reads()},
        {"outbox relay", writes()},
        {"inbox list", lists()},
        {"inbox show", reads()},
        {"inbox consume", writes()},
        {"inbox forward", writes()},
        {"inbox drain", writes()},
        {"job import", writes()},
        {"job export", writes()},
        {"job list", lists()},
        {"job show", reads()},
        {"job errors", lists()},
        {"stats", reads()},
        {"completion bash", stateless(kText)},
        {"completion zsh", stateless(kText)},
        {"completion fish", stateless(kText)},
        {"manpage", stateless(kText)},
        // Reads the state file named on the line only if it exists.
        {"__complete", stateless(kText)},
    };
    return kTable;
}

}  // namespace

const LeafTraits* declared_traits(const std::string& path) {
    auto found = table().find(path);
    return found == table().end() ? nullptr : &found->second;
}

LeafTraits traits_of(const std::string& path) {
    const LeafTraits* declared = declared_traits(path);
    return declared != nullptr ? *declared : LeafTraits{};
}

std::vector<std::string> declared_paths() {
    std::vector<std::string> paths;
    for (const auto& entry : table()) {
        paths.push_back(entry.first);
    }
    return paths;
}

}  // namespace salesint::cli
