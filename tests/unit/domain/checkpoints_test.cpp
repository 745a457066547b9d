// Checkpoint rules (src/domain/checkpoints.cpp): monotonic per kind, reset the
// only way back and audited, all-or-nothing batches, documents read back in;
// on a real SQLite file in a temp dir.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "salesint/domain/audit.hpp"
#include "salesint/domain/checkpoints.hpp"
#include "salesint/errors.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::add_connector;
using salesint::test::code_of;
using salesint::test::open_at;
using salesint::test::TempDir;

namespace {

checkpoints::SetResult set_checkpoint(Store& store, const std::string& value,
                                      std::optional<CheckpointKind> kind = std::nullopt) {
    return checkpoints::set(store, {"PYXIS", "orders", value, kind});
}

}  // namespace

TEST_CASE("integer checkpoints compare numerically, at any length",
          "[store][checkpoint][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
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

TEST_CASE("timestamp checkpoints compare as instants, offsets normalised",
          "[store][checkpoint][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
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

TEST_CASE("string checkpoints compare byte by byte", "[store][checkpoint][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    add_connector(*store, "PYXIS");
    CHECK(set_checkpoint(*store, "cursor-a").checkpoint.kind == CheckpointKind::kString);
    CHECK(set_checkpoint(*store, "cursor-b").outcome == checkpoints::SetOutcome::kAdvanced);
    CHECK(code_of([&] { set_checkpoint(*store, "cursor-B"); }) == ExitCode::kRefused);  // 'B' < 'b'
    CHECK(set_checkpoint(*store, "cursor-\xc3\xa9").outcome ==
          checkpoints::SetOutcome::kAdvanced);  // UTF-8 bytes sort above ASCII
    CHECK(code_of([&] { set_checkpoint(*store, "x", CheckpointKind::kInteger); }) ==
          ExitCode::kUsage);
}

TEST_CASE("an explicit kind fixes a new checkpoint's kind", "[store][checkpoint][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    add_connector(*store, "PYXIS");
    auto created = set_checkpoint(*store, "0042", CheckpointKind::kString);
    CHECK(created.checkpoint.value == "0042");
    CHECK(set_checkpoint(*store, "05").outcome == checkpoints::SetOutcome::kAdvanced);  // '5' > '4'
}

TEST_CASE("reset is the only way back, and it is audited", "[store][checkpoint][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
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

TEST_CASE("set_all writes every checkpoint or none", "[store][checkpoint][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    add_connector(*store, "PYXIS");
    set_checkpoint(*store, "10");
    std::string before = salesint::test::snapshot(dir.state());
    std::vector<checkpoints::SetRequest> requests{{"PYXIS", "invoices", "5", std::nullopt},
                                                  {"PYXIS", "orders", "9", std::nullopt}};
    CHECK(code_of([&] { checkpoints::set_all(*store, requests); }) == ExitCode::kRefused);
    CHECK(salesint::test::snapshot(dir.state()) == before);
}

TEST_CASE("checkpoint documents from another tenant are refused", "[checkpoint][backends]") {
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
