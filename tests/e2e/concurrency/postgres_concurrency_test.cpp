// Several processes on one PostgreSQL state at once (README, "When one
// machine is not enough"): writers that read a key before they write it
// queue on it, the execution ledger takes each message once, and two relays
// publish each envelope once and in order per key. These run only against
// the test run's PostgreSQL server (tag [postgres]).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "support/pg_state.hpp"

using namespace salesint::test;

namespace {

int rows_per_process() {
    const char* override = std::getenv("SALESINT_TEST_CONCURRENT_ROWS");
    return override != nullptr ? std::min(500, std::atoi(override)) : 500;
}

// Runs body(process) in four threads, each standing for one process.
template <typename Body>
void four_processes(Body body) {
    std::vector<std::thread> threads;
    for (int process = 0; process < 4; ++process) {
        threads.emplace_back(body, process);
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
}

}  // namespace

TEST_CASE("four processes setting mappings and one checkpoint lose no update",
          "[e2e][concurrency][postgres]") {
    SeededState seeded;
    const int rows = rows_per_process();
    std::atomic<int> failures{0};
    std::atomic<int> refused{0};
    std::string first_error;
    four_processes([&](int process) {
        for (int i = 0; i < rows; ++i) {
            RunResult mapping =
                seeded.run({"mapping", "set", "TEMPO", "order",
                            "P" + std::to_string(process) + "-" + std::to_string(i)});
            // The checkpoint every process moves: values interleave, so a
            // lower one than what another process stored is refused (exit 4).
            RunResult checkpoint = seeded.run(
                {"checkpoint", "set", "TEMPO", "shared", std::to_string(i * 4 + process)});
            for (const RunResult* result : {&mapping, &checkpoint}) {
                if (result->exit_code == 4 && result == &checkpoint) {
                    ++refused;
                } else if (result->exit_code != 0 && failures++ == 0) {
                    first_error = result->err;
                }
            }
        }
    });
    INFO(first_error);
    CHECK(failures == 0);
    nlohmann::json mappings =
        seeded.run({"mapping", "list", "--system", "TEMPO", "-o", "json"}).json();
    CHECK(mappings.size() == static_cast<std::size_t>(4 * rows));
    // No lost update: the highest value was never refused, and nothing after
    // it moved the checkpoint back.
    nlohmann::json checkpoint =
        seeded.run({"checkpoint", "get", "TEMPO", "shared", "-o", "json"}).json();
    CHECK(checkpoint["value"] == std::to_string(4 * rows - 1));
    CHECK(refused < 4 * rows);
    CHECK(seeded.run({"state", "check"}).exit_code == 0);
}

TEST_CASE("four processes executing the same orders record each once",
          "[e2e][concurrency][postgres]") {
    SeededState seeded;
    const int rows = rows_per_process();
    // Processes 0 and 1 run one file, 2 and 3 another: each order is run by two.
    write_file(seeded.dir().file("a.ndjson"), order_intakes_ndjson(rows, "A-"));
    write_file(seeded.dir().file("b.ndjson"), order_intakes_ndjson(rows, "B-"));
    std::vector<RunResult> results(4);
    four_processes([&](int process) {
        results[static_cast<std::size_t>(process)] =
            seeded.run({"execute", "fsm.order.intake.v2", "--batch",
                        seeded.dir().file(process < 2 ? "a.ndjson" : "b.ndjson"), "-o", "ndjson"});
    });
    for (const RunResult& result : results) {
        INFO(result.err);
        CHECK(result.exit_code == 0);
    }
    nlohmann::json executions =
        seeded.run({"execution", "list", "--limit", "100000", "-o", "json"}).json();
    CHECK(executions.size() == static_cast<std::size_t>(2 * rows));
    nlohmann::json envelopes = seeded.run({"outbox", "list", "-o", "json"}).json();
    CHECK(envelopes.size() == static_cast<std::size_t>(4 * rows));
}

TEST_CASE("two relays at once publish each envelope once and each key in order",
          "[e2e][concurrency][outbox][postgres]") {
    SeededState seeded;
    const int rows = rows_per_process();
    write_file(seeded.dir().file("orders.ndjson"), order_intakes_ndjson(rows, "R-"));
    REQUIRE(
        seeded
            .run({"execute", "fsm.order.intake.v2", "--batch", seeded.dir().file("orders.ndjson")})
            .exit_code == 0);
    // Twenty keys, so that both relays meet on every key.
    postgres_query(seeded.state(), "UPDATE outbox SET partition_key = 'key-' || (id % 20)");

    RunResult first, second;
    std::thread a([&] {
        first = seeded.run(
            {"outbox", "relay", "--once", "--to", "file:" + seeded.dir().file("one.ndjson")});
    });
    second = seeded.run(
        {"outbox", "relay", "--once", "--to", "file:" + seeded.dir().file("two.ndjson")});
    a.join();
    INFO(first.err << second.err);
    REQUIRE(first.exit_code == 0);
    REQUIRE(second.exit_code == 0);

    std::multiset<std::string> published;
    for (const char* file : {"one.ndjson", "two.ndjson"}) {
        std::istringstream lines(read_file(seeded.dir().file(file)));
        for (std::string line; std::getline(lines, line);) {
            published.insert(nlohmann::json::parse(line)["meta"]["message_id"].get<std::string>());
        }
    }
    const std::set<std::string> distinct(published.begin(), published.end());
    CHECK(published.size() == static_cast<std::size_t>(2 * rows));  // nothing twice
    CHECK(distinct.size() == static_cast<std::size_t>(2 * rows));   // nothing left out

    // In order per key: by id, each key's envelopes were marked published at
    // non-decreasing times, whichever relay took them.
    nlohmann::json envelopes = seeded.run({"outbox", "list", "-o", "json"}).json();
    std::map<std::string, std::string> last_published;
    int out_of_order = 0;
    for (const auto& envelope : envelopes) {  // oldest first
        std::string& last = last_published[envelope["partition_key"].get<std::string>()];
        const std::string at = envelope["published_at"].get<std::string>();
        if (at < last) {
            ++out_of_order;
        }
        last = at;
    }
    CHECK(out_of_order == 0);
}
