// outbox list and show on envelopes that execute wrote: rows, filters, JSON
// shapes and exit codes.
#include <catch2/catch.hpp>

#include "e2e/outbox/outbox_support.hpp"

using namespace salesint::test;

namespace {

RunResult outbox(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), {"--state", dir.state(), "outbox"});
    return run_salesint(args);
}

}  // namespace

TEST_CASE("outbox list shows every envelope execute wrote, oldest first",
          "[e2e][outbox][backends]") {
    TempDir dir;
    fill_outbox(dir, 3, 0);
    RunResult listed = outbox(dir, {"list", "-o", "json"});
    INFO(listed.err);
    REQUIRE(listed.exit_code == 0);
    const nlohmann::json rows = listed.json();
    const auto stored = outbox_rows(dir.state());
    REQUIRE(rows.size() == 6);
    REQUIRE(stored.size() == 6);
    const auto in_order = nlohmann::ordered_json::parse(listed.out);  // keys as printed
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        std::vector<std::string> keys;
        for (const auto& [key, value] : in_order[i].items()) {
            keys.push_back(key);
        }
        CHECK(keys == std::vector<std::string>{"tenant_id", "id", "message_id", "topic",
                                               "partition_key", "created_at", "status",
                                               "publish_attempts", "last_error", "published_at",
                                               "dead_lettered_at"});
        CHECK(row["id"] == stored[i].id);
        CHECK(row["message_id"] == stored[i].message_id);
        CHECK(row["partition_key"] == stored[i].partition_key);
        CHECK(row["status"] == "pending");
        CHECK(row["publish_attempts"] == 0);
        CHECK(row["published_at"].is_null());
        CHECK(row["tenant_id"] == "default");
    }

    RunResult text = outbox(dir, {"list"});
    CHECK(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::StartsWith("ID") && Catch::Contains("MESSAGE ID") &&
                             Catch::Contains("ATTEMPTS") && Catch::Contains("pending") &&
                             Catch::Contains(stored[0].message_id));
}

TEST_CASE("outbox list filters by topic, status, time and count", "[e2e][outbox][backends]") {
    TempDir dir;
    fill_outbox(dir, 3, 0);
    auto count = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "list");
        args.insert(args.end(), {"-o", "json"});
        RunResult result = outbox(dir, args);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        return result.json().size();
    };
    CHECK(count({"--topic", "sales.order.intake"}) == 3);
    CHECK(count({"--topic", "sales.integration.facts.v1"}) == 3);
    CHECK(count({"--topic", "nothing.here"}) == 0);
    CHECK(count({"--limit", "2"}) == 2);
    CHECK(count({"--since", "1h"}) == 6);
    CHECK(count({"--since", "2999-01-01T00:00:00Z"}) == 0);
    CHECK(count({"--status", "pending"}) == 6);
    CHECK(count({"--status", "published"}) == 0);

    {
        state_exec(dir.state(),
                   "UPDATE outbox SET published_at = '2026-11-23T10:00:00Z' WHERE id = 1");
        state_exec(dir.state(),
                   "UPDATE outbox SET publish_attempts = 2, last_error = 'HTTP 503' WHERE id = 2");
        state_exec(
            dir.state(),
            "UPDATE outbox SET publish_attempts = 3, dead_lettered_at = '2026-11-23T10:00:00Z' "
            "WHERE id = 3");
    }
    CHECK(count({"--status", "published"}) == 1);
    CHECK(count({"--status", "failed"}) == 1);
    CHECK(count({"--status", "dead_lettered"}) == 1);
    CHECK(count({"--status", "pending"}) == 3);
    RunResult failed = outbox(dir, {"list", "--status", "failed", "-o", "json"});
    CHECK(failed.json()[0]["last_error"] == "HTTP 503");
    CHECK(failed.json()[0]["publish_attempts"] == 2);

    RunResult bad_since = outbox(dir, {"list", "--since", "yesterday"});
    CHECK(bad_since.exit_code == 2);
    CHECK_THAT(bad_since.err, Catch::Contains("--since"));
    CHECK(outbox(dir, {"list", "--status", "lost"}).exit_code == 2);
}

TEST_CASE("outbox show prints the envelope and its status, unknown ids exit 3",
          "[e2e][outbox][backends]") {
    TempDir dir;
    fill_outbox(dir, 1, 0);
    const auto stored = outbox_rows(dir.state());
    RunResult shown = outbox(dir, {"show", std::to_string(stored[1].id), "-o", "json"});
    INFO(shown.err);
    REQUIRE(shown.exit_code == 0);
    const nlohmann::json object = shown.json();
    CHECK(object["id"] == stored[1].id);
    CHECK(object["status"] == "pending");
    CHECK(object["envelope"] == nlohmann::json::parse(stored[1].envelope));

    RunResult text = outbox(dir, {"show", std::to_string(stored[0].id)});
    CHECK(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("status: pending") && Catch::Contains("envelope:") &&
                             Catch::Contains(stored[0].message_id));

    RunResult missing = outbox(dir, {"show", "999"});
    CHECK(missing.exit_code == 3);
    CHECK_THAT(missing.err, Catch::Contains("no envelope 999"));
    CHECK(outbox(dir, {"show", "abc"}).exit_code == 2);
}
