// fsm.appointment_scheduled.notify.v1 end to end (docs/contracts.md,
// "Appointment scheduled"): the example in deterministic mode, and live
// against real HTTP servers on 127.0.0.1 standing for PYXIS and TEMPO: the
// connector chosen by the externalOrderId's prefix, the callback path, the fsm
// signature, the correlation id, the statuses that count as delivered; the
// contract's refusals with their pointers; adapters describe.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <set>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "e2e/webhook/scripted_server.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

constexpr const char* kAppointment = "fsm.appointment_scheduled.notify.v1";
constexpr const char* kCallbackPath = "/callback/appointment-scheduled";
constexpr const char* kPyxisSecret = "pyxis-test-secret";
constexpr const char* kTempoSecret = "tempo-test-secret";

const std::map<std::string, std::string> kSecrets{{"PYXIS_WEBHOOK_SECRET", kPyxisSecret},
                                                  {"TEMPO_WEBHOOK_SECRET", kTempoSecret}};

nlohmann::json example() {
    return nlohmann::json::parse(read_file(execute_fixture("appointment-scheduled.json")));
}

// The example booked for a TEMPO order.
nlohmann::json tempo_example() {
    nlohmann::json appointment = example();
    appointment["eventId"] = "evt-tempo-0001";
    appointment["correlationId"] = "corr-TMP-2025-0042";
    appointment["externalOrderId"] = "TMP-2025-0042";
    return appointment;
}

std::string header(const Received& received, const std::string& name) {
    auto found = received.headers.find(name);
    return found == received.headers.end() ? std::string("(none)") : found->second;
}

// execute the appointment given on stdin, live unless told otherwise.
RunResult send(const SeededState& seeded, const nlohmann::json& appointment,
               std::vector<std::string> extra = {"--live"}) {
    std::vector<std::string> args{"execute", kAppointment, "--input", "-", "-o", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return seeded.run(args, {appointment.dump(), kSecrets, ""});
}

// Whether `webhook verify --scheme fsm` accepts what the server received,
// with the secret in the environment variable named.
bool verifies(const SeededState& seeded, const Received& received, const std::string& secret_env) {
    write_file(seeded.dir().file("body.json"), received.body);
    RunResult verified =
        seeded.run({"webhook", "verify", "--scheme", "fsm", "--secret-env", secret_env, "--payload",
                    seeded.dir().file("body.json"), "-H",
                    "X-FSM-Signature: " + header(received, "X-FSM-Signature"), "-H",
                    "X-FSM-Timestamp: " + header(received, "X-FSM-Timestamp")},
                   {"", kSecrets, ""});
    INFO(verified.out << verified.err);
    return verified.exit_code == 0;
}

}  // namespace

TEST_CASE("appointment scheduled: the example names its sales system and sends nothing",
          "[e2e][execute][appointment][backends]") {
    SeededState seeded;
    ScriptedServer pyxis({answer(202)});
    REQUIRE(seeded.run({"connector", "set", "PYXIS", "--base-url", pyxis.url()}).exit_code == 0);
    RunResult result = seeded.run(
        {"execute", kAppointment, "--input", execute_fixture("appointment-scheduled.json"), "--now",
         kFixedNow, "-o", "json"},
        {"", kSecrets, ""});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const nlohmann::json outcome = result.json();
    CHECK(outcome["mode"] == "deterministic");
    CHECK(outcome["status"] == "succeeded");
    CHECK_FALSE(outcome.contains("connector"));  // no connector in deterministic mode
    const nlohmann::json& output = outcome["output"];
    CHECK(output["salesSystem"] == "PYXIS");
    CHECK(output["deliveryId"] == example()["eventId"]);
    CHECK(output["externalOrderId"] == "PX-TEST-001");
    CHECK(output["status"] == "SIMULATED");
    CHECK(output["payloadSha256"].get<std::string>().size() == 64);

    RunResult tempo = send(seeded, tempo_example(), {"--now", kFixedNow});
    REQUIRE(tempo.exit_code == 0);
    CHECK(tempo.json()["output"]["salesSystem"] == "TEMPO");
    CHECK(tempo.json()["output"]["deliveryId"] == "evt-tempo-0001");

    // The same input again is a replay; nothing reached the sales system.
    RunResult again = seeded.run({"execute", kAppointment, "--input",
                                  execute_fixture("appointment-scheduled.json"), "--now", kFixedNow,
                                  "-o", "json"});
    CHECK(again.json()["replayed"] == true);
    CHECK(again.json()["output"] == output);
    CHECK(pyxis.received().empty());
}

