// job import --from connector as a user runs it, against a real HTTP server on
// 127.0.0.1 started by the test that serves the page convention of README.md
// ("Import and export jobs"): GET {base_url}/{entity}?limit=N[&since=...],
// then &cursor=NEXT while the answer gives one. Counts, mappings, intents, the
// checkpoint and the run row; a page answering 503 once is asked again; a
// second run asks from the checkpoint and writes nothing new; a page that
// keeps failing ends the run as failed (exit 5) with the checkpoint at the
// data committed before it, and the next run carries on from there.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run.hpp"
#include "support/state_query.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

constexpr const char* kTokenVariable = "SALESINT_TEST_ORDERS_TOKEN";
constexpr const char* kToken = "orders-page-token-s3cr3t";
constexpr int kValid = 300;
constexpr int kPageSize = 50;
// The invalid order, served last, has the largest updatedAt of all: a
// rejected record must not move the checkpoint.
constexpr const char* kInvalidUpdatedAt = "2026-12-31T23:59:00Z";

// 2026-11-01T00:00:00Z plus minutes (less than a day of them).
std::string minute(int minutes) {
    char text[32];
    std::snprintf(text, sizeof text, "2026-11-01T%02d:%02d:00Z", minutes / 60, minutes % 60);
    return text;
}

// A valid order intake: the first accepted line of the PYXIS fixture.
nlohmann::json order_template() {
    const std::string text = read_file(fixtures_dir() + "/jobs/pyxis-orders.ndjson");
    return nlohmann::json::parse(text.substr(0, text.find('\n')));
}

// HTTP-0001 ... HTTP-0300 (updatedAt one minute apart, the last at 05:00),
// then HTTP-9999, whose orderType no order intake accepts.
std::vector<nlohmann::json> served_orders() {
    const nlohmann::json base = order_template();
    std::vector<nlohmann::json> orders;
    for (int i = 1; i <= kValid; ++i) {
        nlohmann::json order = base;
        char id[32];
        std::snprintf(id, sizeof id, "HTTP-%04d", i);
        order["externalOrderId"] = id;
        order["updatedAt"] = minute(i);
        orders.push_back(order);
    }
    nlohmann::json invalid = base;
    invalid["externalOrderId"] = "HTTP-9999";
    invalid["orderType"] = "INSTALL";
    invalid["updatedAt"] = kInvalidUpdatedAt;
    orders.push_back(invalid);
    return orders;
}

struct Request {
    std::string target;
    std::string since;   // the since parameter, if any
    std::string cursor;  // the cursor parameter, if any
    std::string authorization;
};

// The connector's endpoint: GET /api/orders serves the orders whose updatedAt
// is at or after since (at least once, as connectors do), limit at a time,
// the cursor being the offset of the next page and the since it started from.
// Page numbers (0-based) in fail_once answer 503 the first time they are
// asked; those in fail_always always do (Retry-After: 0, so that the
// retries take no time).
class OrdersServer {
  public:
    OrdersServer(std::set<int> fail_once, std::set<int> fail_always)
        : orders_(served_orders()),
          fail_once_(std::move(fail_once)),
          fail_always_(std::move(fail_always)) {
        server_.Get("/api/orders",
                    [this](const httplib::Request& request, httplib::Response& response) {
                        serve(request, response);
                    });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~OrdersServer() {
        server_.stop();
        thread_.join();
    }
    OrdersServer(const OrdersServer&) = delete;
    OrdersServer& operator=(const OrdersServer&) = delete;

    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api"; }
    std::vector<Request> received() {
        std::lock_guard<std::mutex> lock(mutex_);
        return received_;
    }
    void heal() {
        std::lock_guard<std::mutex> lock(mutex_);
        fail_always_.clear();
    }

  private:
    void serve(const httplib::Request& request, httplib::Response& response) {
        std::lock_guard<std::mutex> lock(mutex_);
        Request got{request.target, request.get_param_value("since"),
                    request.get_param_value("cursor"), request.get_header_value("Authorization")};
        received_.push_back(got);
        const int limit = std::stoi(request.get_param_value("limit"));
        std::size_t offset = 0;
        std::string since = got.since;
        if (!got.cursor.empty()) {
            const auto bar = got.cursor.find('|');
            offset = std::stoul(got.cursor.substr(0, bar));
            since = got.cursor.substr(bar + 1);
        }
        const int page = static_cast<int>(offset) / limit;
        if (fail_always_.count(page) > 0 || fail_once_.erase(page) > 0) {
            response.status = 503;
            response.set_header("Retry-After", "0");
            response.set_content(R"({"error":"busy"})", "application/json");
            return;
        }
        std::vector<const nlohmann::json*> matching;
        for (const nlohmann::json& order : orders_) {
            if (order["updatedAt"].get<std::string>() >= since) {
                matching.push_back(&order);
            }
        }
        nlohmann::json body = {{"records", nlohmann::json::array()}};
        std::size_t next = offset;
        for (; next < matching.size() && next < offset + static_cast<std::size_t>(limit); ++next) {
            body["records"].push_back(*matching[next]);
        }
        if (next < matching.size()) {
            body["next_cursor"] = std::to_string(next) + "|" + since;
        } else {
            body["next_cursor"] = nullptr;
        }
        response.set_content(body.dump(), "application/json");
    }

    std::vector<nlohmann::json> orders_;
    std::set<int> fail_once_;
    std::set<int> fail_always_;
    std::vector<Request> received_;
    std::mutex mutex_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

struct ConnectorState {
    explicit ConnectorState(const std::string& base_url) {
        RunResult added = run({"connector", "add", "PYXIS", "--base-url", base_url, "--auth-method",
                               "bearer", "--secret-env", kTokenVariable});
        INFO(added.err);
        REQUIRE(added.exit_code == 0);
    }

    RunResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--state", dir.state()});
        RunOptions options;
        options.env = {{"USER", "tester"}, {kTokenVariable, kToken}};
        return run_salesint(args, options);
    }

    RunResult import() const {
        return run({"job", "import", "--system", "PYXIS", "--entity", "orders", "--from",
                    "connector", "--batch-size", std::to_string(kPageSize), "-o", "json"});
    }

    std::int64_t count(const std::string& sql) const { return state_count(dir.state(), sql); }
    std::string text(const std::string& sql) const {
        return text_of(state_scalar(dir.state(), sql));
    }

    TempDir dir;
};

constexpr const char* kIntents =
    "SELECT count(*) FROM outbox WHERE topic = 'sales.domain.intents.v1'";
constexpr const char* kMappings =
    "SELECT count(*) FROM mappings WHERE system_code = 'PYXIS' AND entity_type = 'orders'";
constexpr const char* kCheckpoint =
    "SELECT checkpoint_value FROM checkpoints WHERE system_code = 'PYXIS' AND "
    "entity_type = 'orders'";

}  // namespace

