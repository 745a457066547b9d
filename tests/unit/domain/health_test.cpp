// What is healthy (src/domain/health.cpp): the verdict of a report, the
// status of an HTTP answer, the health URL and how it is shown, and the state
// file's check on real SQLite files in a temp dir.
#include <catch2/catch.hpp>

#include <fstream>

#include "salesint/domain/health.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/state_location.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using namespace std::chrono_literals;
using health::CheckStatus;
using salesint::test::open_at;
using salesint::test::TempDir;

namespace {

health::Check with_status(CheckStatus status) {
    health::Check check;
    check.status = status;
    return check;
}

health::Answer answered(long status, std::int64_t latency_ms = 12) {
    health::Answer answer;
    answer.http_status = status;
    answer.latency_ms = latency_ms;
    return answer;
}

}  // namespace

TEST_CASE("a health report is as bad as its worst check", "[domain][health][backends]") {
    CHECK(health::overall({}) == CheckStatus::kHealthy);
    CHECK(health::overall({with_status(CheckStatus::kHealthy)}) == CheckStatus::kHealthy);
    CHECK(health::overall({with_status(CheckStatus::kHealthy),
                           with_status(CheckStatus::kUnhealthy)}) == CheckStatus::kUnhealthy);
    // Unreachable wins over unhealthy, in any order.
    CHECK(health::overall({with_status(CheckStatus::kUnreachable),
                           with_status(CheckStatus::kUnhealthy)}) == CheckStatus::kUnreachable);
    CHECK(health::overall({with_status(CheckStatus::kUnhealthy),
                           with_status(CheckStatus::kUnreachable),
                           with_status(CheckStatus::kHealthy)}) == CheckStatus::kUnreachable);

    CHECK(health::exit_code(CheckStatus::kHealthy) == ExitCode::kSuccess);
    CHECK(health::exit_code(CheckStatus::kUnhealthy) == ExitCode::kNo);
    CHECK(health::exit_code(CheckStatus::kUnreachable) == ExitCode::kTransient);
    CHECK(health::to_string(CheckStatus::kUnreachable) == "unreachable");
    CHECK(health::to_string(health::CheckKind::kSecret) == "secret");
}

TEST_CASE("2xx and 3xx are healthy, 4xx and 5xx unhealthy, no answer unreachable",
          "[domain][health][backends]") {
    const std::string url = "http://127.0.0.1:8080/api/health";
    for (long status : {200L, 204L, 301L, 304L}) {
        health::Check check = health::judge_answer("ERP", url, answered(status), 5s);
        INFO(status);
        CHECK(check.status == CheckStatus::kHealthy);
        CHECK(check.http_status == static_cast<int>(status));
    }
    health::Check refused = health::judge_answer("ERP", url, answered(401), 5s);
    CHECK(refused.status == CheckStatus::kUnhealthy);
    CHECK(refused.detail ==
          "HTTP 401 in 12 ms: answers but refuses (GET http://127.0.0.1:8080/api/health)");
    health::Check failing = health::judge_answer("ERP", url, answered(503), 5s);
    CHECK(failing.status == CheckStatus::kUnhealthy);
    CHECK(failing.kind == health::CheckKind::kConnector);
    CHECK(failing.name == "ERP");
    CHECK(failing.latency_ms == 12);
    CHECK(failing.detail == "HTTP 503 in 12 ms (GET http://127.0.0.1:8080/api/health)");

    health::Answer timed_out;
    timed_out.timed_out = true;
    timed_out.error = "Operation timed out";
    timed_out.latency_ms = 5001;
    health::Check slow = health::judge_answer("ERP", url, timed_out, 5s);
    CHECK(slow.status == CheckStatus::kUnreachable);
    CHECK_FALSE(slow.http_status);
    CHECK(slow.latency_ms == 5001);
    CHECK(slow.detail == "no answer within 5000 ms (GET http://127.0.0.1:8080/api/health)");

    health::Answer refused_connection;
    refused_connection.error = "Failed to connect to 127.0.0.1 port 9: Connection refused";
    refused_connection.latency_ms = 1;
    health::Check down = health::judge_answer("ERP", url, refused_connection, 5s);
    CHECK(down.status == CheckStatus::kUnreachable);
    CHECK_THAT(down.detail, Catch::StartsWith("no answer after 1 ms: Failed to connect"));
}

