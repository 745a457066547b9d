// A secret source that is named but gives nothing (a variable not set, a file
// that does not exist or is empty) is a usage error (exit 2) naming it, in
// every command that takes --secret-env or --secret-file, before anything is
// sent, served or written: never the verdict of a bad signature.
#include <catch2/catch.hpp>

#include "e2e/webhook/webhook_support.hpp"

using namespace salesint::test;

namespace {

// The commands that take the secret options, with what each needs besides.
std::vector<std::vector<std::string>> commands_with_secrets(const std::string& payload) {
    return {
        {"webhook", "sign", "--scheme", "github", "--payload", payload},
        {"webhook", "verify", "--scheme", "github", "--payload", payload, "-H",
         "X-Hub-Signature-256: sha256=" + std::string(64, 'a')},
        {"webhook", "send", "--scheme", "github", "--payload", payload, "--url",
         "http://127.0.0.1:9/hooks"},
        {"webhook", "serve", "--scheme", "github", "--listen", "127.0.0.1:0", "--max-requests",
         "1"},
        {"outbox", "relay", "--to", "http://127.0.0.1:9/events", "--scheme", "github", "--once"},
        {"dlq", "replay", "--all", "--dry-run"},
    };
}

std::string usage_line(const std::vector<std::string>& command) {
    return "Run 'salesint " + command[0] + " " + command[1] + " --help' for usage.\n";
}

}  // namespace

TEST_CASE("a secret variable that is not set is exit 2 naming it",
          "[e2e][exit_code][webhook][backends]") {
    SeededState seeded;
    const std::string payload = seeded.dir().file("payload.json");
    write_file(payload, R"({"orderId":"PX-TEST-001"})");
    const std::string before = snapshot(seeded.state());
    auto env = secret_env();
    env["EMPTY_SECRET"] = "";
    for (auto command : commands_with_secrets(payload)) {
        for (const auto& [variable, problem] : std::vector<std::pair<std::string, std::string>>{
                 {"NOPE", "is not set"}, {"EMPTY_SECRET", "is empty"}}) {
            auto args = command;
            args.insert(args.end(), {"--secret-env", variable});
            RunResult result = seeded.run(args, {"", env, ""});
            INFO(command[0] << " " << command[1] << " --secret-env " << variable);
            CHECK(result.exit_code == 2);
            CHECK(result.out.empty());
            CHECK(result.err == "salesint: error: environment variable " + variable + " " +
                                    problem + "\n" + usage_line(command));
        }
        // Rotation names two: the one that is missing is still an error.
        auto args = command;
        args.insert(args.end(), {"--secret-env", "PLAIN_SECRET", "--secret-env", "NOPE"});
        RunResult rotation = seeded.run(args, {"", env, ""});
        CHECK(rotation.exit_code == 2);
        CHECK_THAT(rotation.err,
                   Catch::StartsWith("salesint: error: environment variable NOPE is not set\n"));
    }
    CHECK(snapshot(seeded.state()) == before);
}

TEST_CASE("a secret file that does not exist or is empty is exit 2 naming it",
          "[e2e][exit_code][webhook][backends]") {
    SeededState seeded;
    const std::string payload = seeded.dir().file("payload.json");
    write_file(payload, R"({"orderId":"PX-TEST-001"})");
    const std::string missing = seeded.dir().file("no-such-secret");
    const std::string empty = seeded.dir().file("empty-secret");
    write_file(empty, "\n");  // one newline, dropped: nothing left
    const std::string before = snapshot(seeded.state());
    for (auto command : commands_with_secrets(payload)) {
        for (const auto& [file, problem] : std::vector<std::pair<std::string, std::string>>{
                 {missing, "does not exist"}, {empty, "is empty"}}) {
            auto args = command;
            args.insert(args.end(), {"--secret-file", file});
            RunResult result = seeded.run(args, {"", secret_env(), ""});
            INFO(command[0] << " " << command[1] << " --secret-file " << file);
            CHECK(result.exit_code == 2);
            CHECK(result.out.empty());
            CHECK(result.err == "salesint: error: secret file " + file + " " + problem + "\n" +
                                    usage_line(command));
        }
    }
    CHECK(snapshot(seeded.state()) == before);
}
