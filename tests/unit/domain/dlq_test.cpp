// The DLQ rules (src/domain/dlq.cpp): fingerprints and group ids, which
// headers are secret, and what archive and purge may touch, against a real
// state file.
#include <catch2/catch.hpp>

#include "salesint/domain/dlq.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::code_of;
using salesint::test::open_at;
using salesint::test::TempDir;

namespace {

DlqEntry failure(const std::string& id, const std::string& code, const std::string& message,
                 const std::string& at = "2026-01-01T00:00:00Z") {
    DlqEntry entry;
    entry.entry_id = id;
    entry.source = "execute";
    entry.adapter_id = "sales.erp.create_order.v1";
    entry.error_code = code;
    entry.error_message = message;
    entry.first_failed_at = entry.last_failed_at = at;
    return entry;
}

}  // namespace

TEST_CASE("a fingerprint masks numbers, UUIDs, hex ids and URLs", "[dlq][backends]") {
    CHECK(dlq::fingerprint("gave up after 4 attempts: HTTP 503") ==
          "gave up after <n> attempts: HTTP <n>");
    CHECK(dlq::fingerprint("order 3f2b8c1e-0d4a-4c6e-9b1a-2f7d5e8c9a01 refused") ==
          "order <id> refused");
    CHECK(dlq::fingerprint("request 7f3a9c1e0b2d failed") == "request <id> failed");
    CHECK(dlq::fingerprint("message msg_6404135baf507ba6ac67013c1fef7c4b") == "message <id>");
    CHECK(dlq::fingerprint("HTTP 503 from https://erp.example.com/orders/42?x=1 now") ==
          "HTTP <n> from <url> now");
    CHECK(dlq::fingerprint("see http://127.0.0.1:8080/hooks\nthen") == "see <url>\nthen");
    // Numbers inside words change as much as numbers on their own.
    CHECK(dlq::fingerprint("order PX-TEST-001 timed out after 1500ms") ==
          "order PX-TEST-<n> timed out after <n>ms");
    CHECK(dlq::fingerprint("at 2026-11-30T20:01:59Z") == "at <n>-<n>-<n>T<n>:<n>:<n>Z");
    // Words are kept.
    CHECK(dlq::fingerprint("connection refused") == "connection refused");
}

TEST_CASE("the same failure with other numbers shares a group id, another code does not",
          "[dlq][backends]") {
    const DlqEntry a = failure("a", "HTTP_503", "gave up after 4 attempts: HTTP 503 at 10:00:01");
    const DlqEntry b = failure("b", "HTTP_503", "gave up after 2 attempts: HTTP 503 at 11:30:07");
    const DlqEntry c = failure("c", "HTTP_502", "gave up after 4 attempts: HTTP 503 at 10:00:01");
    DlqEntry d = a;
    d.adapter_id = "sales.quote.send_email.v1";

    const std::string id = dlq::group_id(a, dlq::GroupBy::kError);
    CHECK(id.size() == 14);
    CHECK(id.rfind("g_", 0) == 0);
    CHECK(id.find_first_not_of("0123456789abcdef", 2) == std::string::npos);
    CHECK(dlq::group_id(b, dlq::GroupBy::kError) == id);
    CHECK(dlq::group_id(c, dlq::GroupBy::kError) != id);
    CHECK(dlq::group_id(d, dlq::GroupBy::kError) != id);
    // The id is a function of the failure alone: the same in every run.
    CHECK(dlq::group_id(failure("x", "HTTP_503", "gave up after 9 attempts: HTTP 503 at 1:2:3"),
                        dlq::GroupBy::kError) == id);
    // By adapter, the error does not matter.
    CHECK(dlq::group_id(c, dlq::GroupBy::kAdapter) == dlq::group_id(a, dlq::GroupBy::kAdapter));

    auto groups = dlq::group({a, b, c}, dlq::GroupBy::kError);
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].id == id);
    CHECK(groups[0].count == 2);
    CHECK(groups[0].error_code == "HTTP_503");
    CHECK(groups[0].fingerprint == "gave up after <n> attempts: HTTP <n> at <n>:<n>:<n>");
    CHECK(groups[1].count == 1);
}

TEST_CASE("signature and credential headers are secret", "[dlq][backends]") {
    for (const char* name :
         {"Authorization", "authorization", "Proxy-Authorization", "X-Api-Key", "Cookie",
          "webhook-signature", "X-Hub-Signature-256", "X-Hub-Signature", "Stripe-Signature",
          "X-FSM-Signature", "X-Client-Secret", "X-Auth-Token"}) {
        CAPTURE(name);
        CHECK(dlq::is_secret_header(name));
    }
    for (const char* name : {"Content-Type", "Idempotency-Key", "X-Correlation-ID", "webhook-id",
                             "webhook-timestamp", "User-Agent"}) {
        CAPTURE(name);
        CHECK_FALSE(dlq::is_secret_header(name));
    }
    const OrderedJson shown = dlq::public_headers(
        R"({"Content-Type":"application/json","Authorization":"Bearer s3cr3t","Idempotency-Key":"k"})");
    CHECK(shown ==
          OrderedJson::parse(R"({"Content-Type":"application/json","Idempotency-Key":"k"})"));
    CHECK(dlq::public_headers("not json").empty());
}

