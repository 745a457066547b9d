// A large job import killed with SIGKILL at several points, each --resume
// killed again, then a last --resume that completes (README.md, "Import and
// export jobs": a run left running by a crash is closed as interrupted by the
// next start, and --resume continues after its last committed batch). After
// each kill the state file passes `state check`; at the end there is exactly
// one mapping and one intent for each distinct valid record, and the
// checkpoint is the largest cursor of the valid records.
//
// SALESINT_TEST_IMPORT_RECORDS sets the number of records (default 200,000;
// the sanitized CI build sets fewer). The kills are placed by watching the
// run row's last committed line pass 10%, 40% and 75% of the file, with a
// generous deadline and no assertion on time.
#include <signal.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include "support/run.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

// The updatedAt of the invalid orders: later than any valid one.
constexpr const char* kLatest = "2027-06-30T00:00:00Z";
constexpr const char* kIntents =
    "SELECT count(*) FROM outbox WHERE topic = 'sales.domain.intents.v1'";

std::int64_t records_wanted() {
    if (const char* given = std::getenv("SALESINT_TEST_IMPORT_RECORDS")) {
        const long long n = std::atoll(given);
        if (n >= 100) {
            return n;
        }
    }
    return 200'000;
}

// 2026-11-01T00:00:00Z plus seconds, as RFC 3339.
std::string at_second(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(1'793'491'200 + seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// What the generated file holds, for the assertions.
struct Generated {
    std::int64_t lines = 0;
    std::int64_t distinct_valid = 0;
    std::string max_cursor;  // of the valid records
};

// records orders CR-0000001...: record i is updated i seconds after the base,
// except every 50th, which comes 30 s earlier (out of order). Every 1000th
// record from the 500th is an invalid order whose updatedAt is later than all
// others (it must not move the checkpoint); after every 1000th record from the
// 250th its line comes again, identical (unchanged: no second intent).
Generated generate(const std::string& path, std::int64_t records) {
    const std::string fixture = read_file(fixtures_dir() + "/jobs/pyxis-orders.ndjson");
    nlohmann::json order = nlohmann::json::parse(fixture.substr(0, fixture.find('\n')));
    order["externalOrderId"] = "@ID@";
    order["updatedAt"] = "@AT@";
    nlohmann::json invalid = order;
    invalid["orderType"] = "INSTALL";
    auto split = [](const std::string& text) {
        const auto id = text.find("@ID@");
        const auto at = text.find("@AT@");
        REQUIRE(id < at);
        REQUIRE(at != std::string::npos);
        return std::vector<std::string>{text.substr(0, id), text.substr(id + 4, at - id - 4),
                                        text.substr(at + 4)};
    };
    const std::vector<std::string> valid_parts = split(order.dump());
    const std::vector<std::string> invalid_parts = split(invalid.dump());

    Generated generated;
    std::ofstream out(path, std::ios::binary);
    std::string line;
    char id[32];
    for (std::int64_t i = 1; i <= records; ++i) {
        std::snprintf(id, sizeof id, "CR-%07lld", static_cast<long long>(i));
        if (i % 1000 == 500) {
            line = invalid_parts[0] + id + invalid_parts[1] + kLatest + invalid_parts[2];
        } else {
            const std::string cursor = at_second(i % 50 == 0 ? i - 30 : i);
            line = valid_parts[0] + id + valid_parts[1] + cursor + valid_parts[2];
            ++generated.distinct_valid;
            if (cursor > generated.max_cursor) {
                generated.max_cursor = cursor;
            }
        }
        out << line << '\n';
        ++generated.lines;
        if (i % 1000 == 250) {
            out << line << '\n';
            ++generated.lines;
        }
    }
    out.close();
    REQUIRE(out.good());
    return generated;
}

struct CrashState {
    CrashState() {
        RunResult added = run({"connector", "add", "PYXIS"});
        INFO(added.err);
        REQUIRE(added.exit_code == 0);
    }

    RunResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--state", dir.state()});
        return run_salesint(args, options());
    }

    RunOptions options() const {
        RunOptions options;
        options.env = {{"USER", "tester"}};
        return options;
    }

    // The newest run row: its row id, status and last committed line; none
    // while there is none or the file cannot be read right now.
    struct Row {
        std::int64_t id = 0;
        std::string run_id;
        std::string status;
        std::int64_t committed = 0;
    };
    std::optional<Row> newest_run() const {
        try {
            SQLite::Database db(dir.state(), SQLite::OPEN_READONLY);
            SQLite::Statement query(db,
                                    "SELECT id, run_id, status, resume_after_row FROM job_runs "
                                    "ORDER BY id DESC LIMIT 1");
            if (!query.executeStep()) {
                return std::nullopt;
            }
            return Row{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                       query.getColumn(2).getString(), query.getColumn(3).getInt64()};
        } catch (const std::exception&) {
            return std::nullopt;  // busy, or being recovered: ask again
        }
    }

    std::string status_of(std::int64_t id) const {
        SQLite::Database db(dir.state(), SQLite::OPEN_READONLY);
        SQLite::Statement query(db, "SELECT status FROM job_runs WHERE id = ?");
        query.bind(1, id);
        return query.executeStep() ? query.getColumn(0).getString() : "";
    }

    std::int64_t count(const std::string& sql) const {
        SQLite::Database db(dir.state(), SQLite::OPEN_READONLY);
        return db.execAndGet(sql).getInt64();
    }

    TempDir dir;
};

}  // namespace

