// webhook serve on 127.0.0.1, driven by a real HTTP client (curl).
#include <csignal>

#include <catch2/catch.hpp>

#include "e2e/webhook/scripted_server.hpp"
#include "e2e/webhook/webhook_support.hpp"
#include "support/state_query.hpp"

using namespace salesint::test;

namespace {

struct Response {
    int status = 0;
    std::string headers;
};

// POSTs a file with headers through curl; returns the status and the headers.
Response post(const std::string& url, const std::string& body_file,
              const std::vector<std::string>& header_args, const TempDir& dir) {
    std::vector<std::string> argv{"/usr/bin/curl",
                                  "-s",
                                  "-o",
                                  "/dev/null",
                                  "-D",
                                  dir.file("response-headers"),
                                  "-w",
                                  "%{http_code}",
                                  "-X",
                                  "POST",
                                  "--data-binary",
                                  "@" + body_file};
    for (std::size_t i = 0; i + 1 < header_args.size(); i += 2) {
        argv.push_back("-H");
        argv.push_back(header_args[i + 1]);
    }
    argv.push_back(url);
    RunResult result = run_program(argv);
    return {result.out.empty() ? 0 : std::stoi(result.out),
            read_file(dir.file("response-headers"))};
}

std::string start(Background& server) {
    std::string line = server.read_line();
    REQUIRE_THAT(line, Catch::StartsWith("listening on http://127.0.0.1:"));
    return line.substr(std::string("listening on ").size()) + "/hooks";
}

}  // namespace

TEST_CASE("serve accepts, deduplicates and refuses deliveries as it should",
          "[e2e][webhook][serve][backends]") {
    SeededState seeded;
    Background server(
        {salesint_binary(), "--state", seeded.state(), "webhook", "serve", "--scheme", "standard",
         "--secret-env", "WEBHOOK_SECRET", "--listen", "127.0.0.1:0", "--max-body", "1KiB"},
        {"", secret_env(), ""});
    const std::string url = start(server);
    const TempDir& dir = seeded.dir();
    const std::string body = dir.file("body.json");
    write_file(body, R"({"orderId":"PX-TEST-001"})");
    const std::string now = unix_now();

    auto valid = signed_header_args("standard", body, now, "msg_accepted");
    CHECK(post(url, body, valid, dir).status == 202);
    CHECK(post(url, body, valid, dir).status == 200);  // duplicate: acknowledged, not stored again

    auto stale =
        signed_header_args("standard", body, std::to_string(std::stoll(now) - 3600), "msg_stale");
    CHECK(post(url, body, stale, dir).status == 401);

    write_file(dir.file("tampered.json"), R"({"orderId":"PX-TEST-002"})");
    CHECK(post(url, dir.file("tampered.json"), valid, dir).status == 401);

    CHECK(post(url, body, {"-H", "webhook-id: msg_no_signature"}, dir).status == 400);

    write_file(dir.file("big.json"), std::string(2048, 'x'));
    auto big = signed_header_args("standard", dir.file("big.json"), now, "msg_big");
    CHECK(post(url, dir.file("big.json"), big, dir).status == 413);

    server.signal(SIGTERM);
    RunResult stopped = server.wait();
    CHECK(stopped.exit_code == 0);  // a clean shutdown
    for (const char* line :
         {"202 accepted id=msg_accepted", "200 duplicate id=msg_accepted", "401 stale id=msg_stale",
          "401 invalid_signature", "400 malformed", "413 too_large", "received SIGTERM"}) {
        CHECK_THAT(stopped.err, Catch::Contains(line));
    }

    nlohmann::json inbox = seeded.run({"inbox", "list", "-o", "json"}).json();
    REQUIRE(inbox.size() == 1);
    CHECK(inbox[0]["delivery_id"] == "msg_accepted");
    CHECK(inbox[0]["scheme"] == "standard");
    CHECK(inbox[0]["verdict"] == "valid");
    nlohmann::json shown = seeded.run({"inbox", "show", "msg_accepted", "-o", "json"}).json();
    CHECK(shown["body"] == R"({"orderId":"PX-TEST-001"})");
    CHECK(shown["headers"]["webhook-id"] == "msg_accepted");
    CHECK(seeded.run({"inbox", "show", "msg_stale"}).exit_code == 3);
}

