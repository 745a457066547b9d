// job export (src/jobs/export.cpp) against a real state file: envelopes
// translated through active mappings only, per-row errors with their codes,
// the export checkpoint, and the run row.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "salesint/domain/checkpoints.hpp"
#include "salesint/jobs/export.hpp"
#include "salesint/jobs/runs.hpp"
#include "salesint/util/clock.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::TempDir;

namespace {

constexpr const char* kUuid1 = "11111111-1111-4111-8111-111111111111";
constexpr const char* kUuid2 = "22222222-2222-4222-8222-222222222222";
constexpr const char* kUuid3 = "33333333-3333-4333-8333-333333333333";

std::string envelope(const std::string& message_id, const std::string& uuid,
                     const std::string& occurred_at,
                     const std::string& aggregate_type = "customer") {
    nlohmann::ordered_json subject = {{"aggregate_id", uuid}};
    if (!aggregate_type.empty()) {
        subject["aggregate_type"] = aggregate_type;
    }
    nlohmann::ordered_json e = {
        {"topic", "sales.domain.intents.v1"},
        {"meta",
         {{"tenant_id", "default"},
          {"message_id", message_id},
          {"correlation_id", "corr-1"},
          {"causation_id", "cause-1"},
          {"occurred_at", occurred_at},
          {"producer", "test"},
          {"schema_version", "1.0.0"}}},
        {"subject", subject},
        {"intent",
         {{"type", "UpsertCustomer"}, {"record", {{"id", "ignored"}, {"name", message_id}}}}}};
    return e.dump();
}

void add_outbox(Store& store, const std::string& message_id, const std::string& uuid,
                const std::string& occurred_at, const std::string& aggregate_type = "customer") {
    store.write([&] {
        OutboxMessage message;
        message.message_id = message_id;
        message.topic = "sales.domain.intents.v1";
        message.partition_key = "default:" + uuid;
        message.envelope_json = envelope(message_id, uuid, occurred_at, aggregate_type);
        message.created_at = now_rfc3339();
        store.insert_outbox(message);
    });
}

void add_mapping(Store& store, const std::string& external_id, const std::string& uuid,
                 MappingStatus status, const std::string& entity = "customer") {
    store.write([&] {
        Mapping mapping;
        mapping.key = {"PYXIS", entity, external_id};
        mapping.internal_uuid = uuid;
        mapping.status = status;
        mapping.created_at = mapping.updated_at = mapping.last_seen_at = now_rfc3339();
        store.insert_mapping(mapping);
    });
}

std::vector<nlohmann::json> ndjson_lines(const std::string& path) {
    std::ifstream in(path);
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            lines.push_back(nlohmann::json::parse(line));
        }
    }
    return lines;
}

jobs::ExportRequest request_to(const std::string& path) {
    jobs::ExportRequest request;
    request.system_code = "PYXIS";
    request.entity_type = "customer";
    request.to = path;
    request.requested_by = "tester";
    return request;
}

}  // namespace

TEST_CASE("job export writes only envelopes whose mapping is active", "[jobs][export][backends]") {
    TempDir dir;
    auto store = test::open_at(dir.state());
    test::add_connector(*store, "PYXIS");
    add_mapping(*store, "C-1", kUuid1, MappingStatus::kActive);
    add_mapping(*store, "C-2", kUuid2, MappingStatus::kPendingReview);
    add_outbox(*store, "m-1", kUuid1, "2026-11-01T10:00:00Z");
    add_outbox(*store, "m-2", kUuid2, "2026-11-01T11:00:00Z");
    add_outbox(*store, "m-3", kUuid3, "2026-11-01T12:00:00Z");

    const auto outcome = jobs::run_export(*store, request_to(dir.file("out.ndjson")), nullptr);

    CHECK(outcome.counts.read == 3);
    CHECK(outcome.counts.exported == 1);
    CHECK(outcome.counts.rejected == 2);
    REQUIRE(outcome.first_errors.size() == 2);
    CHECK(outcome.first_errors[0].code == "pending_review");
    CHECK(outcome.first_errors[1].code == "unmapped");
    CHECK(outcome.first_errors[1].message.find(kUuid3) != std::string::npos);
    CHECK(nlohmann::json::parse(outcome.first_errors[1].raw_row)["meta"]["message_id"] == "m-3");

    const auto rows = ndjson_lines(dir.file("out.ndjson"));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["id"] == "C-1");
    CHECK(rows[0]["internal_uuid"] == kUuid1);
    CHECK(rows[0]["entity_type"] == "customer");
    CHECK(rows[0]["event_type"] == "UpsertCustomer");
    CHECK(rows[0]["message_id"] == "m-1");
    CHECK(rows[0]["occurred_at"] == "2026-11-01T10:00:00Z");
    CHECK(rows[0]["data"] == nlohmann::json{{"id", "ignored"}, {"name", "m-1"}});

    const JobRun run = jobs::get_run(*store, outcome.run.run_id);
    CHECK(run.status == JobStatus::kPartial);
    CHECK(run.job_type == "export");
    CHECK(run.system_code == "PYXIS");
    CHECK(run.entity_type == "customer");
    CHECK(run.source == "outbox");
    CHECK(run.rows_total == 3);
    CHECK(run.rows_ok == 1);
    CHECK(run.error_count == 2);
    CHECK(run.requested_by_user_id == "tester");
    CHECK(run.worker == jobs::this_worker());
    REQUIRE_FALSE(run.completed_at.empty());
    CHECK(run.completed_at >= run.started_at);
    CHECK(run.checkpoint_before.empty());
    CHECK(run.checkpoint_after == "2026-11-01T10:00:00Z");
    const auto summary = nlohmann::json::parse(run.result_summary_json);
    CHECK(summary["exported"] == 1);
    CHECK(summary["rejected"] == 2);
    CHECK(summary["skipped"] == 0);
    CHECK(summary["target"] == dir.file("out.ndjson"));

    const auto stored = jobs::run_errors(*store, run);
    REQUIRE(stored.size() == 2);
    CHECK(stored[0].row_number == 2);  // the outbox id
    CHECK(stored[1].row_number == 3);
}

