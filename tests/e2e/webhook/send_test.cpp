// webhook send against a local server that fails on purpose: attempts,
// backoff, exit codes, and the DLQ row of a delivery that failed for good.
#include <catch2/catch.hpp>

#include "e2e/webhook/scripted_server.hpp"
#include "e2e/webhook/webhook_support.hpp"
#include "support/state_query.hpp"

using namespace salesint::test;

namespace {

RunResult send(const SeededState& seeded, const std::string& url,
               std::vector<std::string> extra = {}) {
    write_file(seeded.dir().file("outcome.json"),
               R"({"orderId":"PX-TEST-001","outcome":"COMPLETED"})");
    std::vector<std::string> args{"webhook",      "send",
                                  "--url",        url,
                                  "--scheme",     "standard",
                                  "--secret-env", "WEBHOOK_SECRET",
                                  "--payload",    seeded.dir().file("outcome.json"),
                                  "--id",         "msg_send",
                                  "--backoff",    "20ms",
                                  "-o",           "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return seeded.run(args, {"", secret_env(), ""});
}

struct DlqRow {
    std::string source, message_id, target_url, payload, headers, error_code, error_message,
        attempts;
};

std::vector<DlqRow> dlq_rows(const std::string& state) {
    std::vector<DlqRow> rows;
    for (const auto& row :
         state_query(state,
                     "SELECT source, message_id, target_url, payload, headers, error_code, "
                     "error_message, attempts FROM dlq ORDER BY id")) {
        rows.push_back({text_of(row[0]), text_of(row[1]), text_of(row[2]), text_of(row[3]),
                        text_of(row[4]), text_of(row[5]), text_of(row[6]), text_of(row[7])});
    }
    return rows;
}

}  // namespace

TEST_CASE("send retries transient failures, then delivers", "[e2e][webhook][send][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503), answer(502), answer(200)});
    RunResult result = send(seeded, server.url());
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    nlohmann::json outcome = result.json();
    CHECK(outcome["delivered"] == true);
    CHECK(outcome["status"] == 200);
    REQUIRE(outcome["attempts"].size() == 3);
    CHECK(outcome["attempts"][0]["status"] == 503);
    CHECK(outcome["attempts"][1]["status"] == 502);
    CHECK(outcome["dlq_entry_id"].is_null());
    CHECK_THAT(result.err, Catch::Contains("attempt 1/5: HTTP 503; retrying in"));

    auto received = server.received();
    REQUIRE(received.size() == 3);
    for (const auto& request : received) {
        CHECK(request.headers.find("webhook-id")->second ==
              "msg_send");  // the same delivery each time
        CHECK(request.headers.find("X-Correlation-ID")->second == outcome["correlation_id"]);
        CHECK(request.body == R"({"orderId":"PX-TEST-001","outcome":"COMPLETED"})");
    }
    CHECK(dlq_rows(seeded.state()).empty());
}

TEST_CASE("send honours Retry-After", "[e2e][webhook][send][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(429, "1"), answer(200)});
    RunResult result = send(seeded, server.url());
    REQUIRE(result.exit_code == 0);
    nlohmann::json outcome = result.json();
    CHECK(outcome["attempts"][1]["waited_ms"].get<long>() >= 1000);
    auto received = server.received();
    REQUIRE(received.size() == 2);
    CHECK(received[1].at - received[0].at >= std::chrono::milliseconds(1000));
}

TEST_CASE("a permanent refusal is not retried, exits 1 and is dead-lettered",
          "[e2e][webhook][send][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(400)});
    RunResult result = send(seeded, server.url());
    CHECK(result.exit_code == 1);
    nlohmann::json outcome = result.json();
    CHECK(outcome["outcome"] == "refused");
    CHECK(outcome["attempts"].size() == 1);
    CHECK(server.received().size() == 1);
    auto rows = dlq_rows(seeded.state());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].error_code == "HTTP_400");
    CHECK_THAT(rows[0].error_message, Catch::StartsWith("refused: HTTP 400"));
    CHECK(outcome["dlq_entry_id"].is_string());
}

TEST_CASE("when retries run out, send exits 5 and the DLQ row has every attempt",
          "[e2e][webhook][send][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(500)});
    RunResult result = send(seeded, server.url(), {"--max-attempts", "3"});
    CHECK(result.exit_code == 5);
    CHECK(server.received().size() == 3);
    auto rows = dlq_rows(seeded.state());
    REQUIRE(rows.size() == 1);
    const DlqRow& row = rows[0];
    CHECK(row.source == "webhook_send");
    CHECK(row.message_id == "msg_send");
    CHECK(row.target_url == server.url());
    CHECK(row.payload == R"({"orderId":"PX-TEST-001","outcome":"COMPLETED"})");
    CHECK(row.error_code == "HTTP_500");
    nlohmann::json headers = nlohmann::json::parse(row.headers);
    CHECK(headers["webhook-id"] == "msg_send");
    CHECK_FALSE(headers.contains("webhook-signature"));  // a replay signs again
    nlohmann::json attempts = nlohmann::json::parse(row.attempts);
    REQUIRE(attempts.size() == 3);
    for (int i = 0; i < 3; ++i) {
        CHECK(attempts[i]["attempt"] == i + 1);
        CHECK(attempts[i]["status"] == 500);
        CHECK(attempts[i]["at"].is_string());
    }
}

TEST_CASE("network errors and timeouts are transient", "[e2e][webhook][send][backends]") {
    SeededState seeded;
    RunResult refused =
        send(seeded, "http://127.0.0.1:9/hooks", {"--max-attempts", "2"});  // discard port
    CHECK(refused.exit_code == 5);
    ScriptedServer slow({answer(200, "", std::chrono::milliseconds(1500))});
    RunResult timed_out = send(seeded, slow.url(), {"--max-attempts", "2", "--timeout", "300ms"});
    CHECK(timed_out.exit_code == 5);
    auto rows = dlq_rows(seeded.state());
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].error_code == "NETWORK");
    CHECK(rows[1].error_code == "TIMEOUT");
}

TEST_CASE("send records every delivery, delivered or not",
          "[e2e][webhook][send][inbox][backends]") {
    SeededState seeded;
    ScriptedServer accepting({answer(503), answer(200)});
    REQUIRE(send(seeded, accepting.url()).exit_code == 0);
    ScriptedServer refusing({answer(400)});
    REQUIRE(send(seeded, refusing.url()).exit_code == 1);

    std::vector<std::string> rows;
    for (const auto& fields :
         state_query(seeded.state(),
                     "SELECT delivery_id, source, target_url, scheme, outcome, attempts, "
                     "http_status FROM webhook_deliveries ORDER BY id")) {
        std::string row;
        for (std::size_t column = 0; column < fields.size(); ++column) {
            row += (column ? " " : "") + text_of(fields[column]);
        }
        rows.push_back(row);
    }
    CHECK(rows ==
          std::vector<std::string>{"msg_send send " + accepting.url() + " standard delivered 2 200",
                                   "msg_send send " + refusing.url() + " standard refused 1 400"});
    CHECK(dlq_rows(seeded.state()).size() == 1);  // the refused one only
}
