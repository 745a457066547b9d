// inbox forward and drain against a scripted local server: a delivery sent
// on is marked processed; one that fails for good is dead-lettered once
// however many drains fail, and a fixed target then drains the rest.
#include <catch2/catch.hpp>

#include "e2e/inbox/inbox_support.hpp"
#include "e2e/seeded_state.hpp"
#include "e2e/webhook/scripted_server.hpp"

using namespace salesint::test;

namespace {

void consume(const SeededState& seeded, const std::vector<std::string>& ids) {
    std::string lines;
    for (const auto& id : ids) {
        lines += envelope_line(id) + "\n";
    }
    write_file(seeded.dir().file("in.ndjson"), lines);
    REQUIRE(seeded.run({"inbox", "consume", "--from", seeded.dir().file("in.ndjson")}).exit_code ==
            0);
}

nlohmann::json unprocessed(const SeededState& seeded) {
    return seeded.run({"inbox", "list", "--status", "unprocessed", "-o", "json"}).json();
}

}  // namespace

TEST_CASE("inbox forward re-delivers one delivery and marks it processed",
          "[e2e][inbox][backends]") {
    SeededState seeded;
    consume(seeded, {"m-1", "m-2"});
    ScriptedServer target({answer(503), answer(200)});

    RunResult forwarded = seeded.run(
        {"inbox", "forward", "m-1", "--to", target.url(), "--backoff", "10ms", "-o", "json"});
    INFO(forwarded.err);
    REQUIRE(forwarded.exit_code == 0);
    CHECK(forwarded.json()["delivered"] == true);
    CHECK(forwarded.json()["attempts"].size() == 2);  // a 503 is retried as webhook send does
    auto received = target.received();
    REQUIRE(received.size() == 2);
    CHECK(received[1].body == envelope_line("m-1"));
    CHECK(received[1].headers.find("X-Correlation-ID")->second == "m-1");
    CHECK(received[1].headers.find("webhook-signature") == received[1].headers.end());  // unsigned

    nlohmann::json left = unprocessed(seeded);
    REQUIRE(left.size() == 1);
    CHECK(left[0]["delivery_id"] == "m-2");
    auto rows = delivery_rows(seeded.state());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].delivery_id == "m-1");
    CHECK(rows[0].source == "forward");
    CHECK(rows[0].outcome == "delivered");
    CHECK(rows[0].attempts == 2);
    CHECK(rows[0].http_status == 200);

    // By inbox id, and again: a processed delivery can be sent once more.
    const std::string id = std::to_string(left[0]["id"].get<long long>());
    CHECK(seeded.run({"inbox", "forward", id, "--to", target.url()}).exit_code == 0);
    CHECK(unprocessed(seeded).empty());
    CHECK(seeded.run({"inbox", "forward", "m-404", "--to", target.url()}).exit_code == 3);
}

TEST_CASE("inbox forward to a target that refuses exits 1 and records the failure",
          "[e2e][inbox][backends]") {
    SeededState seeded;
    consume(seeded, {"m-1"});
    ScriptedServer target({answer(422)});
    RunResult refused = seeded.run({"inbox", "forward", "m-1", "--to", target.url(), "-o", "json"});
    CHECK(refused.exit_code == 1);
    CHECK(refused.json()["outcome"] == "refused");
    CHECK(target.received().size() == 1);  // a refusal is not retried

    nlohmann::json shown = seeded.run({"inbox", "show", "m-1", "-o", "json"}).json();
    CHECK(shown["processed_at"].is_null());
    CHECK(shown["forward_attempts"] == 1);
    CHECK_THAT(shown["forward_error"].get<std::string>(), Catch::Contains("HTTP 422"));
    auto rows = delivery_rows(seeded.state());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].outcome == "refused");
    CHECK(rows[0].http_status == 422);
}

