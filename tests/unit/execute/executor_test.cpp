// The executor (src/execute/executor.cpp) against a real state file in a temp
// dir: what a deterministic execution records, replays with the same ids,
// conflicts for a message id reused with another input, rejected inputs, and
// dry runs that write nothing.
#include <catch2/catch.hpp>

#include <string>

#include "salesint/execute/executor.hpp"
#include "salesint/execute/registry.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using namespace salesint::execute;
using salesint::test::open_at;
using salesint::test::snapshot;
using salesint::test::TempDir;

namespace {

constexpr const char* kEmail = "sales.quote.send_email.v1";
constexpr const char* kOrderIntake = "fsm.order.intake.v2";
constexpr const char* kFactsTopic = "sales.integration.facts.v1";
constexpr const char* kNow = "2026-11-23T10:00:00Z";

Json fixture(const std::string& name) {
    const std::string_view text = embedded_fixture("fixtures/execute/" + name);
    REQUIRE_FALSE(text.empty());
    return Json::parse(text);
}

ExecuteOptions at_fixed_time() {
    ExecuteOptions options;
    options.now = kNow;
    return options;
}

Outcome run(Store& store, const char* adapter, const Json& input,
            ExecuteOptions options = at_fixed_time()) {
    Executor executor(&store, adapter_named(adapter), std::move(options));
    return executor.execute(input);
}

}  // namespace

TEST_CASE("a deterministic execution is recorded with its integration fact",
          "[execute][executor][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    const Json input = fixture("quote-send-email.json");
    Outcome outcome = run(*store, kEmail, input);

    CHECK(outcome.status == ExecutionStatus::kSucceeded);
    CHECK(outcome.exit_code == ExitCode::kSuccess);
    CHECK_FALSE(outcome.replayed);
    CHECK_FALSE(outcome.dry_run);
    CHECK(outcome.mode == ExecutionMode::kDeterministic);
    CHECK(outcome.attempts == 1);
    CHECK_THAT(outcome.message_id, Catch::StartsWith("msg_"));
    CHECK(outcome.message_id.size() == 4 + 32);
    CHECK(outcome.output["status"] == "QUEUED");
    CHECK(outcome.output["quoteId"] == input["quoteId"]);
    CHECK(outcome.error.is_null());

    auto stored = store->find_execution(outcome.message_id, ExecutionMode::kDeterministic);
    REQUIRE(stored);
    CHECK(stored->execution_id == outcome.execution_id);
    CHECK(stored->adapter_id == kEmail);
    CHECK(stored->status == ExecutionStatus::kSucceeded);
    CHECK(stored->input == input.dump());  // canonical: keys sorted, no spaces
    CHECK(stored->input_sha256.size() == 64);
    CHECK(OrderedJson::parse(stored->output_json) == outcome.output);
    CHECK(stored->error_json.empty());
    CHECK(stored->correlation_id == outcome.message_id);  // it starts the chain
    CHECK(stored->created_at == kNow);

    auto facts = store->list_outbox(kFactsTopic);
    REQUIRE(facts.size() == 1);
    CHECK(store->list_outbox("").size() == 1);  // the email adapter emits no events
    const Json envelope = Json::parse(facts[0].envelope_json);
    CHECK(envelope["fact"]["type"] == "IntegrationExecutionSucceeded");
    CHECK(envelope["fact"]["execution_id"] == outcome.execution_id);
    CHECK(envelope["fact"]["output"] == Json::parse(stored->output_json));
    CHECK(envelope["meta"]["causation_id"] == outcome.message_id);
    CHECK(envelope["meta"]["occurred_at"] == kNow);
    CHECK(envelope["subject"]["aggregate_id"] == outcome.execution_id);

    REQUIRE(outcome.writes.size() == 2);
    CHECK(outcome.writes[0] == "executions " + outcome.execution_id);
    CHECK(outcome.writes[1] == std::string("outbox ") + kFactsTopic + " " + facts[0].message_id);
}

