// The SQLite store keeps execution statuses, modes and DLQ statuses by name
// (src/store/sqlite_executions.cpp, sqlite_dlq.cpp), and reads a damaged one
// cautiously: never as a success that a replay would hand back.
#include <SQLiteCpp/Database.h>

#include <catch2/catch.hpp>

#include "salesint/model.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::open_at;
using salesint::test::TempDir;

TEST_CASE("execution and DLQ values are stored by name, and a damaged one reads cautiously",
          "[store][execute]") {
    for (ExecutionStatus status :
         {ExecutionStatus::kSucceeded, ExecutionStatus::kFailed, ExecutionStatus::kDeadLettered,
          ExecutionStatus::kRejected, ExecutionStatus::kConflict, ExecutionStatus::kRateLimited,
          ExecutionStatus::kCircuitOpen, ExecutionStatus::kInvalidJson,
          ExecutionStatus::kPlanned}) {
        CHECK(parse_execution_status(to_string(status)) == status);
    }
    CHECK(is_recorded(ExecutionStatus::kDeadLettered));
    CHECK_FALSE(is_recorded(ExecutionStatus::kPlanned));
    CHECK(parse_execution_mode(to_string(ExecutionMode::kLive)) == ExecutionMode::kLive);
    CHECK(parse_dlq_status(to_string(DlqStatus::kArchived)) == DlqStatus::kArchived);
    CHECK_FALSE(parse_execution_status("Succeeded"));
    CHECK_FALSE(parse_dlq_status(""));

    TempDir dir;
    auto store = open_at(dir.state());
    Execution execution;
    execution.execution_id = "00000000-0000-4000-8000-000000000001";
    execution.message_id = "msg_1";
    execution.adapter_id = "000-test";
    execution.mode = ExecutionMode::kLive;
    execution.input_sha256 = "0";
    execution.input = "{}";
    execution.status = ExecutionStatus::kDeadLettered;
    execution.created_at = "2024-01-01T00:00:00Z";
    DlqEntry entry;
    entry.entry_id = "00000000-0000-4000-8000-000000000002";
    entry.source = "execute";
    entry.error_code = "HTTP_503";
    entry.error_message = "gave up";
    entry.first_failed_at = entry.last_failed_at = execution.created_at;
    entry.status = DlqStatus::kReplayed;
    store->write([&] {
        REQUIRE(store->insert_execution(execution));
        store->insert_dlq(entry);
    });
    {
        SQLite::Database db(dir.state(), SQLite::OPEN_READONLY);
        CHECK(db.execAndGet("SELECT mode || ' ' || status FROM executions").getString() ==
              "live dead_lettered");
        CHECK(db.execAndGet("SELECT status FROM dlq").getString() == "replayed");
    }
    CHECK_FALSE(store->find_execution("msg_1", ExecutionMode::kDeterministic));
    auto found = store->find_execution("msg_1", ExecutionMode::kLive);
    REQUIRE(found);
    CHECK(found->mode == ExecutionMode::kLive);
    CHECK(found->status == ExecutionStatus::kDeadLettered);
    REQUIRE(store->list_dlq().size() == 1);
    CHECK(store->list_dlq().front().status == DlqStatus::kReplayed);

    {
        SQLite::Database db(dir.state(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA ignore_check_constraints = ON");
        db.exec("UPDATE executions SET mode = 'remote', status = 'planned'");
        db.exec("UPDATE dlq SET status = 'lost'");
    }
    auto damaged = open_at(dir.state())->find_execution_by_id(execution.execution_id);
    REQUIRE(damaged);
    CHECK(damaged->mode == ExecutionMode::kDeterministic);
    CHECK(damaged->status == ExecutionStatus::kFailed);  // never a success to replay
    CHECK(open_at(dir.state())->list_dlq().front().status == DlqStatus::kPending);
}

namespace {

Execution execution_with_input(const std::string& input) {
    Execution execution;
    execution.execution_id = "00000000-0000-4000-8000-0000000000e1";
    execution.message_id = "msg_e1";
    execution.adapter_id = "000-test";
    execution.mode = ExecutionMode::kLive;
    execution.input_sha256 = "0";
    execution.input = input;
    execution.status = ExecutionStatus::kFailed;
    execution.created_at = execution.updated_at = "2024-01-01T00:00:00Z";
    return execution;
}

OutboxMessage envelope_carrying(const std::string& input, const std::string& message_id) {
    OutboxMessage message;
    message.message_id = message_id;
    message.topic = "sales.order.intake";
    message.partition_key = "default:o1";
    message.envelope_json =
        R"({"meta":{"message_id":")" + message_id + R"("},"orderData":)" + input + "}";
    message.created_at = "2024-01-01T00:00:00Z";
    return message;
}

}  // namespace

TEST_CASE("an envelope carrying the input and output of its execution stores them once",
          "[store][execute]") {
    const std::string input =
        R"({"customer":{"email":"zoë@example.com","note":"\u0001 \"quoted\""},"externalOrderId":"PX-1","padding":"................................"})";
    TempDir dir;
    auto store = open_at(dir.state());
    Execution execution = execution_with_input(input);
    execution.output_json =
        R"({"orderId":"0a85b45a-e656-800e-9352-74e99d9e707d","status":"RECEIVED"})";
    OutboxMessage carrying = envelope_carrying(input, "m-1");
    carrying.envelope_json.pop_back();
    carrying.envelope_json += ",\"output\":" + execution.output_json + "}";
    OutboxMessage unrelated = envelope_carrying(R"({"other":true})", "m-2");
    store->write([&] {
        REQUIRE(store->insert_execution(execution));
        store->insert_outbox(carrying);
        store->insert_outbox(unrelated);
    });
    {
        SQLite::Database db(dir.state(), SQLite::OPEN_READONLY);
        // Stored: the input once, in the execution; read through the view
        // outbox: the envelope as written.
        CHECK(db.execAndGet("SELECT count(*) FROM outbox_rows WHERE envelope_from IS NOT NULL")
                  .getInt() == 1);
        CHECK(db.execAndGet("SELECT length(envelope) FROM outbox_rows WHERE message_id = 'm-1'")
                  .getInt() == static_cast<int>(carrying.envelope_json.size() - input.size() -
                                                execution.output_json.size() + 2));
        CHECK(db.execAndGet("SELECT envelope FROM outbox WHERE message_id = 'm-1'").getString() ==
              carrying.envelope_json);
    }
    std::vector<OutboxMessage> listed = store->list_outbox(std::string());
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].envelope_json == carrying.envelope_json);
    CHECK(listed[1].envelope_json == unrelated.envelope_json);

    // Run again with another input and answer (a query asked anew): the
    // envelope already written keeps what it was written with.
    Execution again = execution;
    again.input = R"({"externalOrderId":"PX-2"})";
    again.output_json = R"({"status":"ANOTHER"})";
    again.retries = 1;
    store->write([&] { REQUIRE(store->update_execution(again, 0)); });
    CHECK(store->list_outbox(std::string())[0].envelope_json == carrying.envelope_json);
    CHECK(store->find_execution_by_id(execution.execution_id)->input == again.input);
}

TEST_CASE("an outbox row written in a rolled-back transaction's wake refers to nothing stale",
          "[store][execute]") {
    const std::string input = std::string(R"({"padding":")") + std::string(80, 'x') + R"("})";
    TempDir dir;
    auto store = open_at(dir.state());
    try {
        store->write([&] {
            REQUIRE(store->insert_execution(execution_with_input(input)));
            throw std::runtime_error("rolled back");
        });
    } catch (const std::runtime_error&) {
    }
    const OutboxMessage carrying = envelope_carrying(input, "m-1");
    store->write([&] { store->insert_outbox(carrying); });
    SQLite::Database db(dir.state(), SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("SELECT count(*) FROM outbox_rows WHERE envelope_from IS NULL").getInt() ==
          1);
    CHECK(store->list_outbox(std::string()).at(0).envelope_json == carrying.envelope_json);
}
