// webhook verify's exit codes: 0 valid, 1 invalid (with a stable reason),
// 2 for input that cannot be read or flags that make no sense.
#include <catch2/catch.hpp>

#include <sstream>

#include "e2e/webhook/webhook_support.hpp"

using namespace salesint::test;

namespace {

RunResult verify(const std::vector<std::string>& args) {
    std::vector<std::string> all{"webhook", "verify"};
    all.insert(all.end(), args.begin(), args.end());
    return run_salesint(all, {"", secret_env(), ""});
}

}  // namespace

TEST_CASE("webhook verify exits 0, 1 or 2 and names the reason", "[e2e][exit_code][webhook]") {
    TempDir dir;
    const std::string payload = dir.file("payload.json");
    write_file(payload, R"({"orderId":"PX-TEST-001"})");
    const std::string now = unix_now();
    auto headers = signed_header_args("standard", payload, now, "msg_exit");
    auto with = [&](std::vector<std::string> args) {
        args.insert(args.end(), headers.begin(), headers.end());
        return args;
    };

    RunResult valid = verify(
        with({"--scheme", "standard", "--secret-env", "WEBHOOK_SECRET", "--payload", payload}));
    CHECK(valid.exit_code == 0);
    CHECK(valid.out == "valid\n");

    write_file(dir.file("changed.json"), R"({"orderId":"PX-TEST-002"})");
    RunResult changed = verify(with({"--scheme", "standard", "--secret-env", "WEBHOOK_SECRET",
                                     "--payload", dir.file("changed.json")}));
    CHECK(changed.exit_code == 1);
    CHECK(changed.out == "invalid: signature_mismatch\n");

    // A secret source that gives nothing is a usage error, not a verdict
    // (webhook/secrets_missing_test.cpp covers every command).
    RunResult unset = verify(
        with({"--scheme", "standard", "--secret-env", "NOT_SET_ANYWHERE", "--payload", payload}));
    CHECK(unset.exit_code == 2);
    CHECK(unset.out.empty());

    RunResult missing = verify({"--scheme", "standard", "--secret-env", "WEBHOOK_SECRET",
                                "--payload", payload, "-H", "webhook-id: msg_exit"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.out == "invalid: missing_header\n");

    RunResult malformed = verify({"--scheme", "stripe", "--secret-env", "WEBHOOK_SECRET",
                                  "--payload", payload, "-H", "Stripe-Signature: v1=abc"});
    CHECK(malformed.exit_code == 1);
    CHECK(malformed.out == "invalid: malformed_header\n");

    std::string old = std::to_string(std::stoll(now) - 3600);
    auto stale_headers = signed_header_args("standard", payload, old, "msg_old");
    std::vector<std::string> stale_args{"--scheme",       "standard",  "--secret-env",
                                        "WEBHOOK_SECRET", "--payload", payload};
    stale_args.insert(stale_args.end(), stale_headers.begin(), stale_headers.end());
    RunResult stale = verify(stale_args);
    CHECK(stale.exit_code == 1);
    CHECK(stale.out == "invalid: timestamp_outside_tolerance\n");
    stale_args.insert(stale_args.end(), {"--tolerance", "0"});
    CHECK(verify(stale_args).exit_code == 0);  // 0 disables the time check
    stale_args.insert(stale_args.end(), {"--now", old});
    CHECK(verify(stale_args).exit_code == 0);

    // Usage: unreadable payload, no secret source, unknown scheme, a header without a colon.
    for (const auto& args : std::vector<std::vector<std::string>>{
             with({"--scheme", "standard", "--secret-env", "WEBHOOK_SECRET", "--payload",
                   dir.file("nope")}),
             with({"--scheme", "standard", "--payload", payload}),
             with({"--scheme", "sha1", "--secret-env", "WEBHOOK_SECRET", "--payload", payload}),
             {"--scheme", "standard", "--secret-env", "WEBHOOK_SECRET", "--payload", payload, "-H",
              "bogus"},
             with({"--scheme", "standard", "--secret-env", "WEBHOOK_SECRET", "--payload", payload,
                   "--now", "soon"}),
         }) {
        RunResult usage = verify(args);
        INFO(usage.err);
        CHECK(usage.exit_code == 2);
        CHECK_THAT(usage.err, Catch::StartsWith("salesint: error: "));
    }
}

TEST_CASE("webhook verify reads a raw header block copied from a log",
          "[e2e][exit_code][webhook]") {
    TempDir dir;
    const std::string payload = dir.file("payload.json");
    write_file(payload, "{\"event\":\"installation.completed\"}");
    RunResult sign = run_salesint({"webhook", "sign", "--scheme", "github", "--secret-env",
                                   "PLAIN_SECRET", "--payload", payload},
                                  {"", secret_env(), ""});
    REQUIRE(sign.exit_code == 0);
    std::string block = "POST /hooks HTTP/1.1\r\nHost: example.com\r\nx-hub-signature-256: " +
                        sign.out.substr(sign.out.find(": ") + 2, 71) +
                        "\r\nX-GitHub-Delivery: 72d3162e\r\n\r\n{\"ignored\": \"body\"}";
    write_file(dir.file("headers.txt"), block);
    RunResult verdict =
        run_salesint({"webhook", "verify", "--scheme", "github", "--secret-env", "PLAIN_SECRET",
                      "--payload", payload, "--headers", dir.file("headers.txt"), "-o", "json"},
                     {"", secret_env(), ""});
    INFO(verdict.err);
    CHECK(verdict.exit_code == 0);
    CHECK(verdict.json()["delivery_id"] == "72d3162e");
}
