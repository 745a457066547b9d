// Every command that touches a secret, run with -v: the secret's value must
// not appear in stdout, stderr, or any byte of the state file.
#include <csignal>
#include <filesystem>

#include <catch2/catch.hpp>

#include "e2e/webhook/scripted_server.hpp"
#include "e2e/webhook/webhook_support.hpp"

using namespace salesint::test;

TEST_CASE("secrets never reach output, logs or the state file", "[e2e][webhook][secrets]") {
    SeededState seeded;
    const TempDir& dir = seeded.dir();
    const std::string body = dir.file("body.json");
    write_file(body, R"({"orderId":"PX-TEST-001"})");
    write_file(dir.file("secret.txt"), std::string(kPlainSecret) + "\n");
    std::string everything;
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "-v");
        RunResult result = seeded.run(args, {"", secret_env(), ""});
        everything += result.out + result.err;
        return result;
    };

    for (const char* scheme : {"fsm", "standard", "stripe", "github"}) {
        const char* env = std::string(scheme) == "standard" ? "WEBHOOK_SECRET" : "PLAIN_SECRET";
        RunResult signed_headers =
            run({"webhook", "sign", "--scheme", scheme, "--secret-env", env, "--payload", body});
        REQUIRE(signed_headers.exit_code == 0);
        auto verify = [&](const std::string& payload, std::vector<std::string> extra) {
            std::vector<std::string> args{"webhook",       "verify",
                                          "--scheme",      scheme,
                                          "--secret-env",  env,
                                          "--secret-file", dir.file("secret.txt"),
                                          "--secret",      "local-try-value",
                                          "--payload",     payload,
                                          "--explain"};
            std::istringstream lines(signed_headers.out);
            for (std::string line; std::getline(lines, line);) {
                args.insert(args.end(), {"-H", line});
            }
            args.insert(args.end(), extra.begin(), extra.end());
            return run(args).exit_code;
        };
        CHECK(verify(body, {}) == 0);
        write_file(dir.file("other.json"), "{}\n");
        CHECK(verify(dir.file("other.json"), {"-o", "json"}) == 1);  // the hints try every secret
    }

    ScriptedServer accepting({answer(200)});
    CHECK(run({"webhook", "send", "--url", accepting.url(), "--scheme", "standard", "--secret-env",
               "WEBHOOK_SECRET", "--payload", body})
              .exit_code == 0);
    ScriptedServer failing({answer(500)});
    CHECK(
        run({"webhook", "send", "--url", failing.url(), "--scheme", "stripe", "--secret-file",
             dir.file("secret.txt"), "--payload", body, "--max-attempts", "2", "--backoff", "10ms"})
            .exit_code == 5);

    Background server(
        {salesint_binary(), "-v", "--state", seeded.state(), "webhook", "serve", "--scheme", "fsm",
         "--secret-env", "PLAIN_SECRET", "--listen", "127.0.0.1:0", "--max-requests", "1"},
        {"", secret_env(), ""});
    std::string url = server.read_line().substr(std::string("listening on ").size());
    std::vector<std::string> curl{"/usr/bin/curl", "-s", "-X", "POST", "--data-binary", "@" + body};
    RunResult fsm_headers = run(
        {"webhook", "sign", "--scheme", "fsm", "--secret-env", "PLAIN_SECRET", "--payload", body});
    std::istringstream lines(fsm_headers.out);
    for (std::string line; std::getline(lines, line);) {
        curl.insert(curl.end(), {"-H", line});
    }
    curl.push_back(url + "/hooks");
    everything += run_program(curl).out;
    RunResult served = server.wait();
    everything += served.out + served.err;

    // execute --live signs installation outcomes with the connector's secret.
    ScriptedServer pyxis({answer(200), answer(503)});
    run({"connector", "set", "PYXIS", "--base-url", pyxis.url(), "--secret-env", "PLAIN_SECRET"});
    const std::string outcome = fixtures_dir() + "/execute/installation-outcome.json";
    CHECK(run({"execute", "fsm.installation_outcome.notify.v1", "--input", outcome, "--live", "-o",
               "json"})
              .exit_code == 0);
    CHECK(run({"execute", "fsm.installation_outcome.notify.v1", "--input", outcome, "--live",
               "--message-id", "again", "--max-attempts", "2", "--backoff", "10ms"})
              .exit_code == 5);  // dead-lettered, headers kept without the signature

    run({"connector", "add", "ERP", "--secret-env", "ERP_TOKEN", "--base-url",
         "https://erp.example.com"});
    run({"inbox", "list"});
    run({"state", "info"});

    CHECK_THAT(everything, Catch::Contains("secret #1 (env PLAIN_SECRET)"));  // sources are named
    CHECK(everything.find(kSecret) == std::string::npos);
    CHECK(everything.find(kPlainSecret) == std::string::npos);
    CHECK(everything.find("local-try-value") == std::string::npos);
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        if (entry.path().string().rfind(seeded.state(), 0) == 0) {  // state.db, -wal, -shm
            std::string bytes = read_file(entry.path().string());
            INFO(entry.path());
            CHECK(bytes.find(kSecret) == std::string::npos);
            CHECK(bytes.find(kPlainSecret) == std::string::npos);
        }
    }
}
