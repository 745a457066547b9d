// execute --live against a real HTTP server on 127.0.0.1 started by the test:
// success, retries with backoff, permanent failure, the DLQ, the circuit
// breaker shared through the state file, the rate limit across processes, and
// a signed installation outcome checked by `webhook verify`.
#include <catch2/catch.hpp>

#include <future>
#include <sstream>
#include <thread>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "e2e/webhook/scripted_server.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

constexpr const char* kErp = "sales.erp.create_order.v1";

// A state file with an ERP connector pointing at url.
void add_erp(const SeededState& seeded, const std::string& url) {
    REQUIRE(seeded.run({"connector", "add", "ERP", "--name", "ERP", "--base-url", url}).exit_code ==
            0);
}

// An ERP order of its own (its own message id) for each quote.
std::string erp_order(const std::string& quote) {
    nlohmann::json order =
        nlohmann::json::parse(read_file(execute_fixture("erp-create-order.json")));
    order["quoteId"] = quote;
    return order.dump();
}

RunResult execute_live(const SeededState& seeded, const std::string& quote,
                       std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"execute", kErp,        "--input", "-",
                                  "--live",  "--backoff", "10ms",    "--max-backoff",
                                  "20ms",    "-o",        "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return seeded.run(args, {erp_order(quote), {{"USER", "tester"}}, ""});
}

std::string breaker_state(const std::string& state) {
    auto states =
        column_values(state, "SELECT state FROM circuit_breakers WHERE connector_code = 'ERP'");
    return states.empty() ? "" : states.front();
}

}  // namespace

TEST_CASE("live: a 2xx answer is the output, sent once with an Idempotency-Key",
          "[e2e][execute][live][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(201)});
    add_erp(seeded, server.url());
    RunResult result = execute_live(seeded, "Q-LIVE-1");
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    nlohmann::json outcome = result.json();
    CHECK(outcome["status"] == "succeeded");
    CHECK(outcome["mode"] == "live");
    CHECK(outcome["connector"] == "ERP");
    CHECK(outcome["attempts"] == 1);
    CHECK(outcome["output"] == nlohmann::json{{"ok", true}});
    auto received = server.received();
    REQUIRE(received.size() == 1);
    CHECK(received[0].headers.find("Idempotency-Key")->second == outcome["message_id"]);
    CHECK(nlohmann::json::parse(received[0].body) == nlohmann::json::parse(erp_order("Q-LIVE-1")));

    RunResult again = execute_live(seeded, "Q-LIVE-1");  // replayed: no second call
    CHECK(again.json()["replayed"] == true);
    CHECK(server.received().size() == 1);
}

TEST_CASE("live: transient failures are retried with backoff, then succeed",
          "[e2e][execute][live][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503, "1"), answer(502), answer(200)});
    add_erp(seeded, server.url());
    RunResult result = execute_live(seeded, "Q-LIVE-2");
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.json()["attempts"] == 3);
    CHECK_THAT(result.err, Catch::Contains("attempt 1/4: HTTP 503"));
    auto received = server.received();
    REQUIRE(received.size() == 3);
    // The server's Retry-After: 1 was honoured before the second attempt.
    CHECK(received[1].at - received[0].at >= std::chrono::milliseconds(900));
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq") == 0);
    CHECK(count_rows(seeded.state(), "SELECT attempts FROM executions") == 3);
}

TEST_CASE("live: a permanent refusal is not retried and goes to the DLQ",
          "[e2e][execute][live][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(422)});
    add_erp(seeded, server.url());
    RunResult result = execute_live(seeded, "Q-LIVE-3");
    CHECK(result.exit_code == 1);
    CHECK(result.json()["status"] == "failed");
    CHECK(result.json()["error_code"] == "REJECTED");
    // The HTTP status is kept as a detail.
    CHECK(result.json()["error"]["error"]["details"][0]["message"] == "HTTP 422 from ERP");
    CHECK(server.received().size() == 1);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM dlq WHERE source = 'execute' AND "
                     "error_code = 'REJECTED'") == 1);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM outbox WHERE envelope LIKE "
                     "'%IntegrationExecutionFailed%'") == 1);
}

TEST_CASE("live: retries that run out leave a DLQ entry with every attempt",
          "[e2e][execute][live][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(500)});
    add_erp(seeded, server.url());
    RunResult result = execute_live(seeded, "Q-LIVE-4", {"--max-attempts", "3"});
    CHECK(result.exit_code == 5);
    nlohmann::json outcome = result.json();
    CHECK(outcome["status"] == "dead_lettered");
    CHECK(outcome["attempts"] == 3);
    CHECK(server.received().size() == 3);
    auto attempts = column_values(seeded.state(), "SELECT attempts FROM dlq");
    REQUIRE(attempts.size() == 1);
    nlohmann::json history = nlohmann::json::parse(attempts[0]);
    REQUIRE(history.size() == 3);
    CHECK(history[2]["status"] == 500);
    auto rows = column_values(
        seeded.state(), "SELECT adapter_id || ' ' || message_id || ' ' || error_code FROM dlq");
    CHECK(rows[0] == std::string(kErp) + " " + outcome["message_id"].get<std::string>() +
                         " SERVICE_UNAVAILABLE");
    auto payloads = column_values(seeded.state(), "SELECT payload FROM dlq");
    CHECK(nlohmann::json::parse(payloads[0]) == nlohmann::json::parse(erp_order("Q-LIVE-4")));
}

