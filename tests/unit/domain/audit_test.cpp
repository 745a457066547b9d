// The audit log (src/domain/audit.cpp): entries stamped with who and when,
// listed since any RFC 3339 time and by action or action group; on a real
// SQLite file in a temp dir.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "salesint/domain/audit.hpp"
#include "salesint/errors.hpp"
#include "salesint/execute/dlq_replay.hpp"
#include "salesint/execute/history.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/strings.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::code_of;
using salesint::test::open_at;
using salesint::test::TempDir;

namespace {

void append(Store& store, const std::string& at, const std::string& action) {
    AuditEntry entry;
    entry.at = at;
    entry.actor = "tester";
    entry.action = action;
    entry.subject = "PYXIS/orders";
    entry.reason = "test";
    store.write([&] { store.append_audit(entry); });
}

// The `at` of each entry listed.
std::vector<std::string> times(Store& store, const std::string& since,
                               const std::string& action = "") {
    std::vector<std::string> at;
    for (const AuditEntry& entry : audit::list(store, since, action)) {
        at.push_back(entry.at);
    }
    return at;
}

}  // namespace

TEST_CASE("audit list since any RFC 3339 time, a fraction rounded up to the next second",
          "[audit][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    append(*store, "2026-01-01T00:00:00Z", "checkpoint.reset");
    append(*store, "2026-01-01T00:00:01Z", "checkpoint.reset");
    append(*store, "2026-01-01T00:00:02Z", "checkpoint.reset");
    using Times = std::vector<std::string>;
    const Times all{"2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z"};
    const Times last_two{"2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z"};

    CHECK(times(*store, "") == all);
    CHECK(times(*store, "2025-12-31T23:59:59Z") == all);
    CHECK(times(*store, "2026-01-01T00:00:01Z") == last_two);
    CHECK(times(*store, "2026-01-01T00:00:00.5Z") == last_two);  // after :00, not after :01
    CHECK(times(*store, "2026-01-01T00:00:00.000Z") == all);     // no fraction at all
    CHECK(times(*store, "2026-01-01T02:00:01+02:00") == last_two);
    CHECK(times(*store, "2025-12-31T19:00:01.25-05:00") == Times{"2026-01-01T00:00:02Z"});
    CHECK(times(*store, "2026-01-01T00:00:03Z").empty());

    CHECK(code_of([&] { audit::list(*store, "yesterday", ""); }) == ExitCode::kUsage);
    CHECK(code_of([&] { audit::list(*store, "2026-01-01", ""); }) == ExitCode::kUsage);
}

TEST_CASE("audit list by action matches the action or its group, nothing else",
          "[audit][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    append(*store, "2026-01-01T00:00:00Z", "checkpoint.reset");
    append(*store, "2026-01-01T00:00:01Z", "mapping.force");
    append(*store, "2026-01-01T00:00:02Z", "mapping.approve");
    append(*store, "2026-01-01T00:00:03Z", "mappings.other");
    auto actions = [&](const std::string& action) {
        std::vector<std::string> listed;
        for (const AuditEntry& entry : audit::list(*store, "", action)) {
            listed.push_back(entry.action);
        }
        return listed;
    };
    using Actions = std::vector<std::string>;
    CHECK(actions("checkpoint") == Actions{"checkpoint.reset"});
    CHECK(actions("checkpoint.reset") == Actions{"checkpoint.reset"});
    CHECK(actions("mapping") == Actions{"mapping.force", "mapping.approve"});
    CHECK(actions("mapping.force") == Actions{"mapping.force"});
    // A group is a whole word: what names no action nor group is a usage error.
    CHECK(code_of([&] { actions("check"); }) == ExitCode::kUsage);
    CHECK(code_of([&] { actions("mapping."); }) == ExitCode::kUsage);
    CHECK(code_of([&] { actions("reset"); }) == ExitCode::kUsage);
    // An action the log holds is listed even if this binary does not write it.
    CHECK(actions("mappings.other") == Actions{"mappings.other"});
    CHECK(actions("").size() == 4);
}

TEST_CASE("a mistyped audit action names the nearest known one", "[audit][suggest][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    try {
        audit::list(*store, "", "mapping.aprove");
        FAIL("an unknown action was taken");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        CHECK(std::string(e.what()) ==
              "unknown audit action \"mapping.aprove\"; did you mean \"mapping.approve\"?");
    }
    // The actions written outside the domain layer are known too.
    const auto& known = audit::known_actions();
    for (const char* action : {execute::kReplayAction, execute::kRetryAction}) {
        CHECK(std::find(known.begin(), known.end(), action) != known.end());
    }
}

TEST_CASE("an audit entry is stamped with the user and the time, its reason one clean line",
          "[audit][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    const std::string before = now_rfc3339();
    store->write([&] {
        audit::record(*store, "connector.remove", "PYXIS", std::string("PYXIS"), std::nullopt,
                      "retired");
    });
    auto entries = audit::list(*store, "", "");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].actor == current_user());
    CHECK_FALSE(entries[0].actor.empty());
    CHECK(parse_rfc3339(entries[0].at));
    CHECK(entries[0].at >= before);
    CHECK(entries[0].action == "connector.remove");
    CHECK(entries[0].old_value == "PYXIS");
    CHECK_FALSE(entries[0].new_value);
    CHECK(entries[0].reason == "retired");

    const std::string snapshot = salesint::test::snapshot(dir.state());
    for (const char* reason : {"two\nlines", "bell\x07", "\x1b[31mred", "caf\xe9"}) {
        CHECK(code_of([&] {
                  store->write([&] {
                      audit::record(*store, "connector.remove", "PYXIS", std::nullopt, std::nullopt,
                                    reason);
                  });
              }) == ExitCode::kUsage);
    }
    CHECK(salesint::test::snapshot(dir.state()) == snapshot);
}
