// salesint execution list | show | retry against a real HTTP server on
// 127.0.0.1: after a success, a failure and a dead letter, and a retry that
// keeps the Idempotency-Key.
#include <catch2/catch.hpp>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "e2e/webhook/scripted_server.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

TEST_CASE("execution list and show after a success, a failure and a dead letter",
          "[e2e][execution][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(201), answer(422), answer(503)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    CHECK(live_erp_order(seeded, "ok-1").exit_code == 0);
    CHECK(live_erp_order(seeded, "no-1").exit_code == 1);
    RunResult dead = live_erp_order(seeded, "dead-1", {"--max-attempts", "2"});
    CHECK(dead.exit_code == 5);

    nlohmann::json all = seeded.run({"execution", "list", "-o", "json"}).json();
    REQUIRE(all.size() == 3);
    nlohmann::json dead_only =
        seeded.run({"execution", "list", "--status", "dead_lettered", "-o", "json"}).json();
    REQUIRE(dead_only.size() == 1);
    CHECK(dead_only[0]["message_id"] == "dead-1");
    CHECK(dead_only[0]["error_code"] == "SERVICE_UNAVAILABLE");
    CHECK(dead_only[0]["attempts"] == 2);
    CHECK(seeded.run({"execution", "list", "--message-id", "no-1", "-o", "json"})
              .json()[0]["status"] == "failed");
    CHECK(seeded.run({"execution", "list", "--since", "1h", "-o", "json"}).json().size() == 3);
    CHECK(seeded.run({"execution", "list", "--since", "2999-01-01T00:00:00Z", "-o", "json"})
              .json()
              .empty());

    nlohmann::json shown = seeded.run({"execution", "show", "dead-1", "-o", "json"}).json();
    CHECK(shown["execution"]["status"] == "dead_lettered");
    CHECK(shown["execution"]["error"]["error"]["code"] == "SERVICE_UNAVAILABLE");
    REQUIRE(shown["attempts"].size() == 2);
    CHECK(shown["attempts"][0]["http_status"] == 503);
    CHECK(shown["attempts"][1]["run"] == 0);
    REQUIRE(shown["facts"].size() == 1);
    CHECK(shown["facts"][0]["type"] == "IntegrationExecutionDeadLettered");
    REQUIRE(shown["dead_letters"].size() == 1);
    CHECK(shown["dead_letters"][0]["status"] == "pending");
    CHECK(shown["retries"].empty());

    RunResult text = seeded.run({"execution", "show", dead.json()["execution_id"]});
    CHECK(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("status: dead_lettered") && Catch::Contains("HTTP 503") &&
                             Catch::Contains("dead letters:"));

    RunResult missing = seeded.run({"execution", "show", "nope"});
    CHECK(missing.exit_code == 3);
    CHECK_THAT(missing.err, Catch::Contains("no execution or message id nope"));
}

TEST_CASE("execution retry runs a dead letter again with the same Idempotency-Key",
          "[e2e][execution][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503), answer(503), answer(201)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    RunResult dead = live_erp_order(seeded, "order-9", {"--max-attempts", "2"});
    REQUIRE(dead.exit_code == 5);
    const std::string execution = dead.json()["execution_id"];

    // Running it again returns the stored outcome and says how to retry.
    RunResult again =
        seeded.run({"execute", kErpCreateOrder, "--input", execute_fixture("erp-create-order.json"),
                    "--live", "--message-id", "order-9"});
    CHECK(again.exit_code == 5);
    CHECK_THAT(again.err, Catch::Contains("salesint execution retry " + execution));
    CHECK(server.received().size() == 2);

    RunResult dry = seeded.run({"execution", "retry", execution, "--dry-run", "-o", "json"});
    CHECK(dry.exit_code == 0);
    CHECK(dry.json()["request"]["headers"]["Idempotency-Key"] == "order-9");
    CHECK(server.received().size() == 2);

    RunResult retried = seeded.run({"execution", "retry", "order-9", "-o", "json"});
    INFO(retried.err);
    REQUIRE(retried.exit_code == 0);
    CHECK(retried.json()["status"] == "succeeded");
    CHECK(retried.json()["run"] == 1);
    CHECK(retried.json()["execution_id"] == execution);
    auto received = server.received();
    REQUIRE(received.size() == 3);
    for (const Received& request : received) {
        CHECK(request.headers.find("Idempotency-Key")->second == "order-9");
    }

    nlohmann::json shown = seeded.run({"execution", "show", execution, "-o", "json"}).json();
    CHECK(shown["execution"]["status"] == "succeeded");
    CHECK(shown["execution"]["retries"] == 1);
    CHECK(shown["execution"]["attempts"] == 3);
    REQUIRE(shown["attempts"].size() == 3);
    CHECK(shown["attempts"][2]["run"] == 1);
    CHECK(shown["attempts"][2]["http_status"] == 201);
    CHECK(shown["dead_letters"][0]["status"] == "replayed");
    CHECK(shown["dead_letters"][0]["replay_count"] == 1);
    REQUIRE(shown["retries"].size() == 1);
    CHECK(shown["retries"][0]["old_value"] == "dead_lettered");
    CHECK(shown["retries"][0]["new_value"] == "succeeded");
    CHECK(shown["facts"].size() == 2);

    // Nothing left to retry; a rehearsal is not retried either.
    RunResult twice = seeded.run({"execution", "retry", execution});
    CHECK(twice.exit_code == 4);
    CHECK_THAT(twice.err, Catch::Contains("nothing to retry"));
    RunResult rehearsal =
        seeded.run({"execute", kErpCreateOrder, "--input", execute_fixture("erp-create-order.json"),
                    "--message-id", "rehearsal-1", "-o", "json"});
    RunResult not_live =
        seeded.run({"execution", "retry", rehearsal.json()["execution_id"].get<std::string>()});
    CHECK(not_live.exit_code == 4);
    CHECK(server.received().size() == 3);
}
