// Live calls as the integrations expect them, against a real HTTP server on
// 127.0.0.1 started by the test: each auth method's header, a rehearsal that
// never stands for the live call, the installation outcome's correlation id
// and delivered statuses, the error codes of live calls, and slot answers
// that expire.
#include <catch2/catch.hpp>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "e2e/webhook/scripted_server.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

constexpr const char* kErp = "sales.erp.create_order.v1";
constexpr const char* kOutcome = "fsm.installation_outcome.notify.v1";
constexpr const char* kSlots = "fsm.slot.availability.v1";
constexpr const char* kToken = "tok-9f8e7d6c5b4a";

std::string header(const Received& received, const std::string& name) {
    auto found = received.headers.find(name);
    return found == received.headers.end() ? std::string("(none)") : found->second;
}

RunResult run_erp(const SeededState& seeded, const std::vector<std::string>& extra,
                  const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> args{
        "execute",   kErp,   "--input",       execute_fixture("erp-create-order.json"),
        "--backoff", "10ms", "--max-backoff", "20ms",
        "-o",        "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return seeded.run(args, {"", env, ""});
}

}  // namespace

TEST_CASE("live: each auth method puts the connector's secret where it belongs",
          "[e2e][execute][live][auth][backends]") {
    struct Case {
        std::vector<std::string> connector_flags;
        std::string header;
        std::string expected;
    };
    const std::vector<Case> cases{
        {{"--auth-method", "bearer"}, "Authorization", std::string("Bearer ") + kToken},
        {{"--auth-method", "api_key"}, "X-API-Key", kToken},
        {{"--auth-method", "api_key", "--auth-header", "X-Erp-Key"}, "X-Erp-Key", kToken},
        {{"--auth-method", "basic"}, "Authorization", "Basic dXNlcjp0b2stOWY4ZTdkNmM1YjRh"},
    };
    for (const Case& c : cases) {
        SeededState seeded;
        ScriptedServer server({answer(201)});
        std::vector<std::string> add{"connector",  "add",          "ERP",      "--base-url",
                                     server.url(), "--secret-env", "ERP_TOKEN"};
        add.insert(add.end(), c.connector_flags.begin(), c.connector_flags.end());
        REQUIRE(seeded.run(add).exit_code == 0);
        const std::string secret =
            c.expected.rfind("Basic", 0) == 0 ? std::string("user:") + kToken : std::string(kToken);
        RunResult result = run_erp(seeded, {"--live", "-v"}, {{"ERP_TOKEN", secret}});
        INFO(c.connector_flags[1] << ": " << result.err);
        REQUIRE(result.exit_code == 0);
        auto received = server.received();
        REQUIRE(received.size() == 1);
        CHECK(header(received[0], c.header) == c.expected);
        // The secret is sent, never printed, logged (-v) or stored.
        CHECK(result.out.find(kToken) == std::string::npos);
        CHECK(result.err.find(kToken) == std::string::npos);
        CHECK(read_file(seeded.state()).find(kToken) == std::string::npos);

        // A dry run shows where the secret goes, not the secret.
        RunResult dry = run_erp(seeded, {"--live", "--dry-run", "--message-id", "dry-1"},
                                {{"ERP_TOKEN", secret}});
        CHECK(dry.exit_code == 0);
        CHECK(dry.json()["request"]["headers"][c.header] == "(secret, added when sent)");
        CHECK(dry.out.find(kToken) == std::string::npos);

        // No secret: exit 2 naming the variable, and nothing sent.
        RunResult unset = run_erp(seeded, {"--live", "--message-id", "unset-1"});
        CHECK(unset.exit_code == 2);
        CHECK_THAT(unset.err, Catch::Contains("environment variable ERP_TOKEN is not set"));
        CHECK(server.received().size() == 1);
    }
}

