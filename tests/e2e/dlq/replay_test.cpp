// salesint dlq replay against a real HTTP server on 127.0.0.1: dead letters
// made by live executions and webhook deliveries that failed, replayed once
// the server is fixed, while it still fails, as a dry run, behind a canary,
// and as a local rehearsal.
#include <catch2/catch.hpp>

#include "e2e/dlq/dlq_support.hpp"
#include "e2e/webhook/webhook_support.hpp"

using namespace salesint::test;

TEST_CASE("dlq replay after the server is fixed runs each entry once under its message id",
          "[e2e][dlq][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503), answer(503), answer(503), answer(201)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    make_dead_letters(seeded, 3);
    REQUIRE(server.received().size() == 3);

    RunResult replayed = seeded.run(replay_args({"--all", "-o", "json"}));
    INFO(replayed.err);
    REQUIRE(replayed.exit_code == 0);
    nlohmann::json summary = replayed.json();
    CHECK(summary["replayed"] == 3);
    CHECK(summary["failed"] == 0);
    CHECK(summary["skipped"] == 0);
    CHECK(summary["left"] == 0);
    REQUIRE(summary["entries"].size() == 3);
    CHECK(summary["entries"][0]["outcome"] == "replayed");
    CHECK(summary["entries"][0]["execution_id"].is_string());

    // The server saw each message once more, with its original Idempotency-Key.
    auto received = server.received();
    REQUIRE(received.size() == 6);
    for (int i = 0; i < 3; ++i) {
        CHECK(received[3 + i].headers.find("Idempotency-Key")->second ==
              "order-" + std::to_string(i));
    }
    for (int i = 0; i < 3; ++i) {
        nlohmann::json shown =
            seeded.run({"execution", "show", "order-" + std::to_string(i), "-o", "json"}).json();
        CHECK(shown["execution"]["status"] == "succeeded");
        CHECK(shown["execution"]["retries"] == 1);
        CHECK(shown["facts"].size() == 2);  // the failure's, and one new
        REQUIRE(shown["dead_letters"].size() == 1);
        CHECK(shown["dead_letters"][0]["status"] == "replayed");
        CHECK(shown["dead_letters"][0]["replay_count"] == 1);
    }
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM executions WHERE mode = 'live' AND "
                     "status = 'succeeded'") == 3);
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq") == 3);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM dlq_replays WHERE outcome = "
                     "'replayed' AND actor = 'tester' AND mode = 'live'") == 3);
    CHECK(column_values(seeded.state(),
                        "SELECT new_value FROM audit_log WHERE action = 'dlq.replay'") ==
          std::vector<std::string>{R"({"replayed":3,"failed":0,"skipped":0,"left":0})"});
    CHECK(column_values(seeded.state(),
                        "SELECT actor FROM audit_log WHERE action = "
                        "'dlq.replay'") == std::vector<std::string>{"tester"});

    // Nothing is left to replay, and nothing is called.
    RunResult again = seeded.run(replay_args({"--all"}));
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Contains("replayed 0, still failing 0, skipped 0"));
    CHECK(server.received().size() == 6);
}

TEST_CASE("dlq replay while the server still fails leaves the entries pending with new attempts",
          "[e2e][dlq][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    make_dead_letters(seeded, 2);

    RunResult replayed =
        seeded.run(replay_args({"--all", "--max-attempts", "2", "--rate", "1000", "-o", "json"}));
    CHECK(replayed.exit_code == 1);
    nlohmann::json summary = replayed.json();
    CHECK(summary["replayed"] == 0);
    CHECK(summary["failed"] == 2);
    CHECK(summary["entries"][0]["outcome"] == "failed");
    CHECK_THAT(summary["entries"][0]["error"].get<std::string>(), Catch::Contains("503"));
    CHECK(server.received().size() == 2 + 4);

    // No new entry: the same ones, pending, their attempts appended.
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq") == 2);
    // attempts is a JSON array; counted here, as SQL's JSON functions differ by backend.
    for (const auto& row : state_query(seeded.state(),
                                       "SELECT status, replay_count, attempts "
                                       "FROM dlq ORDER BY id")) {
        CHECK(text_of(row[0]) == "pending");
        CHECK(text_of(row[1]) == "1");
        CHECK(nlohmann::json::parse(text_of(row[2])).size() == 3);
    }
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq_replays WHERE outcome = 'failed'") ==
          2);
    nlohmann::json shown = seeded.run({"execution", "show", "order-0", "-o", "json"}).json();
    CHECK(shown["execution"]["status"] == "dead_lettered");
    CHECK(shown["execution"]["retries"] == 1);
    CHECK(shown["attempts"].size() == 3);

    RunResult text = seeded.run(replay_args({"--all", "--max-attempts", "1"}));
    CHECK(text.exit_code == 1);
    CHECK_THAT(text.out, Catch::Contains("replayed 0, still failing 2, skipped 0, left for a "
                                         "later run 0 (live)"));
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq WHERE replay_count = 2") == 2);
}

