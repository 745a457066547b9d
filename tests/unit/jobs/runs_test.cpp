// The run history (src/jobs/runs.cpp): abandoned runs closed as interrupted,
// the JSON shape of a run, and the file of a run's rows in error; on a real
// SQLite file in a temp dir.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "salesint/jobs/runs.hpp"
#include "salesint/util/clock.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::add_connector;
using salesint::test::code_of;
using salesint::test::open_at;
using salesint::test::TempDir;

namespace {

JobRun running_run(const std::string& run_id, const std::string& worker) {
    JobRun run;
    run.run_id = run_id;
    run.system_code = "PYXIS";
    run.job_type = "import";
    run.entity_type = "order";
    run.source = "orders.ndjson";
    run.started_at = "2026-01-01T00:00:00Z";
    run.worker = worker;
    return run;
}

std::int64_t insert(Store& store, const JobRun& run, const std::vector<JobRowError>& errors = {}) {
    std::int64_t id = 0;
    store.write([&] {
        id = store.insert_job_run(run);
        store.insert_job_row_errors(id, errors);
    });
    return id;
}

// A pid of this host that no process has: a child that has exited and been reaped.
long gone_pid() {
    const pid_t child = fork();
    if (child == 0) {
        _exit(0);
    }
    REQUIRE(child > 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    return child;
}

std::string this_host() {
    const std::string worker = jobs::this_worker();
    return worker.substr(0, worker.rfind(':'));
}

JobRowError row_error(std::int64_t row, const std::string& severity, const std::string& raw) {
    JobRowError error;
    error.row_number = row;
    error.severity = severity;
    error.code = severity == "error" ? "invalid_order" : "unknown_field";
    error.message = "must be an email address";
    error.pointer = "/customer/email";
    error.raw_row = raw;
    return error;
}

}  // namespace

TEST_CASE("a run whose worker is gone is closed as interrupted", "[jobs][runs][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    add_connector(*store, "PYXIS");
    const std::string old = "2020-01-01T00:00:00Z";

    insert(*store, running_run("run_deadlocal", this_host() + ":" + std::to_string(gone_pid())));
    insert(*store, running_run("run_thisproc", jobs::this_worker()));
    JobRun far_stale = running_run("run_farstale", "elsewhere.invalid:4242");
    far_stale.heartbeat_at = old;
    insert(*store, far_stale);
    JobRun far_fresh = running_run("run_farfresh", "elsewhere.invalid:4243");
    far_fresh.heartbeat_at = now_rfc3339();
    insert(*store, far_fresh);

    std::vector<JobRun> closed = jobs::close_abandoned_runs(*store);
    std::vector<std::string> ids;
    for (const JobRun& run : closed) {
        ids.push_back(run.run_id);
    }
    std::sort(ids.begin(), ids.end());
    CHECK(ids == std::vector<std::string>{"run_deadlocal", "run_farstale"});

    for (const char* id : {"run_deadlocal", "run_farstale"}) {
        JobRun run = jobs::get_run(*store, id);
        INFO(id);
        CHECK(run.status == JobStatus::kInterrupted);
        REQUIRE_FALSE(run.completed_at.empty());
        CHECK(run.completed_at >= run.started_at);
    }
    CHECK(jobs::get_run(*store, "run_thisproc").status == JobStatus::kRunning);
    CHECK(jobs::get_run(*store, "run_thisproc").completed_at.empty());
    CHECK(jobs::get_run(*store, "run_farfresh").status == JobStatus::kRunning);

    SECTION("closing again finds nothing more") {
        CHECK(jobs::close_abandoned_runs(*store).empty());
    }
}

TEST_CASE("a run's JSON has its timing, counts, summary and first errors",
          "[jobs][runs][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    add_connector(*store, "PYXIS");
    JobRun run = running_run("run_shape", "host:1");
    run.status = JobStatus::kPartial;
    run.completed_at = "2026-01-01T00:00:02.500Z";
    run.requested_by_user_id = "alice";
    run.rows_total = 5000;
    run.rows_ok = 4998;
    run.error_count = 1;
    run.warning_count = 1;
    run.resume_after_row = 5000;
    run.checkpoint_before = "2025-12-31T00:00:00Z";
    run.checkpoint_after = "2026-01-01T00:00:00Z";
    run.resumed_from = "run_before";
    run.result_summary_json = R"({"created":4000,"updated":998})";
    run.id = insert(
        *store, run,
        {row_error(12, "error", R"({"id":"o-12"})"), row_error(30, "warning", R"({"id":"o-30"})")});

    const JobRun stored = jobs::get_run(*store, "run_shape");
    CHECK(jobs::duration_ms(stored) == 2500);
    const OrderedJson shown = jobs::run_json(stored, jobs::run_errors(*store, stored, 1));
    std::vector<std::string> keys;
    for (const auto& [key, value] : shown.items()) {
        keys.push_back(key);
    }
    CHECK(keys == std::vector<std::string>{
                      "run_id",       "job_type",        "system_code",          "entity_type",
                      "source",       "status",          "started_at",           "completed_at",
                      "duration_ms",  "rows_per_second", "requested_by_user_id", "rows_total",
                      "rows_ok",      "error_count",     "warning_count",        "resume_after_row",
                      "resumed_from", "worker",          "checkpoint",           "result_summary",
                      "first_errors"});
    CHECK(shown["status"] == "partial");
    CHECK(shown["duration_ms"] == 2500);
    CHECK(shown["rows_per_second"].get<double>() == Approx(2000.0));
    CHECK(shown["completed_at"] == "2026-01-01T00:00:02.500Z");
    CHECK(shown["checkpoint"]["before"] == "2025-12-31T00:00:00Z");
    CHECK(shown["checkpoint"]["after"] == "2026-01-01T00:00:00Z");
    CHECK(shown["result_summary"]["created"] == 4000);
    CHECK(shown["resumed_from"] == "run_before");
    REQUIRE(shown["first_errors"].size() == 1);
    CHECK(shown["first_errors"][0]["row"] == 12);
    CHECK(shown["first_errors"][0]["severity"] == "error");
    CHECK(shown["first_errors"][0]["pointer"] == "/customer/email");
    CHECK(shown["first_errors"][0]["record"] == R"({"id":"o-12"})");

    SECTION("a running run has no completion, no duration and no rate") {
        JobRun running = running_run("run_open", "host:2");
        running.rows_total = 10;
        const OrderedJson open = jobs::run_json(running, {});
        CHECK(open["completed_at"].is_null());
        CHECK(open["duration_ms"] == 0);
        CHECK(open["rows_per_second"].get<double>() == 0.0);
        CHECK(open["first_errors"].empty());
        CHECK(open["result_summary"] == OrderedJson::object());
    }
    SECTION("an unknown run is not found") {
        CHECK(code_of([&] { jobs::get_run(*store, "run_nope"); }) == ExitCode::kNotFound);
    }
    SECTION("errors of one severity") {
        CHECK(jobs::run_errors_of(*store, stored, "").size() == 2);
        auto warnings = jobs::run_errors_of(*store, stored, "warning");
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].row_number == 30);
        CHECK(code_of([&] { jobs::run_errors_of(*store, stored, "fatal"); }) == ExitCode::kUsage);
    }
}

