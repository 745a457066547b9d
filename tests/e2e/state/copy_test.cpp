// state copy: a rich SQLite state (fixtures/walkthrough.sh) copied into a
// PostgreSQL database and from there into a second SQLite file comes back
// row for row; a target that holds rows is refused (exit 4) untouched.
// Tagged [postgres]: it needs the test server in either run (pg/ only).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "e2e/inbox/inbox_support.hpp"
#include "support/pg_state.hpp"
#include "support/ports.hpp"
#include "support/run.hpp"
#include "support/state_query.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

// A database of the test server, dropped at the end of the test.
struct PostgresDatabase {
    PostgresDatabase() : url(postgres_state_url()) {}
    ~PostgresDatabase() { drop_postgres_state(url); }
    PostgresDatabase(const PostgresDatabase&) = delete;
    PostgresDatabase& operator=(const PostgresDatabase&) = delete;
    std::string url;
};

// Fills the SQLite file at state with what the walkthrough does: connectors,
// mappings, checkpoints, job runs with row errors, executions, the outbox,
// the DLQ and its replays, deliveries, breakers and the audit log; plus two
// envelopes consumed into the inbox, which the walkthrough leaves empty.
void build_rich_state(const TempDir& dir, const std::string& state) {
    RunOptions options;
    const char* path = std::getenv("PATH");
    options.env = {{"PATH", path != nullptr ? path : "/usr/bin:/bin"},
                   {"USER", "tester"},
                   {"SALESINT", salesint_binary()},
                   {"SALESINT_STATE", state},
                   {"WALKTHROUGH_PORT", std::to_string(free_port())}};
    RunResult walked = run_program({"/bin/sh", fixtures_dir() + "/walkthrough.sh"}, options);
    INFO(walked.err);
    REQUIRE(walked.exit_code == 0);
    write_file(dir.file("inbox.ndjson"), envelope_line("copy-1") + "\n" + envelope_line("copy-2"));
    RunResult consumed =
        run_salesint({"--state", state, "inbox", "consume", "--from", dir.file("inbox.ndjson")});
    INFO(consumed.err);
    REQUIRE(consumed.exit_code == 0);
}

// The row counts of the tenant per table, as `state info` prints them.
nlohmann::json table_counts(const std::string& state) {
    RunResult info = run_salesint({"--state", state, "state", "info", "-o", "json"});
    INFO(info.err);
    REQUIRE(info.exit_code == 0);
    return info.json()["tables"];
}

// Every row of a table (the outbox through its view), sorted: the content,
// not the physical order.
std::vector<Row> sorted_rows(const std::string& state, const std::string& table) {
    std::vector<Row> rows = state_query(state, "SELECT * FROM " + table);
    std::sort(rows.begin(), rows.end());
    return rows;
}

}  // namespace

TEST_CASE("state copy to PostgreSQL and back to a file keeps every row",
          "[e2e][state][copy][postgres]") {
    TempDir dir;
    const std::string a = dir.file("a.db");
    const std::string b = dir.file("b.db");
    PostgresDatabase pg;
    build_rich_state(dir, a);

    const nlohmann::json counts = table_counts(a);
    REQUIRE(counts.size() >= 15);
    // The test means something only if the walkthrough filled the tables
    // (all but webhook_deliveries and rate_limit_windows).
    for (const char* table : {"connectors", "mappings", "checkpoints", "job_runs", "job_row_errors",
                              "executions", "execution_attempts", "dlq", "dlq_replays", "outbox",
                              "inbox", "audit_log", "circuit_breakers"}) {
        INFO(table);
        CHECK(counts.value(table, 0) > 0);
    }

    RunResult there = run_salesint({"--state", a, "state", "copy", "--to", pg.url, "-o", "json"});
    INFO(there.err);
    REQUIRE(there.exit_code == 0);
    RunResult back = run_salesint({"--state", pg.url, "state", "copy", "--to", b, "-o", "json"});
    INFO(back.err);
    REQUIRE(back.exit_code == 0);
    CHECK(there.json()["rows"] == back.json()["rows"]);
    CHECK(there.json()["tables"] == back.json()["tables"]);

    for (const auto& [table, rows] : counts.items()) {
        INFO(table);
        const std::vector<Row> from = sorted_rows(a, table);
        CHECK(static_cast<long long>(from.size()) ==
              state_count(a, "SELECT count(*) FROM " + table));
        CHECK(sorted_rows(b, table) == from);
        CHECK(state_count(pg.url, "SELECT count(*) FROM " + table) ==
              static_cast<long long>(from.size()));
    }

    // state info on the PostgreSQL copy counts what the file holds.
    CHECK(table_counts(pg.url) == counts);
    // Blobs come back as their bytes on both (BLOB, bytea).
    CHECK(state_column(pg.url, "SELECT body FROM inbox ORDER BY id") ==
          state_column(a, "SELECT body FROM inbox ORDER BY id"));
    CHECK(state_column(pg.url, "SELECT payload FROM dlq ORDER BY id") ==
          state_column(a, "SELECT payload FROM dlq ORDER BY id"));

    // A second copy into a state that holds rows is refused, leaving it unchanged.
    const std::string pg_before = snapshot(pg.url);
    RunResult again = run_salesint({"--state", a, "state", "copy", "--to", pg.url});
    CHECK(again.exit_code == 4);
    CHECK_THAT(again.err, Catch::Contains("already holds"));
    CHECK(snapshot(pg.url) == pg_before);
    const std::string b_before = snapshot(b);
    RunResult into_file = run_salesint({"--state", pg.url, "state", "copy", "--to", b});
    CHECK(into_file.exit_code == 4);
    CHECK(snapshot(b) == b_before);
}
