// The DLQ as a file (src/domain/dlq_file.cpp): an entry survives the trip
// through its export line, bytes that are not UTF-8 included; an import adds
// only what is missing, and a bad line imports nothing.
#include <catch2/catch.hpp>

#include "salesint/domain/dlq_file.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::code_of;
using salesint::test::open_at;
using salesint::test::read_file;
using salesint::test::TempDir;
using salesint::test::write_file;

namespace {

DlqEntry full_entry(const std::string& id, const std::string& payload) {
    DlqEntry e;
    e.entry_id = id;
    e.source = "webhook_send";
    e.adapter_id = "webhook:standard";
    e.message_id = "msg-" + id;
    e.correlation_id = "corr-" + id;
    e.causation_id = "cause-" + id;
    e.connector_code = "PYXIS";
    e.target_url = "http://127.0.0.1:9/hooks";
    e.payload = payload;
    e.headers_json = R"({"Content-Type":"application/json","webhook-id":"msg-1"})";
    e.error_code = "NETWORK";
    e.error_message = "gave up after 2 attempts: connection refused";
    e.attempts_json =
        R"([{"attempt":1,"at":"2026-01-01T00:00:00Z","status":null,"error":"refused","duration_ms":3}])";
    e.first_failed_at = "2026-01-01T00:00:00Z";
    e.last_failed_at = "2026-01-01T00:00:05Z";
    e.status = DlqStatus::kReplayed;
    e.replay_count = 2;
    e.updated_at = "2026-01-02T00:00:00Z";
    return e;
}

void check_same(const DlqEntry& a, const DlqEntry& b) {
    CHECK(a.entry_id == b.entry_id);
    CHECK(a.source == b.source);
    CHECK(a.adapter_id == b.adapter_id);
    CHECK(a.message_id == b.message_id);
    CHECK(a.correlation_id == b.correlation_id);
    CHECK(a.causation_id == b.causation_id);
    CHECK(a.connector_code == b.connector_code);
    CHECK(a.target_url == b.target_url);
    CHECK(a.payload == b.payload);
    CHECK(Json::parse(a.headers_json) == Json::parse(b.headers_json));
    CHECK(a.error_code == b.error_code);
    CHECK(a.error_message == b.error_message);
    CHECK(Json::parse(a.attempts_json) == Json::parse(b.attempts_json));
    CHECK(a.first_failed_at == b.first_failed_at);
    CHECK(a.last_failed_at == b.last_failed_at);
    CHECK(a.status == b.status);
    CHECK(a.replay_count == b.replay_count);
    CHECK(a.updated_at == b.updated_at);
}

Json line_of(const DlqEntry& entry) {
    return Json::parse(dlq::export_json(entry).dump());
}

}  // namespace

TEST_CASE("an entry survives its export line", "[dlq][backends]") {
    const DlqEntry text = full_entry("e1", R"({"orderId":"PX-1"})");
    const Json line = line_of(text);
    CHECK(line["payload"] == R"({"orderId":"PX-1"})");
    CHECK_FALSE(line.contains("payload_base64"));
    check_same(dlq::entry_from_json(line), text);

    const DlqEntry binary = full_entry("e2", std::string("\xff\x00\x01 raw", 6));
    const Json binary_line = line_of(binary);
    CHECK_FALSE(binary_line.contains("payload"));
    CHECK(binary_line["payload_base64"].is_string());
    check_same(dlq::entry_from_json(binary_line), binary);
}

TEST_CASE("secret headers never travel in an export line, either way", "[dlq][backends]") {
    DlqEntry entry = full_entry("e1", "{}");
    entry.headers_json = R"({"Authorization":"Bearer s3cr3t","webhook-signature":"v1,abc"})";
    CHECK(line_of(entry)["headers"].empty());

    Json line = line_of(full_entry("e2", "{}"));
    line["headers"]["X-Api-Key"] = "s3cr3t";
    CHECK(dlq::entry_from_json(line).headers_json.find("s3cr3t") == std::string::npos);
}

TEST_CASE("an export line that is not an entry names the field", "[dlq][backends]") {
    const Json good = line_of(full_entry("e1", "{}"));
    auto problem = [&](const std::function<void(Json&)>& change) {
        Json line = good;
        change(line);
        try {
            dlq::entry_from_json(line);
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::kUsage);
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK_THAT(problem([](Json& l) { l.erase("entry_id"); }), Catch::StartsWith("entry_id:"));
    CHECK_THAT(problem([](Json& l) { l["source"] = "mail"; }), Catch::StartsWith("source:"));
    CHECK_THAT(problem([](Json& l) { l["last_failed_at"] = "yesterday"; }),
               Catch::StartsWith("last_failed_at:"));
    CHECK_THAT(problem([](Json& l) { l["status"] = "gone"; }), Catch::StartsWith("status:"));
    CHECK_THAT(problem([](Json& l) { l["last_failed_at"] = "2025-12-31T23:59:59Z"; }),
               Catch::StartsWith("last_failed_at:"));
    CHECK_THAT(problem([](Json& l) { l["attempts"] = "3"; }), Catch::StartsWith("attempts:"));
    CHECK_THAT(problem([](Json& l) { l["payload_base64"] = "AA=="; }),
               Catch::StartsWith("payload:"));
    CHECK_THAT(problem([](Json& l) { l["message_id"] = "a\x1b[31m"; }),
               Catch::StartsWith("message_id:"));
    // A lease does not travel: the entry arrives pending.
    Json replaying = good;
    replaying["status"] = "replaying";
    CHECK(dlq::entry_from_json(replaying).status == DlqStatus::kPending);
}

TEST_CASE("export then import into another state file, twice", "[dlq][backends]") {
    TempDir dir;
    auto source = open_at(dir.file("prod.db"));
    source->write([&] {
        source->insert_dlq(full_entry("e1", R"({"a":1})"));
        source->insert_dlq(full_entry("e2", std::string("\xfe\xff", 2)));
    });
    DlqFilter every;
    every.status = DlqStatus::kReplayed;
    auto exported = dlq::export_file(*source, every, dir.file("dlq.ndjson"));
    CHECK(exported.entry_ids == std::vector<std::string>{"e1", "e2"});

    auto target = open_at(dir.file("laptop.db"), "laptop");
    auto first = dlq::import_file(*target, dir.file("dlq.ndjson"));
    CHECK(first.imported == std::vector<std::string>{"e1", "e2"});
    CHECK(first.present.empty());
    check_same(*target->find_dlq("e1"), *source->find_dlq("e1"));
    check_same(*target->find_dlq("e2"), *source->find_dlq("e2"));
    auto second = dlq::import_file(*target, dir.file("dlq.ndjson"));
    CHECK(second.imported.empty());
    CHECK(second.present.size() == 2);

    // A bad third line: nothing of the file is imported.
    auto fresh = open_at(dir.file("fresh.db"));
    write_file(dir.file("bad.ndjson"), read_file(dir.file("dlq.ndjson")) + "\n{\"entry_id\":1}\n");
    try {
        dlq::import_file(*fresh, dir.file("bad.ndjson"));
        FAIL("imported a bad line");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        CHECK_THAT(e.what(), Catch::StartsWith(dir.file("bad.ndjson") + ":4: entry_id:"));
    }
    CHECK(fresh->list_dlq().empty());
}