TEST_CASE(
    "job import from a connector follows its pages, retries a 503 and resumes at the "
    "checkpoint",
    "[jobs][import][http][backends]") {
    OrdersServer server({2}, {});
    ConnectorState state(server.base_url());

    RunResult first = state.import();
    INFO(first.err);
    CHECK(first.exit_code == 1);  // HTTP-9999 rejected: the run is partial
    const nlohmann::json run = first.json();
    CHECK(run["status"] == "partial");
    CHECK(run["job_type"] == "import");
    CHECK(run["source"] == server.base_url() + "/orders");
    CHECK(run["requested_by_user_id"] == "tester");
    CHECK(run["rows_total"] == kValid + 1);
    CHECK(run["rows_ok"] == kValid);
    CHECK(run["error_count"] == 1);
    CHECK(run["warning_count"] == 0);
    CHECK(run["completed_at"].is_string());
    const nlohmann::json& summary = run["result_summary"];
    CHECK(summary["read"] == kValid + 1);
    CHECK(summary["created"] == kValid);
    CHECK(summary["rejected"] == 1);
    CHECK(summary["intents"] == kValid);
    CHECK(run["checkpoint"]["before"] == "");
    CHECK(run["checkpoint"]["after"] == minute(kValid));
    REQUIRE(run["first_errors"].size() == 1);
    CHECK(run["first_errors"][0]["row"] == kValid + 1);
    CHECK_THAT(run["first_errors"][0]["record"].get<std::string>(), Catch::Contains("HTTP-9999"));

    // Seven pages of 50 (the last holding HTTP-9999 alone), the third asked
    // twice: its 503 was retried.
    std::vector<Request> received = server.received();
    REQUIRE(received.size() == 8);
    CHECK(received[0].target == "/api/orders?limit=50");
    CHECK(received[2].target == received[3].target);
    CHECK(received[3].cursor == "100|");
    CHECK(received[7].cursor == "300|");
    for (const Request& request : received) {
        CHECK(request.since.empty());
        CHECK(request.authorization == std::string("Bearer ") + kToken);
    }

    // The state file: a mapping and an intent for each valid order, keyed by
    // its internal UUID; none for the rejected one; the run row as printed.
    CHECK(state.count(kMappings) == kValid);
    CHECK(state.count(kIntents) == kValid);
    CHECK(state.count("SELECT count(*) FROM mappings WHERE external_id = 'HTTP-9999'") == 0);
    // Joined here, as SQL's JSON functions differ by backend.
    std::map<std::string, std::string> external_id_of;  // by internal UUID
    for (const auto& row :
         state_query(state.dir.state(), "SELECT internal_uuid, external_id FROM mappings")) {
        external_id_of[text_of(row[0])] = text_of(row[1]);
    }
    long long keyed = 0;
    for (const auto& row :
         state_query(state.dir.state(), "SELECT partition_key, envelope FROM outbox")) {
        const nlohmann::json envelope = nlohmann::json::parse(text_of(row[1]));
        using Pointer = nlohmann::json::json_pointer;
        const std::string uuid = envelope.value(Pointer("/subject/aggregate_id"), "");
        const std::string key = text_of(row[0]);
        const auto mapping = external_id_of.find(uuid);
        keyed += mapping != external_id_of.end() && key.size() > uuid.size() &&
                 key.compare(key.size() - uuid.size() - 1, std::string::npos, ":" + uuid) == 0 &&
                 envelope.value(Pointer("/intent/record/externalOrderId"), "") == mapping->second;
    }
    CHECK(keyed == kValid);
    CHECK(state.text(kCheckpoint) == minute(kValid));
    CHECK(state.text("SELECT status || ' ' || rows_total || ' ' || rows_ok || ' ' || "
                     "error_count || ' ' || checkpoint_after FROM job_runs") ==
          "partial 301 300 1 " + minute(kValid));
    RunResult shown = state.run({"job", "show", run["run_id"], "-o", "json"});
    REQUIRE(shown.exit_code == 0);
    CHECK(shown.json()["status"] == "partial");
    CHECK(shown.json()["checkpoint"]["after"] == minute(kValid));
    CHECK(first.out.find(kToken) == std::string::npos);
    CHECK(state.count(std::string("SELECT count(*) FROM job_runs WHERE source LIKE '%") + kToken +
                      "%' OR result_summary LIKE '%" + kToken + "%'") == 0);

    // A second run asks from the checkpoint: the server serves HTTP-0300
    // again (at or after since) and HTTP-9999; nothing new is written.
    RunResult second = state.import();
    INFO(second.err);
    CHECK(second.exit_code == 1);
    received = server.received();
    REQUIRE(received.size() == 9);
    CHECK(received[8].since == minute(kValid));
    CHECK(received[8].cursor.empty());
    const nlohmann::json again = second.json();
    CHECK(again["result_summary"]["read"] == 2);
    CHECK(again["result_summary"]["unchanged"] == 1);
    CHECK(again["result_summary"]["rejected"] == 1);
    CHECK(again["result_summary"]["created"] == 0);
    CHECK(again["result_summary"]["intents"] == 0);
    CHECK(again["checkpoint"]["before"] == minute(kValid));
    CHECK(again["checkpoint"]["after"] == minute(kValid));
    CHECK(state.count(kMappings) == kValid);
    CHECK(state.count(kIntents) == kValid);
    CHECK(state.count("SELECT count(*) FROM job_runs") == 2);
    CHECK(state.run({"state", "check"}).exit_code == 0);
}

