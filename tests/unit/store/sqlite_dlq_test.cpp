// The DLQ's lease (src/store/sqlite_dlq.cpp): an entry is claimed by one
// replay at a time, a lease that ran out can be taken again, and only the
// holder of a lease writes the entry back.
#include <catch2/catch.hpp>

#include "salesint/model.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::open_at;
using salesint::test::TempDir;

namespace {

DlqEntry entry_failed_at(const std::string& id, const std::string& at) {
    DlqEntry entry;
    entry.entry_id = id;
    entry.source = "execute";
    entry.adapter_id = "fsm.order.intake.v2";
    entry.error_code = "HTTP_503";
    entry.error_message = "gave up after 4 attempts";
    entry.first_failed_at = entry.last_failed_at = at;
    return entry;
}

}  // namespace

TEST_CASE("a DLQ entry is claimed by one replay until its lease runs out", "[store][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    store->write([&] { store->insert_dlq(entry_failed_at("e1", "2026-01-01T00:00:00Z")); });

    REQUIRE(store->claim_dlq("e1", "alice:1", "2026-01-02T00:00:00Z", "2026-01-02T00:05:00Z"));
    CHECK(store->find_dlq("e1")->status == DlqStatus::kReplaying);
    CHECK(store->find_dlq("e1")->lease_owner == "alice:1");
    // bob cannot take it while alice's lease runs ...
    CHECK_FALSE(store->claim_dlq("e1", "bob:2", "2026-01-02T00:04:59Z", "2026-01-02T00:09:59Z"));
    // ... and takes it once it ran out (alice crashed).
    CHECK(store->claim_dlq("e1", "bob:2", "2026-01-02T00:05:00Z", "2026-01-02T00:10:00Z"));

    DlqEntry done = *store->find_dlq("e1");
    done.status = DlqStatus::kReplayed;
    done.replay_count = 1;
    done.updated_at = "2026-01-02T00:05:01Z";
    CHECK_FALSE(store->release_dlq(done, "alice:1"));  // no longer hers
    REQUIRE(store->release_dlq(done, "bob:2"));
    DlqEntry stored = *store->find_dlq("e1");
    CHECK(stored.status == DlqStatus::kReplayed);
    CHECK(stored.lease_owner.empty());
    CHECK(stored.lease_expires_at.empty());
    CHECK_FALSE(store->claim_dlq("e1", "carol:3", "2026-01-03T00:00:00Z", "2026-01-03T00:05:00Z"));
}

TEST_CASE("DLQ filters: newest first, archived left out unless asked, ids", "[store][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    store->write([&] {
        store->insert_dlq(entry_failed_at("old", "2026-01-01T00:00:00Z"));
        store->insert_dlq(entry_failed_at("new", "2026-01-03T00:00:00Z"));
        DlqEntry archived = entry_failed_at("gone", "2026-01-02T00:00:00Z");
        archived.status = DlqStatus::kArchived;
        store->insert_dlq(archived);
        CHECK_FALSE(store->insert_dlq_if_absent(entry_failed_at("old", "2026-01-05T00:00:00Z")));
    });
    DlqFilter filter;
    auto listed = store->list_dlq(filter);
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].entry_id == "new");
    CHECK(listed[1].entry_id == "old");
    filter.status = DlqStatus::kArchived;
    CHECK(store->list_dlq(filter).size() == 1);
    DlqFilter by_id;
    by_id.entry_ids = {"old", "missing"};
    CHECK(store->list_dlq(by_id).size() == 1);
    DlqFilter since;
    since.since = "2026-01-02T00:00:00Z";
    CHECK(store->list_dlq(since).size() == 1);
}

TEST_CASE("DLQ entry ids in the order and under the filter of the listing", "[store][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    store->write([&] {
        store->insert_dlq(entry_failed_at("b", "2026-01-02T00:00:00Z"));
        store->insert_dlq(entry_failed_at("a", "2026-01-01T00:00:00Z"));
        DlqEntry other = entry_failed_at("c", "2026-01-03T00:00:00Z");
        other.source = "webhook_send";
        store->insert_dlq(other);
    });
    DlqFilter oldest_first;
    oldest_first.newest_first = false;
    CHECK(store->list_dlq_ids(oldest_first) == std::vector<std::string>{"b", "a", "c"});
    DlqFilter newest_first;
    CHECK(store->list_dlq_ids(newest_first) == std::vector<std::string>{"c", "b", "a"});
    newest_first.source = "execute";
    newest_first.limit = 1;
    CHECK(store->list_dlq_ids(newest_first) == std::vector<std::string>{"b"});
}