TEST_CASE("job export refuses a retired mapping and fails when nothing is exported",
          "[jobs][export][backends]") {
    TempDir dir;
    auto store = test::open_at(dir.state());
    test::add_connector(*store, "PYXIS");
    add_mapping(*store, "C-OLD", kUuid1, MappingStatus::kRetired);
    add_mapping(*store, "C-1", kUuid1, MappingStatus::kActive, "order");  // another entity
    add_outbox(*store, "m-1", kUuid1, "2026-11-01T10:00:00Z");

    const auto outcome = jobs::run_export(*store, request_to(dir.file("out.ndjson")), nullptr);

    CHECK(outcome.counts.exported == 0);
    REQUIRE(outcome.first_errors.size() == 1);
    CHECK(outcome.first_errors[0].code == "retired");
    CHECK(outcome.first_errors[0].message.find("C-OLD") != std::string::npos);
    CHECK(outcome.run.status == JobStatus::kFailed);
    CHECK(jobs::get_run(*store, outcome.run.run_id).status == JobStatus::kFailed);
    CHECK(ndjson_lines(dir.file("out.ndjson")).empty());
    CHECK_FALSE(store->find_checkpoint("PYXIS", "customer.export"));
}

TEST_CASE("job export advances its checkpoint and exports from it again",
          "[jobs][export][backends]") {
    TempDir dir;
    auto store = test::open_at(dir.state());
    test::add_connector(*store, "PYXIS");
    add_mapping(*store, "C-1", kUuid1, MappingStatus::kActive);
    add_outbox(*store, "m-1", kUuid1, "2026-11-01T10:00:00Z");
    add_outbox(*store, "m-3", kUuid1, "2026-11-01T12:00:00+00:00");
    add_outbox(*store, "m-2", kUuid1, "2026-11-01T11:00:00Z");

    const auto first = jobs::run_export(*store, request_to(dir.file("first.ndjson")), nullptr);
    CHECK(first.run.status == JobStatus::kSucceeded);
    CHECK(first.counts.exported == 3);
    CHECK(jobs::export_checkpoint_entity("customer") == "customer.export");
    auto checkpoint = store->find_checkpoint("PYXIS", "customer.export");
    REQUIRE(checkpoint);
    CHECK(checkpoint->kind == CheckpointKind::kTimestamp);
    CHECK(checkpoint->value == "2026-11-01T12:00:00Z");
    CHECK(checkpoint->status == "ok");

    add_outbox(*store, "m-4", kUuid1, "2026-11-01T12:00:00Z");  // at the checkpoint
    add_outbox(*store, "m-5", kUuid1, "2026-11-01T13:00:00Z");
    add_outbox(*store, "m-0", kUuid1, "2026-11-01T09:00:00Z");           // late, before it
    add_outbox(*store, "m-x", kUuid1, "2026-11-01T14:00:00Z", "order");  // another type

    auto request = request_to(dir.file("second.ndjson"));
    request.since_checkpoint = true;
    const auto second = jobs::run_export(*store, request, nullptr);
    CHECK(second.run.status == JobStatus::kSucceeded);
    std::set<std::string> ids;
    for (const auto& row : ndjson_lines(dir.file("second.ndjson"))) {
        ids.insert(row["message_id"].get<std::string>());
    }
    CHECK(ids == std::set<std::string>{"m-3", "m-4", "m-5"});
    CHECK(second.counts.exported == 3);
    CHECK(second.counts.skipped == 4);  // m-1, m-2, m-0 before it, m-x of another type
    CHECK(second.run.checkpoint_before == "2026-11-01T12:00:00Z");
    CHECK(second.run.checkpoint_after == "2026-11-01T13:00:00Z");
    CHECK(store->find_checkpoint("PYXIS", "customer.export")->value == "2026-11-01T13:00:00Z");
}