TEST_CASE("the same input again is a replay with the same ids, and writes nothing",
          "[execute][executor][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    const Json input = fixture("quote-send-email.json");
    const Outcome first = run(*store, kEmail, input);
    REQUIRE(first.status == ExecutionStatus::kSucceeded);
    const std::string before = snapshot(dir.state());

    // Another process, later, with the keys in another order: the same input.
    auto again_store = open_at(dir.state());
    ExecuteOptions later;
    later.now = "2026-11-24T08:00:00Z";
    OrderedJson reordered = OrderedJson::object();
    for (auto it = input.crbegin(); it != input.crend(); ++it) {
        reordered[it.key()] = it.value();
    }
    REQUIRE(reordered.dump() != input.dump());
    const Outcome again = run(*again_store, kEmail, Json::parse(reordered.dump(2)), later);
    CHECK(again.status == ExecutionStatus::kSucceeded);
    CHECK(again.exit_code == ExitCode::kSuccess);
    CHECK(again.replayed);
    CHECK(again.message_id == first.message_id);
    CHECK(again.execution_id == first.execution_id);
    CHECK(again.output == first.output);
    CHECK(again.attempts == first.attempts);
    CHECK_THAT(again.summary, Catch::Contains(std::string("already executed at ") + kNow));
    CHECK(snapshot(dir.state()) == before);
    CHECK(store->list_outbox(kFactsTopic).size() == 1);
}

TEST_CASE("ids derive from the tenant and the input alone", "[execute][executor][backends]") {
    TempDir dir;
    const Json input = fixture("quote-send-email.json");
    const Outcome here = run(*open_at(dir.file("a.db")), kEmail, input);
    const Outcome elsewhere = run(*open_at(dir.file("b.db")), kEmail, input);
    CHECK(here.message_id == elsewhere.message_id);
    CHECK(here.execution_id == elsewhere.execution_id);
    CHECK(here.output == elsewhere.output);

    const Outcome other_tenant = run(*open_at(dir.file("b.db"), "acme"), kEmail, input);
    CHECK(other_tenant.message_id == here.message_id);  // the input's
    CHECK_FALSE(other_tenant.replayed);                 // but not the default tenant's row
    CHECK(other_tenant.execution_id != here.execution_id);
    CHECK(other_tenant.output["providerMessageId"] != here.output["providerMessageId"]);

    Json changed = input;
    changed["subject"] = "Your revised quote";
    CHECK(run(*open_at(dir.file("c.db")), kEmail, changed).message_id != here.message_id);
}

TEST_CASE("a message id reused with another input is a conflict that writes nothing",
          "[execute][executor][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    ExecuteOptions with_id = at_fixed_time();
    with_id.message_id = "msg-from-the-caller";
    const Json input = fixture("quote-send-email.json");
    const Outcome first = run(*store, kEmail, input, with_id);
    REQUIRE(first.status == ExecutionStatus::kSucceeded);
    CHECK(first.message_id == "msg-from-the-caller");
    const std::string before = snapshot(dir.state());

    Json other = input;
    other["subject"] = "Another subject";
    const Outcome conflict = run(*store, kEmail, other, with_id);
    CHECK(conflict.status == ExecutionStatus::kConflict);
    CHECK(conflict.exit_code == ExitCode::kRefused);
    CHECK(conflict.error_code == "DUPLICATE_MESSAGE");
    CHECK_FALSE(conflict.replayed);
    CHECK(conflict.execution_id == first.execution_id);  // the one it conflicts with
    CHECK(conflict.error["error"]["code"] == "DUPLICATE_MESSAGE");
    CHECK(conflict.error["correlationId"] == "msg-from-the-caller");
    CHECK_THAT(conflict.summary,
               Catch::Contains("with another input (execution " + first.execution_id + ")"));
    CHECK(snapshot(dir.state()) == before);

    // The same message id under another adapter is another input too.
    const Outcome other_adapter =
        run(*store, "sales.erp.create_order.v1", fixture("erp-create-order.json"), with_id);
    CHECK(other_adapter.status == ExecutionStatus::kConflict);
    CHECK(snapshot(dir.state()) == before);
}

TEST_CASE("an order with the same external id and other data is a DUPLICATE_ORDER",
          "[execute][executor][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    const Json order = fixture("order-intake.json");
    const Outcome first = run(*store, kOrderIntake, order);
    REQUIRE(first.status == ExecutionStatus::kSucceeded);
    const std::string before = snapshot(dir.state());

    Json changed = order;
    changed["priority"] = "HIGH";
    const Outcome duplicate = run(*store, kOrderIntake, changed);
    CHECK(duplicate.status == ExecutionStatus::kConflict);
    CHECK(duplicate.exit_code == ExitCode::kRefused);
    CHECK(duplicate.error_code == "DUPLICATE_ORDER");
    CHECK(duplicate.message_id == first.message_id);  // the order's idempotency key
    CHECK(duplicate.error["error"]["message"] == "Order already exists (idempotency)");
    CHECK(snapshot(dir.state()) == before);

    // Its idempotency key is its message id: another one is a usage error.
    ExecuteOptions with_id = at_fixed_time();
    with_id.message_id = "msg-other";
    try {
        run(*store, kOrderIntake, order, with_id);
        FAIL("order intake took a message id other than its idempotency key");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        CHECK_THAT(e.what(), Catch::Contains("uses its idempotency key"));
        // The core names the field; the command line words it as an option.
        CHECK(e.hint() == Hint::kLeaveOutField);
        CHECK(e.subject() == std::vector<std::string>{"message_id"});
    }
}