TEST_CASE("live: hmac signs the body with the fsm scheme", "[e2e][execute][live][auth][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(201)});
    REQUIRE(seeded
                .run({"connector", "add", "ERP", "--base-url", server.url(), "--auth-method",
                      "hmac", "--secret-env", "ERP_TOKEN"})
                .exit_code == 0);
    const std::map<std::string, std::string> env{{"ERP_TOKEN", kToken}};
    REQUIRE(run_erp(seeded, {"--live"}, env).exit_code == 0);
    auto received = server.received();
    REQUIRE(received.size() == 1);
    write_file(seeded.dir().file("body.json"), received[0].body);
    RunResult verified =
        seeded.run({"webhook", "verify", "--scheme", "fsm", "--secret-env", "ERP_TOKEN",
                    "--payload", seeded.dir().file("body.json"), "-H",
                    "X-FSM-Signature: " + header(received[0], "X-FSM-Signature"), "-H",
                    "X-FSM-Timestamp: " + header(received[0], "X-FSM-Timestamp")},
                   {"", env, ""});
    CHECK(verified.exit_code == 0);
}

TEST_CASE("live: a rehearsal never stands for the live call of the same message id",
          "[e2e][execute][live][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(201)});
    REQUIRE(seeded.run({"connector", "add", "ERP", "--base-url", server.url()}).exit_code == 0);
    RunResult rehearsal = run_erp(seeded, {"--message-id", "order-77"});
    REQUIRE(rehearsal.exit_code == 0);
    CHECK(rehearsal.json()["mode"] == "deterministic");

    RunResult live = run_erp(seeded, {"--message-id", "order-77", "--live"});
    INFO(live.err);
    REQUIRE(live.exit_code == 0);
    CHECK(live.json()["mode"] == "live");
    CHECK(live.json()["replayed"] == false);
    CHECK(live.json()["execution_id"] != rehearsal.json()["execution_id"]);
    REQUIRE(server.received().size() == 1);
    CHECK(header(server.received()[0], "Idempotency-Key") == "order-77");

    // Each is replayed in its own mode.
    CHECK(run_erp(seeded, {"--message-id", "order-77", "--live"}).json()["replayed"] == true);
    CHECK(run_erp(seeded, {"--message-id", "order-77"}).json()["mode"] == "deterministic");
    CHECK(server.received().size() == 1);
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM executions") == 2);
    // Both integration facts are in the outbox, each with its own id.
    CHECK(count_rows(seeded.state(), "SELECT count(DISTINCT message_id) FROM outbox") == 2);
}

TEST_CASE("live: the installation outcome carries its correlationId and counts only 200 and 202",
          "[e2e][execute][live][backends]") {
    SeededState seeded;  // PYXIS names its secret: $PYXIS_WEBHOOK_SECRET
    ScriptedServer server({answer(204), answer(201), answer(200)});
    REQUIRE(seeded.run({"connector", "set", "PYXIS", "--base-url", server.url()}).exit_code == 0);
    const std::map<std::string, std::string> env{{"PYXIS_WEBHOOK_SECRET", "pyxis-test-secret"}};
    auto send = [&](const std::string& message_id) {
        return seeded.run(
            {"execute", kOutcome, "--input", execute_fixture("installation-outcome.json"), "--live",
             "--message-id", message_id, "-o", "json"},
            {"", env, ""});
    };
    for (const char* id : {"out-204", "out-201"}) {
        RunResult refused = send(id);
        INFO(refused.err);
        CHECK(refused.exit_code == 1);
        CHECK(refused.json()["status"] == "failed");
        CHECK(refused.json()["error_code"] == "REJECTED");
    }
    RunResult delivered = send("out-200");
    CHECK(delivered.exit_code == 0);
    CHECK(delivered.json()["output"]["status"] == "DELIVERED");
    auto received = server.received();
    REQUIRE(received.size() == 3);  // a 201 or 204 is not retried either
    for (const Received& request : received) {
        CHECK(header(request, "X-Correlation-ID") == "corr-PX-TEST-001");
    }
}