TEST_CASE("job export reads NDJSON files and writes CSV", "[jobs][export][backends]") {
    TempDir dir;
    auto store = test::open_at(dir.state());
    test::add_connector(*store, "PYXIS");
    add_mapping(*store, "C,1", kUuid1, MappingStatus::kActive);
    test::write_file(dir.file("in.ndjson"), envelope("m-1", kUuid1, "2026-11-01T10:00:00Z", "") +
                                                "\n\nnot json\n" + "{\"meta\":{}}\r\n");

    auto request = request_to(dir.file("out.csv"));
    request.from = jobs::ExportSourceKind::kFile;
    request.from_path = dir.file("in.ndjson");
    request.id_field = "customerId";
    const auto outcome = jobs::run_export(*store, request, nullptr);

    CHECK(outcome.counts.exported == 1);
    REQUIRE(outcome.first_errors.size() == 2);
    CHECK(outcome.first_errors[0].row_number == 3);
    CHECK(outcome.first_errors[0].code == "invalid_json");
    CHECK(outcome.first_errors[0].raw_row == "not json");
    CHECK(outcome.first_errors[1].row_number == 4);
    CHECK(outcome.first_errors[1].code == "not_an_envelope");
    CHECK(outcome.run.source == dir.file("in.ndjson"));
    const std::string csv = test::read_file(dir.file("out.csv"));
    CHECK(
        csv.rfind("customerId,internal_uuid,entity_type,event_type,message_id,occurred_at,data\r\n",
                  0) == 0);
    CHECK(csv.find("\"C,1\"," + std::string(kUuid1) + ",customer,UpsertCustomer,m-1,") !=
          std::string::npos);
    CHECK(csv.find("\"{\"\"id\"\":\"\"ignored\"\",\"\"name\"\":\"\"m-1\"\"}\"") !=
          std::string::npos);
}

TEST_CASE("job export refuses an unknown connector and a second export at once",
          "[jobs][export][backends]") {
    TempDir dir;
    auto store = test::open_at(dir.state());
    CHECK(test::code_of([&] {
              jobs::run_export(*store, request_to(dir.file("out.ndjson")), nullptr);
          }) == ExitCode::kNotFound);

    test::add_connector(*store, "PYXIS");
    store->write([&] {
        JobRun running;
        running.run_id = jobs::new_run_id();
        running.system_code = "PYXIS";
        running.job_type = "export";
        running.entity_type = "customer";
        running.source = "outbox";
        running.started_at = running.heartbeat_at = now_rfc3339();
        running.worker = jobs::this_worker();  // this process: alive
        store->insert_job_run(running);
    });
    CHECK(test::code_of([&] {
              jobs::run_export(*store, request_to(dir.file("out.ndjson")), nullptr);
          }) == ExitCode::kRefused);
    CHECK(access(dir.file("out.ndjson").c_str(), F_OK) != 0);
}

TEST_CASE("job export stopped part-way leaves no file and a cancelled run",
          "[jobs][export][backends]") {
    TempDir dir;
    auto store = test::open_at(dir.state());
    test::add_connector(*store, "PYXIS");
    add_mapping(*store, "C-1", kUuid1, MappingStatus::kActive);
    add_outbox(*store, "m-1", kUuid1, "2026-11-01T10:00:00Z");
    std::atomic<bool> stop{true};

    const auto outcome = jobs::run_export(*store, request_to(dir.file("out.ndjson")), &stop);

    CHECK(outcome.stopped);
    CHECK(jobs::get_run(*store, outcome.run.run_id).status == JobStatus::kCancelled);
    CHECK(access(dir.file("out.ndjson").c_str(), F_OK) != 0);
    CHECK_FALSE(store->find_checkpoint("PYXIS", "customer.export"));
}

TEST_CASE("job export reads the envelopes of the inbox only", "[jobs][export][backends]") {
    TempDir dir;
    auto store = test::open_at(dir.state());
    test::add_connector(*store, "PYXIS");
    add_mapping(*store, "C-1", kUuid1, MappingStatus::kActive);
    store->write([&] {
        InboxEntry consumed;
        consumed.delivery_id = "m-1";
        consumed.scheme = "envelope";
        consumed.body = envelope("m-1", kUuid1, "2026-11-01T10:00:00Z");
        consumed.verdict = "valid";
        consumed.received_at = now_rfc3339();
        store->insert_inbox(consumed);
        InboxEntry webhook = consumed;
        webhook.delivery_id = "evt-1";
        webhook.scheme = "stripe";
        webhook.body = envelope("m-2", kUuid1, "2026-11-01T11:00:00Z");
        store->insert_inbox(webhook);
    });

    auto request = request_to(dir.file("out.ndjson"));
    request.from = jobs::ExportSourceKind::kInbox;
    const auto outcome = jobs::run_export(*store, request, nullptr);

    CHECK(outcome.run.status == JobStatus::kSucceeded);
    CHECK(outcome.run.source == "inbox");
    CHECK(outcome.counts.read == 1);
    const auto rows = ndjson_lines(dir.file("out.ndjson"));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["message_id"] == "m-1");
}