TEST_CASE("inbox drain dead-letters a failing delivery once, then a fixed target drains the rest",
          "[e2e][inbox][backends]") {
    SeededState seeded;
    consume(seeded, {"m-1", "m-2", "m-3"});
    ScriptedServer failing({answer(500)});
    const std::vector<std::string> drain_failing{
        "inbox", "drain",     "--to", failing.url(), "--max-attempts",
        "2",     "--backoff", "5ms",  "-o",          "json"};

    RunResult first = seeded.run(drain_failing);
    INFO(first.err);
    CHECK(first.exit_code == 1);  // the target answered: failed, not unreachable
    nlohmann::json report = first.json();
    CHECK(report["total"] == 3);
    CHECK(report["forwarded"] == 0);
    CHECK(report["failed"] == 3);
    CHECK(report["dead_lettered"] == 3);
    CHECK(report["unreachable"] == false);
    REQUIRE(report["deliveries"].size() == 3);
    CHECK(report["deliveries"][0]["delivery_id"] == "m-1");  // oldest first
    CHECK(report["deliveries"][0]["outcome"] == "exhausted");
    CHECK(report["deliveries"][0]["dlq_entry_id"].is_string());
    CHECK(failing.received().size() == 6);

    auto dead = dlq_rows(seeded.state());
    REQUIRE(dead.size() == 3);
    CHECK(dead[0].source == "inbox");
    CHECK(dead[0].adapter_id == "inbox:envelope");
    CHECK(dead[0].message_id == "m-1");
    CHECK(dead[0].target_url == failing.url());
    CHECK(dead[0].payload == envelope_line("m-1"));
    CHECK(dead[0].error_code == "HTTP_500");

    RunResult second = seeded.run(drain_failing);
    CHECK(second.exit_code == 1);
    CHECK(second.json()["dead_lettered"] == 0);
    CHECK(second.json()["deliveries"][0]["dlq_entry_id"] ==
          report["deliveries"][0]["dlq_entry_id"]);  // the same handle
    CHECK(dlq_rows(seeded.state()).size() == 3);     // two drains, one DLQ entry each
    nlohmann::json waiting = unprocessed(seeded);
    REQUIRE(waiting.size() == 3);
    CHECK(waiting[0]["forward_attempts"] == 2);

    ScriptedServer fixed({answer(200)});
    RunResult drained = seeded.run({"inbox", "drain", "--to", fixed.url()});
    CHECK(drained.exit_code == 0);
    CHECK_THAT(drained.out, Catch::Contains("forwarded 3 of 3, failed 0"));
    CHECK(unprocessed(seeded).empty());
    auto received = fixed.received();
    REQUIRE(received.size() == 3);
    CHECK(received[0].body == envelope_line("m-1"));
    CHECK(received[2].body == envelope_line("m-3"));

    int drained_rows = 0;
    for (const auto& row : delivery_rows(seeded.state())) {
        CHECK(row.source == "drain");
        drained_rows += row.outcome == "delivered" ? 1 : 0;
    }
    CHECK(drained_rows == 3);
    CHECK(seeded.run({"inbox", "drain", "--to", fixed.url()}).exit_code == 0);  // nothing left
    CHECK(fixed.received().size() == 3);
}

TEST_CASE("inbox drain exits 5 and stops when the target never answers", "[e2e][inbox][backends]") {
    SeededState seeded;
    consume(seeded, {"m-1", "m-2", "m-3", "m-4", "m-5"});
    RunResult result = seeded.run({"inbox", "drain", "--to", "http://127.0.0.1:1/hooks",
                                   "--max-attempts", "2", "--backoff", "5ms", "-o", "json"});
    CHECK(result.exit_code == 5);
    nlohmann::json report = result.json();
    CHECK(report["unreachable"] == true);
    CHECK(report["failed"] == 3);  // three in a row without an answer stop the drain
    CHECK(report["left"] == 2);
    CHECK(dlq_rows(seeded.state()).size() == 3);
    CHECK(unprocessed(seeded).size() == 5);
}
