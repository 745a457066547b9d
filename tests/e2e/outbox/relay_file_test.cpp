// outbox relay --to file:PATH: every envelope once, in order, as stored;
// marked published; a second run publishes nothing; bad targets exit 2.
#include <catch2/catch.hpp>

#include <csignal>

#include "e2e/outbox/outbox_support.hpp"

using namespace salesint::test;

namespace {

RunResult relay(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), {"--state", dir.state(), "outbox", "relay"});
    return run_salesint(args);
}

}  // namespace

TEST_CASE("relay to a file appends every envelope once as stored and marks it published",
          "[e2e][outbox][relay][backends]") {
    TempDir dir;
    fill_outbox(dir, 20, 3);
    const std::string target = "file:" + dir.file("out.ndjson");
    RunResult first = relay(dir, {"--to", target, "--once", "-o", "json"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    const nlohmann::json summary = first.json();
    CHECK(summary["published"] == 40);
    CHECK(summary["failed"] == 0);
    CHECK(summary["dead_lettered"] == 0);
    CHECK(summary["stopped_keys"] == nlohmann::json::array());

    const auto rows = outbox_rows(dir.state());
    std::string expected;
    for (const auto& row : rows) {
        expected += row.envelope + "\n";
        CHECK_FALSE(row.published_at.empty());
    }
    CHECK(read_file(dir.file("out.ndjson")) == expected);  // byte for byte, oldest first
    CHECK(in_order_per_key(rows, message_ids_in(expected)));

    RunResult second = relay(dir, {"--to", target, "--once", "-o", "json"});
    CHECK(second.exit_code == 0);
    CHECK(second.json()["published"] == 0);
    CHECK(read_file(dir.file("out.ndjson")) == expected);

    RunResult listed = run_salesint(
        {"--state", dir.state(), "outbox", "list", "--status", "pending", "-o", "json"});
    CHECK(listed.json().empty());
}

TEST_CASE("relay --limit publishes the oldest N and the next run the rest",
          "[e2e][outbox][relay][backends]") {
    TempDir dir;
    fill_outbox(dir, 5, 0);
    const std::string target = "file:" + dir.file("out.ndjson");
    RunResult first = relay(dir, {"--to", target, "--once", "--limit", "4"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK_THAT(first.out, Catch::StartsWith("4 published, 0 failed, 0 dead-lettered"));
    CHECK(count_of(dir.state(), "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 6);
    REQUIRE(relay(dir, {"--to", target, "--once"}).exit_code == 0);
    const auto rows = outbox_rows(dir.state());
    std::vector<std::string> all;
    for (const auto& row : rows) {
        all.push_back(row.message_id);
    }
    CHECK(message_ids_in(read_file(dir.file("out.ndjson"))) == all);
}

TEST_CASE("relay refuses a file it cannot open and a sink it does not know",
          "[e2e][outbox][relay][exit_code][backends]") {
    TempDir dir;
    fill_outbox(dir, 1, 0);
    const std::string before = snapshot(dir.state());

    RunResult unopenable =
        relay(dir, {"--to", "file:" + dir.file("no/such/dir/out.ndjson"), "--once"});
    CHECK(unopenable.exit_code == 2);
    CHECK_THAT(unopenable.err, Catch::Contains(dir.file("no/such/dir/out.ndjson")));
    CHECK_THAT(unopenable.err.substr(0, unopenable.err.find('\n')),
               Catch::StartsWith("salesint: error: cannot open") &&
                   Catch::Contains(dir.file("no/such/dir/out.ndjson")));

    RunResult unknown = relay(dir, {"--to", "amqp://broker:5672/queue", "--once"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("file:PATH") && Catch::Contains("http://") &&
                                Catch::Contains("https://") && Catch::Contains("kafka://"));
    CHECK_THAT(unknown.err, !Catch::Contains("did you mean"));
    RunResult typo = relay(dir, {"--to", "kafak://broker:9092", "--once"});
    CHECK(typo.exit_code == 2);
    CHECK_THAT(typo.err, Catch::Contains("did you mean \"kafka\"?"));

    RunResult signed_file = relay(dir, {"--to", "file:" + dir.file("o.ndjson"), "--once",
                                        "--scheme", "standard", "--secret-env", "S"});
    CHECK(signed_file.exit_code == 2);
    CHECK(snapshot(dir.state()) == before);
}

TEST_CASE("relay without --once follows new envelopes until SIGTERM, then exits 0",
          "[e2e][outbox][relay][follow][backends]") {
    TempDir dir;
    fill_outbox(dir, 2, 0);
    const std::string out = dir.file("out.ndjson");
    Background follower({salesint_binary(), "--state", dir.state(), "outbox", "relay", "--to",
                         "file:" + out, "--poll", "50ms", "-o", "json"});
    auto wait_for_lines = [&](std::size_t lines) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            std::string text;
            try {
                text = read_file(out);
            } catch (...) {
            }
            if (static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) >= lines) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    };
    REQUIRE(wait_for_lines(4));

    // New envelopes while it follows: published without a new run.
    nlohmann::json order =
        nlohmann::json::parse(read_file(fixtures_dir() + "/execute/order-intake.json"));
    order["externalOrderId"] = "PX-OUTBOX-LATE";
    write_file(dir.file("late.json"), order.dump());
    REQUIRE(run_salesint({"--state", dir.state(), "execute", "fsm.order.intake.v2", "--input",
                          dir.file("late.json")})
                .exit_code == 0);
    REQUIRE(wait_for_lines(6));

    follower.signal(SIGTERM);
    RunResult ended = follower.wait();
    INFO(ended.err);
    CHECK(ended.exit_code == 0);
    CHECK(ended.json()["published"] == 6);
    CHECK(count_of(dir.state(), "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
}
