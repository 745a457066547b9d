// job list, show and errors over runs seeded through the Store: newest first,
// every filter, the text and JSON shapes (timing, rate, first errors), the
// per-row errors and the files of rows in error to fix and import again.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sstream>

#include "e2e/seeded_state.hpp"
#include "salesint/store.hpp"
#include "salesint/util/clock.hpp"

using namespace salesint::test;

namespace {

salesint::JobRun make_run(const std::string& id, const std::string& system, const std::string& type,
                          const std::string& entity, salesint::JobStatus status,
                          const std::string& started, const std::string& completed) {
    salesint::JobRun run;
    run.run_id = id;
    run.system_code = system;
    run.job_type = type;
    run.entity_type = entity;
    run.status = status;
    run.started_at = started;
    run.completed_at = completed;
    run.requested_by_user_id = "alice";
    run.worker = "elsewhere.invalid:1";
    return run;
}

salesint::JobRowError row_error(std::int64_t row, const std::string& severity,
                                const std::string& code, const std::string& raw) {
    salesint::JobRowError error;
    error.row_number = row;
    error.severity = severity;
    error.code = code;
    error.message = "must be an email address";
    error.pointer = "/email";
    error.raw_row = raw;
    return error;
}

// Four runs, inserted oldest first:
//   run_a  import PYXIS order     partial, 2 s, 1000 rows, 2 errors, NDJSON
//   run_b  export TEMPO order     failed
//   run_c  import PYXIS customer  partial, CSV, 11 errors and 1 warning, started now
//   run_d  import PYXIS order     running, started now
class HistoryState : public SeededState {
  public:
    HistoryState() {
        salesint::StoreOptions options;
        options.path = state();
        options.tenant = "default";
        auto store = salesint::open_store(options);
        const std::string now = salesint::now_rfc3339();
        store->write([&] {
            auto a = make_run("run_a", "PYXIS", "import", "order", salesint::JobStatus::kPartial,
                              "2025-11-01T10:00:00Z", "2025-11-01T10:00:02Z");
            a.source = "orders.ndjson";
            a.rows_total = 1000;
            a.rows_ok = 998;
            a.resume_after_row = 1000;
            a.error_count = 2;
            a.checkpoint_before = "2025-10-31T00:00:00Z";
            a.checkpoint_after = "2025-11-01T00:00:00Z";
            a.result_summary_json = R"({"created":990,"updated":8,"failed":2})";
            store->insert_job_row_errors(
                store->insert_job_run(a),
                {row_error(17, "error", "invalid_order", R"({"id":"o-17","email":"x"})"),
                 row_error(5, "error", "invalid_order", R"({"id":"o-5","email":"y"})")});

            auto b = make_run("run_b", "TEMPO", "export", "order", salesint::JobStatus::kFailed,
                              "2025-11-02T10:00:01.000Z", "2025-11-02T10:00:01.250Z");
            b.source = "outbox";
            store->insert_job_run(b);

            auto c = make_run("run_c", "PYXIS", "import", "customer", salesint::JobStatus::kPartial,
                              now, now);
            c.source = "customers.csv";
            c.rows_total = 100;
            c.rows_ok = 88;
            c.error_count = 11;
            c.warning_count = 1;
            c.resumed_from = "run_a";
            c.result_summary_json = R"({"columns":["id","email"],"created":88})";
            std::vector<salesint::JobRowError> errors;
            for (int row = 3; row <= 14; ++row) {
                const bool warning = row == 8;
                errors.push_back(row_error(row, warning ? "warning" : "error",
                                           warning ? "unknown_column" : "invalid_customer",
                                           "c-" + std::to_string(row) + ",bad-email"));
            }
            store->insert_job_row_errors(store->insert_job_run(c), errors);

            auto d = make_run("run_d", "PYXIS", "import", "order", salesint::JobStatus::kRunning,
                              now, "");
            d.source = "-";
            store->insert_job_run(d);
        });
    }
};

std::vector<std::string> run_ids(const nlohmann::json& runs) {
    std::vector<std::string> ids;
    for (const auto& run : runs) {
        ids.push_back(run["run_id"].get<std::string>());
    }
    return ids;
}

std::vector<std::string> listed(const HistoryState& state, std::vector<std::string> args) {
    args.insert(args.begin(), {"job", "list"});
    args.insert(args.end(), {"-o", "json"});
    RunResult result = state.run(args);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return run_ids(result.json());
}

using Ids = std::vector<std::string>;

bool exists(const std::string& path) {
    struct stat info {};
    return stat(path.c_str(), &info) == 0;
}

}  // namespace

