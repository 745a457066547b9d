// The SQLite store (src/store/sqlite_*.cpp) scopes every read and write to
// its tenant: two tenants in one file never see each other's rows.
#include <catch2/catch.hpp>

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

TEST_CASE("no tenant sees or changes another tenant's rows", "[store][tenant]") {
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
    CHECK(audit::list(*globex, "", "").empty());
    CHECK(audit::list(*acme, "", "").size() == 1);

    for (const auto& count : globex->info().tables) {
        if (count.table == "mappings" || count.table == "connectors" ||
            count.table == "checkpoints") {
            CHECK(count.rows == 1);
        }
    }
}
