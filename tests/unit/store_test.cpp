// The state store through the domain rules, on a real SQLite file in a temp dir.
#include <sys/stat.h>

#include <SQLiteCpp/Database.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "salesint/domain/audit.hpp"
#include "salesint/domain/checkpoints.hpp"
#include "salesint/domain/connectors.hpp"
#include "salesint/domain/mappings.hpp"
#include "salesint/domain/state.hpp"
#include "salesint/errors.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "unit/unit_support.hpp"

using namespace salesint;
using salesint::test::TempDir;

namespace {

std::unique_ptr<Store> open(const std::string& path, const std::string& tenant = "default") {
    return test::open_at(path, tenant);
}

ExitCode code_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.code();
    }
    FAIL("expected a salesint::Error");
    return ExitCode::kSuccess;
}

void add_connector(Store& store, const std::string& code) {
    Connector connector;
    connector.system_code = code;
    connectors::add(store, connector);
}

checkpoints::SetResult set_checkpoint(Store& store, const std::string& value,
                                      std::optional<CheckpointKind> kind = std::nullopt) {
    return checkpoints::set(store, {"PYXIS", "orders", value, kind});
}

}  // namespace

TEST_CASE("a new state file is created 0600, in WAL mode, at the current schema", "[store]") {
    TempDir dir;
    auto store = open(dir.state());
    StateInfo info = store->info();
    CHECK(info.schema_version == current_schema_version());
    CHECK(info.journal_mode == "wal");
    CHECK(store->applied_migrations() == std::vector<int>{1, 2});
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

TEST_CASE("migrations run from an empty (zero-byte) file and only once", "[store]") {
    TempDir dir;
    salesint::test::write_file(dir.state(), "");
    REQUIRE(open(dir.state())->applied_migrations() == std::vector<int>{1, 2});
    CHECK(open(dir.state())->applied_migrations().empty());
}

TEST_CASE("a state file with a newer schema is refused, naming both versions", "[store]") {
    TempDir dir;
    open(dir.state());
    {
        SQLite::Database db(dir.state(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 99");
    }
    try {
        open(dir.state());
        FAIL("opened a newer state file");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kRefused);
        CHECK_THAT(e.what(), Catch::Contains("99") && Catch::Contains("(2)"));
    }
}

TEST_CASE("a SQLite file that is not a state file is refused untouched", "[store]") {
    TempDir dir;
    {
        SQLite::Database db(dir.state(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE other (x)");
    }
    std::string before = salesint::test::snapshot(dir.state());
    CHECK(code_of([&] { open(dir.state()); }) == ExitCode::kUsage);
    CHECK(salesint::test::snapshot(dir.state()) == before);
}

TEST_CASE("a file that is not SQLite at all is a usage error", "[store]") {
    TempDir dir;
    salesint::test::write_file(dir.state(), "this is not a database, just some text in a file\n");
    CHECK(code_of([&] { open(dir.state()); }) == ExitCode::kUsage);
}

TEST_CASE("mappings are unique per system, entity and external id", "[store][mapping]") {
    TempDir dir;
    auto store = open(dir.state());
    add_connector(*store, "PYXIS");
    const std::string first = "11111111-1111-4111-8111-111111111111";
    const std::string second = "22222222-2222-4222-8222-222222222222";
    MappingKey key{"PYXIS", "customer", "C-1"};

    auto created = mappings::set(*store, {key, first, std::nullopt, false, ""});
    CHECK(created.outcome == mappings::SetOutcome::kCreated);

    SECTION("the same uuid again is unchanged") {
        CHECK(mappings::set(*store, {key, first, std::nullopt, false, ""}).outcome ==
              mappings::SetOutcome::kUnchanged);
    }
    SECTION("without a uuid the existing mapping is kept") {
        auto again = mappings::set(*store, {key, std::nullopt, std::nullopt, false, ""});
        CHECK(again.outcome == mappings::SetOutcome::kUnchanged);
        CHECK(again.mapping.internal_uuid == first);
    }
    SECTION("another uuid is refused and changes nothing") {
        std::string before = salesint::test::snapshot(dir.state());
        CHECK(code_of([&] {
                  mappings::set(*store, {key, second, std::nullopt, false, ""});
              }) == ExitCode::kRefused);
        CHECK(salesint::test::snapshot(dir.state()) == before);
    }
    SECTION("--force repoints and is audited") {
        auto forced = mappings::set(*store, {key, second, std::nullopt, true, "merge"});
        CHECK(forced.outcome == mappings::SetOutcome::kRepointed);
        CHECK(mappings::get(*store, key).internal_uuid == second);
        auto entries = audit::list(*store, "", "mapping.force");
        REQUIRE(entries.size() == 1);
        CHECK(entries[0].old_value == first);
        CHECK(entries[0].new_value == second);
        CHECK(entries[0].reason == "merge");
    }
    SECTION("the store itself refuses a duplicate row") {
        Mapping duplicate = created.mapping;
        duplicate.internal_uuid = second;
        try {
            store->insert_mapping(duplicate);
            FAIL("inserted a duplicate mapping");
        } catch (const std::exception& e) {
            auto translated = translate_store_exception(e, dir.state());
            REQUIRE(translated);
            CHECK(translated->code() == ExitCode::kRefused);
        }
    }
    SECTION("the same external id in another entity type is another mapping") {
        auto other =
            mappings::set(*store, {{"PYXIS", "contact", "C-1"}, second, std::nullopt, false, ""});
        CHECK(other.outcome == mappings::SetOutcome::kCreated);
        CHECK(mappings::resolve(*store, second).size() == 1);
    }
}

TEST_CASE("the first mappings of an unknown entity type wait for approval", "[store][mapping]") {
    TempDir dir;
    auto store = open(dir.state());
    add_connector(*store, "PYXIS");
    auto first =
        mappings::set(*store, {{"PYXIS", "role", "admin"}, std::nullopt, std::nullopt, false, ""});
    auto second =
        mappings::set(*store, {{"PYXIS", "role", "viewer"}, std::nullopt, std::nullopt, false, ""});
    CHECK(first.mapping.status == MappingStatus::kPendingReview);
    CHECK(second.mapping.status == MappingStatus::kPendingReview);

    auto approved = mappings::approve(*store, {"PYXIS", "role", ""}, "reviewed");
    CHECK(approved.size() == 2);
    CHECK(audit::list(*store, "", "mapping.approve").size() == 2);

    auto third =
        mappings::set(*store, {{"PYXIS", "role", "editor"}, std::nullopt, std::nullopt, false, ""});
    CHECK(third.mapping.status == MappingStatus::kActive);
    CHECK(code_of([&] {
              mappings::approve(*store, {"PYXIS", "role", ""}, "");
          }) == ExitCode::kNotFound);
}

TEST_CASE("integer checkpoints compare numerically, at any length", "[store][checkpoint]") {
    TempDir dir;
    auto store = open(dir.state());
    add_connector(*store, "PYXIS");
    CHECK(set_checkpoint(*store, "99").checkpoint.kind == CheckpointKind::kInteger);
    CHECK(set_checkpoint(*store, "100").outcome ==
          checkpoints::SetOutcome::kAdvanced);  // not "100" < "99"
    CHECK(set_checkpoint(*store, "+0100").outcome == checkpoints::SetOutcome::kUnchanged);
    CHECK(code_of([&] { set_checkpoint(*store, "99"); }) == ExitCode::kRefused);
    CHECK(code_of([&] { set_checkpoint(*store, "-5"); }) == ExitCode::kRefused);
    CHECK(set_checkpoint(*store, "123456789012345678901234567890").outcome ==
          checkpoints::SetOutcome::kAdvanced);
    CHECK(code_of([&] { set_checkpoint(*store, "2026-01-01T00:00:00Z"); }) == ExitCode::kUsage);
    CHECK(checkpoints::get(*store, "PYXIS", "orders").value == "123456789012345678901234567890");
}

TEST_CASE("timestamp checkpoints compare as instants, offsets normalised", "[store][checkpoint]") {
    TempDir dir;
    auto store = open(dir.state());
    add_connector(*store, "PYXIS");
    auto created = set_checkpoint(*store, "2026-03-01T10:00:00+02:00");
    CHECK(created.checkpoint.kind == CheckpointKind::kTimestamp);
    CHECK(created.checkpoint.value == "2026-03-01T08:00:00Z");
    CHECK(set_checkpoint(*store, "2026-03-01T08:00:00.000Z").outcome ==
          checkpoints::SetOutcome::kUnchanged);
    CHECK(set_checkpoint(*store, "2026-03-01T03:00:00.5-05:00").outcome ==
          checkpoints::SetOutcome::kAdvanced);
    // 09:00+02:00 is 07:00Z: earlier, although its text sorts later.
    std::string before = salesint::test::snapshot(dir.state());
    CHECK(code_of([&] { set_checkpoint(*store, "2026-03-01T09:00:00+02:00"); }) ==
          ExitCode::kRefused);
    CHECK(code_of([&] { set_checkpoint(*store, "2026-03-01T08:00:00.49Z"); }) ==
          ExitCode::kRefused);
    CHECK(code_of([&] { set_checkpoint(*store, "12345"); }) == ExitCode::kUsage);
    CHECK(salesint::test::snapshot(dir.state()) == before);
}

TEST_CASE("string checkpoints compare byte by byte", "[store][checkpoint]") {
    TempDir dir;
    auto store = open(dir.state());
    add_connector(*store, "PYXIS");
    CHECK(set_checkpoint(*store, "cursor-a").checkpoint.kind == CheckpointKind::kString);
    CHECK(set_checkpoint(*store, "cursor-b").outcome == checkpoints::SetOutcome::kAdvanced);
    CHECK(code_of([&] { set_checkpoint(*store, "cursor-B"); }) == ExitCode::kRefused);  // 'B' < 'b'
    CHECK(set_checkpoint(*store, "cursor-\xc3\xa9").outcome ==
          checkpoints::SetOutcome::kAdvanced);  // UTF-8 bytes sort above ASCII
    CHECK(code_of([&] { set_checkpoint(*store, "x", CheckpointKind::kInteger); }) ==
          ExitCode::kUsage);
}

TEST_CASE("an explicit kind fixes a new checkpoint's kind", "[store][checkpoint]") {
    TempDir dir;
    auto store = open(dir.state());
    add_connector(*store, "PYXIS");
    auto created = set_checkpoint(*store, "0042", CheckpointKind::kString);
    CHECK(created.checkpoint.value == "0042");
    CHECK(set_checkpoint(*store, "05").outcome == checkpoints::SetOutcome::kAdvanced);  // '5' > '4'
}

TEST_CASE("reset is the only way back, and it is audited", "[store][checkpoint]") {
    TempDir dir;
    auto store = open(dir.state());
    add_connector(*store, "PYXIS");
    set_checkpoint(*store, "500");
    CHECK(code_of([&] { checkpoints::reset(*store, "PYXIS", "orders", "  ", std::string("1")); }) ==
          ExitCode::kUsage);
    auto rewound = checkpoints::reset(*store, "PYXIS", "orders", "replay", std::string("100"));
    CHECK(rewound.after->value == "100");
    auto cleared = checkpoints::reset(*store, "PYXIS", "orders", "full resync", std::nullopt);
    CHECK_FALSE(cleared.after);
    CHECK(code_of([&] { checkpoints::get(*store, "PYXIS", "orders"); }) == ExitCode::kNotFound);

    auto entries = audit::list(*store, "", "checkpoint");
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].old_value == "500");
    CHECK(entries[0].new_value == "100");
    CHECK(entries[0].reason == "replay");
    CHECK_FALSE(entries[0].actor.empty());
    CHECK(entries[1].old_value == "100");
    CHECK_FALSE(entries[1].new_value);
}

TEST_CASE("set_all writes every checkpoint or none", "[store][checkpoint]") {
    TempDir dir;
    auto store = open(dir.state());
    add_connector(*store, "PYXIS");
    set_checkpoint(*store, "10");
    std::string before = salesint::test::snapshot(dir.state());
    std::vector<checkpoints::SetRequest> requests{{"PYXIS", "invoices", "5", std::nullopt},
                                                  {"PYXIS", "orders", "9", std::nullopt}};
    CHECK(code_of([&] { checkpoints::set_all(*store, requests); }) == ExitCode::kRefused);
    CHECK(salesint::test::snapshot(dir.state()) == before);
}

TEST_CASE("no tenant sees or changes another tenant's rows", "[store][tenant]") {
    TempDir dir;
    auto acme = open(dir.state(), "acme");
    auto globex = open(dir.state(), "globex");
    add_connector(*acme, "PYXIS");
    CHECK(code_of([&] { connectors::get(*globex, "PYXIS"); }) == ExitCode::kNotFound);
    CHECK(code_of([&] {
              mappings::set(*globex,
                            {{"PYXIS", "customer", "C-1"}, std::nullopt, std::nullopt, false, ""});
          }) == ExitCode::kNotFound);
    add_connector(*globex, "PYXIS");

    const std::string uuid_a = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    const std::string uuid_g = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
    mappings::set(*acme, {{"PYXIS", "customer", "C-1"}, uuid_a, std::nullopt, false, ""});
    mappings::set(*globex, {{"PYXIS", "customer", "C-1"}, uuid_g, std::nullopt, false, ""});
    CHECK(mappings::get(*acme, {"PYXIS", "customer", "C-1"}).internal_uuid == uuid_a);
    CHECK(mappings::get(*globex, {"PYXIS", "customer", "C-1"}).internal_uuid == uuid_g);
    CHECK(code_of([&] { mappings::resolve(*globex, uuid_a); }) == ExitCode::kNotFound);

    checkpoints::set(*acme, {"PYXIS", "orders", "100", std::nullopt});
    CHECK(checkpoints::list(*globex, "").empty());
    checkpoints::set(*globex,
                     {"PYXIS", "orders", "5", std::nullopt});  // no regression across tenants
    checkpoints::reset(*acme, "PYXIS", "orders", "test", std::string("1"));
    CHECK(audit::list(*globex, "", "").empty());
    CHECK(audit::list(*acme, "", "").size() == 1);

    for (const auto& count : globex->info().tables) {
        if (count.table == "mappings" || count.table == "connectors" ||
            count.table == "checkpoints") {
            CHECK(count.rows == 1);
        }
    }
}

TEST_CASE("a connector refuses secrets and credentials", "[store][connector]") {
    TempDir dir;
    auto store = open(dir.state());
    Connector with_credentials;
    with_credentials.system_code = "ERP";
    with_credentials.base_url = "https://user:hunter2@erp.example.com/api";
    CHECK(code_of([&] { connectors::add(*store, with_credentials); }) == ExitCode::kUsage);
    Connector bad_env;
    bad_env.system_code = "ERP";
    bad_env.secret_env = "not a variable=hunter2";
    CHECK(code_of([&] { connectors::add(*store, bad_env); }) == ExitCode::kUsage);
    CHECK(store->list_connectors().empty());
}

TEST_CASE("a connector in use cannot be removed", "[store][connector]") {
    TempDir dir;
    auto store = open(dir.state());
    add_connector(*store, "PYXIS");
    checkpoints::set(*store, {"PYXIS", "orders", "1", std::nullopt});
    CHECK(code_of([&] { connectors::remove(*store, "PYXIS", ""); }) == ExitCode::kRefused);
    checkpoints::reset(*store, "PYXIS", "orders", "retire", std::nullopt);
    connectors::remove(*store, "pyxis", "retired");
    CHECK(store->list_connectors().empty());
    CHECK(audit::list(*store, "", "connector.remove").size() == 1);
}

TEST_CASE("checkpoint documents from another tenant are refused", "[checkpoint]") {
    nlohmann::json document = {
        {"tenant_id", "acme"}, {"system_code", "PYXIS"}, {"entity_type", "orders"}, {"value", "1"}};
    CHECK(code_of([&] { checkpoints::requests_from_json(document, "f.json", "default"); }) ==
          ExitCode::kUsage);
    CHECK(checkpoints::requests_from_json(document, "f.json", "acme").size() == 1);
    nlohmann::json missing = nlohmann::json::array({{{"system_code", "PYXIS"}, {"value", "1"}}});
    try {
        checkpoints::requests_from_json(missing, "f.json", "default");
        FAIL("accepted a checkpoint without entity_type");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) == "f.json: /0/entity_type: missing");
    }
}

TEST_CASE("execution and DLQ values are stored by name; a damaged one reads cautiously",
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
    auto store = open(dir.state());
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
    auto found = store->find_execution("msg_1");
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
    auto damaged = open(dir.state())->find_execution("msg_1");
    REQUIRE(damaged);
    CHECK(damaged->mode == ExecutionMode::kDeterministic);
    CHECK(damaged->status == ExecutionStatus::kFailed);  // never a success to replay
    CHECK(open(dir.state())->list_dlq().front().status == DlqStatus::kPending);
}