TEST_CASE("archive takes pending entries only and is audited once", "[dlq][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    store->write([&] {
        store->insert_dlq(failure("p1", "HTTP_503", "x", "2026-01-01T00:00:00Z"));
        store->insert_dlq(failure("p2", "HTTP_503", "x", "2026-01-02T00:00:00Z"));
        store->insert_dlq(failure("done", "HTTP_503", "x", "2026-01-03T00:00:00Z"));
        store->set_dlq_status("done", DlqStatus::kReplayed, "2026-01-04T00:00:00Z");
    });

    // A replayed entry named is refused, and nothing is archived.
    dlq::Housekeeping named;
    named.filter.entry_ids = {"p1", "done"};
    CHECK(code_of([&] { dlq::archive(*store, named); }) == ExitCode::kRefused);
    CHECK(store->find_dlq("p1")->status == DlqStatus::kPending);
    named.filter.entry_ids = {"nope"};
    CHECK(code_of([&] { dlq::archive(*store, named); }) == ExitCode::kNotFound);
    dlq::Housekeeping replayed;
    replayed.filter.status = DlqStatus::kReplayed;
    CHECK(code_of([&] { dlq::archive(*store, replayed); }) == ExitCode::kRefused);

    dlq::Housekeeping all;
    all.reason = "known outage";
    auto archived = dlq::archive(*store, all);
    CHECK(archived == std::vector<std::string>{"p2", "p1"});
    CHECK(store->find_dlq("p1")->status == DlqStatus::kArchived);
    CHECK(store->find_dlq("done")->status == DlqStatus::kReplayed);
    auto audit = store->list_audit({});
    REQUIRE(audit.size() == 1);
    CHECK(audit[0].action == "dlq.archive");
    CHECK(audit[0].subject == "p2,p1");
    CHECK(audit[0].reason == "known outage");
    // Nothing left: no second audit entry.
    CHECK(dlq::archive(*store, all).empty());
    CHECK(store->list_audit({}).size() == 1);
}

TEST_CASE("older_than keeps recent failures", "[dlq][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    store->write([&] {
        store->insert_dlq(failure("old", "HTTP_503", "x", "2020-01-01T00:00:00Z"));
        store->insert_dlq(failure("new", "HTTP_503", "x", "2999-01-01T00:00:00Z"));
    });
    dlq::Housekeeping request;
    request.older_than = std::chrono::hours(24);
    CHECK(dlq::archive(*store, request) == std::vector<std::string>{"old"});
    CHECK(store->find_dlq("new")->status == DlqStatus::kPending);
}

TEST_CASE("purge deletes archived and replayed entries, never pending ones", "[dlq][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    store->write([&] {
        store->insert_dlq(failure("pending", "HTTP_503", "x", "2026-01-01T00:00:00Z"));
        store->insert_dlq(failure("archived", "HTTP_503", "x", "2026-01-02T00:00:00Z"));
        store->insert_dlq(failure("replayed", "HTTP_503", "x", "2026-01-03T00:00:00Z"));
        store->set_dlq_status("archived", DlqStatus::kArchived, "2026-01-04T00:00:00Z");
        store->set_dlq_status("replayed", DlqStatus::kReplayed, "2026-01-04T00:00:00Z");
    });
    CHECK_FALSE(dlq::may_purge(*store->find_dlq("pending")));
    dlq::Housekeeping pending;
    pending.filter.status = DlqStatus::kPending;
    CHECK(code_of([&] { dlq::purgeable(*store, pending); }) == ExitCode::kRefused);
    dlq::Housekeeping named;
    named.filter.entry_ids = {"pending"};
    CHECK(code_of([&] { dlq::purgeable(*store, named); }) == ExitCode::kRefused);

    std::vector<std::string> ids;
    for (const DlqEntry& entry : dlq::purgeable(*store, {})) {
        ids.push_back(entry.entry_id);
    }
    CHECK(ids == std::vector<std::string>{"replayed", "archived"});
    // Named after the look, a pending entry is still not deleted.
    ids.push_back("pending");
    CHECK(dlq::purge(*store, ids, "") == std::vector<std::string>{"replayed", "archived"});
    CHECK(store->find_dlq("pending").has_value());
    CHECK_FALSE(store->find_dlq("archived").has_value());
    auto audit = store->list_audit({});
    REQUIRE(audit.size() == 1);
    CHECK(audit[0].action == "dlq.purge");
}