TEST_CASE(
    "job import from a connector whose page keeps failing fails with exit 5 and keeps "
    "what it committed",
    "[jobs][import][http][backends]") {
    // Pages 0 and 1 (HTTP-0001..0100) answer; page 2 never does.
    OrdersServer server({}, {2});
    ConnectorState state(server.base_url());

    RunResult failed = state.import();
    CHECK(failed.exit_code == 5);
    CHECK_THAT(failed.err, Catch::StartsWith("salesint: error: ") &&
                               Catch::Contains("unavailable after 4 attempts") &&
                               Catch::Contains("HTTP 503"));
    CHECK(failed.err.find(kToken) == std::string::npos);
    std::vector<Request> received = server.received();
    REQUIRE(received.size() == 6);  // two pages, then four attempts at the third
    CHECK(received[5].target == received[2].target);

    // The two committed pages and nothing past them.
    CHECK(state.count(kMappings) == 2 * kPageSize);
    CHECK(state.count(kIntents) == 2 * kPageSize);
    CHECK(state.text(kCheckpoint) == minute(2 * kPageSize));
    CHECK(state.text("SELECT status FROM checkpoints") == "error");
    CHECK(state.text("SELECT status || ' ' || rows_total || ' ' || resume_after_row || ' ' || "
                     "checkpoint_after || ' ' || CASE WHEN completed_at IS NULL THEN 0 ELSE 1 END "
                     "FROM job_runs") == "failed 100 100 " + minute(2 * kPageSize) + " 1");
    RunResult listed = state.run({"job", "list", "--status", "failed", "-o", "json"});
    REQUIRE(listed.exit_code == 0);
    REQUIRE(listed.json().size() == 1);
    CHECK_THAT(listed.json()[0]["result_summary"]["error"].get<std::string>(),
               Catch::Contains("HTTP 503"));
    CHECK(state.run({"state", "check"}).exit_code == 0);

    // The connector answers again: the next run asks from the checkpoint,
    // takes the rest, and clears the checkpoint's error.
    server.heal();
    RunResult next = state.import();
    INFO(next.err);
    CHECK(next.exit_code == 1);  // HTTP-9999
    received = server.received();
    REQUIRE(received.size() > 6);
    CHECK(received[6].since == minute(2 * kPageSize));
    const nlohmann::json run = next.json();
    CHECK(run["result_summary"]["created"] == kValid - 2 * kPageSize);
    CHECK(run["result_summary"]["unchanged"] == 1);  // HTTP-0100, served at or after since
    CHECK(state.count(kMappings) == kValid);
    CHECK(state.count(kIntents) == kValid);
    CHECK(state.text(kCheckpoint) == minute(kValid));
    CHECK(state.text("SELECT status FROM checkpoints") == "ok");
}
