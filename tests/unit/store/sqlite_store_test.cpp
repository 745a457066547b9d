// The SQLite store (src/store/sqlite_*.cpp) scopes every read and write to
// its tenant: two tenants in one file never see each other's rows. Its quick
// check and its integrity check find the same damage.
#include <SQLiteCpp/Database.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "salesint/domain/audit.hpp"
#include "salesint/domain/checkpoints.hpp"
#include "salesint/domain/connectors.hpp"
#include "salesint/domain/mappings.hpp"
#include "salesint/errors.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::add_connector;
using salesint::test::code_of;
using salesint::test::open_at;
using salesint::test::TempDir;

TEST_CASE("no tenant sees or changes another tenant's rows", "[store][tenant][backends]") {
    TempDir dir;
    auto acme = open_at(dir.state(), "acme");
    auto globex = open_at(dir.state(), "globex");
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
    CHECK(audit::list(*globex, "", "checkpoint").empty());
    CHECK(audit::list(*acme, "", "checkpoint").size() == 1);
    CHECK(audit::list(*acme, "", "connector").size() == 1);  // its own connector.add only

    for (const auto& count : globex->info().tables) {
        if (count.table == "mappings" || count.table == "connectors" ||
            count.table == "checkpoints") {
            CHECK(count.rows == 1);
        }
    }
}

TEST_CASE(
    "the quick check passes a sound file and fails on corrupt pages, as the integrity "
    "check does",
    "[store][check]") {
    TempDir dir;
    {
        auto store = open_at(dir.state());
        add_connector(*store, "PYXIS");
        const CheckFinding sound = store->quick_check();
        CHECK(sound.check == kQuickCheck);
        CHECK(sound.ok);
        CHECK(sound.detail == "ok");
    }
    long long root = 0;
    long long page_size = 0;
    {
        SQLite::Database db(dir.state(), SQLite::OPEN_READONLY);
        page_size = db.execAndGet("PRAGMA page_size").getInt64();
        root = db.execAndGet("SELECT rootpage FROM sqlite_master WHERE name = 'connectors'")
                   .getInt64();
    }
    REQUIRE(root > 1);
    {
        std::fstream file(dir.state(), std::ios::in | std::ios::out | std::ios::binary);
        file.seekp((root - 1) * page_size);
        file.write(std::string(64, '\x5a').data(), 64);
        REQUIRE(file.good());
    }
    auto store = open_at(dir.state());
    const CheckFinding quick = store->quick_check();
    CHECK(quick.check == kQuickCheck);
    CHECK_FALSE(quick.ok);
    CHECK_FALSE(quick.detail.empty());
    bool integrity_failed = false;
    for (const CheckFinding& finding : store->check()) {
        integrity_failed = integrity_failed || (finding.check == kIntegrityCheck && !finding.ok);
    }
    CHECK(integrity_failed);
}
