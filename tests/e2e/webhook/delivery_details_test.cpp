// Two details of deliveries as they travel: the --explain hint for a body
// re-serialised by a parser (which keeps the keys in the order it read them),
// and GitHub deliveries told apart by X-GitHub-Delivery, from `webhook send`
// to `webhook serve`.
#include <catch2/catch.hpp>

#include "e2e/webhook/webhook_support.hpp"

using namespace salesint::test;

namespace {

RunResult explain(const TempDir& dir, const std::string& signed_body,
                  const std::string& received_body) {
    write_file(dir.file("signed.json"), signed_body);
    write_file(dir.file("received.json"), received_body);
    auto headers =
        signed_header_args("github", dir.file("signed.json"), unix_now(), "d-1", "PLAIN_SECRET");
    std::vector<std::string> args{
        "webhook",      "verify",       "--scheme",  "github",
        "--secret-env", "PLAIN_SECRET", "--payload", dir.file("received.json"),
        "--explain"};
    args.insert(args.end(), headers.begin(), headers.end());
    return run_salesint(args, {"", secret_env(), ""});
}

std::string start(Background& server) {
    std::string line = server.read_line();
    REQUIRE_THAT(line, Catch::StartsWith("listening on http://127.0.0.1:"));
    return line.substr(std::string("listening on ").size()) + "/hooks";
}

}  // namespace

TEST_CASE("explain finds a body re-serialised with its keys in the order sent",
          "[e2e][webhook][explain]") {
    TempDir dir;
    // Signed compact, keys not in alphabetical order; saved pretty-printed by
    // a tool that kept their order (JSON.parse then JSON.stringify(v, null, 2)).
    RunResult kept = explain(dir, R"({"orderId":"PX-1","amount":12,"items":[{"sku":"B","qty":1}]})",
                             "{\n  \"orderId\": \"PX-1\",\n  \"amount\": 12,\n  \"items\": [\n    "
                             "{\n      \"sku\": \"B\",\n      \"qty\": 1\n    }\n  ]\n}");
    CHECK(kept.exit_code == 1);
    CHECK_THAT(kept.out, Catch::Contains("hint: the signature matches the payload as compact JSON: "
                                         "the body was pretty-printed or re-serialised after it "
                                         "was signed; verify the raw bytes"));
    // The other way round: signed pretty-printed, saved compact.
    RunResult indented = explain(dir, "{\n  \"orderId\": \"PX-1\",\n  \"amount\": 12\n}",
                                 R"({"orderId":"PX-1","amount":12})");
    CHECK(indented.exit_code == 1);
    CHECK_THAT(indented.out,
               Catch::Contains("hint: the signature matches the payload as JSON indented by 2: "
                               "the body was re-serialised; verify the raw bytes"));
    // A sender that sorts its keys is still recognised.
    RunResult sorted = explain(dir, R"({"amount":12,"orderId":"PX-1"})",
                               "{\n  \"orderId\": \"PX-1\",\n  \"amount\": 12\n}");
    CHECK(sorted.exit_code == 1);
    CHECK_THAT(sorted.out, Catch::Contains("hint: the signature matches the payload as compact "
                                           "JSON with its keys sorted"));
}

TEST_CASE("github signatures carry X-GitHub-Delivery", "[e2e][webhook]") {
    TempDir dir;
    write_file(dir.file("event.json"), R"({"action":"opened"})");
    RunResult sign = run_salesint(
        {"webhook", "sign", "--scheme", "github", "--secret-env", "PLAIN_SECRET", "--payload",
         dir.file("event.json"), "--id", "72d3162e-cc78-11e3-81ab-4c9367dc0958"},
        {"", secret_env(), ""});
    CHECK(sign.exit_code == 0);
    CHECK_THAT(sign.out, Catch::StartsWith("X-Hub-Signature-256: sha256=") &&
                             Catch::EndsWith("\nX-GitHub-Delivery: "
                                             "72d3162e-cc78-11e3-81ab-4c9367dc0958\n"));
}

TEST_CASE("serve tells GitHub deliveries of one body apart by X-GitHub-Delivery",
          "[e2e][webhook][serve][backends]") {
    SeededState seeded;
    Background server(
        {salesint_binary(), "--state", seeded.state(), "webhook", "serve", "--scheme", "github",
         "--secret-env", "PLAIN_SECRET", "--listen", "127.0.0.1:0", "--max-requests", "4"},
        {"", secret_env(), ""});
    const std::string url = start(server);
    const std::string body = seeded.dir().file("push.json");
    write_file(body, R"({"ref":"refs/heads/main"})");
    auto send = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{
            "webhook",   "send", "--scheme", "github", "--secret-env", "PLAIN_SECRET",
            "--payload", body,   "--url",    url,      "-o",           "json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return seeded.run(args, {"", secret_env(), ""});
    };
    // Two sends of the same body: two deliveries, each with a fresh id.
    RunResult first = send({});
    RunResult second = send({});
    REQUIRE(first.exit_code == 0);
    REQUIRE(second.exit_code == 0);
    CHECK(first.json()["status"] == 202);
    CHECK(second.json()["status"] == 202);
    CHECK(first.json()["delivery_id"] != second.json()["delivery_id"]);
    // A redelivery keeps its id: the second one is a duplicate.
    RunResult original = send({"--id", "gh-delivery-1"});
    RunResult redelivery = send({"--id", "gh-delivery-1"});
    CHECK(original.json()["status"] == 202);
    CHECK(redelivery.json()["status"] == 200);
    CHECK(server.wait().exit_code == 0);

    nlohmann::json inbox = seeded.run({"inbox", "list", "-o", "json"}).json();
    REQUIRE(inbox.size() == 3);
    std::vector<std::string> ids;
    for (const auto& entry : inbox) {
        ids.push_back(entry["delivery_id"]);
    }
    CHECK(std::count(ids.begin(), ids.end(), "gh-delivery-1") == 1);
    CHECK(std::count(ids.begin(), ids.end(), first.json()["delivery_id"].get<std::string>()) == 1);
    CHECK(std::count(ids.begin(), ids.end(), second.json()["delivery_id"].get<std::string>()) == 1);
    nlohmann::json shown = seeded.run({"inbox", "show", "gh-delivery-1", "-o", "json"}).json();
    CHECK(shown["headers"]["X-GitHub-Delivery"] == "gh-delivery-1");
}
