// outbox relay --to kafka://BROKERS against librdkafka's mock cluster, hosted
// by tests/support/kafka_mock_cluster in a process of its own, and consumed
// back with kcat: every envelope delivered with its key and headers, in order
// per key, on the partition Java producers pick; produce errors retried;
// an unreachable cluster; bad producer properties; follow until SIGTERM; a
// relay killed with SIGKILL mid-stream.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <set>

#include "e2e/outbox/outbox_support.hpp"
#include "support/ports.hpp"

using namespace salesint::test;

namespace {

constexpr const char* kFacts = "sales.integration.facts.v1";
constexpr const char* kIntake = "sales.order.intake";
constexpr int kPartitions = 4;

// A mock cluster of three brokers with the two topics (after prefix).
class MockCluster {
  public:
    explicit MockCluster(std::vector<std::string> extra = {}, const std::string& prefix = "") {
        std::vector<std::string> argv{SALESINT_KAFKA_MOCK,
                                      "--brokers",
                                      "3",
                                      "--topic",
                                      prefix + kFacts + ":" + std::to_string(kPartitions),
                                      "--topic",
                                      prefix + kIntake + ":" + std::to_string(kPartitions)};
        argv.insert(argv.end(), extra.begin(), extra.end());
        process_ = std::make_unique<Background>(argv);
        bootstrap_ = process_->read_line();
        REQUIRE_FALSE(bootstrap_.empty());
    }
    std::string target() const { return "kafka://" + bootstrap_; }
    const std::string& bootstrap() const { return bootstrap_; }

  private:
    std::unique_ptr<Background> process_;
    std::string bootstrap_;
};

struct Consumed {
    std::string topic, key, payload, message_id;
    int partition = 0;
    long long offset = 0;
    std::map<std::string, std::string> headers;
};

std::string kcat() {
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const std::string candidate = dirs.substr(start, end - start) + "/kcat";
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        start = end + 1;
    }
    FAIL("kcat is not installed (Debian package kcat)");
    return "";
}

// Every message of topic, in partition then offset order.
std::vector<Consumed> consume(const MockCluster& cluster, const std::string& topic) {
    RunResult read = run_program({kcat(), "-C", "-b", cluster.bootstrap(), "-t", topic, "-e", "-J",
                                  "-q", "-X", "log_level=3"});
    INFO(read.err);
    REQUIRE(read.exit_code == 0);
    std::vector<Consumed> messages;
    std::istringstream lines(read.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) {
            continue;
        }
        const nlohmann::json value = nlohmann::json::parse(line);
        Consumed message;
        message.topic = value["topic"];
        message.partition = value["partition"];
        message.offset = value["offset"];
        message.key = value["key"].is_string() ? value["key"].get<std::string>() : "";
        message.payload = value["payload"];
        message.message_id = nlohmann::json::parse(message.payload)["meta"]["message_id"];
        if (value.contains("headers")) {
            const auto& headers = value["headers"];
            for (std::size_t i = 0; i + 1 < headers.size(); i += 2) {
                message.headers[headers[i]] = headers[i + 1].is_string() ? headers[i + 1] : "";
            }
        }
        messages.push_back(std::move(message));
    }
    std::sort(messages.begin(), messages.end(), [](const Consumed& a, const Consumed& b) {
        return std::tie(a.partition, a.offset) < std::tie(b.partition, b.offset);
    });
    return messages;
}

std::string header(const Consumed& message, const std::string& name) {
    auto found = message.headers.find(name);
    return found == message.headers.end() ? "" : found->second;
}

std::vector<std::string> ids_of(const std::vector<Consumed>& messages) {
    std::vector<std::string> ids;
    for (const auto& message : messages) {
        ids.push_back(message.message_id);
    }
    return ids;
}

std::vector<OutboxRow> rows_on(const std::vector<OutboxRow>& rows, const std::string& topic) {
    std::vector<OutboxRow> on;
    std::copy_if(rows.begin(), rows.end(), std::back_inserter(on),
                 [&](const OutboxRow& row) { return row.topic == topic; });
    return on;
}

