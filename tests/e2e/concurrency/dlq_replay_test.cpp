// dlq replay across processes: two replays of the same entries at once call
// the remote once per entry (each entry is claimed under a lease), and a
// replay killed part-way loses nothing and duplicates nothing once its lease
// ran out and the replay is run again.
#include <csignal>
#include <map>
#include <thread>

#include <catch2/catch.hpp>

#include "e2e/dlq/dlq_support.hpp"

using namespace salesint::test;

namespace {

std::vector<std::string> replay_command(const SeededState& seeded,
                                        const std::vector<std::string>& args) {
    std::vector<std::string> command{salesint_binary(), "--state", seeded.state()};
    for (const std::string& arg : replay_args(args)) {
        command.push_back(arg);
    }
    return command;
}

// How many requests carried each Idempotency-Key, after the first skip.
std::map<std::string, int> keys_after(const std::vector<Received>& received, std::size_t skip) {
    std::map<std::string, int> keys;
    for (std::size_t i = skip; i < received.size(); ++i) {
        auto key = received[i].headers.find("Idempotency-Key");
        ++keys[key == received[i].headers.end() ? std::string("(none)") : key->second];
    }
    return keys;
}

}  // namespace

TEST_CASE("two dlq replays at once call the remote once per entry",
          "[e2e][dlq][concurrency][backends]") {
    SeededState seeded;
    const int entries = 6;
    std::vector<Step> script(entries, answer(503));
    script.push_back(answer(201, "", std::chrono::milliseconds(100)));
    ScriptedServer server(script);
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    make_dead_letters(seeded, entries);

    RunOptions as_tester;
    as_tester.env = {{"USER", "tester"}};
    const auto command = replay_command(seeded, {"--all", "--rate", "1000", "-o", "json"});
    Background first(command, as_tester);
    Background second(command, as_tester);
    RunResult a = first.wait(60'000);
    RunResult b = second.wait(60'000);
    INFO(a.err << b.err);
    REQUIRE(a.exit_code == 0);
    REQUIRE(b.exit_code == 0);
    CHECK(a.json()["replayed"].get<int>() + b.json()["replayed"].get<int>() == entries);
    CHECK(a.json()["failed"] == 0);
    CHECK(b.json()["failed"] == 0);

    const auto keys = keys_after(server.received(), entries);
    CHECK(keys.size() == static_cast<std::size_t>(entries));
    for (const auto& [key, count] : keys) {
        INFO(key);
        CHECK(count == 1);
    }
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq WHERE status = 'replayed'") ==
          entries);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM executions WHERE status = "
                     "'succeeded'") == entries);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM audit_log WHERE action = "
                     "'dlq.replay'") == 2);
}

TEST_CASE("a dlq replay killed part-way is taken again once its lease ran out",
          "[e2e][dlq][concurrency][crash][backends]") {
    SeededState seeded;
    const int entries = 4;
    std::vector<Step> script(entries, answer(503));
    script.push_back(answer(201, "", std::chrono::milliseconds(5000)));  // the killed replay's
    script.push_back(answer(201));
    ScriptedServer server(script);
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    make_dead_letters(seeded, entries);

    {
        RunOptions as_tester;
        as_tester.env = {{"USER", "tester"}};
        Background running(replay_command(seeded, {"--all", "--lease", "1s", "--rate", "1000"}),
                           as_tester);
        // Killed while the server holds its first request.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (server.received().size() <= static_cast<std::size_t>(entries) &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        REQUIRE(server.received().size() == static_cast<std::size_t>(entries) + 1);
        running.signal(SIGKILL);
        running.wait();
    }
    // Its entry is held by the dead process until the lease runs out.
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq WHERE status = 'replaying'") == 1);
    CHECK(run_salesint({"--state", seeded.state(), "state", "check"}).exit_code == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(2200));

    RunResult again = seeded.run(replay_args({"--all", "--rate", "1000", "-o", "json"}));
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(again.json()["replayed"] == entries);

    // None lost, none duplicated: one entry and one succeeded execution per message.
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq") == entries);
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq WHERE status = 'replayed'") ==
          entries);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(DISTINCT message_id) FROM executions WHERE "
                     "mode = 'live' AND status = 'succeeded'") == entries);
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM executions") == entries);
    CHECK(run_salesint({"--state", seeded.state(), "state", "check"}).exit_code == 0);
    // The killed entry was called again under the same Idempotency-Key.
    const auto keys = keys_after(server.received(), entries);
    CHECK(keys.size() == static_cast<std::size_t>(entries));
    CHECK(keys.at("order-0") == 2);
}
