// job import run as a user runs it, on the fixtures of fixtures/jobs/ (their
// README lists every special line and the counts asserted here): counts,
// per-row errors with their lines, mappings, intents and the checkpoint; a
// second import of the same file; a dry run; a run killed part-way, then
// resumed to exactly the mappings and intents of an uninterrupted run.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/run.hpp"
#include "support/state_query.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

struct ImportState {
    ImportState() {
        for (const char* code : {"PYXIS", "TEMPO"}) {
            RunResult added = run({"connector", "add", code});
            INFO(added.err);
            REQUIRE(added.exit_code == 0);
        }
    }

    RunResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--state", dir.state()});
        RunOptions options;
        options.env = {{"USER", "tester"}};
        return run_salesint(args, options);
    }

    std::int64_t count(const std::string& sql) const { return state_count(dir.state(), sql); }

    TempDir dir;
};

std::string fixture(const std::string& name) {
    return fixtures_dir() + "/jobs/" + name;
}

}  // namespace

TEST_CASE("job import of PYXIS orders counts, maps, writes intents and rejects bad lines",
          "[jobs][import][backends]") {
    ImportState state;
    RunResult first = state.run({"job", "import", "--system", "PYXIS", "--entity", "orders",
                                 "--from", fixture("pyxis-orders.ndjson"), "-o", "json"});
    INFO(first.err);
    CHECK(first.exit_code == 1);  // some records rejected: the run is partial
    const nlohmann::json run = nlohmann::json::parse(first.out);
    CHECK(run["status"] == "partial");
    CHECK(run["requested_by_user_id"] == "tester");
    const nlohmann::json& summary = run["result_summary"];
    CHECK(summary["read"] == 300);
    CHECK(summary["created"] == 286);
    CHECK(summary["updated"] == 1);
    CHECK(summary["unchanged"] == 2);
    CHECK(summary["rejected"] == 11);
    CHECK(summary["intents"] == 287);
    CHECK(summary["warnings"] == 0);  // every updatedAt is a valid time
    CHECK(run["warning_count"] == 0);
    CHECK(run["checkpoint"]["after"] == "2026-11-01T04:52:00Z");
    CHECK(state.count("SELECT count(*) FROM mappings WHERE system_code = 'PYXIS'") == 286);
    CHECK(state.count("SELECT count(*) FROM outbox WHERE topic = 'sales.domain.intents.v1'") ==
          287);
    CHECK(state.count("SELECT count(*) FROM mappings WHERE external_id LIKE 'PX-9%'") == 0);

    RunResult errors = state.run({"job", "errors", run["run_id"], "-o", "json"});
    REQUIRE(errors.exit_code == 0);
    const nlohmann::json listed = nlohmann::json::parse(errors.out);
    CHECK(listed.size() == 11);  // no warnings among them
    std::vector<int> lines;
    for (const auto& error : listed) {
        if (error["severity"] == "error") {
            lines.push_back(error["row"].get<int>());
        }
    }
    CHECK(lines == std::vector<int>{15, 42, 68, 94, 119, 147, 172, 199, 224, 250, 275});

    // The same file again: no new mapping and no intent. PX-0050's first
    // line is older than the one imported last (its second): stale, so the
    // domain is not sent back to the old version.
    const std::int64_t intents = state.count("SELECT count(*) FROM outbox");
    RunResult second = state.run({"job", "import", "--system", "PYXIS", "--entity", "orders",
                                  "--from", fixture("pyxis-orders.ndjson"), "-o", "json"});
    const nlohmann::json again = nlohmann::json::parse(second.out);
    CHECK(again["result_summary"]["created"] == 0);
    CHECK(again["result_summary"]["updated"] == 0);
    CHECK(again["result_summary"]["stale"] == 1);
    CHECK(again["result_summary"]["intents"] == 0);
    CHECK(state.count("SELECT count(*) FROM outbox") == intents);
    CHECK(state.count("SELECT count(*) FROM mappings WHERE system_code = 'PYXIS'") == 286);
    CHECK(state.run({"state", "check"}).exit_code == 0);
}

