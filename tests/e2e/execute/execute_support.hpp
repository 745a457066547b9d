// Helpers shared by the execute end-to-end tests: fixtures and counts read
// straight from the state (a SQLite file or a PostgreSQL database).
#pragma once

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "e2e/seeded_state.hpp"
#include "support/run.hpp"
#include "support/state_query.hpp"
#include "support/temp_state.hpp"

namespace salesint::test {

inline constexpr const char* kOrderIntake = "fsm.order.intake.v2";
inline constexpr const char* kFixedNow = "2026-11-23T10:00:00Z";

inline std::string execute_fixture(const std::string& name) {
    return fixtures_dir() + "/execute/" + name;
}

// rows copies of the sample order intake as NDJSON, each with its own
// externalOrderId (id_prefix + its number), so each is a new execution.
inline constexpr const char* kErpCreateOrder = "sales.erp.create_order.v1";

// The ERP example order sent live under message_id, with short backoffs so
// that retries take milliseconds; extra options are appended.
inline RunResult live_erp_order(const SeededState& seeded, const std::string& message_id,
                                std::vector<std::string> extra = {}) {
    std::vector<std::string> args{
        "execute", kErpCreateOrder, "--input",  execute_fixture("erp-create-order.json"),
        "--live",  "--message-id",  message_id, "--backoff",
        "10ms",    "--max-backoff", "20ms",     "-o",
        "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return seeded.run(args);
}

inline std::string order_intakes_ndjson(int rows, const std::string& id_prefix) {
    nlohmann::json order = nlohmann::json::parse(read_file(execute_fixture("order-intake.json")));
    std::string lines;
    for (int i = 0; i < rows; ++i) {
        order["externalOrderId"] = id_prefix + std::to_string(i);
        lines += order.dump() + "\n";
    }
    return lines;
}

// SELECT count(*) ... on the state.
inline long long count_rows(const std::string& state, const std::string& sql) {
    return state_count(state, sql);
}

// Waits (at most 60 s) until a batch writing to state has committed its first
// transaction, which a reader sees (through the WAL in a SQLite file): the
// batch is mid-way.
inline bool wait_for_first_commit(const std::string& state) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            if (count_rows(state, "SELECT count(*) FROM executions") > 0) {
                return true;
            }
        } catch (const std::exception&) {
            // not created or migrated yet
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

inline std::vector<std::string> column_values(const std::string& state, const std::string& sql) {
    return state_column(state, sql);
}

}  // namespace salesint::test
