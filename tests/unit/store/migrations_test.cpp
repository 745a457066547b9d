// The migrations (src/store/migrations.cpp) as the store applies them: from
// an empty file, once, and never to a file with a newer schema.
#include <SQLiteCpp/Database.h>

#include <catch2/catch.hpp>

#include "salesint/domain/state.hpp"
#include "salesint/errors.hpp"
#include "salesint/store.hpp"
#include "store/migrations.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::open_at;
using salesint::test::TempDir;

namespace {

// The migrations from first to the binary's own, as a file at first - 1 gets.
std::vector<int> versions_from(int first) {
    std::vector<int> versions;
    for (int version = first; version <= salesint::current_schema_version(); ++version) {
        versions.push_back(version);
    }
    return versions;
}

// A state file as a salesint of that schema version left it.
SQLite::Database state_file_at_version(const std::string& path, int version) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const auto& migration : salesint::store::migrations()) {
        if (migration.version <= version) {
            db.exec(migration.sql);
        }
    }
    db.exec("PRAGMA application_id = " + std::to_string(salesint::store::kApplicationId));
    db.exec("PRAGMA user_version = " + std::to_string(version));
    return db;
}

}  // namespace

TEST_CASE("migrations run from an empty (zero-byte) file and only once", "[store]") {
    TempDir dir;
    salesint::test::write_file(dir.state(), "");
    REQUIRE(open_at(dir.state())->applied_migrations() == versions_from(1));
    CHECK(open_at(dir.state())->applied_migrations().empty());
}