TEST_CASE("job import of TEMPO CSV orders, twice, writes intents once",
          "[jobs][import][backends]") {
    ImportState state;
    const std::vector<std::string> import{
        "job",      "import", "--system", "TEMPO",
        "--entity", "orders", "--from",   fixture("tempo-orders.csv"),
        "-o",       "json"};
    RunResult first = state.run(import);
    INFO(first.err);
    const nlohmann::json run = nlohmann::json::parse(first.out);
    CHECK(run["result_summary"]["created"] == 191);
    CHECK(run["result_summary"]["rejected"] == 9);
    CHECK(run["checkpoint"]["after"] == "2026-11-02T03:20:00Z");
    RunResult second = state.run(import);
    const nlohmann::json again = nlohmann::json::parse(second.out);
    CHECK(again["result_summary"]["created"] == 0);
    CHECK(again["result_summary"]["unchanged"] == 191);
    CHECK(again["result_summary"]["intents"] == 0);
    CHECK(state.count("SELECT count(*) FROM outbox") == 191);
}

TEST_CASE("job import gives unknown roles and entity types pending_review and no intent",
          "[jobs][import][backends]") {
    ImportState state;
    RunResult customers = state.run({"job", "import", "--system", "PYXIS", "--entity", "customers",
                                     "--from", fixture("pyxis-customers.ndjson"), "-o", "json"});
    const nlohmann::json run = nlohmann::json::parse(customers.out);
    CHECK(customers.exit_code == 0);
    CHECK(run["result_summary"]["pending_review"] == 4);
    CHECK(run["result_summary"]["warnings"] == 4);  // unknown_role, one for each
    CHECK(run["result_summary"]["intents"] == 46);
    RunResult widgets = state.run({"job", "import", "--system", "PYXIS", "--entity", "widgets",
                                   "--from", fixture("pyxis-widgets.ndjson"), "-o", "json"});
    CHECK(nlohmann::json::parse(widgets.out)["result_summary"]["pending_review"] == 5);
    CHECK(state.count("SELECT count(*) FROM mappings WHERE mapping_status = 'pending_review'") ==
          9);
    CHECK(state.count("SELECT count(*) FROM outbox") == 46);
}

TEST_CASE("job import --dry-run writes nothing", "[jobs][import][backends]") {
    ImportState state;
    RunResult dry = state.run({"job", "import", "--system", "PYXIS", "--entity", "orders", "--from",
                               fixture("pyxis-orders.ndjson"), "--dry-run", "-o", "json"});
    const nlohmann::json run = nlohmann::json::parse(dry.out);
    CHECK(run["result_summary"]["created"] == 286);
    // Where the checkpoint would be, and it is not written.
    CHECK(run["checkpoint"]["after"] == "2026-11-01T04:52:00Z");
    CHECK(state.count("SELECT count(*) FROM checkpoints") == 0);
    CHECK(state.count("SELECT count(*) FROM mappings") == 0);
    CHECK(state.count("SELECT count(*) FROM outbox") == 0);
    CHECK(state.count("SELECT count(*) FROM job_runs") == 0);
}