TEST_CASE("the rows in error are written as a file to fix and import again",
          "[jobs][runs][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    add_connector(*store, "PYXIS");
    JobRun csv_run = running_run("run_csv", "host:1");
    csv_run.status = JobStatus::kPartial;
    csv_run.completed_at = "2026-01-01T00:00:01Z";
    csv_run.result_summary_json = R"({"columns":["id","customer.email","note, free"]})";
    csv_run.id = insert(
        *store, csv_run,
        {row_error(3, "error", "o-3,bad-email,x\r\n"), row_error(4, "warning", "o-4,a@b.example,y"),
         row_error(7, "error", "o-7,,\"multi\nline\"")});
    JobRun json_run = running_run("run_json", "host:2");
    json_run.status = JobStatus::kPartial;
    json_run.completed_at = "2026-01-01T00:00:01Z";
    json_run.id = insert(
        *store, json_run,
        {row_error(2, "error", "{\n  \"id\": \"o-2\"\n}"), row_error(5, "error", "{not json")});

    SECTION("CSV: the run's header, then each row in error as it was read") {
        const jobs::RetryFile file = jobs::retry_file(*store, csv_run, /*csv=*/true);
        CHECK(file.rows == 2);
        CHECK(file.text ==
              "id,customer.email,\"note, free\"\no-3,bad-email,x\no-7,,\"multi\nline\"\n");
    }
    SECTION("NDJSON: one record a line") {
        const jobs::RetryFile file = jobs::retry_file(*store, json_run, /*csv=*/false);
        CHECK(file.rows == 2);
        CHECK(file.text == "{   \"id\": \"o-2\" }\n{not json\n");
    }
    SECTION("CSV of a run that did not read CSV is refused") {
        CHECK(code_of([&] { jobs::retry_file(*store, json_run, true); }) == ExitCode::kUsage);
    }
    SECTION("written by the file's name, never over an existing file unless asked") {
        CHECK(jobs::is_csv_path("fix.CSV"));
        CHECK_FALSE(jobs::is_csv_path("fix.ndjson"));
        const std::string path = dir.file("fix.csv");
        CHECK(jobs::write_retry_file(*store, csv_run, path, false) == 2);
        CHECK(salesint::test::read_file(path).rfind("id,customer.email,", 0) == 0);
        CHECK(code_of([&] { jobs::write_retry_file(*store, csv_run, path, false); }) ==
              ExitCode::kRefused);
        salesint::test::write_file(path, "kept");
        CHECK(code_of([&] { jobs::write_retry_file(*store, csv_run, path, false); }) ==
              ExitCode::kRefused);
        CHECK(salesint::test::read_file(path) == "kept");
        CHECK(jobs::write_retry_file(*store, csv_run, path, true) == 2);
        CHECK(salesint::test::read_file(path) != "kept");
    }
}
