// A batch killed with SIGKILL at an arbitrary instant leaves a consistent
// state file, and running the same batch again completes it: committed rows
// replay, the rest execute, and nothing is recorded twice.
#include <csignal>
#include <thread>

#include <catch2/catch.hpp>

#include "e2e/execute/execute_support.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

TEST_CASE("a batch killed part-way is consistent and resumes",
          "[e2e][execute][batch][crash][backends]") {
    TempDir dir;
    const int rows = 30'000;
    write_file(dir.file("orders.ndjson"), order_intakes_ndjson(rows, "PX-KILL-"));
    const std::vector<std::string> batch{
        salesint_binary(), "--state",    dir.state(), "-q",
        "execute",         kOrderIntake, "--batch",   dir.file("orders.ndjson")};
    {
        Background running(batch);
        // Killed once the first transaction of rows has committed: mid-way.
        REQUIRE(wait_for_first_commit(dir.state()));
        running.signal(SIGKILL);
        running.wait();
    }
    const long long executed = count_rows(dir.state(), "SELECT count(*) FROM executions");
    INFO(executed << " executions committed before the kill");
    CHECK(executed > 0);
    CHECK(executed < rows);  // it was stopped part-way
    // Whole transactions only: every execution has its fact and its event.
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM outbox") == 2 * executed);
    CHECK(run_salesint({"--state", dir.state(), "state", "check"}).exit_code == 0);

    RunResult resumed = run_salesint(
        {"--state", dir.state(), "execute", kOrderIntake, "--batch", dir.file("orders.ndjson")});
    INFO(resumed.err);
    CHECK(resumed.exit_code == 0);
    CHECK_THAT(resumed.out, Catch::Contains("(" + std::to_string(executed) + " replayed)"));
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM executions") == rows);
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM outbox") == 2 * rows);
}
