// Mapping rules (src/domain/mappings.cpp): one internal UUID per system,
// entity and external id, repointing only with --force and audited, and the
// first mappings of an unknown entity type pending review; on a real SQLite
// file in a temp dir.
#include <catch2/catch.hpp>

#include "salesint/domain/audit.hpp"
#include "salesint/domain/mappings.hpp"
#include "salesint/errors.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::add_connector;
using salesint::test::code_of;
using salesint::test::open_at;
using salesint::test::TempDir;

TEST_CASE("mappings are unique per system, entity and external id", "[store][mapping][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
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
    SECTION("the same external id in another entity type is another mapping") {
        auto other =
            mappings::set(*store, {{"PYXIS", "contact", "C-1"}, second, std::nullopt, false, ""});
        CHECK(other.outcome == mappings::SetOutcome::kCreated);
        CHECK(mappings::resolve(*store, second).size() == 1);
    }
}

TEST_CASE("the first mappings of an unknown entity type wait for approval",
          "[store][mapping][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
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

TEST_CASE("retiring a mapping keeps it, retired, and audits it once",
          "[store][mapping][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    add_connector(*store, "PYXIS");
    const std::string uuid = "11111111-1111-4111-8111-111111111111";
    MappingKey key{"PYXIS", "customer", "C-1"};
    mappings::set(*store, {key, uuid, std::nullopt, false, ""});
    mappings::approve(*store, key, "seed");

    auto retired = mappings::retire(*store, key, "customer merged");
    CHECK(retired.changed);
    CHECK(retired.mapping.status == MappingStatus::kRetired);
    CHECK(retired.mapping.internal_uuid == uuid);
    CHECK(mappings::get(*store, key).status == MappingStatus::kRetired);
    auto entries = audit::list(*store, "", "mapping.retire");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].subject == "PYXIS/customer/C-1");
    CHECK(entries[0].old_value == "active");
    CHECK(entries[0].new_value == "retired");
    CHECK(entries[0].reason == "customer merged");

    SECTION("retiring it again changes nothing and writes no second entry") {
        std::string before = salesint::test::snapshot(dir.state());
        auto again = mappings::retire(*store, key, "again");
        CHECK_FALSE(again.changed);
        CHECK(again.mapping.status == MappingStatus::kRetired);
        CHECK(salesint::test::snapshot(dir.state()) == before);
    }
    SECTION("a retired mapping is not approved again") {
        std::string before = salesint::test::snapshot(dir.state());
        CHECK(code_of([&] { mappings::approve(*store, key, "back"); }) == ExitCode::kRefused);
        CHECK(salesint::test::snapshot(dir.state()) == before);
    }
    SECTION("approving the entity type approves the pending ones and leaves it retired") {
        // no active customer mapping left: the next one waits for review
        auto pending = mappings::set(
            *store, {{"PYXIS", "customer", "C-2"}, std::nullopt, std::nullopt, false, ""});
        CHECK(pending.mapping.status == MappingStatus::kPendingReview);
        auto approved = mappings::approve(*store, {"PYXIS", "customer", ""}, "all");
        REQUIRE(approved.size() == 1);
        CHECK(approved[0].key.external_id == "C-2");
        CHECK(mappings::get(*store, key).status == MappingStatus::kRetired);
    }
}

TEST_CASE("retiring needs a reason and an existing mapping", "[store][mapping][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    add_connector(*store, "PYXIS");
    MappingKey key{"PYXIS", "customer", "C-1"};
    mappings::set(*store, {key, std::nullopt, std::nullopt, false, ""});
    std::string before = salesint::test::snapshot(dir.state());

    try {
        mappings::retire(*store, key, "  ");
        FAIL("a blank reason was taken");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        REQUIRE_FALSE(e.fields().empty());
        CHECK(e.fields()[0] == "reason");
    }
    CHECK(code_of([&] {
              mappings::retire(*store, {"PYXIS", "customer", "C-9"}, "gone");
          }) == ExitCode::kNotFound);
    CHECK(salesint::test::snapshot(dir.state()) == before);
}