TEST_CASE("serve answers 429 over the rate limit, after a 150% burst",
          "[e2e][webhook][serve][backends]") {
    SeededState seeded;
    Background server({salesint_binary(), "--state", seeded.state(), "webhook", "serve", "--scheme",
                       "github", "--secret-env", "PLAIN_SECRET", "--listen", "127.0.0.1:0",
                       "--rate-limit", "4", "--max-requests", "8"},
                      {"", secret_env(), ""});
    const std::string url = start(server);
    const TempDir& dir = seeded.dir();
    std::vector<int> statuses;
    std::string last_headers;
    for (int i = 0; i < 8; ++i) {
        std::string body = dir.file("event-" + std::to_string(i) + ".json");
        write_file(body, "{\"n\":" + std::to_string(i) + "}");
        auto headers = signed_header_args("github", body, unix_now(), "", "PLAIN_SECRET");
        headers.insert(headers.end(), {"-H", "X-GitHub-Delivery: delivery-" + std::to_string(i)});
        Response response = post(url, body, headers, dir);
        statuses.push_back(response.status);
        last_headers = response.headers;
        if (i == 0) {
            CHECK_THAT(response.headers, Catch::Contains("X-RateLimit-Limit: 4") &&
                                             Catch::Contains("X-RateLimit-Remaining: 3") &&
                                             Catch::Contains("X-RateLimit-Reset: "));
        }
    }
    CHECK(statuses == std::vector<int>{202, 202, 202, 202, 202, 202, 429, 429});
    CHECK_THAT(last_headers,
               Catch::Contains("Retry-After: ") && Catch::Contains("X-RateLimit-Remaining: 0"));
    RunResult stopped = server.wait();  // --max-requests ends it
    CHECK(stopped.exit_code == 0);
    CHECK(seeded.run({"inbox", "list", "-o", "json"}).json().size() == 6);
}

TEST_CASE("serve forwards accepted deliveries and marks them processed",
          "[e2e][webhook][serve][backends]") {
    SeededState seeded;
    ScriptedServer downstream({answer(200)});
    Background server({salesint_binary(), "--state", seeded.state(), "webhook", "serve", "--scheme",
                       "fsm", "--secret-env", "PLAIN_SECRET", "--listen", "127.0.0.1:0",
                       "--forward", downstream.url(), "--max-requests", "2"},
                      {"", secret_env(), ""});
    const std::string url = start(server);
    const TempDir& dir = seeded.dir();
    const std::string body = dir.file("outcome.json");
    write_file(body, R"({"orderId":"PX-TEST-001","outcome":"COMPLETED"})");
    auto headers = signed_header_args("fsm", body, unix_now(), "", "PLAIN_SECRET");
    headers.insert(headers.end(), {"-H", "X-Correlation-ID: corr-1"});
    CHECK(post(url, body, headers, dir).status == 202);
    CHECK(post(url, body, headers, dir).status == 200);  // the duplicate is not forwarded again
    CHECK(server.wait().exit_code == 0);

    auto received = downstream.received();
    REQUIRE(received.size() == 1);
    CHECK(received[0].body == R"({"orderId":"PX-TEST-001","outcome":"COMPLETED"})");
    CHECK(received[0].headers.find("X-FSM-Signature") != received[0].headers.end());
    nlohmann::json inbox = seeded.run({"inbox", "list", "-o", "json"}).json();
    REQUIRE(inbox.size() == 1);
    CHECK(inbox[0]["delivery_id"] == "corr-1");
    CHECK(inbox[0]["processed_at"].is_string());
}

