// What each command declares once in the command table
// (commands/command_traits.cpp), checked against the real binary for every
// command the table has, so that a new command cannot be left out: a command
// that only reads never creates a state file (exit 3 naming the path), a
// listing prints what each -o value claims or exits 2, and an empty listing
// for a tenant that has no rows names the tenants the file holds.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "command_tree.hpp"
#include "e2e/seeded_state.hpp"
#include "support/csv.hpp"

using namespace salesint::test;
using salesint::cli::CommandDoc;
using salesint::cli::StateUse;

namespace {

bool exists(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0;
}

std::vector<const CommandDoc*> runnable_commands(const CommandDoc& root) {
    std::vector<const CommandDoc*> out;
    for (const CommandDoc* doc : salesint::cli::flatten(root)) {
        if (doc->runnable) {
            out.push_back(doc);
        }
    }
    return out;
}

std::string joined(const std::vector<std::string>& args) {
    std::string text = "salesint";
    for (const auto& arg : args) {
        text += " " + arg;
    }
    return text;
}

// The command with values for what it requires. Values that pass the parser
// and the checks made before the state file is opened; a command whose
// arguments need more than that has its own here.
std::vector<std::string> invocation(const CommandDoc& doc, const TempDir& dir,
                                    const std::map<std::string, std::string>& values = {}) {
    std::vector<std::string> args = doc.path;
    for (const auto& positional : doc.positionals) {
        if (positional.required) {
            auto given = values.find(positional.name);
            args.push_back(given != values.end() ? given->second : "X1");
        }
    }
    for (const auto& option : doc.options) {
        if (!option.required) {
            continue;
        }
        args.push_back("--" + option.long_names.front());
        if (!option.choices.empty()) {
            args.push_back(option.choices.front());
        } else if (option.takes_file) {
            args.push_back(dir.file("given-" + option.long_names.front()));
        } else {
            auto given = values.find(option.long_names.front());
            args.push_back(given != values.end() ? given->second : "x");
        }
    }
    return args;
}

}  // namespace

TEST_CASE("every command is in the command table, and the table names no other",
          "[e2e][command_table]") {
    const CommandDoc root = salesint::cli::describe_command_table();
    std::vector<std::string> paths;
    for (const CommandDoc* doc : runnable_commands(root)) {
        std::string path;
        for (const auto& part : doc->path) {
            path += (path.empty() ? "" : " ") + part;
        }
        paths.push_back(path);
        INFO(doc->full_name() << " is missing from commands/command_traits.cpp");
        CHECK(doc->declared);
    }
    CHECK(paths.size() > 50);
    for (const std::string& declared : salesint::cli::declared_paths()) {
        INFO(declared);
        CHECK((declared == "manpage" || declared == "__complete" ||  // hidden from help
               std::find(paths.begin(), paths.end(), declared) != paths.end()));
    }
}

TEST_CASE("every command that only reads exits 3 on a missing state file and creates none",
          "[e2e][command_table][state]") {
    const CommandDoc root = salesint::cli::describe_command_table();
    const std::map<std::string, std::string> values{{"INTERNAL_UUID", kCustomerUuid}};
    std::size_t readers = 0;
    for (const CommandDoc* doc : runnable_commands(root)) {
        if (doc->state == StateUse::kWrites) {
            continue;
        }
        TempDir dir;
        const std::string missing = dir.file("typo.db");
        std::vector<std::string> args = invocation(*doc, dir, values);
        args.insert(args.begin(), {"--state", missing});
        RunResult result = run_salesint(args);
        INFO(joined(args) << "\nexit " << result.exit_code << "\nstdout: " << result.out
                          << "\nstderr: " << result.err);
        CHECK_FALSE(exists(missing));
        CHECK_FALSE(exists(missing + "-wal"));
        if (doc->state == StateUse::kNone) {
            CHECK(result.exit_code < 128);  // whatever it answers, it never touched the path
            continue;
        }
        ++readers;
        if (doc->path == std::vector<std::string>{"health"}) {
            CHECK(result.exit_code == 1);  // a missing state file is its own failed check
            CHECK_THAT(result.out, Catch::Contains(missing + ": no state file"));
            continue;
        }
        CHECK(result.exit_code == 3);
        CHECK(result.out.empty());
        CHECK(result.err == "salesint: error: state file " + missing +
                                " does not exist; create it with 'salesint state init' (or any "
                                "command that writes), or name another file with --state or "
                                "SALESINT_STATE\n");
    }
    CHECK(readers > 20);
}