TEST_CASE("live: failures carry the integrations' error codes, the HTTP status as a detail",
          "[e2e][execute][live][backends]") {
    SeededState seeded;
    ScriptedServer server({answer(503), answer(429),
                           answer(422, "", std::chrono::milliseconds(0),
                                  R"({"error":{"code":"INVALID_ADDRESS","message":"x"}})")});
    REQUIRE(seeded.run({"connector", "add", "FSM", "--base-url", server.url()}).exit_code == 0);
    auto slots = [&](const std::string& id) {
        return seeded.run({"execute", kSlots, "--input", execute_fixture("slot-availability.json"),
                           "--live", "--max-attempts", "1", "--message-id", id, "-o", "json"});
    };
    RunResult unavailable = slots("s-503");
    CHECK(unavailable.exit_code == 5);
    CHECK(unavailable.json()["error_code"] == "SERVICE_UNAVAILABLE");
    CHECK(unavailable.json()["error"]["error"]["details"][0]["message"] == "HTTP 503 from FSM");
    CHECK(slots("s-429").json()["error_code"] == "RATE_LIMIT_EXCEEDED");
    RunResult address = slots("s-422");
    CHECK(address.exit_code == 1);
    CHECK(address.json()["error_code"] == "INVALID_ADDRESS");

    // Every code an adapter produces is one `adapters describe` lists.
    const nlohmann::json described =
        seeded.run({"adapters", "describe", kSlots, "-o", "json"}).json();
    std::set<std::string> listed;
    for (const auto& error : described["errors"]) {
        listed.insert(error["code"].get<std::string>());
    }
    for (const char* code : {"SERVICE_UNAVAILABLE", "RATE_LIMIT_EXCEEDED", "INVALID_ADDRESS",
                             "TIMEOUT", "CIRCUIT_OPEN", "REJECTED", "NO_SLOTS_AVAILABLE"}) {
        CHECK(listed.count(code) == 1);
    }
}

TEST_CASE("slot answers are computed again after --max-age and when the roster changes",
          "[e2e][execute][backends]") {
    SeededState seeded;
    auto ask = [&](const std::string& now, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{
            "execute",      kSlots,    "--input", execute_fixture("slot-availability.json"),
            "--message-id", "slots-1", "--now",   now,
            "-o",           "json"};
        args.insert(args.end(), extra.begin(), extra.end());
        RunResult result = seeded.run(args);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        return result.json();
    };
    nlohmann::json first = ask("2026-01-05T08:00:00Z");
    CHECK(first["replayed"] == false);
    nlohmann::json cached = ask("2026-01-05T08:04:00Z");
    CHECK(cached["replayed"] == true);
    nlohmann::json expired = ask("2026-01-05T08:05:01Z");
    CHECK(expired["replayed"] == false);
    CHECK(expired["refreshed"] == true);
    CHECK(expired["run"] == 1);
    CHECK(expired["execution_id"] == first["execution_id"]);
    CHECK(ask("2026-01-05T08:06:00Z", {"--max-age", "10s"})["refreshed"] == true);

    // Another roster shapes another answer: computed again at once.
    nlohmann::json roster = nlohmann::json::parse(read_file(execute_fixture("roster.json")));
    roster["technicians"].erase(roster["technicians"].size() - 1);
    write_file(seeded.dir().file("roster.json"), roster.dump());
    nlohmann::json other =
        ask("2026-01-05T08:06:30Z", {"--roster", seeded.dir().file("roster.json")});
    CHECK(other["refreshed"] == true);
    CHECK(count_rows(seeded.state(), "SELECT retries FROM executions") == 3);
    // Each answer stated its own fact.
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM outbox") == 4);

    // A maximum that cuts the answer says so.
    nlohmann::json one = ask("2026-01-05T09:00:00Z", {"--max-slots", "1"});
    CHECK(one["output"]["availableSlots"].size() == 1);
    CHECK(one["output"]["truncated"] == true);
    CHECK(first["output"]["truncated"] == false);
}
