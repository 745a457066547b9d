// Two processes writing one state file at once must both succeed: SQLite's
// busy timeout and BEGIN IMMEDIATE make them queue instead of failing.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <thread>

#include "e2e/seeded_state.hpp"

using namespace salesint::test;

// On PostgreSQL, postgres_concurrency_test.cpp runs four such writers.
TEST_CASE("two processes writing 2,000 mappings each lose nothing", "[e2e][concurrency]") {
    SeededState seeded;
    int per_writer = 2000;
    if (const char* override = std::getenv("SALESINT_TEST_CONCURRENT_ROWS")) {
        per_writer = std::atoi(override);
    }
    auto writer = [&](const std::string& prefix, int& failures, std::string& first_error) {
        for (int i = 0; i < per_writer; ++i) {
            RunResult result =
                seeded.run({"mapping", "set", "TEMPO", "order", prefix + std::to_string(i)});
            if (result.exit_code != 0 && failures++ == 0) {
                first_error = result.err;
            }
        }
    };
    int failures_a = 0, failures_b = 0;
    std::string error_a, error_b;
    std::thread a(writer, "A-", std::ref(failures_a), std::ref(error_a));
    std::thread b(writer, "B-", std::ref(failures_b), std::ref(error_b));
    a.join();
    b.join();
    INFO(error_a << error_b);
    CHECK(failures_a == 0);
    CHECK(failures_b == 0);
    nlohmann::json rows = seeded.run({"mapping", "list", "--system", "TEMPO", "-o", "json"}).json();
    CHECK(rows.size() == static_cast<std::size_t>(2 * per_writer));
    CHECK(seeded.run({"state", "check"}).exit_code == 0);
}