TEST_CASE("a dry run of dlq replay lists each request and writes nothing", "[e2e][dlq][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503)});
    REQUIRE(seeded
                .run({"connector", "add", "ERP", "--base-url", server.url(), "--auth-method",
                      "bearer", "--secret-env", "ERP_TOKEN"})
                .exit_code == 0);
    make_dead_letters(seeded, 2, {{"ERP_TOKEN", "token-never-shown"}});
    const std::string before = snapshot(seeded.state());

    RunOptions with_token;
    with_token.env = {{"ERP_TOKEN", "token-never-shown"}};
    RunResult dry = seeded.run(replay_args({"--all", "--dry-run", "-o", "json"}), with_token);
    INFO(dry.err);
    REQUIRE(dry.exit_code == 0);
    nlohmann::json plan = dry.json();
    CHECK(plan["dry_run"] == true);
    CHECK(plan["count"] == 2);
    REQUIRE(plan["entries"].size() == 2);
    const nlohmann::json& request = plan["entries"][0]["request"];
    CHECK(plan["entries"][0]["action"] == "run");
    CHECK(request["method"] == "POST");
    CHECK_THAT(request["url"].get<std::string>(), Catch::StartsWith(server.origin()));
    CHECK(request["headers"]["Idempotency-Key"] == "order-0");
    CHECK(request["headers"]["Authorization"] == "(secret, added when sent)");
    CHECK_THAT(request["body"].get<std::string>(), Catch::Contains("{"));
    CHECK(dry.out.find("token-never-shown") == std::string::npos);

    RunResult text = seeded.run(replay_args({"--all", "--dry-run"}), with_token);
    CHECK(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("POST " + server.origin()) &&
                             Catch::Contains("2 entries would be replayed; nothing written"));

    CHECK(snapshot(seeded.state()) == before);
    CHECK(server.received().size() == 2);
}

TEST_CASE("the canary of dlq replay stops on a failure and leaves the rest",
          "[e2e][dlq][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    make_dead_letters(seeded, 3);

    RunResult canary =
        seeded.run(replay_args({"--all", "--canary", "1", "--max-attempts", "1", "-o", "json"}));
    CHECK(canary.exit_code == 1);
    nlohmann::json summary = canary.json();
    CHECK(summary["failed"] == 1);
    CHECK(summary["left"] == 2);
    CHECK(server.received().size() == 3 + 1);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM dlq WHERE replay_count = 0 AND "
                     "status = 'pending'") == 2);

    RunResult text = seeded.run(replay_args({"--all", "--canary", "2", "--max-attempts", "1"}));
    CHECK(text.exit_code == 1);
    CHECK_THAT(text.out, Catch::Contains("canary of 2 entries did not all succeed"));
    CHECK(server.received().size() == 3 + 1 + 2);
}

TEST_CASE("dlq replay does not run again a message that already succeeded",
          "[e2e][dlq][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503), answer(201)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    make_dead_letters(seeded, 1);
    REQUIRE(seeded.run({"execution", "retry", "order-0", "--breaker-min-calls", "100"}).exit_code ==
            0);
    REQUIRE(server.received().size() == 2);
    // The entry as a copy of another state file would bring it back: pending.
    set_all_pending(seeded.state());

    RunResult replayed = seeded.run(replay_args({"--all", "-o", "json"}));
    INFO(replayed.err);
    CHECK(replayed.exit_code == 0);
    nlohmann::json summary = replayed.json();
    CHECK(summary["skipped"] == 1);
    CHECK_THAT(summary["entries"][0]["error"].get<std::string>(),
               Catch::Contains("already succeeded"));
    CHECK(server.received().size() == 2);
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq WHERE status = 'replayed'") == 1);
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM executions") == 1);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM dlq_replays WHERE outcome = 'skipped'") == 1);
}

TEST_CASE("dlq replay rehearses locally with --deterministic and never calls the remote",
          "[e2e][dlq][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    make_dead_letters(seeded, 2);

    RunResult rehearsal = seeded.run(replay_args({"--all", "--deterministic"}));
    INFO(rehearsal.err);
    CHECK(rehearsal.exit_code == 0);
    CHECK_THAT(rehearsal.out,
               Catch::Contains("replayed 2") && Catch::Contains("the remote was not called"));
    CHECK(server.received().size() == 2);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM executions WHERE mode = "
                     "'deterministic' AND status = 'succeeded'") == 2);
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq WHERE status = 'replayed'") == 2);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM dlq_replays WHERE mode = "
                     "'deterministic'") == 2);
}

TEST_CASE("dlq replay says what to replay and checks its options before claiming",
          "[e2e][dlq][backends]") {
    SeededState seeded;
    RunResult nothing = seeded.run({"dlq", "replay"});
    CHECK(nothing.exit_code == 2);
    CHECK_THAT(nothing.err, Catch::Contains("--all"));
    CHECK(seeded.run({"dlq", "replay", "--all", "--group", "g_000000000000"}).exit_code == 2);
    CHECK(seeded.run({"dlq", "replay", "--all", "--rate", "fast"}).exit_code == 2);
    CHECK(seeded.run({"dlq", "replay", "no-such-entry"}).exit_code == 3);
    CHECK(seeded.run({"dlq", "replay", "--group", "g_000000000000"}).exit_code == 3);
    RunResult empty = seeded.run({"dlq", "replay", "--all", "-o", "json"});
    CHECK(empty.exit_code == 0);
    CHECK(empty.json()["replayed"] == 0);
}

