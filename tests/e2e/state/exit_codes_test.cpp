// state's exit codes: state check answers "no" (1) when an invariant is
// broken or an outbox envelope is not JSON, and a state file newer than the
// binary is refused (4) untouched.
#include <catch2/catch.hpp>

#include <algorithm>

#include <SQLiteCpp/Database.h>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "salesint/store.hpp"
#include "support/ports.hpp"
#include "support/run.hpp"
#include "support/state_query.hpp"

using namespace salesint::test;

TEST_CASE("state check exits 1 when an invariant is broken", "[e2e][exit_code][backends]") {
    SeededState seeded;
    {
        state_exec(seeded.state(),
                   "UPDATE checkpoints SET checkpoint_value = 'soon' WHERE system_code = 'PYXIS'");
    }
    RunResult result = seeded.run({"state", "check"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.out, Catch::Contains("checkpoint_values") && Catch::Contains("FAILED"));
}

TEST_CASE("a state file newer than the binary exits 4 naming both versions", "[e2e][exit_code]") {
    SeededState seeded;
    {
        SQLite::Database db(seeded.state(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = " + std::to_string(salesint::current_schema_version() + 1));
    }
    std::string before = snapshot(seeded.state());
    RunResult result = seeded.run({"mapping", "list"});
    CHECK(result.exit_code == 4);
    const int ours = salesint::current_schema_version();
    CHECK_THAT(result.err, Catch::Contains("schema version " + std::to_string(ours + 1)) &&
                               Catch::Contains("(" + std::to_string(ours) + ")"));
    CHECK(snapshot(seeded.state()) == before);
}

TEST_CASE("a PostgreSQL state newer than the binary exits 4 naming both versions",
          "[e2e][exit_code][postgres]") {
    SeededState seeded;
    const int ours = salesint::current_schema_version();
    state_exec(seeded.state(), "UPDATE schema_version SET version = " + std::to_string(ours + 1));
    const std::string before = snapshot(seeded.state());
    RunResult result = seeded.run({"mapping", "set", "TEMPO", "order", "NEW-1"});
    CHECK(result.exit_code == 4);
    CHECK_THAT(result.err, Catch::Contains("schema version " + std::to_string(ours + 1)) &&
                               Catch::Contains("(" + std::to_string(ours) + ")"));
    CHECK(snapshot(seeded.state()) == before);
}

TEST_CASE("state check finds an outbox envelope that is not JSON", "[e2e][execute][backends]") {
    TempDir dir;
    REQUIRE(run_salesint({"--state", dir.state(), "execute", kOrderIntake, "--input",
                          execute_fixture("order-intake.json")})
                .exit_code == 0);
    CHECK(run_salesint({"--state", dir.state(), "state", "check"}).exit_code == 0);
    {
        state_exec(dir.state(),
                   "UPDATE outbox SET envelope = '{\"meta\": ' WHERE topic = 'sales.order.intake'");
    }
    RunResult check = run_salesint({"--state", dir.state(), "state", "check"});
    CHECK(check.exit_code == 1);
    CHECK_THAT(check.out, Catch::Contains("json_columns") &&
                              Catch::Contains("1 execution outputs or outbox envelopes"));
}

TEST_CASE("a PostgreSQL server that does not answer exits 5 naming it, never the password",
          "[e2e][exit_code]") {
    // Nothing listens on a free port: the connection is refused at once.
    const std::string url =
        "postgresql://salesint:s3cret-pw@127.0.0.1:" + std::to_string(free_port()) +
        "/salesint?password=other-pw";
    RunResult result = run_salesint({"--state", url, "mapping", "list"});
    CHECK(result.exit_code == 5);
    CHECK_THAT(result.err, Catch::Contains("cannot connect to PostgreSQL at "
                                           "postgresql://salesint@127.0.0.1:"));
    CHECK(result.err.find("s3cret-pw") == std::string::npos);
    CHECK(result.err.find("other-pw") == std::string::npos);
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);

    RunResult typo = run_salesint({"--state", "postgressql://salesint@db/x", "state", "info"});
    CHECK(typo.exit_code == 2);
    CHECK_THAT(typo.err, Catch::Contains("did you mean \"postgresql\"?"));
}
