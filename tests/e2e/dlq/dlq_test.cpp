// salesint dlq list | show | archive | purge | export | import, on failures
// produced by real live executions against HTTP servers on 127.0.0.1 that
// the test starts (answering 503), and by `webhook send` to a port where
// nothing listens.
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "e2e/webhook/scripted_server.hpp"
#include "e2e/webhook/webhook_support.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

constexpr const char* kErp = "sales.erp.create_order.v1";
constexpr const char* kEmail = "sales.quote.send_email.v1";
constexpr const char* kToken = "tok-DLQ-bearer-5e1f0c";
constexpr const char* kDeadUrl = "http://127.0.0.1:9/hooks";  // discard port: nothing listens

std::map<std::string, std::string> env() {
    auto variables = secret_env();
    variables["ERP_TOKEN"] = kToken;
    return variables;
}

std::string with_quote(const std::string& fixture, const std::string& quote) {
    nlohmann::json input = nlohmann::json::parse(read_file(execute_fixture(fixture)));
    input["quoteId"] = quote;
    return input.dump();
}

// Four failures: two ERP orders (2 and 3 attempts: the same failure, other
// numbers), a quote e-mail, and a webhook delivery, in that order.
struct Failures {
    SeededState seeded;
    ScriptedServer erp{{answer(503)}};
    ScriptedServer email{{answer(503)}};

    Failures() {
        REQUIRE(seeded
                    .run({"connector", "add", "ERP", "--base-url", erp.url(), "--auth-method",
                          "bearer", "--secret-env", "ERP_TOKEN"})
                    .exit_code == 0);
        REQUIRE(seeded.run({"connector", "add", "EMAIL", "--base-url", email.url()}).exit_code ==
                0);
        live(kErp, "erp-create-order.json", "Q-A", "2");
        live(kErp, "erp-create-order.json", "Q-B", "3");
        live(kEmail, "quote-send-email.json", "Q-C", "2");
        write_file(seeded.dir().file("outcome.json"),
                   R"({"orderId":"PX-TEST-001","outcome":"COMPLETED"})");
        RunResult sent =
            run({"webhook", "send", "--url", kDeadUrl, "--scheme", "standard", "--secret-env",
                 "WEBHOOK_SECRET", "--payload", seeded.dir().file("outcome.json"), "--id",
                 "msg_dlq_send", "--max-attempts", "2", "--backoff", "10ms"});
        INFO(sent.err);
        REQUIRE(sent.exit_code == 5);
    }

    void live(const char* adapter, const char* fixture, const std::string& quote,
              const std::string& attempts) {
        RunResult result = seeded.run(
            {"execute", adapter, "--input", "-", "--live", "--max-attempts", attempts, "--backoff",
             "10ms", "--max-backoff", "20ms", "--breaker-min-calls", "1000", "-o", "json"},
            {with_quote(fixture, quote), env(), ""});
        INFO(result.err);
        REQUIRE(result.exit_code == 5);
        REQUIRE(result.json()["status"] == "dead_lettered");
    }

    RunResult run(std::vector<std::string> args, const std::string& input = "") const {
        return seeded.run(std::move(args), {input, env(), ""});
    }
    nlohmann::json json(std::vector<std::string> args) const {
        args.push_back("-o");
        args.push_back("json");
        RunResult result = run(args);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        return result.json();
    }
    std::vector<std::string> ids(std::vector<std::string> args) const {
        std::vector<std::string> found;
        for (const auto& row : json(std::move(args))) {
            found.push_back(row["entry_id"]);
        }
        return found;
    }
};

std::vector<std::string> keys(const nlohmann::ordered_json& object) {
    std::vector<std::string> names;
    for (const auto& item : object.items()) {
        names.push_back(item.key());
    }
    return names;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    return lines;
}

struct TerminalRun {
    int exit_code = -1;
    std::string output;  // stdout and stderr, as the terminal showed them
};

