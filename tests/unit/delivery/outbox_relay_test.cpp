// The outbox relay's ordering rules (src/delivery/outbox_relay.cpp): which
// envelopes may be sent, what a sink's answer means for each of them, and
// whole runs against a real state file with a sink scripted per key.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "salesint/delivery/outbox_relay.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using namespace salesint::delivery;

namespace {

OutboxMessage envelope(std::int64_t id, const std::string& key, int attempts = 0) {
    OutboxMessage m;
    m.id = id;
    m.message_id = "msg_" + std::to_string(id);
    m.topic = "t";
    m.partition_key = key;
    m.envelope_json = R"({"meta":{"message_id":"msg_)" + std::to_string(id) + R"("}})";
    m.created_at = "2026-11-23T10:00:00Z";
    m.publish_attempts = attempts;
    return m;
}

std::vector<std::int64_t> ids_of(const std::vector<OutboxMessage>& messages) {
    std::vector<std::int64_t> ids;
    for (const auto& m : messages) {
        ids.push_back(m.id);
    }
    return ids;
}

EnvelopeResult with(EnvelopeOutcome outcome) {
    EnvelopeResult result;
    result.outcome = outcome;
    if (outcome == EnvelopeOutcome::kFailed) {
        result.error = "HTTP 503";
        result.error_code = "HTTP_503";
    }
    return result;
}

// A sink that fails every envelope of the keys in failing (while they are
// there), keeps the per-key rule of the interface, and records what it saw.
class ScriptedSink : public Sink {
  public:
    std::set<std::string> failing;
    std::vector<std::int64_t> acknowledged;
    std::size_t batch = 3;

    PublishResult publish(const std::vector<OutboxMessage>& envelopes) override {
        PublishResult result;
        std::set<std::string> failed;
        for (const auto& m : envelopes) {
            if (failed.count(m.partition_key) > 0) {
                result.envelopes.push_back(with(EnvelopeOutcome::kNotSent));
            } else if (failing.count(m.partition_key) > 0) {
                failed.insert(m.partition_key);
                result.envelopes.push_back(with(EnvelopeOutcome::kFailed));
            } else {
                acknowledged.push_back(m.id);
                result.envelopes.push_back(with(EnvelopeOutcome::kAcknowledged));
            }
        }
        return result;
    }
    std::string describe() const override { return "scripted:"; }
    std::size_t preferred_batch() const override { return batch; }
};

// Fills the outbox with envelopes of keys a, b, c interleaved: ids 1..9.
void fill(Store& store) {
    store.write([&] {
        for (int i = 0; i < 9; ++i) {
            OutboxMessage m = envelope(0, std::string(1, static_cast<char>('a' + i % 3)));
            m.message_id = "msg_" + std::to_string(i + 1);
            store.insert_outbox(m);
        }
    });
}

}  // namespace

TEST_CASE("sendable drops published and dead-lettered envelopes and stopped keys",
          "[outbox][delivery][backends]") {
    std::vector<OutboxMessage> page{envelope(1, "a"), envelope(2, "b"), envelope(3, "a"),
                                    envelope(4, "c"), envelope(5, "b")};
    page[1].published_at = "2026-11-23T10:00:01Z";
    page[3].dead_lettered_at = "2026-11-23T10:00:01Z";
    PartitionGate gate;
    CHECK(ids_of(sendable(page, gate)) == std::vector<std::int64_t>{1, 3, 5});
    CHECK(gate.stop("a"));
    CHECK_FALSE(gate.stop("a"));
    CHECK(ids_of(sendable(page, gate)) == std::vector<std::int64_t>{5});
    CHECK(gate.stopped_keys() == std::vector<std::string>{"a"});
}

TEST_CASE("a failed envelope stops its key and later envelopes of it are not retried",
          "[outbox][delivery][backends]") {
    const std::vector<OutboxMessage> batch{envelope(1, "a"), envelope(2, "b"), envelope(3, "a"),
                                           envelope(4, "b")};
    PublishResult result;
    result.envelopes = {with(EnvelopeOutcome::kFailed), with(EnvelopeOutcome::kAcknowledged),
                        with(EnvelopeOutcome::kNotSent), with(EnvelopeOutcome::kAcknowledged)};
    PartitionGate gate;
    const Settlement settlement = settle(batch, result, 0, gate);
    CHECK(settlement.published == std::vector<std::int64_t>{2, 4});
    REQUIRE(settlement.failures.size() == 1);
    CHECK(settlement.failures[0].id == 1);
    CHECK_FALSE(settlement.failures[0].dead_letter);
    CHECK(gate.stopped("a"));
    CHECK_FALSE(gate.stopped("b"));
    CHECK(settlement.first_retry_id == 0);  // 3 waits for the next run
}

