// SIGINT or SIGTERM during a batch: the current transaction commits or rolls
// back, the output holds exactly the committed rows and a summary, the exit
// code is 130 or 143, and running the same batch again completes it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <map>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "e2e/execute/execute_support.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

std::vector<nlohmann::json> ndjson_lines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(nlohmann::json::parse(line));  // never half a line
    }
    return lines;
}

}  // namespace

TEST_CASE("a signal during a batch reports only committed rows and the rerun completes",
          "[e2e][execute][batch][signal][backends]") {
    const auto [signal_number, expected_exit] =
        GENERATE(std::pair{SIGINT, 130}, std::pair{SIGTERM, 143});
    TempDir dir;
    const int rows = 25'000;
    write_file(dir.file("orders.ndjson"), order_intakes_ndjson(rows, "PX-SIGNAL-"));
    const std::vector<std::string> batch{
        salesint_binary(),         "--state", dir.state(), "execute", kOrderIntake, "--batch",
        dir.file("orders.ndjson"), "-o",      "ndjson"};
    RunResult stopped;
    {
        Background running(batch);
        // Signalled once the first transaction has committed, and its rows
        // have filled the pipe that nobody reads yet: the signal comes while
        // a write is blocked, and that write must still complete whole lines.
        REQUIRE(wait_for_first_commit(dir.state()));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        running.signal(signal_number);
        stopped = running.wait(120'000);
    }
    INFO(stopped.err);
    CHECK(stopped.exit_code == expected_exit);
    CHECK_THAT(stopped.err, Catch::Contains("interrupted") && Catch::Contains("run the same"));

    const std::vector<nlohmann::json> printed = ndjson_lines(stopped.out);
    const long long committed = count_rows(dir.state(), "SELECT count(*) FROM executions");
    INFO(printed.size() << " rows printed, " << committed << " committed");
    CHECK(committed < rows);  // stopped part-way
    CHECK(static_cast<long long>(printed.size()) == committed);
    // Every printed row committed exactly once (one read of the file: a
    // query per row took minutes under the sanitizers).
    std::map<std::string, int> stored;
    for (const std::string& id : column_values(dir.state(), "SELECT message_id FROM executions")) {
        ++stored[id];
    }
    for (const auto& row : printed) {
        CHECK(stored[row["message_id"].get<std::string>()] == 1);
    }
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM outbox") == 2 * committed);

    RunResult resumed = run_salesint(
        {"--state", dir.state(), "execute", kOrderIntake, "--batch", dir.file("orders.ndjson")});
    INFO(resumed.err);
    CHECK(resumed.exit_code == 0);
    CHECK_THAT(resumed.out, Catch::Contains("(" + std::to_string(committed) + " replayed)"));
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM executions") == rows);
}

TEST_CASE("a signal while a batch waits on a pipe ends it at once",
          "[e2e][execute][batch][signal][backends]") {
    TempDir dir;
    // A FIFO held open for writing that sends nothing: the reader waits on it,
    // and must not hold the exit.
    const std::string fifo = dir.file("in.fifo");
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    const int writer = open(fifo.c_str(), O_RDWR | O_CLOEXEC);  // does not block on Linux
    REQUIRE(writer >= 0);
    Background running({salesint_binary(), "--state", dir.state(), "execute", kOrderIntake,
                        "--batch", fifo, "-o", "ndjson"});
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto sent = std::chrono::steady_clock::now();
    running.signal(SIGINT);
    RunResult stopped = running.wait(10'000);
    const auto took = std::chrono::steady_clock::now() - sent;
    close(writer);
    INFO(stopped.err);
    CHECK(stopped.exit_code == 130);
    CHECK(took < std::chrono::seconds(3));
}