TEST_CASE("job list shows runs newest first and filters them", "[e2e][jobs][backends]") {
    HistoryState state;
    CHECK(listed(state, {}) == Ids{"run_d", "run_c", "run_b", "run_a"});
    CHECK(listed(state, {"--system", "TEMPO"}) == Ids{"run_b"});
    CHECK(listed(state, {"--system", "pyxis"}) == Ids{"run_d", "run_c", "run_a"});
    CHECK(listed(state, {"--entity", "customer"}) == Ids{"run_c"});
    CHECK(listed(state, {"--type", "export"}) == Ids{"run_b"});
    CHECK(listed(state, {"--type", "import", "--entity", "order"}) == Ids{"run_d", "run_a"});
    CHECK(listed(state, {"--status", "partial"}) == Ids{"run_c", "run_a"});
    CHECK(listed(state, {"--status", "running"}) == Ids{"run_d"});
    CHECK(listed(state, {"--status", "interrupted"}).empty());
    CHECK(listed(state, {"--since", "1h"}) == Ids{"run_d", "run_c"});
    CHECK(listed(state, {"--since", "2025-11-02T12:00:00+02:00"}) ==
          Ids{"run_d", "run_c", "run_b"});
    CHECK(listed(state, {"--limit", "2"}) == Ids{"run_d", "run_c"});

    std::string before = snapshot(state.state());
    RunResult status = state.run({"job", "list", "--status", "done"});
    CHECK(status.exit_code == 2);
    for (const char* valid :
         {"running", "succeeded", "failed", "partial", "cancelled", "interrupted"}) {
        CHECK_THAT(status.err, Catch::Contains(valid));
    }
    RunResult since = state.run({"job", "list", "--since", "yesterday"});
    CHECK(since.exit_code == 2);
    CHECK_THAT(since.err, Catch::Contains("--since"));
    CHECK(state.run({"job", "list", "--type", "sync"}).exit_code == 2);
    CHECK(snapshot(state.state()) == before);
}

TEST_CASE("job list prints the run shape as JSON, a table, CSV and NDJSON",
          "[e2e][jobs][backends]") {
    HistoryState state;
    nlohmann::json runs = state.run({"job", "list", "-o", "json"}).json();
    REQUIRE(runs.size() == 4);
    const nlohmann::json& a = runs[3];
    CHECK(a["run_id"] == "run_a");
    CHECK(a["job_type"] == "import");
    CHECK(a["system_code"] == "PYXIS");
    CHECK(a["entity_type"] == "order");
    CHECK(a["source"] == "orders.ndjson");
    CHECK(a["status"] == "partial");
    CHECK(a["duration_ms"] == 2000);
    CHECK(a["rows_per_second"].get<double>() == Approx(500.0));
    CHECK(a["rows_total"] == 1000);
    CHECK(a["rows_ok"] == 998);
    CHECK(a["error_count"] == 2);
    CHECK(a["requested_by_user_id"] == "alice");
    CHECK(a["checkpoint"] ==
          nlohmann::json{{"before", "2025-10-31T00:00:00Z"}, {"after", "2025-11-01T00:00:00Z"}});
    CHECK(a["result_summary"]["created"] == 990);
    CHECK(a["first_errors"] == nlohmann::json::array());
    CHECK(runs[0]["status"] == "running");
    CHECK(runs[0]["completed_at"].is_null());
    CHECK(runs[0]["duration_ms"] == 0);

    RunResult text = state.run({"job", "list"});
    REQUIRE(text.exit_code == 0);
    std::istringstream lines(text.out);
    std::string header;
    std::getline(lines, header);
    std::size_t at = 0;
    for (const char* column : {"RUN", "TYPE", "SYSTEM", "ENTITY", "STATUS", "STARTED", "DURATION",
                               "ROWS", "OK", "ERRORS"}) {
        INFO(header << " / " << column);
        at = header.find(column, at);
        CHECK(at != std::string::npos);
    }
    CHECK_THAT(text.out, Catch::Contains("2.0 s"));   // run_a
    CHECK_THAT(text.out, Catch::Contains("250 ms"));  // run_b

    RunResult csv = state.run({"job", "list", "-o", "csv"});
    CHECK_THAT(csv.out, Catch::StartsWith("run_id,job_type,system_code,entity_type,status,"
                                          "started_at,duration_ms,rows_total,rows_ok,"
                                          "error_count\r\n"));
    CHECK_THAT(csv.out, Catch::Contains("run_a,import,PYXIS,order,partial,2025-11-01T10:00:00Z,"
                                        "2000,1000,998,2\r\n"));
    RunResult ndjson = state.run({"job", "list", "-o", "ndjson", "--limit", "3"});
    std::istringstream records(ndjson.out);
    std::string line;
    Ids ids;
    while (std::getline(records, line)) {
        ids.push_back(nlohmann::json::parse(line)["run_id"]);
    }
    CHECK(ids == Ids{"run_d", "run_c", "run_b"});
}