// Kafka's murmur2 (the Java producer's default partitioner): the partition of
// a key is toPositive(murmur2(key)) % partitions.
int java_partition(const std::string& key, int partitions) {
    const std::uint32_t m = 0x5bd1e995;
    const auto length = static_cast<std::uint32_t>(key.size());
    std::uint32_t h = 0x9747b28c ^ length;
    const auto byte = [&](std::size_t i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(key[i]));
    };
    for (std::size_t i = 0; i + 4 <= key.size(); i += 4) {
        std::uint32_t k = byte(i) | (byte(i + 1) << 8) | (byte(i + 2) << 16) | (byte(i + 3) << 24);
        k *= m;
        k ^= k >> 24;
        k *= m;
        h *= m;
        h ^= k;
    }
    const std::size_t tail = key.size() & ~std::size_t{3};
    switch (key.size() % 4) {
        case 3:
            h ^= byte(tail + 2) << 16;
            [[fallthrough]];
        case 2:
            h ^= byte(tail + 1) << 8;
            [[fallthrough]];
        case 1:
            h ^= byte(tail);
            h *= m;
            break;
        default:
            break;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return static_cast<int>((h & 0x7fffffff) % static_cast<std::uint32_t>(partitions));
}

RunResult relay(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), {"--state", dir.state(), "outbox", "relay"});
    return run_salesint(args);
}

std::set<std::string> published_ids(const TempDir& dir) {
    RunResult listed = run_salesint(
        {"--state", dir.state(), "outbox", "list", "--status", "published", "-o", "json"});
    REQUIRE(listed.exit_code == 0);
    std::set<std::string> ids;
    for (const auto& envelope : listed.json()) {
        ids.insert(envelope["message_id"].get<std::string>());
    }
    return ids;
}

}  // namespace