TEST_CASE("a read command on a missing state file names it, and a write creates it",
          "[e2e][command_table][state]") {
    TempDir dir;
    const std::string typo = dir.file("typo.db");
    RunResult listed = run_salesint({"--state", typo, "checkpoint", "list"});
    CHECK(listed.exit_code == 3);
    CHECK_THAT(listed.err, Catch::Contains("state file " + typo + " does not exist"));
    CHECK_FALSE(exists(typo));

    REQUIRE(run_salesint({"--state", typo, "state", "init"}).exit_code == 0);
    RunResult after = run_salesint({"--state", typo, "checkpoint", "list", "-o", "json"});
    CHECK(after.exit_code == 0);
    CHECK(after.out == "[]\n");
    CHECK(after.err.empty());  // an empty file holds no tenant to point at
}

TEST_CASE("an empty listing for a tenant without rows names the tenants the file holds",
          "[e2e][command_table][tenant]") {
    SeededState seeded;
    REQUIRE(seeded.run({"--tenant", "t1", "connector", "add", "ERP"}).exit_code == 0);
    const std::string hint = "no rows for tenant \"acme\"; this file holds tenants: default, t1\n";
    for (const std::vector<std::string>& listing :
         std::vector<std::vector<std::string>>{{"checkpoint", "list"},
                                               {"connector", "list"},
                                               {"mapping", "list"},
                                               {"dlq", "list"},
                                               {"audit", "list"}}) {
        std::vector<std::string> args{"--tenant", "acme"};
        args.insert(args.end(), listing.begin(), listing.end());
        RunResult text = seeded.run(args);
        INFO(joined(args) << "\n" << text.err);
        CHECK(text.exit_code == 0);
        CHECK(text.err == hint);
        args.insert(args.end(), {"-o", "json"});
        RunResult json = seeded.run(args);
        CHECK(json.out == "[]\n");
        CHECK(json.err == hint);
        args.push_back("-q");
        CHECK(seeded.run(args).err.empty());
    }
    // A tenant with rows, whose listing is empty for a filter, is not told.
    RunResult filtered = seeded.run({"--tenant", "t1", "mapping", "list"});
    CHECK(filtered.exit_code == 0);
    CHECK(filtered.err.empty());
}

TEST_CASE("every listing prints what each -o value claims, or exits 2",
          "[e2e][command_table][output]") {
    SeededState seeded;
    // Something in every listing that needs a run or an entry to exist.
    RunResult imported =
        seeded.run({"job", "import", "--system", "PYXIS", "--entity", "customers", "--from",
                    fixtures_dir() + "/jobs/pyxis-customers.ndjson", "-o", "json"});
    INFO(imported.err);
    REQUIRE(imported.exit_code <= 1);
    const std::string run_id = imported.json()["run_id"];
    const std::map<std::string, std::string> values{{"INTERNAL_UUID", kCustomerUuid},
                                                    {"RUN", run_id}};

    const CommandDoc root = salesint::cli::describe_command_table();
    std::size_t listings = 0;
    for (const CommandDoc* doc : runnable_commands(root)) {
        if (!doc->listing) {
            continue;
        }
        ++listings;
        for (const std::string format : {"text", "json", "ndjson", "csv"}) {
            std::vector<std::string> args = invocation(*doc, seeded.dir(), values);
            args.insert(args.end(), {"-o", format});
            RunResult result = seeded.run(args);
            INFO(joined(args) << "\nexit " << result.exit_code << "\nstdout: " << result.out
                              << "\nstderr: " << result.err);
            const bool declared =
                std::find(doc->formats.begin(), doc->formats.end(), format) != doc->formats.end();
            if (!declared) {
                CHECK(result.exit_code == 2);
                CHECK_THAT(result.err, Catch::Contains("does not print -o " + format));
                CHECK(result.out.empty());
                continue;
            }
            REQUIRE(result.exit_code == 0);
            if (format == "json") {
                CHECK(nlohmann::json::parse(result.out).is_array());
            } else if (format == "ndjson") {
                std::istringstream lines(result.out);
                std::string line;
                while (std::getline(lines, line)) {
                    CHECK(nlohmann::json::parse(line).is_object());
                }
            } else if (format == "csv") {
                const auto records = parse_csv(result.out);
                REQUIRE_FALSE(records.empty());  // a header row, then a record per row
                for (const std::string& key : records.front()) {
                    CHECK_FALSE(key.empty());
                }
                for (const auto& record : records) {
                    CHECK(record.size() == records.front().size());
                }
            } else {
                CHECK_FALSE(result.out.empty());
            }
        }
    }
    CHECK(listings >= 12);
}

TEST_CASE("a command given an -o it does not print exits 2 naming the formats it has",
          "[e2e][command_table][output]") {
    RunResult completion = run_salesint({"completion", "bash", "-o", "json"});
    CHECK(completion.exit_code == 2);
    CHECK(completion.out.empty());
    CHECK_THAT(completion.err,
               Catch::StartsWith("salesint: error: 'salesint completion bash' does not print -o "
                                 "json; its formats are text\n"));
    RunResult fish = run_salesint({"completion", "fish", "-o", "csv"});
    CHECK(fish.exit_code == 2);
    CHECK_THAT(fish.err, Catch::Contains("does not print -o csv; its formats are text"));
}
