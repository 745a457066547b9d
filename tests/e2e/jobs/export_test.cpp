// job export run as a user runs it: envelopes from an NDJSON file written to
// an NDJSON file and a CSV file, unmapped envelopes listed as per-row errors,
// the JSON shape of the run, and batches POSTed to the connector by a local
// server the test runs (its Authorization header, a 503 retried, a refusal).
#include <catch2/catch.hpp>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/csv.hpp"
#include "support/run.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

constexpr const char* kUuid1 = "11111111-1111-4111-8111-111111111111";
constexpr const char* kUuid2 = "22222222-2222-4222-8222-222222222222";
constexpr const char* kUuid3 = "33333333-3333-4333-8333-333333333333";
constexpr const char* kToken = "export-token-5f1c0e";

std::string envelope(const std::string& message_id, const std::string& uuid,
                     const std::string& occurred_at,
                     const std::string& aggregate_type = "customer") {
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
        {"subject", {{"aggregate_type", aggregate_type}, {"aggregate_id", uuid}}},
        {"intent",
         {{"type", "UpsertCustomer"},
          {"record", {{"id", "x"}, {"name", "Name, \"quoted\" " + message_id}}}}}};
    return e.dump();
}

// A state file with connector PYXIS (base_url given) and two active customer
// mappings: C-1 for kUuid1, C-2 for kUuid2. kUuid3 has none.
class ExportState {
  public:
    explicit ExportState(const std::string& base_url = "") {
        std::vector<std::string> add{"connector", "add", "PYXIS"};
        if (!base_url.empty()) {
            add.insert(add.end(), {"--base-url", base_url, "--auth-method", "bearer",
                                   "--secret-env", "EXPORT_TOKEN"});
        }
        for (const auto& args : std::vector<std::vector<std::string>>{
                 add,
                 {"mapping", "set", "PYXIS", "customer", "C-1", "--uuid", kUuid1},
                 {"mapping", "approve", "PYXIS", "customer", "--reason", "seed"},
                 {"mapping", "set", "PYXIS", "customer", "C-2", "--uuid", kUuid2}}) {
            RunResult result = run(args);
            INFO(result.err);
            REQUIRE(result.exit_code == 0);
        }
    }

    RunResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--state", dir.state()});
        RunOptions options;
        options.env = {{"USER", "tester"}, {"EXPORT_TOKEN", kToken}};
        return run_salesint(args, options);
    }

    TempDir dir;
};

std::vector<nlohmann::json> ndjson(const std::string& text) {
    std::vector<nlohmann::json> rows;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) {
            rows.push_back(nlohmann::json::parse(line));
        }
    }
    return rows;
}

// The envelopes of the tests: two mapped, one unmapped, one not JSON, one of
// another aggregate type.
std::string mixed_envelopes() {
    return envelope("m-1", kUuid1, "2026-11-01T10:00:00Z") + "\n" +
           envelope("m-2", kUuid2, "2026-11-01T11:00:00Z") + "\n" +
           envelope("m-3", kUuid3, "2026-11-01T12:00:00Z") + "\n" + "{not json\n" +
           envelope("m-4", kUuid1, "2026-11-01T13:00:00Z", "order") + "\n";
}

std::string mapped_envelopes() {
    return envelope("m-1", kUuid1, "2026-11-01T10:00:00Z") + "\n" +
           envelope("m-2", kUuid2, "2026-11-01T11:00:00Z") + "\n";
}

struct Received {
    std::string path;
    std::string authorization;
    std::string content_type;
    std::string body;
};

