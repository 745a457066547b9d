// Records from a connector's endpoint page by page (src/jobs/page_source.cpp),
// against a real HTTP server on 127.0.0.1: cursors followed, since sent once,
// transient answers retried, the connector's credentials sent, refusals and
// answers of the wrong shape stopping the source with their exit codes.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/webhook/scripted_server.hpp"
#include "salesint/errors.hpp"
#include "salesint/jobs/records.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using namespace salesint::jobs;
using salesint::test::answer;
using salesint::test::ScriptedServer;

namespace {

constexpr const char* kTokenVariable = "SALESINT_TEST_PAGES_TOKEN";
constexpr const char* kToken = "page-token-s3cr3t";

PageRequest request_to(const ScriptedServer& server) {
    // The network module of this build, wherever the test runs from.
    setenv("SALESINT_NET_MODULE", SALESINT_TEST_NET_MODULE, 0);
    setenv(kTokenVariable, kToken, 1);
    PageRequest request;
    request.connector.system_code = "ERP";
    request.connector.base_url = server.origin() + "/api/";
    request.connector.auth_method = "bearer";
    request.connector.secret_env = kTokenVariable;
    request.entity_type = "lead";
    request.page_size = 2;
    return request;
}

std::string page(const std::vector<int>& ids, const std::string& next_cursor) {
    nlohmann::json records = nlohmann::json::array();
    for (int id : ids) {
        records.push_back({{"id", id}});
    }
    nlohmann::json body = {{"records", records}};
    if (!next_cursor.empty()) {
        body["next_cursor"] = next_cursor;
    }
    return body.dump();
}

std::vector<SourceRecord> read_all(RecordSource& source, std::size_t batch) {
    std::vector<SourceRecord> records;
    while (true) {
        std::vector<SourceRecord> out;
        const bool more = source.next_batch(out, batch);
        records.insert(records.end(), out.begin(), out.end());
        if (!more) {
            return records;
        }
    }
}

std::string message_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("pages are followed by next_cursor, since sent on the first request only", "[pages]") {
    for (std::size_t batch : {1, 2, 3, 100}) {
        INFO("batches of " << batch);
        ScriptedServer server({answer(200, "", {}, page({1, 2}, "c 2/x")),
                               answer(200, "", {}, page({3, 4}, "c3")),
                               answer(200, "", {}, page({5}, ""))});
        PageRequest request = request_to(server);
        request.since = "2026-01-01T00:00:00Z";
        auto source = open_connector_source(request);
        CHECK(source->name() == server.origin() + "/api/lead");
        std::vector<SourceRecord> records = read_all(*source, batch);
        REQUIRE(records.size() == 5);
        for (std::size_t i = 0; i < records.size(); ++i) {
            CHECK(records[i].row == static_cast<std::int64_t>(i + 1));
            CHECK(records[i].json == "{\"id\":" + std::to_string(i + 1) + "}");
            CHECK(records[i].raw == records[i].json);
            CHECK(records[i].problem.empty());
        }
        std::vector<test::Received> received = server.received();
        REQUIRE(received.size() == 3);
        CHECK(received[0].method == "GET");
        CHECK(received[0].target == "/api/lead?limit=2&since=2026-01-01T00%3A00%3A00Z");
        CHECK(received[1].target == "/api/lead?limit=2&cursor=c%202%2Fx");
        CHECK(received[2].target == "/api/lead?limit=2&cursor=c3");
        for (const test::Received& got : received) {
            auto authorization = got.headers.find("Authorization");
            REQUIRE(authorization != got.headers.end());
            CHECK(authorization->second == std::string("Bearer ") + kToken);
        }
    }
}

TEST_CASE("a page that answers 503 is asked again", "[pages]") {
    ScriptedServer server({answer(503), answer(200, "", {}, page({1}, "next")), answer(429, "0"),
                           answer(200, "", {}, page({2}, ""))});
    auto source = open_connector_source(request_to(server));
    std::vector<SourceRecord> records = read_all(*source, 10);
    REQUIRE(records.size() == 2);
    CHECK(records[1].json == "{\"id\":2}");
    std::vector<test::Received> received = server.received();
    REQUIRE(received.size() == 4);
    CHECK(received[0].target == received[1].target);
    CHECK(received[2].target == "/api/lead?limit=2&cursor=next");
    CHECK(received[3].target == received[2].target);
}

TEST_CASE("a page that stays unavailable stops the source as transient", "[pages]") {
    ScriptedServer server({answer(503, "0")});
    PageRequest request = request_to(server);
    request.max_attempts = 3;
    auto source = open_connector_source(request);
    std::vector<SourceRecord> out;
    CHECK(test::code_of([&] { source->next_batch(out, 10); }) == ExitCode::kTransient);
    CHECK(server.received().size() == 3);  // three attempts
    ScriptedServer again({answer(503, "0")});
    request = request_to(again);
    request.max_attempts = 2;
    auto second = open_connector_source(request);
    const std::string message = message_of([&] { second->next_batch(out, 10); });
    CHECK_THAT(message, Catch::Contains(again.origin() + "/api/lead") &&
                            Catch::Contains("HTTP 503") && !Catch::Contains("limit="));
}

TEST_CASE("credentials refused by the connector stop the source as refused", "[pages]") {
    ScriptedServer server({answer(401)});
    auto source = open_connector_source(request_to(server));
    std::vector<SourceRecord> out;
    const std::string message = message_of([&] { source->next_batch(out, 10); });
    CHECK_THAT(message, Catch::StartsWith("the connector refused the credentials (HTTP 401)"));
    CHECK_THAT(message, !Catch::Contains(kToken));
    CHECK(server.received().size() == 1);
    ScriptedServer again({answer(401)});
    auto second = open_connector_source(request_to(again));
    CHECK(test::code_of([&] { second->next_batch(out, 10); }) == ExitCode::kRefused);
}

TEST_CASE("an entity the connector does not serve is not found", "[pages]") {
    ScriptedServer server({answer(404)});
    auto source = open_connector_source(request_to(server));
    std::vector<SourceRecord> out;
    CHECK(test::code_of([&] { source->next_batch(out, 10); }) == ExitCode::kNotFound);
}

TEST_CASE("an answer that is not the documented page is a usage error", "[pages]") {
    for (const std::string& body :
         {std::string("<html>busy</html>"), std::string("[1,2]"), std::string("{\"items\":[]}"),
          std::string("{\"records\":[],\"next_cursor\":5}")}) {
        INFO(body);
        ScriptedServer server({answer(200, "", {}, body)});
        auto source = open_connector_source(request_to(server));
        std::vector<SourceRecord> out;
        CHECK(test::code_of([&] { source->next_batch(out, 10); }) == ExitCode::kUsage);
        ScriptedServer again({answer(200, "", {}, body)});
        auto second = open_connector_source(request_to(again));
        CHECK_THAT(message_of([&] { second->next_batch(out, 10); }),
                   Catch::StartsWith(again.origin() + "/api/lead: the answer"));
    }
}

TEST_CASE("a page element that is not an object is a record with its problem", "[pages]") {
    ScriptedServer server(
        {answer(200, "", {}, R"({"records":[{"id":1},"two"],"next_cursor":null})")});
    auto source = open_connector_source(request_to(server));
    std::vector<SourceRecord> records = read_all(*source, 10);
    REQUIRE(records.size() == 2);
    CHECK(records[1].problem == "not a JSON object");
    CHECK(records[1].raw == "\"two\"");
    CHECK(records[1].row == 2);
}

TEST_CASE("a cursor that repeats is refused rather than followed forever", "[pages]") {
    ScriptedServer server({answer(200, "", {}, page({1}, "same"))});
    auto source = open_connector_source(request_to(server));
    std::vector<SourceRecord> records;
    CHECK(test::code_of([&] { read_all(*source, 10); }) == ExitCode::kUsage);
    CHECK(server.received().size() == 2);
}

TEST_CASE("hmac connectors are refused for pages", "[pages]") {
    // Refused before any request: no server is needed, and none is called.
    PageRequest request;
    request.connector.system_code = "ERP";
    request.connector.base_url = "http://127.0.0.1:9";
    request.connector.auth_method = "hmac";
    request.connector.secret_env = kTokenVariable;
    request.entity_type = "lead";
    CHECK(test::code_of([&] { open_connector_source(request); }) == ExitCode::kUsage);
    CHECK_THAT(message_of([&] { open_connector_source(request); }),
               Catch::Contains("hmac connectors sign POST bodies"));
}

TEST_CASE("api_key connectors send their key in their header", "[pages]") {
    ScriptedServer server({answer(200, "", {}, page({1}, ""))});
    PageRequest request = request_to(server);
    request.connector.auth_method = "api_key";
    request.connector.auth_header = "X-Erp-Key";
    auto source = open_connector_source(request);
    CHECK(read_all(*source, 10).size() == 1);
    std::vector<test::Received> received = server.received();
    REQUIRE(received.size() == 1);
    auto key = received[0].headers.find("X-Erp-Key");
    REQUIRE(key != received[0].headers.end());
    CHECK(key->second == kToken);
}