TEST_CASE("a large job import killed three times and resumed ends as one uninterrupted run",
          "[jobs][import][crash]") {
    const std::int64_t records = records_wanted();
    CrashState state;
    const std::string source = state.dir.file("orders.ndjson");
    const Generated generated = generate(source, records);
    // About a hundred batches whatever the size, so that the kills land
    // between commits.
    const std::int64_t batch =
        std::max<std::int64_t>(10, std::min<std::int64_t>(1000, records / 100));
    std::vector<std::string> import{salesint_binary(),
                                    "--state",
                                    state.dir.state(),
                                    "job",
                                    "import",
                                    "--system",
                                    "PYXIS",
                                    "--entity",
                                    "orders",
                                    "--from",
                                    source,
                                    "--batch-size",
                                    std::to_string(batch),
                                    "-o",
                                    "json"};

    const auto deadline_per_stage = std::chrono::minutes(10);
    std::int64_t previous_run = 0;  // the row id of the run killed last
    std::string previous_run_id;
    int kills = 0;
    bool finished_early = false;
    for (double fraction : {0.10, 0.40, 0.75}) {
        std::vector<std::string> argv = import;
        if (previous_run != 0) {
            argv.push_back("--resume");
        }
        const std::int64_t threshold =
            static_cast<std::int64_t>(fraction * static_cast<double>(generated.lines));
        INFO("kill at line " << threshold << " of " << generated.lines);
        Background child(argv, state.options());
        // Watch the newest run row until this process's run has committed
        // past the threshold, or the process has ended by itself.
        bool started = false;
        const auto deadline = std::chrono::steady_clock::now() + deadline_per_stage;
        while (std::chrono::steady_clock::now() < deadline) {
            auto row = state.newest_run();
            if (row && row->id > previous_run) {
                if (!started && previous_run != 0) {
                    // The next start closed the killed run as interrupted
                    // before it wrote its own row.
                    CHECK(state.status_of(previous_run) == "interrupted");
                }
                started = true;
                if (row->committed >= threshold || row->status != "running") {
                    break;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        REQUIRE(started);
        child.signal(SIGKILL);
        const RunResult killed = child.wait();
        auto row = state.newest_run();
        REQUIRE(row);
        if (killed.exit_code != 128 + SIGKILL || row->status != "running") {
            // It finished between the last look and the kill: nothing left
            // to kill, and nothing to resume.
            INFO(killed.err);
            CHECK(row->status != "running");
            finished_early = true;
            break;
        }
        ++kills;
        CHECK(row->committed >= threshold);
        CHECK(row->committed < generated.lines);
        previous_run = row->id;
        previous_run_id = row->run_id;
        RunResult check = state.run({"state", "check"});
        INFO(check.out << check.err);
        CHECK(check.exit_code == 0);
    }
    CHECK(kills >= 1);

    if (!finished_early) {
        std::vector<std::string> args(import.begin() + 1, import.end());
        args.push_back("--resume");
        RunResult last = run_salesint(args, state.options());
        INFO(last.err);
        // 1: invalid orders among the lines it read (partial)
        CHECK((last.exit_code == 0 || last.exit_code == 1));
        const nlohmann::json run = last.json();
        CHECK((run["status"] == "succeeded" || run["status"] == "partial"));
        CHECK(run["resumed_from"] == previous_run_id);
        CHECK(run["result_summary"]["skipped"].get<std::int64_t>() > 0);
        CHECK(state.status_of(previous_run) == "interrupted");
    }

    // One mapping and one intent per distinct valid record, none twice.
    CHECK(state.count("SELECT count(*) FROM mappings") == generated.distinct_valid);
    CHECK(state.count("SELECT count(*) FROM mappings WHERE content_hash <> ''") ==
          generated.distinct_valid);
    CHECK(state.count(kIntents) == generated.distinct_valid);
    CHECK(state.count("SELECT count(DISTINCT json_extract(envelope, '$.subject.aggregate_id')) "
                      "FROM outbox") == generated.distinct_valid);
    CHECK(state.count("SELECT count(*) FROM outbox o JOIN mappings m ON "
                      "json_extract(o.envelope, '$.subject.aggregate_id') = m.internal_uuid") ==
          generated.distinct_valid);
    {
        SQLite::Database db(state.dir.state(), SQLite::OPEN_READONLY);
        CHECK(db.execAndGet("SELECT checkpoint_value FROM checkpoints WHERE system_code = 'PYXIS' "
                            "AND entity_type = 'orders'")
                  .getString() == generated.max_cursor);
    }
    CHECK(state.count("SELECT count(*) FROM job_runs WHERE status = 'interrupted'") == kills);
    CHECK(state.count("SELECT count(*) FROM job_runs WHERE status = 'running'") == 0);
    CHECK(state.run({"state", "check"}).exit_code == 0);
}
