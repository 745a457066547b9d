// The SQLite store's mappings table (src/store/sqlite_mappings.cpp) holds the
// uniqueness rule itself: a duplicate row that got past the domain is refused
// by SQLite, and the refusal translates to exit 4.
#include <catch2/catch.hpp>

#include "salesint/domain/mappings.hpp"
#include "salesint/errors.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::add_connector;
using salesint::test::open_at;
using salesint::test::TempDir;

TEST_CASE("the store itself refuses a duplicate mapping row", "[store][mapping][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    add_connector(*store, "PYXIS");
    const std::string first = "11111111-1111-4111-8111-111111111111";
    const std::string second = "22222222-2222-4222-8222-222222222222";
    MappingKey key{"PYXIS", "customer", "C-1"};
    auto created = mappings::set(*store, {key, first, std::nullopt, false, ""});
    REQUIRE(created.outcome == mappings::SetOutcome::kCreated);

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
    CHECK(mappings::get(*store, key).internal_uuid == first);
}