TEST_CASE("relay to Kafka delivers every envelope keyed, with the CloudEvents headers",
          "[e2e][outbox][relay][kafka][backends]") {
    TempDir dir;
    fill_outbox(dir, 12, 0);  // 24 envelopes: a fact and an order intake event per order
    MockCluster cluster;
    RunResult result = relay(dir, {"--to", cluster.target(), "--once", "-o", "json"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.json()["published"] == 24);
    CHECK(result.json()["failed"] == 0);

    const auto rows = outbox_rows(dir.state());
    std::map<std::string, OutboxRow> row_of;
    for (const auto& row : rows) {
        row_of[row.message_id] = row;
        CHECK_FALSE(row.published_at.empty());
    }
    const auto facts = consume(cluster, kFacts);
    REQUIRE(facts.size() == 12);
    for (const auto& message : facts) {
        REQUIRE(row_of.count(message.message_id) == 1);
        const OutboxRow& row = row_of[message.message_id];
        const nlohmann::json envelope = nlohmann::json::parse(row.envelope);
        const nlohmann::json& meta = envelope["meta"];
        CHECK(row.topic == kFacts);
        CHECK(message.payload == row.envelope);
        CHECK(message.key == row.partition_key);
        CHECK(message.partition == java_partition(message.key, kPartitions));
        CHECK(header(message, "ce_specversion") == "1.0");
        CHECK(header(message, "ce_id") == meta["message_id"]);
        CHECK(header(message, "ce_source") == meta["producer"]);
        CHECK(header(message, "ce_type") == envelope["fact"]["type"]);
        CHECK(header(message, "ce_time") == meta["occurred_at"]);
        CHECK(header(message, "content-type") == "application/json");
        CHECK(header(message, "correlation_id") == meta["correlation_id"]);
        CHECK(header(message, "causation_id") == meta["causation_id"]);
        CHECK(header(message, "tenant_id") == meta["tenant_id"]);
        CHECK(header(message, "schema_version") == meta["schema_version"]);
    }
    const auto intake = consume(cluster, kIntake);
    REQUIRE(intake.size() == 12);
    for (const auto& message : intake) {
        REQUIRE(row_of.count(message.message_id) == 1);
        const OutboxRow& row = row_of[message.message_id];
        const nlohmann::json envelope = nlohmann::json::parse(row.envelope);
        CHECK(row.topic == kIntake);
        CHECK(message.payload == row.envelope);
        CHECK(message.key == envelope["orderId"]);
        CHECK(message.partition == java_partition(message.key, kPartitions));
        CHECK(message.headers.size() == 3);
        CHECK(header(message, "correlation-id") == envelope["meta"]["correlation_id"]);
        CHECK(header(message, "tenant-id") == envelope["meta"]["tenant_id"]);
        // The order intake's idempotency key: SHA-256 of externalOrderId-salesSystem,
        // the executed message id that caused the event.
        CHECK(header(message, "idempotency-key") == envelope["meta"]["causation_id"]);
        CHECK(header(message, "idempotency-key").size() == 64);
    }

    RunResult again = relay(dir, {"--to", cluster.target(), "--once", "-o", "json"});
    CHECK(again.exit_code == 0);
    CHECK(again.json()["published"] == 0);
    CHECK(consume(cluster, kFacts).size() == 12);
}

TEST_CASE("relay to Kafka keeps the order per key across batches, under a topic prefix",
          "[e2e][outbox][relay][kafka][backends]") {
    TempDir dir;
    fill_outbox(dir, 100, 5);  // 200 envelopes over key-0 .. key-4
    MockCluster cluster({}, "staging.");
    RunResult result = relay(dir, {"--to", cluster.target(), "--once", "--topic-prefix", "staging.",
                                   "--batch", "30", "-o", "json"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.json()["published"] == 200);

    const auto rows = outbox_rows(dir.state());
    const auto facts = consume(cluster, std::string("staging.") + kFacts);
    const auto intake = consume(cluster, std::string("staging.") + kIntake);
    CHECK(facts.size() == 100);
    CHECK(intake.size() == 100);
    // Exactly once each, and per key in the order of the outbox.
    const auto fact_ids = ids_of(facts);
    CHECK(std::set<std::string>(fact_ids.begin(), fact_ids.end()).size() == 100);
    CHECK(in_order_per_key(rows_on(rows, kFacts), fact_ids));
    for (const auto& message : facts) {
        CHECK(message.topic == std::string("staging.") + kFacts);
    }
    CHECK(consume(cluster, kFacts).empty());  // nothing on the unprefixed topic
}

TEST_CASE("injected produce errors are retried by the idempotent producer with nothing lost",
          "[e2e][outbox][relay][kafka][backends]") {
    TempDir dir;
    fill_outbox(dir, 40, 4);  // 80 envelopes
    MockCluster cluster({"--produce-errors",
                         "NOT_ENOUGH_REPLICAS,NOT_LEADER_FOR_PARTITION,TRANSPORT,"
                         "NOT_ENOUGH_REPLICAS,TRANSPORT,NOT_LEADER_FOR_PARTITION"});
    RunResult result =
        relay(dir, {"--to", cluster.target(), "--once", "--batch", "20", "-o", "json"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.json()["published"] == 80);
    CHECK(result.json()["failed"] == 0);

    const auto rows = outbox_rows(dir.state());
    const auto facts = consume(cluster, kFacts);
    const auto intake = consume(cluster, kIntake);
    std::set<std::string> delivered;
    for (const auto* messages : {&facts, &intake}) {
        for (const auto& message : *messages) {
            delivered.insert(message.message_id);
        }
    }
    for (const auto& row : rows) {
        CHECK(delivered.count(row.message_id) == 1);
        CHECK_FALSE(row.published_at.empty());
    }
    CHECK(in_order_per_key(rows_on(rows, kFacts), ids_of(facts)));
}

TEST_CASE("a delivery the cluster refuses stops its key, other keys go on, a rerun sends the rest",
          "[e2e][outbox][relay][kafka][backends]") {
    TempDir dir;
    fill_outbox(dir, 8, 2);  // 16 envelopes over key-0 and key-1
    // The first Produce request is refused for good (not retried).
    MockCluster cluster({"--produce-errors", "TOPIC_AUTHORIZATION_FAILED"});
    RunResult first = relay(dir, {"--to", cluster.target(), "--once", "-o", "json"});
    INFO(first.err);
    CHECK(first.exit_code == 1);
    const nlohmann::json summary = first.json();
    REQUIRE(summary["failed"].get<int>() >= 1);
    CHECK(summary["stopped_keys"].size() == summary["failed"].get<std::size_t>());
    CHECK_THAT(summary["failures"][0]["error"].get<std::string>(),
               Catch::Contains("authorization"));
    std::set<std::string> stopped;
    for (const auto& key : summary["stopped_keys"]) {
        stopped.insert(key.get<std::string>());
    }
    // Per stopped key: published up to its failed envelope, nothing after it.
    std::map<std::string, bool> failed_seen;
    for (const auto& row : outbox_rows(dir.state())) {
        if (stopped.count(row.partition_key) == 0) {
            CHECK_FALSE(row.published_at.empty());
        } else if (failed_seen[row.partition_key]) {
            CHECK(row.published_at.empty());
            CHECK(row.attempts == 0);  // not sent: not counted as a failure
        } else if (row.published_at.empty()) {
            failed_seen[row.partition_key] = true;
            CHECK(row.attempts == 1);
            CHECK_THAT(row.last_error, Catch::Contains("authorization"));
        }
    }
    CHECK(failed_seen.size() == stopped.size());

    RunResult second = relay(dir, {"--to", cluster.target(), "--once", "-o", "json"});
    INFO(second.err);
    CHECK(second.exit_code == 0);
    std::set<std::string> delivered;
    for (const auto& message : consume(cluster, kFacts)) {
        delivered.insert(message.message_id);
    }
    for (const auto& message : consume(cluster, kIntake)) {
        delivered.insert(message.message_id);
    }
    for (const auto& row : outbox_rows(dir.state())) {
        CHECK_FALSE(row.published_at.empty());
        CHECK(delivered.count(row.message_id) == 1);
    }
}

TEST_CASE("relay to an unreachable Kafka cluster exits 5 after the message timeout, marks nothing",
          "[e2e][outbox][relay][kafka][exit_code][backends]") {
    TempDir dir;
    fill_outbox(dir, 3, 0);
    const std::string target = "kafka://127.0.0.1:" + std::to_string(free_port());
    RunResult result =
        relay(dir, {"--to", target, "--once", "-X", "message.timeout.ms=1500", "-o", "json"});
    INFO(result.err);
    CHECK(result.exit_code == 5);
    CHECK(result.json()["published"] == 0);
    CHECK(result.json()["failed"] == 6);
    CHECK_THAT(result.json()["failures"][0]["error"].get<std::string>(),
               Catch::Contains("timed out"));
    CHECK(published_ids(dir).empty());
    for (const auto& row : outbox_rows(dir.state())) {
        CHECK(row.published_at.empty());
        CHECK(row.attempts == 1);
    }
}

TEST_CASE("a bad Kafka producer property exits 2 naming it, never its value",
          "[e2e][outbox][relay][kafka][exit_code][backends]") {
    TempDir dir;
    fill_outbox(dir, 1, 0);
    const std::string target = "kafka://127.0.0.1:" + std::to_string(free_port());

    RunResult invalid = relay(dir, {"--to", target, "--once", "-X", "linger.ms=s3cret-Value"});
    CHECK(invalid.exit_code == 2);
    CHECK_THAT(invalid.err, Catch::Contains("linger.ms"));
    CHECK(invalid.err.find("s3cret-Value") == std::string::npos);
    CHECK(invalid.out.find("s3cret-Value") == std::string::npos);

    RunResult unknown = relay(dir, {"--to", target, "--once", "-X", "no.such.property=s3cret"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("no.such.property"));
    CHECK(unknown.err.find("s3cret") == std::string::npos);

    RunResult no_value = relay(dir, {"--to", target, "--once", "-X", "s3cretWithoutName"});
    CHECK(no_value.exit_code == 2);
    CHECK(no_value.err.find("s3cretWithoutName") == std::string::npos);

    CHECK(relay(dir, {"--to", target, "--once", "-X", "bootstrap.servers=127.0.0.1:1"}).exit_code ==
          2);
    CHECK(relay(dir, {"--to", "kafka://", "--once"}).exit_code == 2);
    CHECK(relay(dir, {"--to", "kafka://broker-without-port", "--once"}).exit_code == 2);
    CHECK(relay(dir, {"--to", target, "--once", "--topic-prefix", "bad/prefix"}).exit_code == 2);
    CHECK(relay(dir, {"--to", "file:" + dir.file("out.ndjson"), "--once", "-X", "linger.ms=5"})
              .exit_code == 2);
    for (const auto& row : outbox_rows(dir.state())) {
        CHECK(row.published_at.empty());
        CHECK(row.attempts == 0);  // refused before anything was tried
    }
}

TEST_CASE("relay to Kafka follows new envelopes until SIGTERM, then exits 0",
          "[e2e][outbox][relay][kafka][signal][backends]") {
    TempDir dir;
    fill_outbox(dir, 3, 0);
    MockCluster cluster;
    Background running({salesint_binary(), "--state", dir.state(), "outbox", "relay", "--to",
                        cluster.target(), "--poll", "100ms"});
    const auto wait_published = [&](std::size_t count) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (published_ids(dir).size() < count && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return published_ids(dir).size();
    };
    REQUIRE(wait_published(6) == 6);

    // A new order while the relay follows.
    nlohmann::json order =
        nlohmann::json::parse(read_file(fixtures_dir() + "/execute/order-intake.json"));
    order["externalOrderId"] = "PX-OUTBOX-FOLLOW";
    write_file(dir.file("late.json"), order.dump());
    RunResult late = run_salesint({"--state", dir.state(), "execute", "fsm.order.intake.v2",
                                   "--input", dir.file("late.json")});
    REQUIRE(late.exit_code == 0);
    REQUIRE(wait_published(8) == 8);

    running.signal(SIGTERM);
    RunResult stopped = running.wait();
    INFO(stopped.err);
    CHECK(stopped.exit_code == 0);
    CHECK(consume(cluster, kFacts).size() == 4);
    CHECK(consume(cluster, kIntake).size() == 4);
}

TEST_CASE(
    "a Kafka relay killed with SIGKILL mid-stream loses nothing and marks nothing undelivered",
    "[e2e][outbox][relay][kafka][kill][backends]") {
    TempDir dir;
    fill_outbox(dir, 150, 4);  // 300 envelopes over 4 keys
    // Every request answered 50 ms late: batches of 10 take long enough to kill one mid-way.
    MockCluster cluster({"--rtt-ms", "50"});
    Background running({salesint_binary(), "--state", dir.state(), "outbox", "relay", "--to",
                        cluster.target(), "--once", "--batch", "10"});
    // Read in this process (a salesint per look would be too slow under the
    // sanitizers), waiting out the relay's commits.
    const auto marked_count = [&] {
        return state_count(dir.state(),
                           "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL");
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (marked_count() < 60 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    running.signal(SIGKILL);
    RunResult killed = running.wait();
    CHECK(killed.exit_code == 128 + SIGKILL);

    // Nothing marked published that the cluster does not hold.
    std::set<std::string> delivered;
    for (const auto& message : consume(cluster, kFacts)) {
        delivered.insert(message.message_id);
    }
    for (const auto& message : consume(cluster, kIntake)) {
        delivered.insert(message.message_id);
    }
    const std::set<std::string> marked = published_ids(dir);
    REQUIRE(marked.size() >= 60);
    REQUIRE(marked.size() < 300);  // it was killed part-way
    for (const auto& id : marked) {
        CHECK(delivered.count(id) == 1);
    }

    RunResult rerun = relay(dir, {"--to", cluster.target(), "--once", "-o", "json"});
    INFO(rerun.err);
    CHECK(rerun.exit_code == 0);
    const auto rows = outbox_rows(dir.state());
    const auto facts = consume(cluster, kFacts);
    delivered.clear();
    for (const auto& message : facts) {
        delivered.insert(message.message_id);
    }
    for (const auto& message : consume(cluster, kIntake)) {
        delivered.insert(message.message_id);
    }
    for (const auto& row : rows) {
        CHECK(delivered.count(row.message_id) == 1);  // at least once
        CHECK_FALSE(row.published_at.empty());
    }
    CHECK(published_ids(dir).size() == 300);
    CHECK(in_order_per_key(rows_on(rows, kFacts), ids_of(facts)));
}