TEST_CASE("job show prints a run with its counts, timing and first errors",
          "[e2e][jobs][backends]") {
    HistoryState state;
    RunResult a = state.run({"job", "show", "run_a"});
    INFO(a.err);
    REQUIRE(a.exit_code == 0);
    for (const char* line :
         {"run: run_a\n", "type: import\n", "system/entity: PYXIS/order\n",
          "source: orders.ndjson\n", "status: partial\n", "requested by: alice\n",
          "started: 2025-11-01T10:00:00Z\n", "completed: 2025-11-01T10:00:02Z\n",
          "duration: 2.0 s\n", "rows/s: 500.0\n", "rows read / ok: 1000 / 998\n", "errors: 2\n",
          "warnings: 0\n", "checkpoint: 2025-10-31T00:00:00Z -> 2025-11-01T00:00:00Z\n",
          "resumed from: -\n", "  created: 990\n", "  failed: 2\n",
          "  line 5  invalid_order  /email: must be an email address\n",
          "  line 17  invalid_order  /email: must be an email address\n"}) {
        CHECK_THAT(a.out, Catch::Contains(line));
    }
    CHECK(a.out.find("line 5 ") < a.out.find("line 17 "));  // row order
    CHECK_THAT(a.out, !Catch::Contains("salesint job errors"));

    RunResult c = state.run({"job", "show", "run_c"});
    REQUIRE(c.exit_code == 0);
    CHECK_THAT(c.out, Catch::Contains("resumed from: run_a\n"));
    CHECK_THAT(c.out, Catch::Contains("  line 8  unknown_column  (warning) /email:"));
    CHECK_THAT(c.out, Catch::Contains("  line 12  invalid_customer"));
    CHECK_THAT(c.out, !Catch::Contains("line 13 "));  // the first 10 only
    CHECK_THAT(c.out, Catch::Contains("salesint job errors run_c"));

    RunResult d = state.run({"job", "show", "run_d"});
    CHECK_THAT(d.out, Catch::Contains("completed: -\n"));
    CHECK_THAT(d.out, Catch::Contains("row errors: none\n"));

    nlohmann::json shown = state.run({"job", "show", "run_c", "-o", "json"}).json();
    CHECK(shown["run_id"] == "run_c");
    CHECK(shown["warning_count"] == 1);
    CHECK(shown["resumed_from"] == "run_a");
    REQUIRE(shown["first_errors"].size() == 10);
    CHECK(shown["first_errors"][0] == nlohmann::json{{"row", 3},
                                                     {"severity", "error"},
                                                     {"code", "invalid_customer"},
                                                     {"message", "must be an email address"},
                                                     {"pointer", "/email"},
                                                     {"record", "c-3,bad-email"}});
    CHECK(shown["first_errors"][9]["row"] == 12);
    nlohmann::json shown_a = state.run({"job", "show", "run_a", "-o", "json"}).json();
    CHECK(shown_a["duration_ms"] == 2000);
    CHECK(shown_a["rows_per_second"].get<double>() == Approx(500.0));
    CHECK(shown_a["first_errors"].size() == 2);
}

TEST_CASE("job errors lists per-row errors in row order", "[e2e][jobs][backends]") {
    HistoryState state;
    nlohmann::json all = state.run({"job", "errors", "run_c", "-o", "json"}).json();
    REQUIRE(all.size() == 12);
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i]["row"] == 3 + static_cast<int>(i));
    }
    nlohmann::json warnings =
        state.run({"job", "errors", "run_c", "--severity", "warning", "-o", "json"}).json();
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0]["row"] == 8);
    CHECK(warnings[0]["code"] == "unknown_column");
    CHECK(
        state.run({"job", "errors", "run_c", "--severity", "error", "-o", "json"}).json().size() ==
        11);
    CHECK(state.run({"job", "errors", "run_b", "-o", "json"}).json() == nlohmann::json::array());

    RunResult text = state.run({"job", "errors", "run_a"});
    REQUIRE(text.exit_code == 0);
    std::istringstream lines(text.out);
    std::string header, first, second;
    std::getline(lines, header);
    std::getline(lines, first);
    std::getline(lines, second);
    std::size_t at = 0;
    for (const char* column : {"ROW", "SEVERITY", "CODE", "POINTER", "MESSAGE"}) {
        at = header.find(column, at);
        CHECK(at != std::string::npos);
    }
    CHECK_THAT(first, Catch::StartsWith("5 "));
    CHECK_THAT(first, Catch::Contains("invalid_order"));
    CHECK_THAT(first, Catch::Contains("must be an email address"));
    CHECK_THAT(second, Catch::StartsWith("17 "));
}