TEST_CASE("job import of an unknown system or a missing file leaves nothing",
          "[jobs][import][backends]") {
    ImportState state;
    RunResult unknown = state.run({"job", "import", "--system", "NOPE", "--entity", "orders",
                                   "--from", fixture("pyxis-orders.ndjson")});
    CHECK(unknown.exit_code == 3);
    RunResult missing = state.run({"job", "import", "--system", "PYXIS", "--entity", "orders",
                                   "--from", "/nonexistent.ndjson"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("/nonexistent.ndjson"));
    CHECK(state.count("SELECT count(*) FROM job_runs") == 0);
}

TEST_CASE("a job import killed part-way is interrupted and --resume ends as an uninterrupted run",
          "[jobs][import][concurrency][backends]") {
    ImportState state;
    // Many valid orders: the PYXIS fixture's accepted lines repeated under new ids.
    const std::string source = state.dir.file("many.ndjson");
    const int copies = 40;
    {
        std::ifstream in(fixture("pyxis-orders.ndjson"));
        std::vector<nlohmann::json> valid;
        for (std::string line; std::getline(in, line);) {
            auto parsed = nlohmann::json::parse(line, nullptr, false);
            if (parsed.is_object() && parsed.contains("externalOrderId") &&
                parsed["externalOrderId"].get<std::string>().rfind("PX-0", 0) == 0) {
                valid.push_back(parsed);
            }
        }
        std::ofstream out(source);
        for (int copy = 0; copy < copies; ++copy) {
            for (auto record : valid) {
                record["externalOrderId"] =
                    record["externalOrderId"].get<std::string>() + "-" + std::to_string(copy);
                out << record.dump() << "\n";
            }
        }
    }
    const std::vector<std::string> import{
        "--state",  state.dir.state(), "job",    "import", "--system",     "PYXIS",
        "--entity", "orders",          "--from", source,   "--batch-size", "200"};
    // Kill the import once it has committed some batches, before it ends.
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        std::vector<char*> argv{const_cast<char*>(salesint_binary().c_str())};
        for (const auto& arg : import) {
            argv.push_back(const_cast<char*>(arg.c_str()));
        }
        argv.push_back(nullptr);
        freopen("/dev/null", "w", stdout);
        execv(argv[0], argv.data());
        _exit(127);
    }
    bool killed_mid_run = false;
    for (int i = 0; i < 2000; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::int64_t committed = 0;
        try {
            committed = state.count("SELECT coalesce(max(resume_after_row), 0) FROM job_runs");
        } catch (const std::exception&) {
            continue;  // the file is being created
        }
        if (committed > 0) {
            killed_mid_run = kill(child, SIGKILL) == 0;
            break;
        }
    }
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(state.run({"state", "check"}).exit_code == 0);
    if (killed_mid_run && WIFSIGNALED(status)) {
        // Readers see the dead worker's run as interrupted at once; the
        // file is left as it was until the next job starts.
        RunResult listed = state.run({"job", "list", "--status", "interrupted", "-o", "json"});
        REQUIRE(listed.exit_code == 0);
        CHECK(nlohmann::json::parse(listed.out).size() == 1);
        CHECK(state.run({"job", "list", "--status", "running", "-o", "json"}).out == "[]\n");
        CHECK(state.count("SELECT count(*) FROM job_runs WHERE status = 'running'") == 1);
    }
    RunResult resumed =
        state.run({"job", "import", "--system", "PYXIS", "--entity", "orders", "--from", source,
                   "--batch-size", "200", "--resume", "-o", "json"});
    INFO(resumed.err);
    if (killed_mid_run && WIFSIGNALED(status)) {
        REQUIRE(resumed.exit_code == 1);  // the fixture's invalid orders: partial
        const nlohmann::json run = nlohmann::json::parse(resumed.out);
        CHECK(run["resumed_from"] != "");
        CHECK(state.count("SELECT count(*) FROM job_runs WHERE status = 'interrupted'") == 1);
    }
    // Either way: exactly the mappings, intents and checkpoint of a run
    // that was never interrupted.
    ImportState whole;
    RunResult uninterrupted = whole.run({"job", "import", "--system", "PYXIS", "--entity", "orders",
                                         "--from", source, "--batch-size", "200"});
    REQUIRE(uninterrupted.exit_code == 1);
    for (const char* sql :
         {"SELECT count(*) FROM mappings", "SELECT count(*) FROM outbox",
          "SELECT count(*) FROM mappings WHERE content_hash <> ''",
          "SELECT count(*) FROM checkpoints WHERE checkpoint_value = '2026-11-01T04:52:00Z'"}) {
        INFO(sql);
        CHECK(state.count(sql) == whole.count(sql));
    }
    CHECK(whole.count("SELECT count(*) FROM mappings") > 0);
    CHECK(state.run({"state", "check"}).exit_code == 0);
}
