// What webhook sign and verify print: deterministic headers, the verdict
// object, and --explain's account of what was checked.
#include <catch2/catch.hpp>

#include "e2e/webhook/webhook_support.hpp"

using namespace salesint::test;

TEST_CASE("webhook sign is deterministic with --timestamp and --id", "[e2e][output][webhook]") {
    TempDir dir;
    write_file(dir.file("p.json"), "{\"a\":1}");
    std::vector<std::string> args{"webhook",      "sign",
                                  "--scheme",     "standard",
                                  "--secret-env", "WEBHOOK_SECRET",
                                  "--payload",    dir.file("p.json"),
                                  "--timestamp",  "2026-01-01T00:00:00Z",
                                  "--id",         "msg_fixed",
                                  "-o",           "json"};
    RunResult first = run_salesint(args, {"", secret_env(), ""});
    RunResult second = run_salesint(args, {"", secret_env(), ""});
    CHECK(first.out == second.out);
    nlohmann::json headers = first.json();
    CHECK(headers["webhook-id"] == "msg_fixed");
    CHECK(headers["webhook-timestamp"] == "1767225600");
    // What standardwebhooks' sign() gives for the same secret, id, time and body.
    CHECK(headers["webhook-signature"] == "v1,3vGFe2kOBzcWG1oP1KjbGvE30P0rpYIEL7PI8k2squQ=");

    RunResult fsm =
        run_salesint({"webhook", "sign", "--scheme", "fsm", "--secret-env", "PLAIN_SECRET",
                      "--payload", dir.file("p.json"), "--timestamp", "1767225600"},
                     {"", secret_env(), ""});
    CHECK_THAT(fsm.out, Catch::EndsWith("X-FSM-Timestamp: 2026-01-01T00:00:00.000Z\n"));
    CHECK_THAT(fsm.out, Catch::StartsWith("X-FSM-Signature: "));
}

TEST_CASE("webhook verify -o json has every documented field", "[e2e][output][webhook]") {
    TempDir dir;
    write_file(dir.file("p.json"), "{\"a\":1}");
    auto headers = signed_header_args("stripe", dir.file("p.json"), "1767225600", "unused");
    std::vector<std::string> args{"webhook",      "verify",
                                  "--scheme",     "stripe",
                                  "--secret-env", "PLAIN_SECRET",
                                  "--secret-env", "WEBHOOK_SECRET",
                                  "--payload",    dir.file("p.json"),
                                  "--now",        "1767225642",
                                  "-o",           "json"};
    args.insert(args.end(), headers.begin(), headers.end());
    nlohmann::json verdict = run_salesint(args, {"", secret_env(), ""}).json();
    CHECK(verdict["valid"] == true);
    CHECK(verdict["reason"].is_null());
    CHECK(verdict["scheme"] == "stripe");
    CHECK(verdict["matched_secret_index"] == 1);  // rotation: the second secret matched
    CHECK(verdict["timestamp_skew_seconds"] == 42);
    CHECK(verdict["delivery_id"].get<std::string>().rfind("sig-", 0) == 0);
    CHECK_FALSE(verdict.contains("explanation"));
}

TEST_CASE("explain says what was checked and finds the usual mistakes", "[e2e][output][webhook]") {
    TempDir dir;
    write_file(dir.file("sent.json"), "{\"a\":1}");
    write_file(dir.file("saved.json"), "{\n  \"a\": 1\n}\n");  // pretty-printed, newline added
    auto headers =
        signed_header_args("fsm", dir.file("sent.json"), unix_now(), "x", "PLAIN_SECRET");
    std::vector<std::string> args{
        "webhook",        "verify",       "--scheme",     "fsm",       "--secret-env",
        "WEBHOOK_SECRET", "--secret-env", "PLAIN_SECRET", "--payload", dir.file("saved.json"),
        "--explain"};
    args.insert(args.end(), headers.begin(), headers.end());
    RunResult explained = run_salesint(args, {"", secret_env(), ""});
    CHECK(explained.exit_code == 1);
    CHECK_THAT(explained.out, Catch::Contains("fsm does not sign the timestamp"));
    CHECK_THAT(explained.out, Catch::Contains("secret #1 (env WEBHOOK_SECRET): does not match"));
    CHECK_THAT(explained.out, Catch::Contains("secret #2 (env PLAIN_SECRET): does not match"));
    CHECK_THAT(explained.out, Catch::Contains("ends with a newline"));
    CHECK_THAT(explained.out, Catch::Contains("as compact JSON"));
    CHECK_THAT(explained.out, Catch::EndsWith("invalid: signature_mismatch\n"));

    // A whsec_ key used raw by the sender (signature computed with Node's
    // crypto over "m.1767225600.{}" keyed by the whole whsec_ string).
    write_file(dir.file("raw.json"), "{}");
    RunResult raw =
        run_salesint({"webhook", "verify", "--scheme", "standard", "--secret-env", "WEBHOOK_SECRET",
                      "--payload", dir.file("raw.json"), "--explain", "--now", "1767225600", "-H",
                      "webhook-id: m", "-H", "webhook-timestamp: 1767225600", "-H",
                      "webhook-signature: v1,ElOR+9gp79uVj0n98K+yxXUCdM0B6JUkaBsdtbY8vYo="},
                     {"", secret_env(), ""});
    CHECK(raw.exit_code == 1);
    CHECK_THAT(raw.out,
               Catch::Contains("used raw: the sender did not base64-decode the whsec_ key"));

    // Milliseconds where seconds belong.
    RunResult millis =
        run_salesint({"webhook", "verify", "--scheme", "standard", "--secret-env", "WEBHOOK_SECRET",
                      "--payload", dir.file("raw.json"), "--explain", "-H", "webhook-id: m", "-H",
                      "webhook-timestamp: 1767225600000", "-H", "webhook-signature: v1,AAAA"},
                     {"", secret_env(), ""});
    CHECK_THAT(millis.out, Catch::Contains("looks like milliseconds"));
    CHECK(millis.out.find(kSecret) == std::string::npos);
}