TEST_CASE("serve stores a rejected delivery, listed only as rejected, that verify can explain",
          "[e2e][webhook][serve][inbox][backends]") {
    SeededState seeded;
    Background server(
        {salesint_binary(), "--state", seeded.state(), "webhook", "serve", "--scheme", "standard",
         "--secret-env", "WEBHOOK_SECRET", "--listen", "127.0.0.1:0", "--max-requests", "3"},
        {"", secret_env(), ""});
    const std::string url = start(server);
    const TempDir& dir = seeded.dir();
    const std::string body = dir.file("body.json");
    write_file(body, R"({"orderId":"PX-TEST-001"})");
    auto headers = signed_header_args("standard", body, unix_now(), "msg_signed");
    write_file(dir.file("tampered.json"), R"({"orderId":"PX-TEST-002"})");
    CHECK(post(url, dir.file("tampered.json"), headers, dir).status == 401);
    CHECK(post(url, dir.file("tampered.json"), headers, dir).status == 401);  // stored once
    CHECK(post(url, body, headers, dir).status == 202);  // its id is still free
    CHECK(server.wait().exit_code == 0);

    nlohmann::json accepted = seeded.run({"inbox", "list", "-o", "json"}).json();
    REQUIRE(accepted.size() == 1);
    CHECK(accepted[0]["delivery_id"] == "msg_signed");
    nlohmann::json rejected =
        seeded.run({"inbox", "list", "--status", "rejected", "-o", "json"}).json();
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0]["verdict"] == "rejected");
    CHECK(rejected[0]["reason"] == "invalid_signature: the signature does not match");
    CHECK_THAT(rejected[0]["delivery_id"].get<std::string>(), Catch::StartsWith("r_"));
    CHECK(seeded.run({"inbox", "list", "--status", "all", "-o", "json"}).json().size() == 2);
    CHECK(seeded.run({"inbox", "list", "--status", "unprocessed", "-o", "json"}).json().size() ==
          1);

    const std::string id = std::to_string(rejected[0]["id"].get<long long>());
    RunResult shown = seeded.run({"inbox", "show", id});
    CHECK_THAT(shown.out, Catch::Contains("invalid_signature"));
    CHECK_THAT(shown.out, Catch::Contains("explain: salesint webhook verify --scheme standard"));
    CHECK(seeded.run({"inbox", "forward", id, "--to", "http://127.0.0.1:1/"}).exit_code == 4);

    // What the hint does: the stored body and headers, fed to verify --explain.
    write_file(dir.file("stored-body"), seeded.run({"inbox", "show", id, "--body"}).out);
    write_file(dir.file("stored-headers"), seeded.run({"inbox", "show", id, "--headers"}).out);
    CHECK(read_file(dir.file("stored-body")) == R"({"orderId":"PX-TEST-002"})");
    RunResult explained = run_salesint(
        {"webhook", "verify", "--scheme", "standard", "--secret-env", "WEBHOOK_SECRET", "--payload",
         dir.file("stored-body"), "--headers", dir.file("stored-headers"), "--explain"},
        {"", secret_env(), ""});
    CHECK(explained.exit_code == 1);
    CHECK_THAT(explained.out, Catch::Contains("does not match"));
    CHECK_THAT(explained.out, Catch::EndsWith("invalid: signature_mismatch\n"));
    CHECK(shown.out.find(kSecret) == std::string::npos);
}

TEST_CASE("serve records each forward, and a failed one waits in the inbox",
          "[e2e][webhook][serve][inbox][backends]") {
    SeededState seeded;
    ScriptedServer downstream({answer(200), answer(503)});
    Background server({salesint_binary(), "--state", seeded.state(), "webhook", "serve", "--scheme",
                       "fsm", "--secret-env", "PLAIN_SECRET", "--listen", "127.0.0.1:0",
                       "--forward", downstream.url(), "--max-requests", "2"},
                      {"", secret_env(), ""});
    const std::string url = start(server);
    const TempDir& dir = seeded.dir();
    for (const char* id : {"corr-1", "corr-2"}) {
        const std::string body = dir.file(std::string(id) + ".json");
        write_file(body, std::string(R"({"orderId":")") + id + "\"}");
        auto headers = signed_header_args("fsm", body, unix_now(), "", "PLAIN_SECRET");
        headers.insert(headers.end(), {"-H", std::string("X-Correlation-ID: ") + id});
        CHECK(post(url, body, headers, dir).status == 202);  // answered after storing
    }
    RunResult stopped = server.wait();
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.err, Catch::Contains("forward of corr-2") && Catch::Contains("inbox drain"));

    nlohmann::json waiting =
        seeded.run({"inbox", "list", "--status", "unprocessed", "-o", "json"}).json();
    REQUIRE(waiting.size() == 1);
    CHECK(waiting[0]["delivery_id"] == "corr-2");
    CHECK(waiting[0]["forward_attempts"] == 1);
    CHECK_THAT(waiting[0]["forward_error"].get<std::string>(), Catch::Contains("HTTP 503"));

    std::vector<std::string> seen;
    for (const auto& row : state_query(seeded.state(),
                                       "SELECT delivery_id, source, outcome, "
                                       "http_status FROM webhook_deliveries "
                                       "ORDER BY id")) {
        seen.push_back(text_of(row[0]) + " " + text_of(row[1]) + " " + text_of(row[2]) + " " +
                       text_of(row[3]));
    }
    CHECK(seen ==
          std::vector<std::string>{"corr-1 forward delivered 200", "corr-2 forward exhausted 503"});
}