TEST_CASE("dlq replay signs webhook deliveries again with the secret given now",
          "[e2e][dlq][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503), answer(200)});
    const std::string payload = seeded.dir().file("outcome.json");
    write_file(payload, R"({"orderId":"PX-TEST-001","outcome":"COMPLETED"})");
    RunResult failed = seeded.run(
        {"webhook", "send", "--url", server.url(), "--scheme", "standard", "--secret-env",
         "WEBHOOK_SECRET", "--payload", payload, "--id", "msg_replayed", "--max-attempts", "1"},
        {"", secret_env(), ""});
    REQUIRE(failed.exit_code == 5);
    const std::string before = snapshot(seeded.state());

    // A secret is needed, and one named but missing stops everything.
    RunResult unsigned_replay = seeded.run({"dlq", "replay", "--all"});
    CHECK(unsigned_replay.exit_code == 2);
    CHECK_THAT(unsigned_replay.err, Catch::Contains("--secret-env"));
    CHECK(seeded.run({"dlq", "replay", "--all", "--secret-env", "NOT_SET"}).exit_code == 2);
    CHECK(snapshot(seeded.state()) == before);

    const std::string rotated = "whsec_c2Vjb25kLXNlY3JldC1mb3ItcmVwbGF5LXRlc3RzISE=";
    RunOptions env{"", {{"ROTATED_SECRET", rotated}}, ""};
    RunResult dry = seeded.run(
        {"dlq", "replay", "--all", "--dry-run", "--secret-env", "ROTATED_SECRET", "-o", "json"},
        env);
    REQUIRE(dry.exit_code == 0);
    const nlohmann::json plan = dry.json();
    const nlohmann::json& request = plan["entries"][0]["request"];
    CHECK(plan["entries"][0]["action"] == "send");
    CHECK(request["url"] == server.url());
    CHECK(request["headers"]["webhook-signature"] == "(signed when sent)");
    CHECK(dry.out.find(rotated) == std::string::npos);

    RunResult replayed =
        seeded.run({"dlq", "replay", "--all", "--secret-env", "ROTATED_SECRET", "-o", "json"}, env);
    INFO(replayed.err);
    REQUIRE(replayed.exit_code == 0);
    CHECK(replayed.json()["replayed"] == 1);
    auto received = server.received();
    REQUIRE(received.size() == 2);
    const Received& sent = received[1];
    CHECK(sent.body == read_file(payload));
    CHECK(sent.headers.find("webhook-id")->second == "msg_replayed");

    // The signature verifies with the secret given now, not the old one.
    std::vector<std::string> verify{
        "webhook",   "verify",
        "--scheme",  "standard",
        "--payload", payload,
        "-H",        "webhook-id: " + sent.headers.find("webhook-id")->second,
        "-H",        "webhook-timestamp: " + sent.headers.find("webhook-timestamp")->second,
        "-H",        "webhook-signature: " + sent.headers.find("webhook-signature")->second};
    std::vector<std::string> with_rotated = verify;
    with_rotated.insert(with_rotated.end(), {"--secret-env", "ROTATED_SECRET"});
    CHECK(run_salesint(with_rotated, env).exit_code == 0);
    std::vector<std::string> with_old = verify;
    with_old.insert(with_old.end(), {"--secret-env", "WEBHOOK_SECRET"});
    CHECK(run_salesint(with_old, {"", secret_env(), ""}).exit_code == 1);

    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq WHERE status = 'replayed'") == 1);
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM webhook_deliveries WHERE source = "
                     "'replay' AND outcome = 'delivered' AND delivery_id = "
                     "'msg_replayed'") == 1);
    CHECK(snapshot(seeded.state()).find(rotated) == std::string::npos);
}

TEST_CASE("dlq replay stops with exit 5 once the connector's breaker opens",
          "[e2e][dlq][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    make_dead_letters(seeded, 3);

    RunResult replayed = seeded.run({"dlq", "replay", "--all", "--max-attempts", "1",
                                     "--breaker-min-calls", "1", "--rate", "1000", "-o", "json"});
    INFO(replayed.err);
    CHECK(replayed.exit_code == 5);
    nlohmann::json summary = replayed.json();
    CHECK(summary["replayed"] == 0);
    CHECK(summary["failed"] == 2);
    CHECK(summary["left"] == 1);
    CHECK_THAT(summary["entries"][1]["error"].get<std::string>(), Catch::Contains("CIRCUIT_OPEN"));
    CHECK(server.received().size() == 3 + 1);
    // The entry the open breaker kept from the remote is as it was.
    CHECK(count_rows(seeded.state(),
                     "SELECT count(*) FROM dlq WHERE status = 'pending' AND "
                     "replay_count = 0") == 2);
}
