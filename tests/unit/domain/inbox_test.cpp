// The inbox's rules (src/domain/inbox.cpp): envelopes consumed once each by
// meta.message_id, a bad line refusing the whole input, and a delivery found
// by inbox id or delivery id; on a real SQLite file in a temp dir.
#include <catch2/catch.hpp>

#include <string>

#include "salesint/domain/inbox.hpp"
#include "salesint/errors.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::code_of;
using salesint::test::open_at;
using salesint::test::TempDir;
using salesint::test::write_file;

namespace {

std::string envelope(const std::string& id) {
    return R"({"meta":{"message_id":")" + id + R"("},"fact":{}})";
}

}  // namespace

TEST_CASE("consume stores each envelope once and refuses a file with a bad line",
          "[domain][inbox][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    const std::string file = dir.file("in.ndjson");
    write_file(file, envelope("a") + "\r\n" + envelope("b") + "\n  \n" + envelope("a"));
    inbox::ConsumeReport report = inbox::consume(*store, file);
    CHECK(report.added == 2);
    CHECK(report.duplicates == 1);
    CHECK(report.lines == 4);
    auto stored = store->find_inbox("a");
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].scheme == "envelope");
    CHECK(stored[0].body == envelope("a"));  // without "\r\n"

    write_file(file, envelope("c") + "\n" + R"({"meta":{"message_id":17}})" + "\n");
    try {
        inbox::consume(*store, file);
        FAIL("expected a usage error");
    } catch (const Error& error) {
        CHECK(error.code() == ExitCode::kUsage);
        CHECK_THAT(error.what(), Catch::StartsWith(file + ":2: "));
    }
    CHECK(store->find_inbox("c").empty());  // rolled back with the bad line
}

TEST_CASE("a delivery is found by inbox id or by delivery id", "[domain][inbox][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    for (const char* scheme : {"standard", "github"}) {
        InboxEntry entry;
        entry.delivery_id = "d-1";
        entry.scheme = scheme;
        entry.body = "{}";
        entry.verdict = "valid";
        entry.received_at = "2026-01-01T00:00:00Z";
        store->write([&] { store->insert_inbox(entry); });
    }
    const InboxEntry first = store->find_inbox("d-1").front();
    CHECK(inbox::find_delivery(*store, std::to_string(first.id)).scheme == first.scheme);
    CHECK(code_of([&] { inbox::find_delivery(*store, "d-1"); }) == ExitCode::kUsage);  // two
    CHECK(code_of([&] { inbox::find_delivery(*store, "d-2"); }) == ExitCode::kNotFound);
    CHECK(code_of([&] { inbox::find_delivery(*store, "999"); }) == ExitCode::kNotFound);
}