TEST_CASE("job errors --export writes the rows in error to fix and import again",
          "[e2e][jobs][backends]") {
    HistoryState state;
    const std::string ndjson = state.dir().file("fix.ndjson");
    RunResult written = state.run({"job", "errors", "run_a", "--export", ndjson});
    INFO(written.err);
    REQUIRE(written.exit_code == 0);
    CHECK_THAT(written.out, Catch::Contains("2 rows written to " + ndjson));
    CHECK(read_file(ndjson) ==
          "{\"id\":\"o-5\",\"email\":\"y\"}\n{\"id\":\"o-17\",\"email\":\"x\"}\n");

    const std::string csv = state.dir().file("fix.csv");
    nlohmann::json result =
        state.run({"job", "errors", "run_c", "--export", csv, "-o", "json"}).json();
    CHECK(result["rows"] == 11);  // the warning's row was taken: not in the file
    CHECK(result["format"] == "csv");
    std::string expected = "id,email\n";
    for (int row = 3; row <= 14; ++row) {
        if (row != 8) {
            expected += "c-" + std::to_string(row) + ",bad-email\n";
        }
    }
    CHECK(read_file(csv) == expected);

    SECTION("an existing file is kept unless --force") {
        write_file(csv, "keep me");
        RunResult refused = state.run({"job", "errors", "run_c", "--export", csv});
        CHECK(refused.exit_code == 4);
        CHECK_THAT(refused.err, Catch::Contains("--force"));
        CHECK(read_file(csv) == "keep me");
        RunResult forced = state.run({"job", "errors", "run_c", "--export", csv, "--force"});
        CHECK(forced.exit_code == 0);
        CHECK(read_file(csv) == expected);
    }
    SECTION("CSV only for a run that read CSV") {
        const std::string not_csv = state.dir().file("a.csv");
        RunResult refused = state.run({"job", "errors", "run_a", "--export", not_csv});
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.err, Catch::Contains("did not read CSV"));
        CHECK_FALSE(exists(not_csv));
    }
    SECTION("- writes NDJSON to stdout") {
        RunResult out = state.run({"job", "errors", "run_a", "--export", "-"});
        CHECK(out.exit_code == 0);
        CHECK(out.out == "{\"id\":\"o-5\",\"email\":\"y\"}\n{\"id\":\"o-17\",\"email\":\"x\"}\n");
        CHECK_THAT(out.err, Catch::Contains("2 rows written to stdout"));
    }
    SECTION("warnings are not exported") {
        const std::string path = state.dir().file("w.ndjson");
        RunResult refused =
            state.run({"job", "errors", "run_c", "--export", path, "--severity", "warning"});
        CHECK(refused.exit_code == 2);
        CHECK_FALSE(exists(path));
    }
}

TEST_CASE("job show and errors of an unknown run exit 3", "[e2e][jobs][backends]") {
    HistoryState state;
    std::string before = snapshot(state.state());
    for (const char* command : {"show", "errors"}) {
        RunResult missing = state.run({"job", command, "run_nope"});
        INFO(command);
        CHECK(missing.exit_code == 3);
        CHECK(missing.err == "salesint: error: job run run_nope not found in tenant 'default'\n");
    }
    const std::string path = state.dir().file("nope.ndjson");
    CHECK(state.run({"job", "errors", "run_nope", "--export", path}).exit_code == 3);
    CHECK_FALSE(exists(path));
    CHECK(snapshot(state.state()) == before);
}

TEST_CASE("job list on a state file that does not exist yet behaves as outbox list",
          "[e2e][jobs][backends]") {
    TempDir dir;
    RunResult outbox = run_salesint({"--state", dir.file("a.db"), "outbox", "list", "-o", "json"});
    RunResult jobs = run_salesint({"--state", dir.file("b.db"), "job", "list", "-o", "json"});
    CHECK(jobs.exit_code == outbox.exit_code);
    CHECK(exists(dir.file("b.db")) == exists(dir.file("a.db")));
    if (outbox.exit_code == 0) {
        CHECK(jobs.json() == nlohmann::json::array());
    }
    RunResult show = run_salesint({"--state", dir.file("c.db"), "job", "show", "run_x"});
    CHECK(show.exit_code == 3);
}