TEST_CASE("an envelope that failed often enough is dead-lettered and its key goes on",
          "[outbox][delivery][backends]") {
    const std::vector<OutboxMessage> batch{envelope(1, "a", 2), envelope(2, "a"), envelope(3, "b")};
    PublishResult result;
    result.envelopes = {with(EnvelopeOutcome::kFailed), with(EnvelopeOutcome::kNotSent),
                        with(EnvelopeOutcome::kAcknowledged)};
    PartitionGate gate;
    const Settlement settlement = settle(batch, result, 3, gate);
    REQUIRE(settlement.failures.size() == 1);
    CHECK(settlement.failures[0].dead_letter);  // its third failure
    CHECK_FALSE(gate.stopped("a"));
    CHECK(settlement.first_retry_id == 2);  // read again: a goes on
    CHECK(settlement.published == std::vector<std::int64_t>{3});

    PartitionGate other;
    CHECK_FALSE(settle(batch, result, 4, other).failures[0].dead_letter);
    CHECK(other.stopped("a"));
}

TEST_CASE("relay publishes every key in order and stops only the failing one",
          "[outbox][delivery][backends]") {
    test::TempDir dir;
    auto store = test::open_at(dir.state());
    fill(*store);
    ScriptedSink sink;
    sink.failing = {"b"};
    RelayOptions options;
    options.page_size = 4;  // pages and batches that cut through keys
    const RelayReport report = relay(*store, sink, options);
    CHECK(report.published == 6);
    CHECK(report.failed == 1);
    CHECK(report.stopped_keys == std::vector<std::string>{"b"});
    CHECK(sink.acknowledged == std::vector<std::int64_t>{1, 3, 4, 6, 7, 9});
    CHECK(store->find_outbox(2)->publish_attempts == 1);
    CHECK(store->find_outbox(5)->publish_attempts == 0);  // never tried: after 2 on key b
    CHECK(store->find_outbox(5)->published_at.empty());

    // The sink is fixed: the next run publishes key b in order, nothing twice.
    sink.failing.clear();
    sink.acknowledged.clear();
    const RelayReport again = relay(*store, sink, options);
    CHECK(again.published == 3);
    CHECK(sink.acknowledged == std::vector<std::int64_t>{2, 5, 8});
    CHECK(relay(*store, sink, options).published == 0);
}

TEST_CASE("relay dead-letters after N failures and then lets the key go on",
          "[outbox][delivery][backends]") {
    test::TempDir dir;
    auto store = test::open_at(dir.state());
    fill(*store);
    ScriptedSink sink;
    sink.failing = {"a"};
    RelayOptions options;
    options.dead_letter_after = 1;
    options.target = "scripted:";
    const RelayReport report = relay(*store, sink, options);
    // Every envelope of a fails once and goes to the DLQ; b and c are published.
    CHECK(report.dead_lettered == 3);
    CHECK(report.failed == 0);
    CHECK(report.published == 6);
    CHECK(report.stopped_keys.empty());
    const auto dead = store->list_dlq();
    REQUIRE(dead.size() == 3);
    CHECK(dead[0].source == "outbox");
    CHECK(dead[0].message_id == "msg_1");
    CHECK(dead[0].target_url == "scripted:");
    CHECK(dead[0].error_code == "HTTP_503");
    CHECK_FALSE(store->find_outbox(1)->dead_lettered_at.empty());
}

TEST_CASE("relay stops at the limit and when asked to stop", "[outbox][delivery][backends]") {
    test::TempDir dir;
    auto store = test::open_at(dir.state());
    fill(*store);
    ScriptedSink sink;
    RelayOptions options;
    options.limit = 4;
    CHECK(relay(*store, sink, options).published == 4);
    CHECK(sink.acknowledged == std::vector<std::int64_t>{1, 2, 3, 4});

    int batches = 0;
    options.limit = 0;
    options.stop_requested = [&batches] { return batches > 0; };
    options.on_progress = [&batches](std::int64_t) { ++batches; };
    CHECK(relay(*store, sink, options).published == 3);  // one batch, then it stops
}

TEST_CASE("after a dead letter the relay reads its key again from the next envelope",
          "[outbox][delivery][backends]") {
    test::TempDir dir;
    auto store = test::open_at(dir.state());
    fill(*store);
    ScriptedSink sink;
    sink.batch = 9;  // one call holds every key's envelopes: a's later ones are not sent
    sink.failing = {"a"};
    RelayOptions options;
    options.dead_letter_after = 1;
    const RelayReport report = relay(*store, sink, options);
    CHECK(report.dead_lettered == 3);
    CHECK(report.published == 6);
    CHECK(sink.acknowledged == std::vector<std::int64_t>{2, 3, 5, 6, 8, 9});  // none twice
    for (std::int64_t id : {1, 4, 7}) {
        CHECK_FALSE(store->find_outbox(id)->dead_lettered_at.empty());
    }
}
