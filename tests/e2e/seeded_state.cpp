#include "seeded_state.hpp"

#include <catch2/catch.hpp>

namespace salesint::test {

SeededState::SeededState() : state_(dir_.state()) {
    const std::vector<std::vector<std::string>> seed{
        {"connector", "add", "PYXIS", "--name", "Pyxis sales", "--base-url",
         "https://pyxis.example.com/api", "--auth-method", "hmac", "--secret-env",
         "PYXIS_WEBHOOK_SECRET"},
        {"connector", "add", "TEMPO"},
        {"mapping", "set", "PYXIS", "customer", "CUST-1", "--uuid", kCustomerUuid},
        {"mapping", "set", "PYXIS", "customer", "CUST-2"},
        {"mapping", "approve", "PYXIS", "customer", "--reason", "seed"},
        {"checkpoint", "set", "PYXIS", "orders", "2026-11-01T00:00:00Z"},
        {"checkpoint", "set", "TEMPO", "orders", "1500"},
    };
    for (const auto& args : seed) {
        RunResult result = run(args);
        INFO("seeding: " << result.err);
        REQUIRE(result.exit_code == 0);
    }
}

RunResult SeededState::run(std::vector<std::string> args, RunOptions options) const {
    args.insert(args.begin(), {"--state", state_});
    options.env.emplace("USER", "tester");
    return run_salesint(args, options);
}

}  // namespace salesint::test
