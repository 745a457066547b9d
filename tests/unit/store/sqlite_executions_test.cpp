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