// A local connector: answers each POST with the next scripted status (the
// last one once the script is used up) and records what it received.
class ConnectorServer {
  public:
    explicit ConnectorServer(std::vector<int> statuses) : statuses_(std::move(statuses)) {
        server_.Post(
            R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
                std::lock_guard<std::mutex> lock(mutex_);
                received_.push_back({request.path, request.get_header_value("Authorization"),
                                     request.get_header_value("Content-Type"), request.body});
                const std::size_t index = std::min(received_.size(), statuses_.size()) - 1;
                response.status = statuses_[index];
                response.set_content(response.status < 300 ? "{}" : "{\"error\":\"scripted\"}",
                                     "application/json");
            });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    ~ConnectorServer() {
        server_.stop();
        thread_.join();
    }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api"; }
    std::vector<Received> received() {
        std::lock_guard<std::mutex> lock(mutex_);
        return received_;
    }

  private:
    httplib::Server server_;
    std::vector<int> statuses_;
    std::vector<Received> received_;
    std::mutex mutex_;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace

TEST_CASE("job export writes an NDJSON file and lists unmapped rows",
          "[e2e][jobs][export][backends]") {
    ExportState state;
    write_file(state.dir.file("in.ndjson"), mixed_envelopes());

    RunResult result =
        state.run({"job", "export", "--system", "PYXIS", "--entity", "customer", "--from",
                   state.dir.file("in.ndjson"), "--to", state.dir.file("out.ndjson")});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.out.rfind("run run_", 0) == 0);
    CHECK(result.out.find(" partial: 2 exported, 2 rejected, 1 skipped to " +
                          state.dir.file("out.ndjson")) != std::string::npos);
    CHECK(result.out.find("2 rows rejected; see them with: salesint job errors run_") !=
          std::string::npos);

    const auto rows = ndjson(read_file(state.dir.file("out.ndjson")));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["id"] == "C-1");
    CHECK(rows[0]["internal_uuid"] == kUuid1);
    CHECK(rows[0]["message_id"] == "m-1");
    CHECK(rows[0]["event_type"] == "UpsertCustomer");
    CHECK(rows[0]["data"]["name"] == "Name, \"quoted\" m-1");
    CHECK(rows[1]["id"] == "C-2");
    CHECK(rows[1]["occurred_at"] == "2026-11-01T11:00:00Z");

    // The checkpoint of the export, not of an import.
    RunResult checkpoint =
        state.run({"checkpoint", "get", "PYXIS", "customer.export", "-o", "json"});
    INFO(checkpoint.err);
    REQUIRE(checkpoint.exit_code == 0);
    CHECK(checkpoint.json()["value"] == "2026-11-01T11:00:00Z");
}

