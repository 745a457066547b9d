// salesint health against real HTTP servers on 127.0.0.1 started by the test:
// exit 0 when every check is healthy, 1 when one is unhealthy (a 503, a 404,
// a missing secret, a missing or damaged state file), 5 when one is
// unreachable (nothing listens, no answer in time) and 5 over 1; the path
// requested, queries never shown, secrets never read into the output; 3 for
// an unknown --connector; the JSON shape.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <fstream>

#include "e2e/output_shapes.hpp"
#include "e2e/webhook/scripted_server.hpp"
#include "support/run.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kToken = "tok-health-5e4d3c2b1a";

// A state file with the connectors a test adds, run through the real binary.
class HealthState {
  public:
    RunResult run(std::vector<std::string> args,
                  const std::map<std::string, std::string>& env = {}) const {
        args.insert(args.begin(), {"--state", dir_.state()});
        RunOptions options{"", env, ""};
        options.env.emplace("USER", "tester");
        return run_salesint(args, options);
    }
    void add(const std::vector<std::string>& args) const {
        std::vector<std::string> full{"connector", "add"};
        full.insert(full.end(), args.begin(), args.end());
        RunResult result = run(full);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
    }
    const TempDir& dir() const { return dir_; }

  private:
    TempDir dir_;
};

// An origin nothing listens on: a port the kernel gave a socket that is
// closed again without listening.
std::string dead_origin() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    REQUIRE(bound);
    return "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t end = text.find('\n'); end != std::string::npos;
         start = end + 1, end = text.find('\n', start)) {
        out.push_back(text.substr(start, end - start));
    }
    return out;
}

bool exists(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0;
}

}  // namespace