TEST_CASE("a rejected input is answered with every broken rule and not recorded",
          "[execute][executor][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    const std::string before = snapshot(dir.state());
    ExecuteOptions with_id = at_fixed_time();
    with_id.message_id = "msg-quote-42";
    Json input = fixture("quote-send-email.json");
    input["to"] = "not an email";
    input.erase("subject");

    const Outcome rejected = run(*store, kEmail, input, with_id);
    CHECK(rejected.status == ExecutionStatus::kRejected);
    CHECK(rejected.exit_code == ExitCode::kNo);
    CHECK(rejected.error_code == "INVALID_INPUT");
    CHECK(rejected.execution_id.empty());
    CHECK(rejected.writes.empty());
    CHECK(rejected.error["correlationId"] == "msg-quote-42");
    CHECK(rejected.error["timestamp"] == kNow);
    const OrderedJson& details = rejected.error["error"]["details"];
    REQUIRE(details.size() == 2);
    CHECK(details[0]["field"] == "to");
    CHECK(details[0]["pointer"] == "/to");
    CHECK(details[0]["message"] == "Invalid email format");
    CHECK(details[1]["pointer"] == "/subject");
    CHECK_THAT(rejected.summary,
               Catch::StartsWith("INVALID_INPUT: to (/to): Invalid email format"));
    CHECK(snapshot(dir.state()) == before);
    CHECK_FALSE(store->find_execution("msg-quote-42", ExecutionMode::kDeterministic));

    // The corrected input goes through under the same message id.
    const Outcome corrected = run(*store, kEmail, fixture("quote-send-email.json"), with_id);
    CHECK(corrected.status == ExecutionStatus::kSucceeded);
    CHECK_FALSE(corrected.replayed);
    CHECK(corrected.message_id == "msg-quote-42");

    // A document that is not an object is refused the same way.
    CHECK(run(*store, kEmail, Json::array({1, 2})).status == ExecutionStatus::kRejected);
}

TEST_CASE("a dry run says what it would write and writes nothing",
          "[execute][executor][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    const std::string before = snapshot(dir.state());
    ExecuteOptions dry = at_fixed_time();
    dry.dry_run = true;
    const Json order = fixture("order-intake.json");

    const Outcome planned = run(*store, kOrderIntake, order, dry);
    CHECK(planned.status == ExecutionStatus::kSucceeded);
    CHECK(planned.dry_run);
    CHECK_FALSE(planned.replayed);
    REQUIRE(planned.writes.size() >= 3);  // the execution, the fact, the order's event
    CHECK(planned.writes[0] == "executions " + planned.execution_id);
    CHECK_THAT(planned.writes[1], Catch::StartsWith(std::string("outbox ") + kFactsTopic + " "));
    CHECK(snapshot(dir.state()) == before);
    CHECK_FALSE(store->find_execution(planned.message_id, ExecutionMode::kLive));
    CHECK(store->list_outbox("").empty());

    // The real run then writes what the dry run listed, under the same ids.
    const Outcome done = run(*store, kOrderIntake, order);
    CHECK(done.status == ExecutionStatus::kSucceeded);
    CHECK_FALSE(done.replayed);
    CHECK(done.execution_id == planned.execution_id);
    CHECK(done.writes == planned.writes);
    CHECK(store->list_outbox("").size() == planned.writes.size() - 1);

    // A dry run of what is recorded is a replay, and still writes nothing.
    const std::string recorded = snapshot(dir.state());
    const Outcome replay = run(*store, kOrderIntake, order, dry);
    CHECK(replay.replayed);
    CHECK(replay.dry_run);
    CHECK(snapshot(dir.state()) == recorded);
}

TEST_CASE("a dry run needs no state file", "[execute][executor][backends]") {
    ExecuteOptions dry = at_fixed_time();
    dry.dry_run = true;
    Executor executor(nullptr, adapter_named(kEmail), dry);
    const Outcome outcome = executor.execute(fixture("quote-send-email.json"));
    CHECK(outcome.status == ExecutionStatus::kSucceeded);
    CHECK(outcome.dry_run);
    CHECK(outcome.writes.size() == 2);
}
