// outbox relay --to http://127.0.0.1:PORT against a local server the test
// runs: signed POSTs and arrays, a key that fails half-way, dead letters (and
// their replay back into the queue), a sink that never answers, and a relay
// killed with SIGKILL mid-way.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <set>

#include "e2e/outbox/outbox_support.hpp"
#include "support/ports.hpp"

using namespace salesint::test;

namespace {

std::map<std::string, std::string> relay_env() {
    return {{"RELAY_SECRET", kRelaySecret}, {"USER", "tester"}};
}

RunResult relay(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), {"--state", dir.state(), "outbox", "relay"});
    args.insert(args.end(), {"--backoff", "10ms", "--max-backoff", "20ms"});
    return run_salesint(args, {"", relay_env(), ""});
}

std::string header(const Posted& post, const std::string& name) {
    auto found = post.headers.find(name);
    return found == post.headers.end() ? "" : found->second;
}

std::vector<std::string> all_ids(const std::vector<OutboxRow>& rows) {
    std::vector<std::string> ids;
    for (const auto& row : rows) {
        ids.push_back(row.message_id);
    }
    return ids;
}

int always_ok(const std::string&) {
    return 200;
}

}  // namespace

TEST_CASE("relay POSTs each envelope unsigned, records the deliveries, marks them published",
          "[e2e][outbox][relay][http][backends]") {
    TempDir dir;
    fill_outbox(dir, 4, 2);
    SinkServer server(always_ok);
    RunResult result = relay(dir, {"--to", server.url(), "--once", "-o", "json"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.json()["published"] == 8);

    const auto rows = outbox_rows(dir.state());
    const auto posted = server.posted();
    REQUIRE(posted.size() == 8);
    for (std::size_t i = 0; i < posted.size(); ++i) {
        CHECK(posted[i].body == rows[i].envelope);  // oldest first, as stored
        CHECK(header(posted[i], "Idempotency-Key") == rows[i].message_id);
        CHECK(header(posted[i], "webhook-signature").empty());
        CHECK_FALSE(rows[i].published_at.empty());
    }
    CHECK(count_of(dir.state(),
                   "SELECT count(*) FROM webhook_deliveries WHERE source = 'relay' AND "
                   "outcome = 'delivered' AND http_status = 200") == 8);
}

TEST_CASE("relay signs each POST with the chosen scheme and webhook verify accepts it",
          "[e2e][outbox][relay][http][backends]") {
    TempDir dir;
    fill_outbox(dir, 1, 0);
    SinkServer server(always_ok);
    RunResult result = relay(dir, {"--to", server.url(), "--once", "--scheme", "standard",
                                   "--secret-env", "RELAY_SECRET"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const auto posted = server.posted();
    REQUIRE(posted.size() == 2);
    for (const auto& post : posted) {
        write_file(dir.file("body.json"), post.body);
        RunResult verdict = run_salesint(
            {"webhook", "verify", "--scheme", "standard", "--secret-env", "RELAY_SECRET",
             "--payload", dir.file("body.json"), "-H", "webhook-id: " + header(post, "webhook-id"),
             "-H", "webhook-timestamp: " + header(post, "webhook-timestamp"), "-H",
             "webhook-signature: " + header(post, "webhook-signature")},
            {"", relay_env(), ""});
        INFO(verdict.out + verdict.err);
        CHECK(verdict.exit_code == 0);
        CHECK(header(post, "webhook-id") == nlohmann::json::parse(post.body)["meta"]["message_id"]);
    }
    CHECK(count_of(dir.state(),
                   "SELECT count(*) FROM webhook_deliveries WHERE scheme = "
                   "'standard'") == 2);
    CHECK(result.out.find(kRelaySecret) == std::string::npos);
    CHECK(result.err.find(kRelaySecret) == std::string::npos);

    RunResult no_secret = relay(dir, {"--to", server.url(), "--once", "--scheme", "standard"});
    CHECK(no_secret.exit_code == 2);
}

TEST_CASE("relay --batch POSTs JSON arrays of up to N envelopes",
          "[e2e][outbox][relay][http][backends]") {
    TempDir dir;
    fill_outbox(dir, 5, 0);
    SinkServer server(always_ok);
    RunResult result = relay(dir, {"--to", server.url(), "--once", "--batch", "4", "--scheme",
                                   "github", "--secret-env", "RELAY_SECRET", "-o", "json"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.json()["published"] == 10);
    const auto posted = server.posted();
    REQUIRE(posted.size() == 3);  // 4 + 4 + 2
    CHECK(nlohmann::json::parse(posted[0].body).size() == 4);
    CHECK(nlohmann::json::parse(posted[2].body).size() == 2);
    CHECK_FALSE(header(posted[0], "X-Hub-Signature-256").empty());
    CHECK(server.acknowledged_ids() == all_ids(outbox_rows(dir.state())));
    CHECK(count_of(dir.state(), "SELECT count(*) FROM webhook_deliveries") == 3);
}

TEST_CASE("a key whose envelope fails stops, other keys go on, a rerun publishes the rest in order",
          "[e2e][outbox][relay][http][backends]") {
    TempDir dir;
    fill_outbox(dir, 6, 3);  // 12 envelopes over key-0, key-1, key-2
    const auto rows = outbox_rows(dir.state());
    // The second envelope of key-1 is refused with 503 (retried, then given up).
    std::vector<std::string> key1;
    for (const auto& row : rows) {
        if (row.partition_key == "key-1") {
            key1.push_back(row.message_id);
        }
    }
    REQUIRE(key1.size() == 4);
    const std::string poisoned = key1[1];
    SinkServer server([&](const std::string& body) {
        return body.find(poisoned) != std::string::npos ? 503 : 200;
    });
    RunResult first =
        relay(dir, {"--to", server.url(), "--once", "--max-attempts", "2", "-o", "json"});
    INFO(first.err);
    CHECK(first.exit_code == 1);
    const nlohmann::json summary = first.json();
    CHECK(summary["published"] == 9);  // everything but key-1's 2nd, 3rd and 4th
    CHECK(summary["failed"] == 1);
    CHECK(summary["stopped_keys"] == nlohmann::json::array({"key-1"}));
    CHECK(summary["failures"][0]["message_id"] == poisoned);
    CHECK_THAT(summary["failures"][0]["error"].get<std::string>(), Catch::Contains("503"));

    std::set<std::string> acknowledged;
    for (const auto& id : server.acknowledged_ids()) {
        acknowledged.insert(id);
    }
    CHECK(acknowledged.count(key1[0]) == 1);
    CHECK(acknowledged.count(key1[2]) == 0);  // nothing after the failure on its key
    CHECK(acknowledged.count(key1[3]) == 0);
    for (const auto& row : outbox_rows(dir.state())) {
        CHECK(row.published_at.empty() == (acknowledged.count(row.message_id) == 0));
        if (row.message_id == poisoned) {
            CHECK(row.attempts == 1);
            CHECK_THAT(row.last_error, Catch::Contains("503"));
        }
    }
    RunResult failed = run_salesint(
        {"--state", dir.state(), "outbox", "list", "--status", "failed", "-o", "json"});
    REQUIRE(failed.json().size() == 1);
    CHECK(failed.json()[0]["message_id"] == poisoned);

    // The server is fixed: key-1 goes on from where it stopped, in order.
    server.set_decide(always_ok);
    const std::size_t before = server.posted().size();
    RunResult second = relay(dir, {"--to", server.url(), "--once", "-o", "json"});
    INFO(second.err);
    CHECK(second.exit_code == 0);
    CHECK(second.json()["published"] == 3);
    const auto posted = server.posted();
    std::vector<std::string> rerun;
    for (std::size_t i = before; i < posted.size(); ++i) {
        rerun.push_back(nlohmann::json::parse(posted[i].body)["meta"]["message_id"]);
    }
    CHECK(rerun == std::vector<std::string>{key1[1], key1[2], key1[3]});
    CHECK(in_order_per_key(outbox_rows(dir.state()), server.acknowledged_ids()));
    CHECK(count_of(dir.state(), "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
}

TEST_CASE("relay --dead-letter-after moves a refused envelope to the DLQ and its key goes on",
          "[e2e][outbox][relay][http][dlq][backends]") {
    TempDir dir;
    fill_outbox(dir, 3, 1);  // one key: 6 envelopes
    const auto rows = outbox_rows(dir.state());
    const std::string refused = rows[2].message_id;
    std::atomic<bool> fixed{false};
    SinkServer server([&](const std::string& body) {
        return !fixed && body.find(refused) != std::string::npos ? 422 : 200;
    });
    // Without --dead-letter-after the key stops at the refusal (a 4xx is not retried).
    RunResult stopped = relay(dir, {"--to", server.url(), "--once", "-o", "json"});
    CHECK(stopped.exit_code == 1);
    CHECK(stopped.json()["published"] == 2);
    CHECK(stopped.json()["stopped_keys"] == nlohmann::json::array({"key-0"}));
    CHECK(server.posted().size() == 3);  // the refusal was not retried

    // Its second failure reaches N = 2: dead-lettered, and the key goes on.
    RunResult moved =
        relay(dir, {"--to", server.url(), "--once", "--dead-letter-after", "2", "-o", "json"});
    INFO(moved.err);
    CHECK(moved.exit_code == 1);
    CHECK(moved.json()["published"] == 3);
    CHECK(moved.json()["dead_lettered"] == 1);
    CHECK(moved.json()["stopped_keys"] == nlohmann::json::array());
    const std::string entry_id = moved.json()["failures"][0]["dlq_entry_id"];

    const std::vector<Row> dlq =
        state_query(dir.state(),
                    "SELECT entry_id, source, message_id, target_url, payload, "
                    "error_code, error_message, status FROM dlq");
    REQUIRE(dlq.size() == 1);
    CHECK(text_of(dlq[0][0]) == entry_id);
    CHECK(text_of(dlq[0][1]) == "outbox");
    CHECK(text_of(dlq[0][2]) == refused);
    CHECK(text_of(dlq[0][3]) == server.url());
    CHECK(text_of(dlq[0][4]) == rows[2].envelope);
    CHECK(text_of(dlq[0][5]) == "HTTP_422");
    CHECK_THAT(text_of(dlq[0][6]), Catch::Contains("2 times"));
    CHECK(text_of(dlq[0][7]) == "pending");

    const auto after = outbox_rows(dir.state());
    CHECK_FALSE(after[2].dead_lettered_at.empty());
    CHECK(after[2].published_at.empty());
    CHECK(after[2].attempts == 2);
    for (std::size_t i = 0; i < after.size(); ++i) {
        CHECK(after[i].published_at.empty() == (i == 2));
    }
    // A later run passes the dead letter by.
    RunResult again = relay(dir, {"--to", server.url(), "--once", "-o", "json"});
    CHECK(again.exit_code == 0);
    CHECK(again.json()["published"] == 0);

    // Once the sink takes it, replaying the dead letter puts the envelope
    // back in the queue, and the next relay publishes it.
    fixed = true;
    RunResult replayed =
        run_salesint({"--state", dir.state(), "dlq", "replay", entry_id, "-o", "json"});
    INFO(replayed.err);
    CHECK(replayed.exit_code == 0);
    CHECK(replayed.json()["replayed"] == 1);
    CHECK(outbox_rows(dir.state())[2].dead_lettered_at.empty());
    RunResult published = relay(dir, {"--to", server.url(), "--once", "-o", "json"});
    CHECK(published.exit_code == 0);
    CHECK(published.json()["published"] == 1);
    CHECK(server.acknowledged_ids().back() == refused);
    CHECK(count_of(dir.state(), "SELECT count(*) FROM dlq WHERE status = 'replayed'") == 1);
    CHECK(count_of(dir.state(), "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
}

TEST_CASE("relay to a sink that never answers exits 5 and marks nothing",
          "[e2e][outbox][relay][http][exit_code][backends]") {
    TempDir dir;
    fill_outbox(dir, 2, 0);
    const std::string url = "http://127.0.0.1:" + std::to_string(free_port()) + "/events";
    RunResult result = relay(dir, {"--to", url, "--once", "--max-attempts", "2", "-o", "json"});
    INFO(result.err);
    CHECK(result.exit_code == 5);
    CHECK(result.json()["published"] == 0);
    CHECK(result.json()["failed"] == 4);
    CHECK(count_of(dir.state(), "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 4);
    CHECK(count_of(dir.state(),
                   "SELECT count(*) FROM webhook_deliveries WHERE outcome = "
                   "'exhausted' AND http_status IS NULL") == 4);
}

TEST_CASE("a relay killed with SIGKILL mid-way leaves nothing marked that was not acknowledged",
          "[e2e][outbox][relay][http][kill][backends]") {
    TempDir dir;
    fill_outbox(dir, 10, 4);  // 20 envelopes over 4 keys
    SinkServer server(always_ok);
    server.set_delay(std::chrono::milliseconds(100));
    Background running({salesint_binary(), "--state", dir.state(), "outbox", "relay", "--to",
                        server.url(), "--once"});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (server.acknowledged_ids().size() < 6 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    running.signal(SIGKILL);
    RunResult killed = running.wait();
    CHECK(killed.exit_code == 128 + SIGKILL);

    std::set<std::string> acknowledged;
    for (const auto& id : server.acknowledged_ids()) {
        acknowledged.insert(id);
    }
    const auto rows = outbox_rows(dir.state());
    REQUIRE(acknowledged.size() < rows.size());  // it was killed part-way
    for (const auto& row : rows) {
        if (!row.published_at.empty()) {
            CHECK(acknowledged.count(row.message_id) == 1);
        }
    }

    server.set_delay(std::chrono::milliseconds(0));
    RunResult rerun = relay(dir, {"--to", server.url(), "--once"});
    INFO(rerun.err);
    CHECK(rerun.exit_code == 0);
    const auto ids = server.acknowledged_ids();
    const std::set<std::string> delivered(ids.begin(), ids.end());
    const auto after = outbox_rows(dir.state());
    for (const auto& row : after) {
        CHECK(delivered.count(row.message_id) == 1);
        CHECK_FALSE(row.published_at.empty());
    }
    CHECK(in_order_per_key(after, ids));
}