TEST_CASE("a health URL's query is sent but never shown", "[domain][health][backends]") {
    const std::string url = "https://erp.example.com/api/health?region=eu&probe=1";
    health::Answer failed;
    failed.error = "URL rejected: " + url;
    health::Check check = health::judge_answer("ERP", url, failed, 5s);
    CHECK(check.detail.find("region") == std::string::npos);
    CHECK(check.detail.find('?') == std::string::npos);
    CHECK_THAT(check.detail, Catch::EndsWith("(GET https://erp.example.com/api/health)"));
    CHECK(health::judge_answer("ERP", url, answered(200), 5s).detail.find("region") ==
          std::string::npos);
    CHECK(health::without_query("https://x.example/a?b=c#d") == "https://x.example/a");
    CHECK(health::without_query("https://x.example/a#d") == "https://x.example/a");
}

TEST_CASE("the health URL is base_url with health_path added to its path",
          "[domain][health][backends]") {
    CHECK(health::health_url("https://erp.example.com/api", "") == "https://erp.example.com/api");
    CHECK(health::health_url("https://erp.example.com/api", "/health") ==
          "https://erp.example.com/api/health");
    CHECK(health::health_url("https://erp.example.com/api/", "/health") ==
          "https://erp.example.com/api/health");
    CHECK(health::health_url("https://erp.example.com", "/health") ==
          "https://erp.example.com/health");
    CHECK(health::health_url("https://erp.example.com/api?v=2", "/health") ==
          "https://erp.example.com/api/health?v=2");
    CHECK(health::health_url("https://erp.example.com/api?v=2", "/health?deep=1") ==
          "https://erp.example.com/api/health?v=2&deep=1");
    CHECK(health::health_url("https://erp.example.com/api#top", "/health") ==
          "https://erp.example.com/api/health");
}

TEST_CASE("the state check never creates the file and fails on a damaged one",
          "[domain][health][backends]") {
    TempDir dir;
    std::unique_ptr<Store> store;
    bool opened = false;
    auto open = [&]() -> Store& {
        opened = true;
        if (!store) {
            store = open_at(dir.state());
        }
        return *store;
    };

    // A database is there once its URL is (the test run creates it); only a
    // file can be missing or damaged.
    const bool file = !is_database_url(dir.state());
    if (file) {
        health::Check missing = health::check_state(dir.state(), open);
        CHECK(missing.status == CheckStatus::kUnhealthy);
        CHECK(missing.kind == health::CheckKind::kState);
        CHECK(missing.detail == dir.state() + ": no state file (No such file or directory)");
        CHECK_FALSE(opened);
    }

    open_at(dir.state());
    health::Check fine = health::check_state(dir.state(), open);
    CHECK(fine.status == CheckStatus::kHealthy);
    CHECK(fine.detail == dir.state() + " (quick_check ok, schema " +
                             std::to_string(current_schema_version()) + ")");
    CHECK_FALSE(fine.latency_ms);
    CHECK_FALSE(fine.http_status);

    if (!file) {
        return;
    }
    store.reset();
    {
        std::fstream state(dir.state(), std::ios::in | std::ios::out | std::ios::binary);
        state.write("not SQLite, no!", 15);
    }
    health::Check damaged = health::check_state(dir.state(), open);
    CHECK(damaged.status == CheckStatus::kUnhealthy);
    CHECK(damaged.detail == dir.state() + " (quick_check failed: file is not a database)");
}

TEST_CASE("a health report's JSON shape", "[domain][health][backends]") {
    health::Report report;
    report.checked_at = "2026-11-30T08:00:00Z";
    report.checks.push_back(with_status(CheckStatus::kHealthy));
    report.checks.back().name = "state";
    report.checks.push_back(health::judge_answer("ERP", "http://127.0.0.1:1/h", answered(503), 5s));
    const OrderedJson json = health::report_json(report);
    CHECK(
        json.dump() ==
        R"json({"status":"unhealthy","checked_at":"2026-11-30T08:00:00Z","checks":[)json"
        R"json({"name":"state","kind":"state","status":"healthy","latency_ms":null,)json"
        R"json("http_status":null,"detail":""},)json"
        R"json({"name":"ERP","kind":"connector","status":"unhealthy","latency_ms":12,)json"
        R"json("http_status":503,"detail":"HTTP 503 in 12 ms (GET http://127.0.0.1:1/h)"}]})json");
}
