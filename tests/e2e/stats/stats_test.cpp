// salesint stats and stats --check over real live executions against a
// scripted server on 127.0.0.1, and the breaker they open, shown by
// `connector show` and closed by `connector breaker-reset` (audited).
#include <catch2/catch.hpp>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "e2e/webhook/scripted_server.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

TEST_CASE("stats counts executions, failures, durations, the DLQ and the outbox per adapter",
          "[e2e][stats][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(201), answer(201), answer(503)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    REQUIRE(live_erp_order(seeded, "ok-1").exit_code == 0);
    REQUIRE(live_erp_order(seeded, "ok-2").exit_code == 0);
    REQUIRE(live_erp_order(seeded, "dead-1", {"--max-attempts", "2"}).exit_code == 5);

    RunResult result = seeded.run({"stats", "-o", "json"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    nlohmann::json report = result.json();
    REQUIRE(report["adapters"].size() == 1);
    nlohmann::json erp = report["adapters"][0];
    CHECK(erp["adapter_id"] == kErpCreateOrder);
    CHECK(erp["executions"] == 3);
    CHECK(erp["succeeded"] == 2);
    CHECK(erp["failed"] == 1);
    CHECK(erp["error_rate"].get<double>() == Approx(1.0 / 3));
    CHECK(erp["p50_ms"].get<long>() <= erp["p99_ms"].get<long>());
    CHECK(erp["dlq_pending"] == 1);
    CHECK(erp["oldest_pending_dlq_at"].is_string());
    CHECK(report["dlq"]["pending"] == 1);
    CHECK(report["outbox"]["backlog"].get<int>() >= 3);  // a fact per execution at least
    CHECK(report["webhooks"]["success_rate"].is_null());
    CHECK(report["open_breakers"].empty());

    CHECK(seeded.run({"stats", "--adapter", "nope", "-o", "json"}).json()["adapters"].empty());
    CHECK(seeded.run({"stats", "--since", "2999-01-01T00:00:00Z", "-o", "json"})
              .json()["adapters"][0]["executions"] == 0);

    RunResult text = seeded.run({"stats"});
    CHECK(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains(kErpCreateOrder) && Catch::Contains("33.3%") &&
                             Catch::Contains("DLQ: 1 pending") &&
                             Catch::Contains("circuit breakers open: none"));
}

TEST_CASE("stats --check prints one line per breach and exits 1, 0 once within thresholds",
          "[e2e][stats][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(201), answer(503)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    REQUIRE(live_erp_order(seeded, "ok-1").exit_code == 0);
    REQUIRE(live_erp_order(seeded, "dead-1", {"--max-attempts", "1"}).exit_code == 5);

    RunResult breached = seeded.run({"stats", "--check"});
    CHECK(breached.exit_code == 1);
    CHECK_THAT(breached.out, Catch::Contains("error_rate: sales.erp.create_order.v1: error rate "
                                             "50.0% (1 of 2) over the last 5 min, above 5.0%"));
    CHECK_THAT(breached.out, Catch::Contains("dlq_size: DLQ: 1 pending entries, above 0"));
    CHECK_THAT(breached.out, !Catch::Contains("p95_latency"));

    RunResult json = seeded.run({"stats", "--check", "-o", "json"});
    CHECK(json.exit_code == 1);
    CHECK(json.json()["ok"] == false);
    CHECK(json.json()["breaches"].size() == 2);

    RunResult relaxed = seeded.run({"stats", "--check", "--max-error-rate", "60", "--max-dlq", "1",
                                    "--max-outbox-age", "off"});
    CHECK(relaxed.exit_code == 0);
    CHECK_THAT(relaxed.out, Catch::Contains("ok: no threshold crossed"));

    RunResult slow = seeded.run(
        {"stats", "--check", "--max-p95", "1ms", "--max-error-rate", "100", "--max-dlq", "-1"});
    CHECK(slow.exit_code == 1);
    CHECK_THAT(slow.out, Catch::Contains("p95_latency: sales.erp.create_order.v1: P95 "));

    RunResult bad = seeded.run({"stats", "--check", "--max-error-rate", "5x"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("--max-error-rate: '5x' is not a percentage"));
}

TEST_CASE("an open breaker shows in connector show and stats --check until breaker-reset",
          "[e2e][stats][connector][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    for (int i = 0; i < 2; ++i) {
        live_erp_order(seeded, "down-" + std::to_string(i),
                       {"--max-attempts", "1", "--breaker-min-calls", "2", "--breaker-wait", "1h"});
    }
    nlohmann::json shown = seeded.run({"connector", "show", "ERP", "-o", "json"}).json();
    CHECK(shown["breaker"]["state"] == "open");
    CHECK(shown["breaker"]["opened_at"].is_string());
    CHECK(shown["breaker"]["next_probe_at"].is_string());

    RunResult check =
        seeded.run({"stats", "--check", "--max-error-rate", "100", "--max-dlq", "-1"});
    CHECK(check.exit_code == 1);
    CHECK_THAT(check.out, Catch::Contains("breaker_open: ERP: circuit breaker open since "));

    CHECK(seeded.run({"connector", "breaker-reset", "ERP"}).exit_code == 2);  // no reason
    RunResult reset = seeded.run({"connector", "breaker-reset", "ERP", "--reason", "ERP is back"});
    CHECK(reset.exit_code == 0);
    CHECK(seeded.run({"connector", "show", "ERP", "-o", "json"}).json()["breaker"]["state"] ==
          "closed");
    nlohmann::json audit =
        seeded.run({"audit", "list", "--action", "connector", "-o", "json"}).json();
    REQUIRE_FALSE(audit.empty());
    CHECK(audit.back()["action"] == "connector.breaker_reset");
    CHECK(audit.back()["old_value"] == "open (2/2 failed)");
    CHECK(audit.back()["reason"] == "ERP is back");
    CHECK(
        seeded.run({"stats", "--check", "--max-error-rate", "100", "--max-dlq", "-1"}).exit_code ==
        0);
}

TEST_CASE("every connector change is audited with the fields it changed",
          "[e2e][connector][backends]") {
    SeededState seeded;
    REQUIRE(
        seeded.run({"connector", "add", "CRM", "--base-url", "https://crm.example"}).exit_code ==
        0);
    REQUIRE(seeded.run({"connector", "set", "CRM", "--name", "The CRM"}).exit_code == 0);
    REQUIRE(seeded.run({"connector", "disable", "CRM"}).exit_code == 0);
    REQUIRE(seeded.run({"connector", "enable", "CRM"}).exit_code == 0);
    REQUIRE(seeded.run({"connector", "remove", "CRM", "--reason", "gone"}).exit_code == 0);
    nlohmann::json audit =
        seeded.run({"audit", "list", "--action", "connector", "-o", "json"}).json();
    std::vector<std::string> actions;
    for (const auto& entry : audit) {
        if (entry["subject"] == "CRM") {
            actions.push_back(entry["action"]);
        }
    }
    CHECK(actions == std::vector<std::string>{"connector.add", "connector.set", "connector.disable",
                                              "connector.enable", "connector.remove"});
    for (const auto& entry : audit) {
        if (entry["action"] == "connector.set") {
            CHECK(entry["old_value"] == R"({"name":"CRM"})");
            CHECK(entry["new_value"] == R"({"name":"The CRM"})");
        }
    }
}