TEST_CASE(
    "appointment scheduled live: PX- goes to PYXIS, TMP- to TEMPO, at the callback path, "
    "signed with the fsm scheme and the payload's correlationId",
    "[e2e][execute][live][appointment][backends]") {
    SeededState seeded;  // PYXIS names its secret: $PYXIS_WEBHOOK_SECRET
    ScriptedServer pyxis({answer(202)});
    ScriptedServer tempo({answer(200)});
    // A base_url with a trailing '/' and one without: one '/' before the path either way.
    REQUIRE(seeded.run({"connector", "set", "PYXIS", "--base-url", pyxis.origin() + "/api/"})
                .exit_code == 0);
    REQUIRE(seeded
                .run({"connector", "set", "TEMPO", "--base-url", tempo.origin(), "--auth-method",
                      "hmac", "--secret-env", "TEMPO_WEBHOOK_SECRET"})
                .exit_code == 0);

    const nlohmann::json px = example();
    RunResult to_pyxis = send(seeded, px);
    INFO(to_pyxis.err);
    REQUIRE(to_pyxis.exit_code == 0);
    CHECK(to_pyxis.json()["mode"] == "live");
    CHECK(to_pyxis.json()["connector"] == "PYXIS");
    const nlohmann::json delivered = to_pyxis.json()["output"];
    CHECK(delivered["salesSystem"] == "PYXIS");
    CHECK(delivered["deliveryId"] == px["eventId"]);
    CHECK(delivered["externalOrderId"] == "PX-TEST-001");
    CHECK(delivered["status"] == "DELIVERED");
    CHECK(delivered["response"] == nlohmann::json{{"ok", true}});

    const nlohmann::json tmp = tempo_example();
    RunResult to_tempo = send(seeded, tmp);
    INFO(to_tempo.err);
    REQUIRE(to_tempo.exit_code == 0);
    CHECK(to_tempo.json()["connector"] == "TEMPO");
    CHECK(to_tempo.json()["output"]["salesSystem"] == "TEMPO");
    CHECK(to_tempo.json()["output"]["status"] == "DELIVERED");

    // Each sales system received its own order's appointment, once.
    const std::vector<Received> at_pyxis = pyxis.received();
    const std::vector<Received> at_tempo = tempo.received();
    REQUIRE(at_pyxis.size() == 1);
    REQUIRE(at_tempo.size() == 1);
    CHECK(at_pyxis[0].target == std::string("/api") + kCallbackPath);
    CHECK(at_tempo[0].target == kCallbackPath);
    CHECK(nlohmann::json::parse(at_pyxis[0].body) == px);
    CHECK(nlohmann::json::parse(at_tempo[0].body) == tmp);
    CHECK(header(at_pyxis[0], "X-Correlation-ID") == "corr-PX-TEST-001");
    CHECK(header(at_tempo[0], "X-Correlation-ID") == "corr-TMP-2025-0042");
    CHECK(header(at_pyxis[0], "Content-Type") == "application/json");

    // Signed with each connector's own secret, and only with it.
    CHECK(verifies(seeded, at_pyxis[0], "PYXIS_WEBHOOK_SECRET"));
    CHECK(verifies(seeded, at_tempo[0], "TEMPO_WEBHOOK_SECRET"));
    CHECK_FALSE(verifies(seeded, at_tempo[0], "PYXIS_WEBHOOK_SECRET"));

    // The secrets are sent as signatures, never printed or stored.
    for (const char* secret : {kPyxisSecret, kTempoSecret}) {
        CHECK(to_pyxis.out.find(secret) == std::string::npos);
        CHECK(to_tempo.out.find(secret) == std::string::npos);
        CHECK(read_file(seeded.state()).find(secret) == std::string::npos);
    }

    // A dry run says where it would go.
    nlohmann::json other = example();
    other["eventId"] = "evt-dry-0001";
    RunResult dry = send(seeded, other, {"--live", "--dry-run"});
    CHECK(dry.exit_code == 0);
    CHECK(dry.json()["request"]["url"] == pyxis.origin() + "/api" + kCallbackPath);
    CHECK(pyxis.received().size() == 1);
}

TEST_CASE("appointment scheduled live: a 204 is not delivered, 200 and 202 are",
          "[e2e][execute][live][appointment][backends]") {
    SeededState seeded;
    ScriptedServer pyxis({answer(204), answer(201), answer(202), answer(200)});
    REQUIRE(seeded.run({"connector", "set", "PYXIS", "--base-url", pyxis.origin()}).exit_code == 0);
    auto send_event = [&](const std::string& event_id) {
        nlohmann::json appointment = example();
        appointment["eventId"] = event_id;
        return send(seeded, appointment);
    };
    for (const char* refused_id : {"evt-204", "evt-201"}) {
        RunResult refused = send_event(refused_id);
        INFO(refused_id << ": " << refused.err);
        CHECK(refused.exit_code == 1);
        CHECK(refused.json()["status"] == "failed");
        CHECK(refused.json()["error_code"] == "REJECTED");
        CHECK(refused.json()["attempts"] == 1);  // never retried: a second POST could act twice
    }
    for (const char* delivered_id : {"evt-202", "evt-200"}) {
        RunResult delivered = send_event(delivered_id);
        INFO(delivered_id << ": " << delivered.err);
        CHECK(delivered.exit_code == 0);
        CHECK(delivered.json()["output"]["status"] == "DELIVERED");
    }
    const std::vector<Received> received = pyxis.received();
    REQUIRE(received.size() == 4);
    for (const Received& request : received) {
        CHECK(request.target == kCallbackPath);
        CHECK(header(request, "X-Correlation-ID") == "corr-PX-TEST-001");
    }
    // The refused deliveries wait in the DLQ.
    CHECK(count_rows(seeded.state(), "SELECT count(*) FROM dlq") == 2);
}

