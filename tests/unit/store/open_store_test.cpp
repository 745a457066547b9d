// Opening the state file (src/store/open_store.cpp): a new file is private,
// in WAL mode and migrated; a file that is not a state file is refused and
// left as it was.
#include <sys/stat.h>

#include <SQLiteCpp/Database.h>

#include <catch2/catch.hpp>

#include "salesint/domain/state.hpp"
#include "salesint/errors.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::code_of;
using salesint::test::open_at;
using salesint::test::TempDir;

TEST_CASE("a new state file is created 0600, in WAL mode, at the current schema", "[store]") {
    TempDir dir;
    auto store = open_at(dir.state());
    StateInfo info = store->info();
    CHECK(info.schema_version == current_schema_version());
    CHECK(info.journal_mode == "wal");
    CHECK(store->applied_migrations().size() == static_cast<std::size_t>(current_schema_version()));
    struct stat status {};
    REQUIRE(stat(dir.state().c_str(), &status) == 0);
    CHECK((status.st_mode & 0777) == 0600);
    for (const char* table : {"connectors", "mappings", "job_runs", "job_row_errors", "checkpoints",
                              "executions", "dlq", "outbox", "inbox", "audit_log"}) {
        bool found = false;
        for (const auto& count : info.tables) {
            found = found || count.table == table;
        }
        CHECK(found);
    }
    CHECK(state::all_ok(state::check(*store)));
}

TEST_CASE("a SQLite file that is not a state file is refused untouched", "[store]") {
    TempDir dir;
    {
        SQLite::Database db(dir.state(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE other (x)");
    }
    std::string before = salesint::test::snapshot(dir.state());
    CHECK(code_of([&] { open_at(dir.state()); }) == ExitCode::kUsage);
    CHECK(salesint::test::snapshot(dir.state()) == before);
}

TEST_CASE("a file that is not SQLite at all is a usage error", "[store]") {
    TempDir dir;
    salesint::test::write_file(dir.state(), "this is not a database, just some text in a file\n");
    CHECK(code_of([&] { open_at(dir.state()); }) == ExitCode::kUsage);
}

TEST_CASE("a store opened without creating refuses a missing file and leaves none", "[store]") {
    TempDir dir;
    StoreOptions options;
    options.path = dir.file("typo.db");
    options.create_if_missing = false;
    CHECK(code_of([&] { open_store(options); }) == ExitCode::kNotFound);
    struct stat status {};
    CHECK(stat(options.path.c_str(), &status) != 0);

    open_at(options.path);  // created by a writer, then a reader opens it
    auto reader = open_store(options);
    CHECK(reader->info().schema_version == current_schema_version());
}

TEST_CASE("tenants_with_rows names every tenant holding a row, sorted", "[store][tenant]") {
    TempDir dir;
    auto store = open_at(dir.state(), "t1");
    CHECK(store->tenants_with_rows().empty());
    store->write([&] {
        Connector connector;
        connector.system_code = "PYXIS";
        connector.name = "Pyxis";
        connector.connection_type = "rest";
        connector.created_at = connector.updated_at = "2026-01-01T00:00:00Z";
        store->insert_connector(connector);
    });
    auto other = open_at(dir.state(), "default");
    other->write([&] {
        AuditEntry entry;
        entry.action = "test.entry";
        entry.subject = "x";
        entry.actor = "test";
        entry.at = "2026-01-01T00:00:00Z";
        other->append_audit(entry);
    });
    CHECK(other->tenants_with_rows() == std::vector<std::string>{"default", "t1"});
}