// Runs salesint on a pseudo-terminal (stdin, stdout and stderr), typing
// answer once it printed prompt.
TerminalRun run_on_terminal(const std::vector<std::string>& args, const std::string& prompt,
                            const std::string& answer) {
    std::vector<std::string> argv{salesint_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    int terminal = -1;
    const pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
    REQUIRE(pid >= 0);
    if (pid == 0) {
        std::vector<char*> pointers;
        for (std::string& arg : argv) {
            pointers.push_back(arg.data());
        }
        pointers.push_back(nullptr);
        setenv("USER", "tester", 1);
        execv(pointers[0], pointers.data());
        _exit(127);
    }
    TerminalRun run;
    bool answered = false;
    char buffer[4096];
    for (;;) {
        pollfd readable{terminal, POLLIN, 0};
        if (poll(&readable, 1, 20'000) <= 0) {
            break;  // nothing for 20 s: give up, the checks below fail
        }
        const ssize_t got = read(terminal, buffer, sizeof buffer);
        if (got <= 0) {
            break;  // EIO once the process has gone
        }
        run.output.append(buffer, static_cast<std::size_t>(got));
        if (!answered && run.output.find(prompt) != std::string::npos) {
            REQUIRE(write(terminal, answer.data(), answer.size()) ==
                    static_cast<ssize_t>(answer.size()));
            answered = true;
        }
    }
    close(terminal);
    int status = 0;
    waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

}  // namespace

TEST_CASE("dlq list shows each failure, the most recent first, with its columns",
          "[e2e][dlq][backends]") {
    Failures failures;
    RunResult listed = failures.run({"dlq", "list", "-o", "json"});
    REQUIRE(listed.exit_code == 0);
    const auto rows = nlohmann::ordered_json::parse(listed.out);
    REQUIRE(rows.size() == 4);
    CHECK(keys(rows[0]) ==
          std::vector<std::string>{"tenant_id", "entry_id", "group_id", "source", "adapter_id",
                                   "connector", "target_url", "message_id", "correlation_id",
                                   "error_code", "error_message", "attempts", "first_failed_at",
                                   "last_failed_at", "status", "replay_count", "updated_at"});
    for (std::size_t i = 1; i < rows.size(); ++i) {
        CHECK(rows[i - 1]["last_failed_at"] >= rows[i]["last_failed_at"]);
    }
    // Newest first: the webhook delivery, the e-mail, then the two orders.
    CHECK(rows[0]["source"] == "webhook_send");
    CHECK(rows[0]["adapter_id"] == "webhook:standard");
    CHECK(rows[0]["target_url"] == kDeadUrl);
    CHECK(rows[0]["error_code"] == "NETWORK");
    CHECK(rows[0]["message_id"] == "msg_dlq_send");
    CHECK(rows[1]["adapter_id"] == kEmail);
    CHECK(rows[1]["connector"] == "EMAIL");
    CHECK(rows[2]["adapter_id"] == kErp);
    CHECK(rows[2]["connector"] == "ERP");
    CHECK(rows[2]["attempts"] == 3);
    CHECK(rows[3]["attempts"] == 2);
    CHECK(rows[3]["status"] == "pending");
    CHECK(rows[3]["tenant_id"] == "default");

    RunResult text = failures.run({"dlq", "list"});
    REQUIRE(text.exit_code == 0);
    const auto lines = lines_of(text.out);
    REQUIRE(lines.size() == 5);
    for (const char* header :
         {"ID", "SOURCE", "ADAPTER", "ERROR", "ATTEMPTS", "FIRST", "LAST", "STATUS", "MESSAGE"}) {
        CHECK_THAT(lines[0], Catch::Contains(header));
    }
    // A webhook delivery shows its target; an execution its adapter.
    CHECK_THAT(lines[1], Catch::StartsWith(rows[0]["entry_id"].get<std::string>()) &&
                             Catch::Contains(kDeadUrl) && Catch::Contains("NETWORK") &&
                             Catch::Contains("pending"));
    CHECK_THAT(lines[3], Catch::Contains(kErp) && Catch::Contains("gave up after 3 attempts"));

    RunResult csv = failures.run({"dlq", "list", "-o", "csv"});
    CHECK_THAT(csv.out, Catch::StartsWith("entry_id,source,adapter_id,target_url,error_code"));

    // Another tenant has no entries: a header in text, [] in JSON.
    RunResult other = failures.run({"--tenant", "other", "dlq", "list", "-o", "json"});
    CHECK(other.exit_code == 0);
    CHECK(other.json() == nlohmann::json::array());
    CHECK(lines_of(failures.run({"--tenant", "other", "dlq", "list"}).out).size() <= 1);
}

TEST_CASE("dlq list filters by source, adapter, connector, error code, time and status",
          "[e2e][dlq][backends]") {
    Failures failures;
    const auto all = failures.json({"dlq", "list"});
    REQUIRE(all.size() == 4);
    CHECK(failures.ids({"dlq", "list", "--source", "webhook_send"}) ==
          std::vector<std::string>{all[0]["entry_id"]});
    CHECK(failures.ids({"dlq", "list", "--source", "execute"}).size() == 3);
    CHECK(failures.ids({"dlq", "list", "--adapter", kErp}) ==
          std::vector<std::string>{all[2]["entry_id"], all[3]["entry_id"]});
    CHECK(failures.ids({"dlq", "list", "--connector", "EMAIL"}) ==
          std::vector<std::string>{all[1]["entry_id"]});
    CHECK(failures.ids({"dlq", "list", "--connector", "ERP"}).size() == 2);
    CHECK(failures.ids({"dlq", "list", "--error-code", "NETWORK"}) ==
          std::vector<std::string>{all[0]["entry_id"]});
    const std::string erp_code = all[3]["error_code"];
    CHECK(erp_code != "NETWORK");
    CHECK(failures.ids({"dlq", "list", "--error-code", erp_code, "--adapter", kErp}).size() == 2);
    CHECK(failures.ids({"dlq", "list", "--error-code", "HTTP_418"}).empty());

    // Ages and RFC 3339 times bound the last failure: since at or after, until before.
    CHECK(failures.ids({"dlq", "list", "--since", "1h"}).size() == 4);
    CHECK(failures.ids({"dlq", "list", "--until", "1h"}).empty());
    CHECK(failures.ids({"dlq", "list", "--since", "2999-01-01T00:00:00Z"}).empty());
    CHECK(failures.ids({"dlq", "list", "--until", "2999-01-01T00:00:00+02:00"}).size() == 4);
    const std::string newest = all[0]["last_failed_at"];
    std::size_t at_newest = 0;
    for (const auto& row : all) {
        at_newest += row["last_failed_at"] == newest ? 1 : 0;
    }
    CHECK(failures.ids({"dlq", "list", "--since", newest}).size() == at_newest);
    CHECK(failures.ids({"dlq", "list", "--until", newest}).size() == 4 - at_newest);
    RunResult bad_time = failures.run({"dlq", "list", "--since", "yesterday"});
    CHECK(bad_time.exit_code == 2);
    CHECK_THAT(bad_time.err, Catch::Contains("--since"));

    CHECK(failures.ids({"dlq", "list", "--status", "pending"}).size() == 4);
    CHECK(failures.ids({"dlq", "list", "--status", "replayed"}).empty());
    CHECK(failures.ids({"dlq", "list", "--limit", "2"}) ==
          std::vector<std::string>{all[0]["entry_id"], all[1]["entry_id"]});
    CHECK(failures.run({"dlq", "list", "--status", "lost"}).exit_code == 2);
}

TEST_CASE("dlq list groups the same failure with other numbers under one stable id",
          "[e2e][dlq][backends]") {
    Failures failures;
    const auto rows = failures.json({"dlq", "list", "--adapter", kErp});
    REQUIRE(rows.size() == 2);
    // "gave up after 2 attempts" and "... 3 attempts": one failure.
    CHECK(rows[0]["error_message"] != rows[1]["error_message"]);
    CHECK(rows[0]["group_id"] == rows[1]["group_id"]);
    const std::string erp_group = rows[0]["group_id"];

    RunResult grouped = failures.run({"dlq", "list", "--group-by", "error", "-o", "json"});
    REQUIRE(grouped.exit_code == 0);
    const auto groups = nlohmann::ordered_json::parse(grouped.out);
    REQUIRE(groups.size() == 3);
    CHECK(keys(groups[0]) == std::vector<std::string>{"tenant_id", "group_id", "group_by",
                                                      "adapter_id", "error_code", "fingerprint",
                                                      "count", "first_seen", "last_seen", "example",
                                                      "entry_ids"});
    CHECK(groups[0]["group_id"] == erp_group);
    CHECK(groups[0]["count"] == 2);
    CHECK(groups[0]["adapter_id"] == kErp);
    CHECK_THAT(groups[0]["fingerprint"].get<std::string>(),
               Catch::Contains("gave up after <n> attempts"));
    CHECK(groups[0]["entry_ids"] ==
          nlohmann::json::array({rows[0]["entry_id"], rows[1]["entry_id"]}));
    CHECK(groups[0]["first_seen"] <= groups[0]["last_seen"]);
    std::set<std::string> ids;
    for (const auto& g : groups) {
        ids.insert(g["group_id"].get<std::string>());
    }
    CHECK(ids.size() == 3);

    // The same ids on another run.
    CHECK(failures.json({"dlq", "list", "--group-by", "error"}) == grouped.json());

    const auto by_adapter = failures.json({"dlq", "list", "--group-by", "adapter"});
    REQUIRE(by_adapter.size() == 3);
    CHECK(by_adapter[0]["count"] == 2);
    CHECK(by_adapter[0]["group_by"] == "adapter");
    CHECK(by_adapter[0]["group_id"] != erp_group);
    CHECK(by_adapter[0]["error_code"].is_null());

    RunResult text = failures.run({"dlq", "list", "--group-by", "error"});
    const auto lines = lines_of(text.out);
    REQUIRE(lines.size() == 4);
    CHECK_THAT(lines[0], Catch::Contains("GROUP") && Catch::Contains("COUNT") &&
                             Catch::Contains("FIRST SEEN") && Catch::Contains("LAST SEEN"));
    CHECK_THAT(lines[1], Catch::StartsWith(erp_group) && Catch::Contains("<n>"));
}

TEST_CASE("dlq show gives payload, headers without secrets, ids and every attempt",
          "[e2e][dlq][backends]") {
    Failures failures;
    // The bearer secret was sent ...
    REQUIRE_FALSE(failures.erp.received().empty());
    CHECK(failures.erp.received()[0].headers.find("Authorization")->second ==
          std::string("Bearer ") + kToken);

    const auto rows = failures.json({"dlq", "list"});
    const std::string order = rows[3]["entry_id"];
    RunResult shown = failures.run({"dlq", "show", order, "-o", "json"});
    INFO(shown.err);
    REQUIRE(shown.exit_code == 0);
    const auto json = nlohmann::ordered_json::parse(shown.out);
    CHECK(keys(json) == std::vector<std::string>{"entry", "attempts", "replays"});
    const auto& entry = json["entry"];
    CHECK(entry["entry_id"] == order);
    CHECK(entry["payload"]["quoteId"] == "Q-A");
    CHECK(entry["connector"] == "ERP");
    CHECK(entry["message_id"].is_string());
    CHECK(entry["correlation_id"].is_string());
    CHECK(entry.contains("causation_id"));
    CHECK(entry["lease_owner"].is_null());
    CHECK(entry["headers"]["Idempotency-Key"] == entry["message_id"]);
    CHECK_FALSE(entry["headers"].contains("Authorization"));
    REQUIRE(json["attempts"].size() == 2);
    CHECK(json["attempts"][0]["attempt"] == 1);
    CHECK(json["attempts"][0]["status"] == 503);
    CHECK(json["attempts"][1]["at"].is_string());
    CHECK(json["attempts"][1].contains("duration_ms"));
    CHECK(json["replays"].empty());

    RunResult text = failures.run({"dlq", "show", order});
    REQUIRE(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("entry_id: " + order) && Catch::Contains("payload:") &&
                             Catch::Contains("\"quoteId\": \"Q-A\"") && Catch::Contains("#2") &&
                             Catch::Contains("HTTP 503") && Catch::Contains("replays: none") &&
                             Catch::Contains("status: pending"));

    // The webhook delivery: its target, and no signature header.
    const std::string delivery = rows[0]["entry_id"];
    RunResult hook = failures.run({"dlq", "show", delivery, "-o", "json"});
    REQUIRE(hook.exit_code == 0);
    CHECK(hook.json()["entry"]["target_url"] == kDeadUrl);
    CHECK(hook.json()["entry"]["payload"]["orderId"] == "PX-TEST-001");
    CHECK(hook.json()["entry"]["headers"].contains("webhook-id"));
    CHECK_FALSE(hook.json()["entry"]["headers"].contains("webhook-signature"));
    CHECK(hook.json()["attempts"][0]["status"].is_null());
    CHECK_THAT(failures.run({"dlq", "show", delivery}).out, Catch::Contains("no answer"));

    // ... and is never shown, exported or stored.
    std::string everything = shown.out + text.out + hook.out;
    for (const auto& row : rows) {
        everything += failures.run({"dlq", "show", row["entry_id"]}).out;
        everything += failures.run({"dlq", "show", row["entry_id"], "-o", "json"}).out;
    }
    REQUIRE(failures.run({"dlq", "export", "--to", failures.seeded.dir().file("out.ndjson")})
                .exit_code == 0);
    everything += read_file(failures.seeded.dir().file("out.ndjson"));
    everything += snapshot(failures.seeded.state()) + read_file(failures.seeded.state());
    CHECK(everything.find(kToken) == std::string::npos);
    CHECK(everything.find(kSecret) == std::string::npos);
    CHECK(everything.find("webhook-signature") == std::string::npos);
    CHECK(everything.find("Bearer") == std::string::npos);

    RunResult missing = failures.run({"dlq", "show", "nope"});
    CHECK(missing.exit_code == 3);
    CHECK_THAT(missing.err, Catch::Contains("no DLQ entry nope in tenant 'default'"));
    CHECK(lines_of(missing.err).size() == 1);
    CHECK(failures.run({"--tenant", "other", "dlq", "show", order}).exit_code == 3);
}

TEST_CASE("dlq archive hides entries, purge deletes only archived ones and asks first",
          "[e2e][dlq][backends]") {
    Failures failures;
    const auto rows = failures.json({"dlq", "list"});
    // Nothing failed more than an hour ago.
    RunResult recent = failures.run({"dlq", "archive", "--older-than", "1h"});
    CHECK(recent.exit_code == 0);
    CHECK(recent.out == "archived 0 entries\n");
    CHECK(failures.run({"dlq", "archive", "--older-than", "soon"}).exit_code == 2);

    RunResult archived = failures.run({"dlq", "archive", "--adapter", kErp, "--reason",
                                       "ERP outage, replayed by hand", "-o", "json"});
    INFO(archived.err);
    REQUIRE(archived.exit_code == 0);
    const auto result = nlohmann::ordered_json::parse(archived.out);
    CHECK(keys(result) == std::vector<std::string>{"archived", "entry_ids"});
    CHECK(result["archived"] == 2);
    CHECK(result["entry_ids"] == nlohmann::json::array({rows[2]["entry_id"], rows[3]["entry_id"]}));
    CHECK(failures.ids({"dlq", "list"}) ==
          std::vector<std::string>{rows[0]["entry_id"], rows[1]["entry_id"]});
    CHECK(failures.ids({"dlq", "list", "--status", "archived"}) ==
          std::vector<std::string>{rows[2]["entry_id"], rows[3]["entry_id"]});
    const auto audit = failures.json({"audit", "list", "--action", "dlq.archive"});
    REQUIRE(audit.size() == 1);
    CHECK(audit[0]["reason"] == "ERP outage, replayed by hand");
    CHECK(audit[0]["actor"] == "tester");
    // Archived once is not archived again.
    RunResult again = failures.run({"dlq", "archive", rows[2]["entry_id"]});
    CHECK(again.exit_code == 4);
    CHECK_THAT(again.err, Catch::Contains("archived"));
    CHECK(failures.run({"dlq", "archive", "nope"}).exit_code == 3);

    // Purge never takes pending entries, and wants --yes when it cannot ask.
    const std::string before = snapshot(failures.seeded.state());
    RunResult pending = failures.run({"dlq", "purge", "--status", "pending", "--yes"});
    CHECK(pending.exit_code == 4);
    CHECK_THAT(pending.err, Catch::Contains("only archived or replayed entries are purged"));
    RunResult named = failures.run({"dlq", "purge", rows[0]["entry_id"], "--yes"});
    CHECK(named.exit_code == 4);
    RunResult unasked = failures.run({"dlq", "purge"}, "y\n");  // stdin is a pipe
    CHECK(unasked.exit_code == 2);
    CHECK_THAT(unasked.err, Catch::Contains("would delete 2 entries") && Catch::Contains("--yes"));
    CHECK(snapshot(failures.seeded.state()) == before);

    RunResult purged = failures.run({"dlq", "purge", "--yes", "-o", "json"});
    INFO(purged.err);
    REQUIRE(purged.exit_code == 0);
    CHECK(purged.json()["purged"] == 2);
    CHECK(purged.json()["entry_ids"].size() == 2);
    CHECK(failures.ids({"dlq", "list", "--status", "archived"}).empty());
    CHECK(failures.ids({"dlq", "list"}).size() == 2);
    CHECK(failures.json({"audit", "list", "--action", "dlq.purge"}).size() == 1);
    RunResult nothing = failures.run({"dlq", "purge"});
    CHECK(nothing.exit_code == 0);
    CHECK(nothing.out == "purged 0 entries\n");
}

TEST_CASE("dlq export then import into a fresh state file gives the same list, once",
          "[e2e][dlq][backends]") {
    Failures failures;
    const std::string file = failures.seeded.dir().file("dlq.ndjson");
    RunResult exported = failures.run({"dlq", "export", "--to", file, "-o", "json"});
    INFO(exported.err);
    REQUIRE(exported.exit_code == 0);
    CHECK(exported.json()["exported"] == 4);
    CHECK(exported.json()["to"] == file);
    const auto lines = lines_of(read_file(file));
    REQUIRE(lines.size() == 4);
    for (const auto& line : lines) {
        const auto entry = nlohmann::ordered_json::parse(line);
        CHECK(keys(entry) ==
              std::vector<std::string>{
                  "entry_id",       "source",          "adapter_id",       "message_id",
                  "correlation_id", "causation_id",    "connector",        "target_url",
                  "payload",        "headers",         "error_code",       "error_message",
                  "attempts",       "first_failed_at", "last_failed_at",   "status",
                  "replay_count",   "lease_owner",     "lease_expires_at", "updated_at"});
        CHECK(entry["payload"].is_string());
        CHECK(entry["attempts"].is_array());
    }

    TempDir laptop;
    auto on_laptop = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--state", laptop.state()});
        return run_salesint(args, {"", {{"USER", "tester"}}, ""});
    };
    RunResult imported = on_laptop({"dlq", "import", file, "-o", "json"});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    CHECK(imported.json()["imported"] == 4);
    CHECK(imported.json()["already_present"] == 0);
    CHECK(on_laptop({"dlq", "list", "-o", "json"}).json() == failures.json({"dlq", "list"}));
    // Group ids are the failure's, whichever state file holds it.
    CHECK(on_laptop({"dlq", "list", "--group-by", "error", "-o", "json"}).json() ==
          failures.json({"dlq", "list", "--group-by", "error"}));
    const std::string one = nlohmann::json::parse(lines[0])["entry_id"];
    CHECK(on_laptop({"dlq", "show", one, "-o", "json"}).json() ==
          failures.json({"dlq", "show", one}));

    RunResult twice = on_laptop({"dlq", "import", file});
    CHECK(twice.exit_code == 0);
    CHECK(twice.out == "imported 0 entries, 4 already present\n");

    // A malformed line: named with its line, and nothing imported.
    TempDir fresh;
    REQUIRE(run_salesint({"--state", fresh.state(), "state", "init"}).exit_code == 0);
    const std::string before = snapshot(fresh.state());
    nlohmann::json renamed = nlohmann::json::parse(lines[0]);
    renamed["entry_id"] = "imported-first";
    const std::string bad = fresh.file("bad.ndjson");
    write_file(bad, renamed.dump() + "\n{\"entry_id\": \"x\", \n");
    RunResult broken = run_salesint({"--state", fresh.state(), "dlq", "import", bad});
    CHECK(broken.exit_code == 2);
    CHECK_THAT(broken.err, Catch::Contains(bad + ":2:"));
    CHECK(lines_of(broken.err).size() <= 2);
    write_file(bad,
               renamed.dump() + "\n" + R"({"entry_id": "x", "source": "carrier pigeon"})" + "\n");
    RunResult wrong = run_salesint({"--state", fresh.state(), "dlq", "import", bad});
    CHECK(wrong.exit_code == 2);
    CHECK_THAT(wrong.err, Catch::Contains(bad + ":2: source:"));
    CHECK(snapshot(fresh.state()) == before);
    CHECK(run_salesint({"--state", fresh.state(), "dlq", "import", fresh.file("none.ndjson")})
              .exit_code == 2);
}

TEST_CASE("dlq list and show escape control characters from failures", "[e2e][dlq][backends]") {
    TempDir dir;
    nlohmann::ordered_json line{
        {"entry_id", "hostile-1"},
        {"source", "execute"},
        {"adapter_id", kErp},
        {"payload", "{\"note\":\"\\u001b[31mred\"}"},
        {"headers", {{"Content-Type", "application/json"}, {"Authorization", "Bearer leaked"}}},
        {"error_code", "HTTP_500"},
        {"error_message", "line one\nline two\twith a tab"},
        {"attempts", nlohmann::json::array({{{"attempt", 1},
                                             {"at", "2026-01-01T00:00:00Z"},
                                             {"status", 500},
                                             {"error", "bad\r\nanswer"},
                                             {"duration_ms", 5}}})},
        {"first_failed_at", "2025-12-31T22:00:00Z"},
        {"last_failed_at", "2026-01-01T00:00:00+01:00"},
        {"status", "pending"}};
    write_file(dir.file("hostile.ndjson"), line.dump() + "\n");
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--state", dir.state()});
        return run_salesint(args);
    };
    RunResult imported = run({"dlq", "import", dir.file("hostile.ndjson")});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);

    RunResult listed = run({"dlq", "list"});
    REQUIRE(listed.exit_code == 0);
    CHECK(lines_of(listed.out).size() == 2);
    CHECK_THAT(listed.out, Catch::Contains("line one\\nline two\\twith a tab"));
    // Times are stored in UTC, so that filters compare them as instants.
    CHECK(run({"dlq", "list", "-o", "json"}).json()[0]["last_failed_at"] == "2025-12-31T23:00:00Z");

    RunResult shown = run({"dlq", "show", "hostile-1"});
    REQUIRE(shown.exit_code == 0);
    CHECK(shown.out.find('\x1b') == std::string::npos);
    CHECK(shown.out.find('\r') == std::string::npos);
    CHECK_THAT(shown.out, Catch::Contains("bad\\r\\nanswer"));
    // A secret header in a file is not imported.
    CHECK(shown.out.find("leaked") == std::string::npos);
    CHECK(read_file(dir.state()).find("leaked") == std::string::npos);
}

TEST_CASE("dlq purge asks on a terminal and deletes only when told yes", "[e2e][dlq][backends]") {
    Failures failures;
    REQUIRE(failures.run({"dlq", "archive", "--source", "execute"}).exit_code == 0);
    const std::string before = snapshot(failures.seeded.state());
    const std::vector<std::string> purge{"--state", failures.seeded.state(), "dlq", "purge"};

    TerminalRun declined = run_on_terminal(purge, "[y/N]", "n\n");
    INFO(declined.output);
    CHECK_THAT(declined.output, Catch::Contains("delete 3 entries? [y/N]"));
    CHECK(declined.exit_code == 1);
    CHECK(snapshot(failures.seeded.state()) == before);

    TerminalRun agreed = run_on_terminal(purge, "[y/N]", "y\n");
    INFO(agreed.output);
    CHECK(agreed.exit_code == 0);
    CHECK_THAT(agreed.output, Catch::Contains("purged 3 entries"));
    CHECK(failures.ids({"dlq", "list", "--status", "archived"}).empty());
    CHECK(failures.ids({"dlq", "list"}).size() == 1);
}