TEST_CASE("appointment scheduled: a payload that breaks the contract is refused field by field",
          "[e2e][execute][appointment][backends]") {
    SeededState seeded;
    struct Case {
        const char* what;
        std::function<void(nlohmann::json&)> change;
        const char* code;
        std::vector<std::pair<std::string, std::string>> details;  // field, pointer
    };
    const std::vector<Case> cases{
        {"a window that ends before it starts",
         [](auto& a) { a["slot"]["timeWindow"]["end"] = "2025-01-20T08:00:00Z"; },
         "INVALID_APPOINTMENT",
         {{"slot.timeWindow", "/slot/timeWindow"}}},
        {"an order id that is not a UUID",
         [](auto& a) { a["orderId"] = "ORD-2025-000123"; },
         "INVALID_APPOINTMENT",
         {{"orderId", "/orderId"}}},
        {"another status",
         [](auto& a) { a["status"] = "CANCELLED"; },
         "INVALID_APPOINTMENT",
         {{"status", "/status"}}},
        {"two broken fields",
         [](auto& a) {
             a["slot"]["date"] = "2025-02-30";
             a["slot"].erase("technicianId");
         },
         "INVALID_APPOINTMENT",
         {{"slot.date", "/slot/date"}, {"slot.technicianId", "/slot/technicianId"}}},
        {"an order of no sales system",
         [](auto& a) { a["externalOrderId"] = "SAP-0001"; },
         "INVALID_ORDER",
         {{"externalOrderId", "/externalOrderId"}}},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        nlohmann::json appointment = example();
        c.change(appointment);
        const std::string before = snapshot(seeded.state());
        RunResult result = send(seeded, appointment, {});
        CHECK(result.exit_code == 1);
        const nlohmann::json outcome = result.json();
        CHECK(outcome["status"] == "rejected");
        CHECK(outcome["error_code"] == c.code);
        const nlohmann::json& error = outcome["error"]["error"];
        CHECK(error["code"] == c.code);
        std::set<std::pair<std::string, std::string>> details;
        for (const auto& detail : error["details"]) {
            details.insert(
                {detail["field"].get<std::string>(), detail["pointer"].get<std::string>()});
        }
        CHECK(details ==
              std::set<std::pair<std::string, std::string>>(c.details.begin(), c.details.end()));
        CHECK(snapshot(seeded.state()) == before);  // a refused input is not recorded

        // contract validate gives the same verdict at the same places.
        write_file(seeded.dir().file("appointment.json"), appointment.dump());
        RunResult validated =
            run_salesint({"contract", "validate", "--schema", "appointment-scheduled",
                          seeded.dir().file("appointment.json"), "--format", "json"});
        CHECK(validated.exit_code == 1);
        std::set<std::string> pointers;
        const nlohmann::json report = validated.json();
        for (const auto& violation : report["violations"]) {
            pointers.insert(violation["pointer"].get<std::string>());
        }
        std::set<std::string> expected;
        for (const auto& [field, pointer] : c.details) {
            expected.insert(pointer);
        }
        CHECK(pointers == expected);
    }
}

TEST_CASE("adapters describe lists the appointment adapter, its codes and the live codes once",
          "[e2e][execute][appointment][backends]") {
    RunResult list =
        run_salesint({"--state", "/nonexistent/never.db", "adapters", "list", "-o", "json"});
    REQUIRE(list.exit_code == 0);
    bool listed = false;
    for (const auto& adapter : list.json()) {
        listed = listed || adapter["id"] == kAppointment;
    }
    CHECK(listed);

    RunResult described = run_salesint(
        {"--state", "/nonexistent/never.db", "adapters", "describe", kAppointment, "-o", "json"});
    REQUIRE(described.exit_code == 0);
    const nlohmann::json info = described.json();
    CHECK(info["example_input"] == example());
    std::map<std::string, int> codes;
    for (const auto& error : info["errors"]) {
        codes[error["code"].get<std::string>()] += 1;
    }
    CHECK(codes == std::map<std::string, int>{{"INVALID_ORDER", 1},
                                              {"INVALID_APPOINTMENT", 1},
                                              {"SERVICE_UNAVAILABLE", 1},
                                              {"TIMEOUT", 1},
                                              {"RATE_LIMIT_EXCEEDED", 1},
                                              {"CIRCUIT_OPEN", 1},
                                              {"REJECTED", 1}});
    RunResult text =
        run_salesint({"--state", "/nonexistent/never.db", "adapters", "describe", kAppointment});
    CHECK_THAT(text.out, Catch::Contains("/callback/appointment-scheduled") &&
                             Catch::Contains("/slot/timeWindow/end"));
}