TEST_CASE("a state file with a newer schema is refused, naming both versions", "[store]") {
    TempDir dir;
    open_at(dir.state());
    {
        SQLite::Database db(dir.state(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 99");
    }
    try {
        open_at(dir.state());
        FAIL("opened a newer state file");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kRefused);
        CHECK_THAT(
            e.what(),
            Catch::Contains("99") &&
                Catch::Contains("(" + std::to_string(salesint::current_schema_version()) + ")"));
    }
}

TEST_CASE("migration 4 keeps every DLQ entry and fills in the connector of execute entries",
          "[store]") {
    TempDir dir;
    {
        SQLite::Database db = state_file_at_version(dir.state(), 3);
        db.exec(R"sql(
INSERT INTO executions (tenant_id, execution_id, message_id, adapter_id, mode, connector_code,
    input_sha256, input, status, created_at, updated_at)
VALUES ('default', 'x1', 'm1', 'a.v1', 'live', 'ERP', '0', '{}', 'dead_lettered',
        '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO dlq (tenant_id, entry_id, source, adapter_id, message_id, payload, error_code,
    error_message, first_failed_at, last_failed_at, status, updated_at)
VALUES ('default', 'e1', 'execute', 'a.v1', 'm1', '{}', 'HTTP_503', 'gave up',
        '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', 'pending', '2026-01-01T00:00:01Z'),
       ('default', 'e2', 'webhook_send', 'webhook:github', 'd1', 'body', 'NETWORK', 'refused',
        '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', 'replayed', '2026-01-01T00:00:01Z');
)sql");
    }
    auto store = open_at(dir.state());
    CHECK(store->applied_migrations() == versions_from(4));
    auto execute_entry = store->find_dlq("e1");
    REQUIRE(execute_entry);
    CHECK(execute_entry->connector_code == "ERP");
    CHECK(execute_entry->status == DlqStatus::kPending);
    CHECK(execute_entry->lease_expires_at.empty());
    auto delivery = store->find_dlq("e2");
    REQUIRE(delivery);
    CHECK(delivery->connector_code.empty());
    CHECK(delivery->status == DlqStatus::kReplayed);
    CHECK(delivery->payload == "body");
    for (const CheckFinding& finding : store->check()) {
        INFO(finding.check << ": " << finding.detail);
        CHECK(finding.ok);
    }
}

TEST_CASE("migration 5 keeps job runs and their errors, closes a running one as interrupted",
          "[store]") {
    TempDir dir;
    {
        SQLite::Database db = state_file_at_version(dir.state(), 4);
        db.exec(R"sql(
INSERT INTO connectors (tenant_id, system_code, name, created_at, updated_at)
VALUES ('default', 'PYXIS', 'Pyxis', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO job_runs (id, tenant_id, run_id, system_code, job_type, entity_type, status,
    started_at, completed_at, rows_total, rows_ok, error_count)
VALUES (7, 'default', 'run_done', 'PYXIS', 'import', 'orders', 'succeeded',
        '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 10, 9, 1),
       (8, 'default', 'run_left', 'PYXIS', 'import', 'orders', 'running',
        '2026-01-02T00:00:00Z', NULL, 3, 3, 0);
INSERT INTO job_row_errors (tenant_id, job_run_id, row_number, severity, code, message)
VALUES ('default', 7, 4, 'error', 'invalid_json', 'not JSON');
INSERT INTO mappings (tenant_id, system_code, entity_type, external_id, internal_uuid,
    mapping_status, created_at, updated_at)
VALUES ('default', 'PYXIS', 'orders', 'PX-1', '6f1d7c52-6a43-4b0e-9d4c-3f2a1b0c9d8e', 'active',
        '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
)sql");
    }
    auto store = open_at(dir.state());
    CHECK(store->applied_migrations() == versions_from(5));
    auto done = store->find_job_run("run_done");
    REQUIRE(done);
    CHECK(done->status == JobStatus::kSucceeded);
    CHECK(done->rows_ok == 9);
    auto errors = store->list_job_row_errors(done->id, 0);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].row_number == 4);
    auto left = store->find_job_run("run_left");
    REQUIRE(left);
    CHECK(left->status == JobStatus::kInterrupted);
    CHECK(left->completed_at == left->started_at);
    auto mapping = store->find_mapping({"PYXIS", "orders", "PX-1"});
    REQUIRE(mapping);
    CHECK(mapping->content_hash.empty());
    CHECK(mapping->content_cursor.empty());
    // The history stays append-only: a finished run never changes, nothing is deleted.
    JobRun changed = *done;
    changed.rows_ok = 10;
    CHECK_THROWS(store->write([&] { store->update_job_run(changed); }));
    {
        SQLite::Database db(dir.state(), SQLite::OPEN_READWRITE);
        CHECK_THROWS(db.exec("DELETE FROM job_row_errors"));
        CHECK_THROWS(db.exec("UPDATE job_row_errors SET code = 'x'"));
        CHECK_THROWS(db.exec("DELETE FROM job_runs WHERE id = 7"));
    }
    for (const CheckFinding& finding : store->check()) {
        INFO(finding.check << ": " << finding.detail);
        CHECK(finding.ok);
    }
}

TEST_CASE("migration 7 keeps every outbox envelope as written, and the outbox writable",
          "[store]") {
    TempDir dir;
    const std::string envelope =
        R"({"meta":{"message_id":"m-1","tenant_id":"default"},"orderData":{"externalOrderId":"PX-1"}})";
    {
        SQLite::Database db = state_file_at_version(dir.state(), 6);
        SQLite::Statement insert(db,
                                 "INSERT INTO outbox (tenant_id, message_id, topic, partition_key, "
                                 "envelope, created_at, publish_attempts) VALUES ('default', "
                                 "'m-1', 'sales.order.intake', 'default:o1', ?, "
                                 "'2026-01-01T00:00:00Z', 2)");
        insert.bind(1, envelope);
        insert.exec();
    }
    auto store = open_at(dir.state());
    CHECK(store->applied_migrations() == versions_from(7));
    std::vector<OutboxMessage> kept = store->list_outbox(std::string());
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].envelope_json == envelope);
    CHECK(kept[0].publish_attempts == 2);
    {
        // sqlite3 users write through the view as they did to the table.
        SQLite::Database db(dir.state(), SQLite::OPEN_READWRITE);
        db.exec("UPDATE outbox SET published_at = '2026-01-02T00:00:00Z' WHERE message_id = 'm-1'");
        CHECK(db.execAndGet("SELECT published_at FROM outbox_rows").getString() ==
              "2026-01-02T00:00:00Z");
        CHECK(db.execAndGet("SELECT envelope FROM outbox").getString() == envelope);
    }
    CHECK(state::all_ok(state::check(*store)));
}
