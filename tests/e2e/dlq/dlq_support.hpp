// Helpers of the dlq end-to-end tests: dead letters made by live executions
// of the ERP adapter that failed against a scripted server.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "e2e/webhook/scripted_server.hpp"
#include "support/state_query.hpp"

namespace salesint::test {

inline constexpr const char* kErpAdapter = "sales.erp.create_order.v1";

// Live executions order-0 .. order-(count-1) of the ERP adapter, one attempt
// each; the connector ERP answers them with failures, so each leaves a DLQ
// entry. The breaker is kept from opening on them.
inline void make_dead_letters(const SeededState& seeded, int count,
                              const std::map<std::string, std::string>& env = {}) {
    for (int i = 0; i < count; ++i) {
        RunOptions options;
        options.env = env;
        RunResult result =
            seeded.run({"execute", kErpAdapter, "--input", execute_fixture("erp-create-order.json"),
                        "--live", "--message-id", "order-" + std::to_string(i), "--max-attempts",
                        "1", "--breaker-min-calls", "1000"},
                       options);
        INFO(result.err);
        REQUIRE(result.exit_code == 5);
    }
    REQUIRE(count_rows(seeded.state(), "SELECT count(*) FROM dlq WHERE status = 'pending'") ==
            count);
}

// `dlq replay` with fast retries and a breaker that stays closed, plus args.
inline std::vector<std::string> replay_args(const std::vector<std::string>& args) {
    std::vector<std::string> all{"dlq",           "replay", "--backoff",           "10ms",
                                 "--max-backoff", "20ms",   "--breaker-min-calls", "1000"};
    all.insert(all.end(), args.begin(), args.end());
    return all;
}

// Puts every DLQ entry back to pending, as a copy of another state file
// (`dlq import`) would bring it.
inline void set_all_pending(const std::string& state) {
    state_exec(state,
               "UPDATE dlq SET status = 'pending', lease_owner = '', lease_expires_at = NULL");
}

}  // namespace salesint::test