TEST_CASE("job export writes CSV with a header and quoted JSON data",
          "[e2e][jobs][export][backends]") {
    ExportState state;
    write_file(state.dir.file("in.ndjson"), mapped_envelopes());

    RunResult result = state.run({"job", "export", "--system", "PYXIS", "--entity", "customer",
                                  "--from", state.dir.file("in.ndjson"), "--to",
                                  state.dir.file("out.csv"), "--id-field", "customerId"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    const auto records = parse_csv(read_file(state.dir.file("out.csv")));
    REQUIRE(records.size() == 3);
    CHECK(records[0] == std::vector<std::string>{"customerId", "internal_uuid", "entity_type",
                                                 "event_type", "message_id", "occurred_at",
                                                 "data"});
    CHECK(records[1][0] == "C-1");
    CHECK(records[1][1] == kUuid1);
    CHECK(records[1][2] == "customer");
    CHECK(records[1][4] == "m-1");
    CHECK(nlohmann::json::parse(records[1][6])["name"] == "Name, \"quoted\" m-1");
    CHECK(records[2][0] == "C-2");
}

TEST_CASE("job export -o json prints the run with its first errors",
          "[e2e][jobs][export][backends]") {
    ExportState state;
    write_file(state.dir.file("in.ndjson"), mixed_envelopes());

    RunResult result = state.run({"job", "export", "--system", "PYXIS", "--entity", "customer",
                                  "--from", state.dir.file("in.ndjson"), "--to",
                                  state.dir.file("out.ndjson"), "-o", "json"});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    const nlohmann::json run = result.json();
    for (const char* key :
         {"run_id",       "job_type",        "system_code",          "entity_type",
          "source",       "status",          "started_at",           "completed_at",
          "duration_ms",  "rows_per_second", "requested_by_user_id", "rows_total",
          "rows_ok",      "error_count",     "warning_count",        "resume_after_row",
          "resumed_from", "worker",          "checkpoint",           "result_summary",
          "first_errors"}) {
        CHECK(run.contains(key));
    }
    CHECK(run["job_type"] == "export");
    CHECK(run["status"] == "partial");
    CHECK(run["requested_by_user_id"] == "tester");
    CHECK(run["source"] == state.dir.file("in.ndjson"));
    CHECK(run["rows_total"] == 5);
    CHECK(run["rows_ok"] == 2);
    CHECK(run["error_count"] == 2);
    CHECK(run["checkpoint"]["after"] == "2026-11-01T11:00:00Z");
    CHECK(run["result_summary"] == nlohmann::json{{"exported", 2},
                                                  {"rejected", 2},
                                                  {"skipped", 1},
                                                  {"batches", 1},
                                                  {"target", state.dir.file("out.ndjson")}});
    REQUIRE(run["first_errors"].size() == 2);
    CHECK(run["first_errors"][0]["row"] == 3);
    CHECK(run["first_errors"][0]["code"] == "unmapped");
    CHECK(run["first_errors"][1]["row"] == 4);
    CHECK(run["first_errors"][1]["code"] == "invalid_json");
    CHECK(run["first_errors"][1]["record"] == "{not json");
}

TEST_CASE("job export to stdout streams NDJSON and leaves no file for an unknown system",
          "[e2e][jobs][export][backends]") {
    ExportState state;
    write_file(state.dir.file("in.ndjson"), mapped_envelopes());
    RunResult result = state.run({"job", "export", "--system", "PYXIS", "--entity", "customer",
                                  "--from", state.dir.file("in.ndjson"), "--to", "-"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(ndjson(result.out).size() == 2);
    CHECK(result.err.find("succeeded: 2 exported") != std::string::npos);

    RunResult unknown = state.run({"job", "export", "--system", "TEMPO", "--entity", "customer",
                                   "--to", state.dir.file("never.ndjson")});
    CHECK(unknown.exit_code == 3);
    CHECK(unknown.err.find("TEMPO") != std::string::npos);
    CHECK_FALSE(std::ifstream(state.dir.file("never.ndjson")).good());
}

TEST_CASE("job export --to connector POSTs batches with the connector's bearer token",
          "[e2e][jobs][export][backends]") {
    ConnectorServer server({200});
    ExportState state(server.base_url());
    write_file(state.dir.file("in.ndjson"), mapped_envelopes());

    RunResult result = state.run({"job", "export", "--system", "PYXIS", "--entity", "customer",
                                  "--from", state.dir.file("in.ndjson"), "--to", "connector",
                                  "--batch-size", "1", "-o", "json"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    const auto received = server.received();
    REQUIRE(received.size() == 2);
    for (const auto& post : received) {
        CHECK(post.path == "/api/customer");
        CHECK(post.authorization == std::string("Bearer ") + kToken);
        CHECK(post.content_type == "application/json");
    }
    const auto first = nlohmann::json::parse(received[0].body);
    REQUIRE(first.is_array());
    REQUIRE(first.size() == 1);
    CHECK(first[0]["id"] == "C-1");
    CHECK(nlohmann::json::parse(received[1].body)[0]["id"] == "C-2");
    const nlohmann::json run = result.json();
    CHECK(run["status"] == "succeeded");
    CHECK(run["result_summary"]["batches"] == 2);
    CHECK(run["result_summary"]["target"] == server.base_url() + "/customer");
    CHECK(result.out.find(kToken) == std::string::npos);
    CHECK(result.err.find(kToken) == std::string::npos);
}

TEST_CASE("job export retries a connector that answers 503 once", "[e2e][jobs][export][backends]") {
    ConnectorServer server({503, 200});
    ExportState state(server.base_url());
    write_file(state.dir.file("in.ndjson"), mapped_envelopes());

    RunResult result = state.run({"job", "export", "--system", "PYXIS", "--entity", "customer",
                                  "--from", state.dir.file("in.ndjson"), "--to", "connector"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    const auto received = server.received();
    REQUIRE(received.size() == 2);  // the one batch, sent again
    CHECK(received[0].body == received[1].body);
    CHECK(nlohmann::json::parse(received[1].body).size() == 2);
    CHECK(result.out.find("succeeded: 2 exported, 0 rejected, 0 skipped") != std::string::npos);
}

TEST_CASE("job export fails when the connector refuses a batch and keeps its checkpoint",
          "[e2e][jobs][export][backends]") {
    ConnectorServer server({400});
    ExportState state(server.base_url());
    write_file(state.dir.file("in.ndjson"), mapped_envelopes());

    RunResult result =
        state.run({"job", "export", "--system", "PYXIS", "--entity", "customer", "--from",
                   state.dir.file("in.ndjson"), "--to", "connector", "-o", "json"});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK(server.received().size() == 1);  // a refusal is not retried
    const nlohmann::json run = result.json();
    CHECK(run["status"] == "failed");
    CHECK(run["result_summary"]["target_error"].get<std::string>().find("HTTP 400") !=
          std::string::npos);
    CHECK(state.run({"checkpoint", "get", "PYXIS", "customer.export"}).exit_code == 3);
}

TEST_CASE("job export --since-checkpoint exports from the checkpoint on",
          "[e2e][jobs][export][backends]") {
    ExportState state;
    write_file(state.dir.file("first.ndjson"), mapped_envelopes());
    REQUIRE(state
                .run({"job", "export", "--system", "PYXIS", "--entity", "customer", "--from",
                      state.dir.file("first.ndjson"), "--to", state.dir.file("first.out")})
                .exit_code == 0);
    write_file(state.dir.file("second.ndjson"),
               mapped_envelopes() + envelope("m-5", kUuid1, "2026-11-01T15:00:00Z") + "\n");

    RunResult result =
        state.run({"job", "export", "--system", "PYXIS", "--entity", "customer", "--from",
                   state.dir.file("second.ndjson"), "--to", "-", "--since-checkpoint"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    const auto rows = ndjson(result.out);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["message_id"] == "m-2");  // at the checkpoint: again
    CHECK(rows[1]["message_id"] == "m-5");
    CHECK(result.err.find("2 exported, 0 rejected, 1 skipped") != std::string::npos);
}

TEST_CASE("job export exits 5 when the connector never answers and marks its checkpoint",
          "[e2e][jobs][export][backends]") {
    int port = 0;
    {
        // A port nothing listens on once the server is gone.
        ConnectorServer gone({200});
        port = std::stoi(gone.base_url().substr(std::string("http://127.0.0.1:").size()));
    }
    ExportState state("http://127.0.0.1:" + std::to_string(port) + "/api");
    write_file(state.dir.file("in.ndjson"), mapped_envelopes());
    REQUIRE(state
                .run({"job", "export", "--system", "PYXIS", "--entity", "customer", "--from",
                      state.dir.file("in.ndjson"), "--to", state.dir.file("out.ndjson")})
                .exit_code == 0);

    RunResult result = state.run({"job", "export", "--system", "PYXIS", "--entity", "customer",
                                  "--from", state.dir.file("in.ndjson"), "--to", "connector"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 5);
    CHECK(result.out.find(" failed: ") != std::string::npos);
    CHECK(result.out.find("target failed: batch 1 not delivered") != std::string::npos);
    const nlohmann::json checkpoint =
        state.run({"checkpoint", "get", "PYXIS", "customer.export", "-o", "json"}).json();
    CHECK(checkpoint["status"] == "error");
    CHECK(checkpoint["value"] == "2026-11-01T11:00:00Z");
    CHECK(checkpoint["error_message"].get<std::string>().find("not delivered") !=
          std::string::npos);
}