TEST_CASE("health: a connector that answers 200 is healthy, at the path requested",
          "[e2e][health][backends]") {
    HealthState state;
    ScriptedServer server({answer(200)});
    state.add({"ERP", "--base-url", server.origin() + "/api", "--health-path", "/health"});
    RunResult result = state.run({"health"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    const auto shown = lines(result.out);
    REQUIRE(shown.size() == 3);
    CHECK_THAT(shown[0], Catch::StartsWith("ok    state          " + state.dir().state() +
                                           " (quick_check ok, schema "));
    CHECK_THAT(shown[1], Catch::StartsWith("ok    connector ERP  HTTP 200 in ") &&
                             Catch::EndsWith(" ms (GET " + server.origin() + "/api/health)"));
    CHECK(shown[2] == "healthy: 2 of 2 checks ok");
    auto received = server.received();
    REQUIRE(received.size() == 1);
    CHECK(received[0].method == "GET");
    CHECK(received[0].target == "/api/health");
    CHECK(received[0].body.empty());
}

TEST_CASE("health: without a health path the base URL itself is asked", "[e2e][health][backends]") {
    HealthState state;
    ScriptedServer server({answer(204)});
    state.add({"ERP", "--base-url", server.origin() + "/status"});
    CHECK(state.run({"health"}).exit_code == 0);
    auto received = server.received();
    REQUIRE(received.size() == 1);
    CHECK(received[0].target == "/status");
}

TEST_CASE("health: a 503 is unhealthy (exit 1), a 4xx answers but refuses",
          "[e2e][health][backends]") {
    HealthState state;
    ScriptedServer failing({answer(503)});
    ScriptedServer refusing({answer(404)});
    state.add({"ERP", "--base-url", failing.origin(), "--health-path", "/health"});
    state.add({"FSM", "--base-url", refusing.origin(), "--health-path", "/healthz"});
    RunResult result = state.run({"health"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.empty());
    CHECK_THAT(result.out, Catch::Contains("FAIL  connector ERP  HTTP 503 in "));
    CHECK_THAT(result.out, Catch::Contains("FAIL  connector FSM  HTTP 404 in ") &&
                               Catch::Contains(" ms: answers but refuses (GET "));
    CHECK_THAT(result.out, Catch::EndsWith("unhealthy: 1 of 3 checks ok, 2 unhealthy\n"));
}

TEST_CASE("health: a connector nothing listens for is unreachable (exit 5), worse than a 503",
          "[e2e][health][backends]") {
    HealthState state;
    state.add({"ERP", "--base-url", dead_origin(), "--health-path", "/health"});
    RunResult dead = state.run({"health"});
    INFO(dead.out << dead.err);
    CHECK(dead.exit_code == 5);
    CHECK_THAT(dead.out, Catch::Contains("DOWN  connector ERP  no answer after "));
    CHECK_THAT(dead.out, Catch::EndsWith("unreachable: 1 of 2 checks ok, 1 unreachable\n"));

    ScriptedServer failing({answer(503)});
    state.add({"FSM", "--base-url", failing.origin()});
    RunResult both = state.run({"health"});
    INFO(both.out << both.err);
    CHECK(both.exit_code == 5);
    CHECK_THAT(both.out,
               Catch::EndsWith("unreachable: 1 of 3 checks ok, 1 unhealthy, 1 unreachable\n"));
}

TEST_CASE("health: no answer within --timeout is unreachable", "[e2e][health][backends]") {
    HealthState state;
    ScriptedServer slow({answer(200, "", 3000ms)});
    state.add({"ERP", "--base-url", slow.origin()});
    const auto started = std::chrono::steady_clock::now();
    RunResult result = state.run({"health", "--timeout", "300ms"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 5);
    CHECK_THAT(result.out, Catch::Contains("DOWN  connector ERP  no answer within 300 ms (GET "));
    CHECK(std::chrono::steady_clock::now() - started < 2500ms);

    RunResult bad = state.run({"health", "--timeout", "soon"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("--timeout: 'soon' is not a duration"));
}

TEST_CASE("health: a missing secret is unhealthy, naming its source and never a value",
          "[e2e][health][backends]") {
    HealthState state;
    ScriptedServer server({answer(200)});
    state.add({"ERP", "--base-url", server.origin(), "--auth-method", "bearer", "--secret-env",
               "ERP_TOKEN"});
    RunResult unset = state.run({"health"});
    INFO(unset.out << unset.err);
    CHECK(unset.exit_code == 1);
    CHECK_THAT(unset.out, Catch::Contains("ok    connector ERP  HTTP 200"));
    CHECK_THAT(unset.out,
               Catch::Contains("FAIL  secret ERP     environment variable ERP_TOKEN is not set"));

    RunResult empty = state.run({"health"}, {{"ERP_TOKEN", ""}});
    CHECK(empty.exit_code == 1);
    CHECK_THAT(empty.out, Catch::Contains("environment variable ERP_TOKEN is empty"));

    RunResult set = state.run({"health", "-o", "json"}, {{"ERP_TOKEN", kToken}});
    INFO(set.out << set.err);
    CHECK(set.exit_code == 0);
    CHECK(set.out.find(kToken) == std::string::npos);
    CHECK(set.err.find(kToken) == std::string::npos);
    CHECK(set.json()["checks"][2]["detail"] ==
          "environment variable ERP_TOKEN is set (auth_method bearer)");
    // The health GET carries no credentials.
    for (const Received& received : server.received()) {
        CHECK(received.headers.count("Authorization") == 0);
    }
}

TEST_CASE("health: a secret file must be readable and not empty, and is not shown",
          "[e2e][health][backends]") {
    HealthState state;
    const std::string secret = state.dir().file("erp.secret");
    state.add({"ERP", "--auth-method", "api_key", "--secret-file", secret});
    RunResult missing = state.run({"health"});
    INFO(missing.out << missing.err);
    CHECK(missing.exit_code == 1);
    CHECK_THAT(missing.out, Catch::Contains("FAIL  secret ERP  file " + secret +
                                            " cannot be read: No such file or directory"));

    write_file(secret, "");
    CHECK_THAT(state.run({"health"}).out, Catch::Contains("file " + secret + " is empty"));

    write_file(secret, std::string(kToken) + "\n");
    ::chmod(secret.c_str(), 0600);
    RunResult readable = state.run({"health"});
    INFO(readable.out << readable.err);
    CHECK(readable.exit_code == 0);
    CHECK_THAT(readable.out, Catch::Contains("ok    secret ERP  file " + secret + " is readable"));
    CHECK(readable.out.find(kToken) == std::string::npos);
}

TEST_CASE("health: --connector checks one connector, and an unknown one exits 3",
          "[e2e][health][backends]") {
    HealthState state;
    ScriptedServer server({answer(200)});
    state.add({"ERP", "--base-url", server.origin()});
    state.add({"FSM", "--base-url", dead_origin()});
    RunResult one = state.run({"health", "--connector", "erp"});
    INFO(one.out << one.err);
    CHECK(one.exit_code == 0);
    CHECK(one.out.find("FSM") == std::string::npos);
    CHECK(state.run({"health"}).exit_code == 5);

    RunResult unknown = state.run({"health", "--connector", "NOPE"});
    CHECK(unknown.exit_code == 3);
    CHECK(unknown.out.empty());
    CHECK(unknown.err ==
          "salesint: error: connector NOPE not found in tenant 'default' (add it "
          "with 'salesint connector add NOPE')\n");
}

TEST_CASE("health: a disabled connector is not checked", "[e2e][health][backends]") {
    HealthState state;
    state.add({"FSM", "--base-url", dead_origin(), "--auth-method", "bearer", "--secret-env",
               "FSM_TOKEN"});
    REQUIRE(state.run({"connector", "disable", "FSM"}).exit_code == 0);
    RunResult result = state.run({"health"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("FSM") == std::string::npos);

    RunResult named = state.run({"health", "--connector", "FSM"});
    CHECK(named.exit_code == 0);
    CHECK_THAT(named.err, Catch::Contains("connector FSM is disabled: not checked"));
}

TEST_CASE("health: a URL's query is sent but never printed", "[e2e][health][backends]") {
    HealthState state;
    ScriptedServer server({answer(503)});
    state.add({"ERP", "--base-url", server.origin() + "/api?region=eu", "--health-path",
               "/health?deep=1"});
    for (const char* format : {"text", "json", "csv"}) {
        RunResult result = state.run({"health", "-o", format});
        INFO(format << ": " << result.out << result.err);
        CHECK(result.exit_code == 1);
        CHECK(result.out.find("region") == std::string::npos);
        CHECK(result.out.find("deep") == std::string::npos);
        CHECK(result.err.find("region") == std::string::npos);
    }
    auto received = server.received();
    REQUIRE_FALSE(received.empty());
    CHECK(received[0].target == "/api/health?region=eu&deep=1");
}

TEST_CASE("health: -o json shape", "[e2e][health][backends]") {
    HealthState state;
    ScriptedServer server({answer(503)});
    state.add({"ERP", "--base-url", server.origin(), "--health-path", "/health", "--auth-method",
               "hmac", "--secret-env", "ERP_SECRET"});
    RunResult result = state.run({"health", "-o", "json"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    const nlohmann::json report = result.json();
    // Printed in this order; parsed, the keys come sorted.
    CHECK(result.out.find("\"status\"") < result.out.find("\"checked_at\""));
    CHECK(result.out.find("\"checked_at\"") < result.out.find("\"checks\""));
    std::vector<std::string> keys;
    for (const auto& [key, value] : report.items()) {
        keys.push_back(key);
    }
    CHECK(keys == std::vector<std::string>{"checked_at", "checks", "status"});
    CHECK(report["status"] == "unhealthy");
    CHECK(is_time(report["checked_at"]));
    REQUIRE(report["checks"].size() == 3);
    for (const auto& check : report["checks"]) {
        std::vector<std::string> check_keys;
        for (const auto& [key, value] : check.items()) {
            check_keys.push_back(key);
        }
        CHECK(check_keys == std::vector<std::string>{"detail", "http_status", "kind", "latency_ms",
                                                     "name", "status"});
    }
    const auto& state_check = report["checks"][0];
    CHECK(state_check["name"] == "state");
    CHECK(state_check["kind"] == "state");
    CHECK(state_check["status"] == "healthy");
    CHECK(state_check["latency_ms"].is_null());
    CHECK(state_check["http_status"].is_null());
    const auto& connector = report["checks"][1];
    CHECK(connector["name"] == "ERP");
    CHECK(connector["kind"] == "connector");
    CHECK(connector["status"] == "unhealthy");
    CHECK(connector["http_status"] == 503);
    CHECK(connector["latency_ms"].is_number_integer());
    CHECK(connector["latency_ms"].get<long long>() >= 0);
    const auto& secret = report["checks"][2];
    CHECK(secret["name"] == "ERP");
    CHECK(secret["kind"] == "secret");
    CHECK(secret["status"] == "unhealthy");
    CHECK(secret["latency_ms"].is_null());
    CHECK_THAT(secret["detail"].get<std::string>(),
               Catch::StartsWith("environment variable ERP_SECRET is not set"));

    RunResult dead = [&] {
        HealthState other;
        other.add({"ERP", "--base-url", dead_origin()});
        return other.run({"health", "-o", "json"});
    }();
    CHECK(dead.exit_code == 5);
    CHECK(dead.json()["status"] == "unreachable");
    CHECK(dead.json()["checks"][1]["status"] == "unreachable");
    CHECK(dead.json()["checks"][1]["http_status"].is_null());

    RunResult csv = state.run({"health", "-o", "csv"});
    CHECK(csv.exit_code == 1);
    CHECK_THAT(csv.out, Catch::StartsWith("name,kind,status,latency_ms,http_status,detail\r\n"));
    CHECK(lines(csv.out).size() == 4);
}

TEST_CASE("health: a missing state file is unhealthy and not created, a damaged one too",
          "[e2e][health]") {
    TempDir dir;
    const std::string missing = dir.file("missing.db");
    RunResult result = run_salesint({"--state", missing, "health"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.out, Catch::StartsWith("FAIL  state  " + missing + ": no state file ("));
    CHECK_FALSE(exists(missing));
    // Without a state file no connector can be named, known or not.
    CHECK(run_salesint({"--state", missing, "health", "--connector", "ERP"}).exit_code == 1);
    CHECK_FALSE(exists(missing));

    HealthState state;
    state.add({"ERP"});
    {
        std::fstream file(state.dir().state(), std::ios::in | std::ios::out | std::ios::binary);
        file.write("not SQLite, no!", 15);
    }
    RunResult damaged = state.run({"health", "-o", "json"});
    INFO(damaged.out << damaged.err);
    CHECK(damaged.exit_code == 1);
    REQUIRE(damaged.json()["checks"].size() == 1);
    CHECK(damaged.json()["checks"][0]["detail"] ==
          state.dir().state() + " (quick_check failed: file is not a database)");
}