TEST_CASE("live: the breaker opens across invocations and half-opens after its wait",
          "[e2e][execute][live][breaker][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(500), answer(500), answer(200)});
    add_erp(seeded, server.url());
    // A wait long enough that a slow machine (a sanitizer build under load)
    // does not see the breaker half-open before the refusals are checked.
    std::vector<std::string> breaker{"--max-attempts", "1", "--breaker-min-calls", "2",
                                     "--breaker-wait", "3s"};
    CHECK(execute_live(seeded, "Q-BRK-1", breaker).exit_code == 5);
    CHECK(breaker_state(seeded.state()) == "closed");
    CHECK(execute_live(seeded, "Q-BRK-2", breaker).exit_code == 5);
    CHECK(breaker_state(seeded.state()) == "open");  // 2 of 2 calls failed

    RunResult refused = execute_live(seeded, "Q-BRK-3", breaker);
    CHECK(refused.exit_code == 5);
    CHECK(refused.json()["status"] == "circuit_open");
    CHECK(server.received().size() == 2);  // not even tried
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM executions WHERE input LIKE '%Q-BRK-3%'") ==
          0);  // nothing recorded: safe to retry
    RunResult text = seeded.run({"execute", kErp, "--input", "-", "--live", "--breaker-wait", "3s"},
                                {erp_order("Q-BRK-3"), {}, ""});
    CHECK(text.exit_code == 5);
    CHECK_THAT(text.err, Catch::Contains("circuit breaker of connector ERP is open"));

    std::this_thread::sleep_for(std::chrono::milliseconds(3100));
    RunResult probe = execute_live(seeded, "Q-BRK-3", breaker);
    INFO(probe.err);
    CHECK(probe.exit_code == 0);  // the half-open probe went through and succeeded
    CHECK(server.received().size() == 3);
    CHECK(breaker_state(seeded.state()) == "closed");
}

TEST_CASE("live: the rate limit is shared by two processes through the state file",
          "[e2e][execute][live][rate_limit][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(200)});
    add_erp(seeded, server.url());
    // 2 a minute, bursts to 3: of six calls from two processes, three pass.
    auto batch = [&](const std::string& prefix) {
        std::string lines;
        for (int i = 0; i < 3; ++i) {
            lines += erp_order(prefix + std::to_string(i)) + "\n";
        }
        write_file(seeded.dir().file(prefix + ".ndjson"), lines);
        return seeded.run({"execute", kErp, "--batch", seeded.dir().file(prefix + ".ndjson"),
                           "--live", "--rate-limit", "2", "-o", "ndjson"});
    };
    auto first = std::async(std::launch::async, batch, "Q-RL-A");
    auto second = std::async(std::launch::async, batch, "Q-RL-B");
    RunResult a = first.get();
    RunResult b = second.get();
    int succeeded = 0;
    int limited = 0;
    for (const RunResult* result : {&a, &b}) {
        std::istringstream lines(result->out);
        for (std::string line; std::getline(lines, line);) {
            const std::string status = nlohmann::json::parse(line)["status"];
            succeeded += status == "succeeded";
            limited += status == "rate_limited";
        }
    }
    CHECK(succeeded == 3);
    CHECK(limited == 3);
    CHECK(server.received().size() == 3);
    CHECK((a.exit_code == 5 || b.exit_code == 5));
    RunResult text = seeded.run({"execute", kErp, "--input", "-", "--live", "--rate-limit", "2"},
                                {erp_order("Q-RL-C"), {}, ""});
    CHECK(text.exit_code == 5);
    CHECK_THAT(text.err, Catch::Contains("RATE_LIMIT_EXCEEDED"));
}

TEST_CASE("live: an installation outcome goes to PYXIS signed with the fsm scheme",
          "[e2e][execute][live][backends]") {
    SeededState seeded;  // PYXIS names its secret: $PYXIS_WEBHOOK_SECRET
    ScriptedServer server({answer(202)});
    REQUIRE(seeded.run({"connector", "set", "PYXIS", "--base-url", server.url()}).exit_code == 0);
    const std::map<std::string, std::string> env{{"PYXIS_WEBHOOK_SECRET", "pyxis-test-secret"},
                                                 {"USER", "tester"}};
    RunResult result =
        seeded.run({"execute", "fsm.installation_outcome.notify.v1", "--input",
                    execute_fixture("installation-outcome.json"), "--live", "-o", "json"},
                   {"", env, ""});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.json()["connector"] == "PYXIS");
    CHECK(result.json()["output"]["status"] == "DELIVERED");
    auto received = server.received();
    REQUIRE(received.size() == 1);
    write_file(seeded.dir().file("body.json"), received[0].body);
    RunResult verified =
        seeded.run({"webhook", "verify", "--scheme", "fsm", "--secret-env", "PYXIS_WEBHOOK_SECRET",
                    "--payload", seeded.dir().file("body.json"), "-H",
                    "X-FSM-Signature: " + received[0].headers.find("X-FSM-Signature")->second, "-H",
                    "X-FSM-Timestamp: " + received[0].headers.find("X-FSM-Timestamp")->second},
                   {"", env, ""});
    CHECK(verified.exit_code == 0);
    CHECK(received[0].headers.find("X-Correlation-ID") != received[0].headers.end());

    RunResult no_secret = seeded.run({"execute", "fsm.installation_outcome.notify.v1", "--input",
                                      execute_fixture("installation-outcome.json"), "--live",
                                      "--message-id", "other"});
    CHECK(no_secret.exit_code == 2);  // the variable is unset
}
