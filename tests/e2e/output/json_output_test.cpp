// What commands print: JSON shapes field by field, text tables, CSV, NDJSON,
// round trips, global options and environment variables.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <regex>

#include "e2e/seeded_state.hpp"

using namespace salesint::test;

namespace {

const std::regex kRfc3339Utc(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
const std::regex kUuid(R"([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})");

bool is_time(const nlohmann::json& value) {
    return value.is_string() && std::regex_match(value.get<std::string>(), kRfc3339Utc);
}

}  // namespace

TEST_CASE("connector show -o json has every field, and no secret", "[e2e][output]") {
    SeededState seeded;
    nlohmann::json c = seeded.run({"connector", "show", "PYXIS", "-o", "json"}).json();
    CHECK(c["tenant_id"] == "default");
    CHECK(c["system_code"] == "PYXIS");
    CHECK(c["name"] == "Pyxis sales");
    CHECK(c["is_active"] == true);
    CHECK(c["connection_type"].is_null());
    CHECK(c["base_url"] == "https://pyxis.example.com/api");
    CHECK(c["auth_method"] == "hmac");
    CHECK(c["poll_interval_minutes"].is_null());
    CHECK(c["secret_env"] == "PYXIS_WEBHOOK_SECRET");
    CHECK(c["secret_file"].is_null());
    CHECK(is_time(c["created_at"]));
    CHECK(is_time(c["updated_at"]));
    CHECK(c.size() == 12);

    nlohmann::json list = seeded.run({"connector", "list", "-o", "json"}).json();
    REQUIRE(list.is_array());
    REQUIRE(list.size() == 2);
    CHECK(list[0]["system_code"] == "PYXIS");
    CHECK(list[1]["system_code"] == "TEMPO");
}

TEST_CASE("connector set changes only the fields given", "[e2e][output]") {
    SeededState seeded;
    nlohmann::json c =
        seeded.run({"connector", "set", "PYXIS", "--poll-interval", "5", "-o", "json"}).json();
    CHECK(c["poll_interval_minutes"] == 5);
    CHECK(c["name"] == "Pyxis sales");
    CHECK(c["base_url"] == "https://pyxis.example.com/api");
    nlohmann::json disabled = seeded.run({"connector", "disable", "PYXIS", "-o", "json"}).json();
    CHECK(disabled["is_active"] == false);
    nlohmann::json file =
        seeded
            .run({"connector", "set", "PYXIS", "--secret-file", "/run/secrets/pyxis", "-o", "json"})
            .json();
    CHECK(file["secret_file"] == "/run/secrets/pyxis");
    CHECK(file["secret_env"].is_null());  // one secret source at a time
}

TEST_CASE("mapping set and get print the mapping shape", "[e2e][output]") {
    SeededState seeded;
    nlohmann::json created = seeded
                                 .run({"mapping", "set", "TEMPO", "order", "TMP-1", "--metadata",
                                       R"({"source":"crm"})", "-o", "json"})
                                 .json();
    CHECK(created["outcome"] == "created");
    CHECK(created["tenant_id"] == "default");
    CHECK(created["system_code"] == "TEMPO");
    CHECK(created["entity_type"] == "order");
    CHECK(created["external_id"] == "TMP-1");
    CHECK(std::regex_match(created["internal_uuid"].get<std::string>(), kUuid));
    CHECK(created["mapping_status"] == "pending_review");  // first TEMPO order: needs review
    CHECK(created["metadata"] == nlohmann::json{{"source", "crm"}});
    CHECK(is_time(created["last_seen_at"]));
    CHECK(is_time(created["created_at"]));
    CHECK(is_time(created["updated_at"]));

    nlohmann::json got =
        seeded.run({"mapping", "get", "PYXIS", "customer", "CUST-1", "-o", "json"}).json();
    CHECK(got["internal_uuid"] == kCustomerUuid);
    CHECK(got["mapping_status"] == "active");
    CHECK_FALSE(got.contains("outcome"));

    nlohmann::json resolved =
        seeded.run({"mapping", "resolve", kCustomerUuid, "-o", "json"}).json();
    REQUIRE(resolved.size() == 1);
    CHECK(resolved[0]["external_id"] == "CUST-1");

    nlohmann::json pending =
        seeded.run({"mapping", "list", "--status", "pending_review", "-o", "json"}).json();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0]["external_id"] == "TMP-1");
}

TEST_CASE("mapping set --force repoints and the audit log says who and why", "[e2e][output]") {
    SeededState seeded;
    nlohmann::json forced =
        seeded
            .run({"mapping", "set", "PYXIS", "customer", "CUST-1", "--uuid", kUnusedUuid, "--force",
                  "--reason", "merged duplicate", "-o", "json"})
            .json();
    CHECK(forced["outcome"] == "repointed");
    nlohmann::json audit =
        seeded.run({"audit", "list", "--action", "mapping.force", "-o", "json"}).json();
    REQUIRE(audit.size() == 1);
    CHECK(audit[0]["actor"] == "tester");
    CHECK(audit[0]["subject"] == "PYXIS/customer/CUST-1");
    CHECK(audit[0]["old_value"] == kCustomerUuid);
    CHECK(audit[0]["new_value"] == kUnusedUuid);
    CHECK(audit[0]["reason"] == "merged duplicate");
    CHECK(is_time(audit[0]["at"]));
    CHECK(audit[0]["id"].is_number_integer());
}

TEST_CASE("checkpoint get -o json round-trips through set --from-json", "[e2e][output]") {
    SeededState seeded;
    RunResult got = seeded.run({"checkpoint", "get", "PYXIS", "orders", "-o", "json"});
    nlohmann::json c = got.json();
    CHECK(c["tenant_id"] == "default");
    CHECK(c["system_code"] == "PYXIS");
    CHECK(c["entity_type"] == "orders");
    CHECK(c["kind"] == "timestamp");
    CHECK(c["value"] == "2026-11-01T00:00:00Z");
    CHECK(c["status"] == "ok");
    CHECK(c["error_message"].is_null());
    CHECK(is_time(c["last_synced_at"]));
    CHECK(is_time(c["updated_at"]));

    std::string file = seeded.dir().file("orders.json");
    write_file(file, got.out);
    std::string before = snapshot(seeded.state());
    RunResult again = seeded.run({"checkpoint", "set", "--from-json", file, "-o", "json"});
    REQUIRE(again.exit_code == 0);
    nlohmann::json rows = again.json();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["outcome"] == "unchanged");
    CHECK(snapshot(seeded.state()) == before);

    // The list output of several checkpoints goes back in as is, from stdin.
    RunResult list = seeded.run({"checkpoint", "list", "-o", "json"});
    RunResult from_stdin =
        seeded.run({"checkpoint", "set", "--from-json", "-", "-o", "json"}, {list.out, {}, ""});
    REQUIRE(from_stdin.exit_code == 0);
    CHECK(from_stdin.json().size() == 2);

    RunResult advanced = seeded.run(
        {"checkpoint", "set", "--from-json", fixtures_dir() + "/checkpoints/pyxis-orders.json"});
    CHECK(advanced.exit_code == 0);
    CHECK(advanced.out == "advanced PYXIS/orders at 2026-11-05T00:00:00Z (timestamp)\n");
}

TEST_CASE("checkpoint reset prints old and new and is audited", "[e2e][output]") {
    SeededState seeded;
    nlohmann::json reset = seeded
                               .run({"checkpoint", "reset", "TEMPO", "orders", "--reason",
                                     "replay last week", "--to", "1000", "-o", "json"})
                               .json();
    CHECK(reset == nlohmann::json{{"system_code", "TEMPO"},
                                  {"entity_type", "orders"},
                                  {"old_value", "1500"},
                                  {"new_value", "1000"}});
    nlohmann::json cleared =
        seeded.run({"checkpoint", "reset", "TEMPO", "orders", "--reason", "resync", "-o", "json"})
            .json();
    CHECK(cleared["new_value"].is_null());
    nlohmann::json audit =
        seeded.run({"audit", "list", "--action", "checkpoint", "-o", "json"}).json();
    REQUIRE(audit.size() == 2);
    CHECK(audit[0]["action"] == "checkpoint.reset");
    CHECK(audit[0]["old_value"] == "1500");
    CHECK(audit[0]["new_value"] == "1000");
    CHECK(audit[0]["reason"] == "replay last week");
    CHECK(audit[1]["new_value"].is_null());
    CHECK(seeded.run({"audit", "list", "--since", "2999-01-01T00:00:00Z", "-o", "json"})
              .json()
              .empty());
}

TEST_CASE("state info and check print their documented shapes", "[e2e][output]") {
    SeededState seeded;
    nlohmann::json info = seeded.run({"state", "info", "-o", "json"}).json();
    CHECK(info["path"] == seeded.state());
    CHECK(info["tenant_id"] == "default");
    CHECK(info["schema_version"] == 2);
    CHECK(info["binary_schema_version"] == 2);
    CHECK(info["journal_mode"] == "wal");
    CHECK(info["file_bytes"].get<long>() > 0);
    CHECK(info["tables"]["connectors"] == 2);
    CHECK(info["tables"]["mappings"] == 2);
    CHECK(info["tables"]["checkpoints"] == 2);
    CHECK(info["tables"]["audit_log"] == 2);
    CHECK(info["tables"]["dlq"] == 0);

    nlohmann::json check = seeded.run({"state", "check", "-o", "json"}).json();
    REQUIRE(check.is_array());
    CHECK(check.size() >= 5);
    for (const auto& finding : check) {
        CHECK(finding["ok"] == true);
        CHECK(finding["check"].is_string());
        CHECK(finding["detail"].is_string());
    }
}

TEST_CASE("text output is an aligned table with a header", "[e2e][output]") {
    SeededState seeded;
    RunResult list = seeded.run({"checkpoint", "list"});
    REQUIRE(list.exit_code == 0);
    std::istringstream lines(list.out);
    std::string header, first, second;
    std::getline(lines, header);
    std::getline(lines, first);
    std::getline(lines, second);
    CHECK_THAT(header, Catch::StartsWith("SYSTEM  ENTITY  KIND       VALUE"));
    CHECK(first.find("2026-11-01T00:00:00Z") == header.find("VALUE"));
    CHECK(second.find("1500") == header.find("VALUE"));
}

TEST_CASE("csv and ndjson are machine-readable", "[e2e][output]") {
    SeededState seeded;
    RunResult csv = seeded.run({"mapping", "list", "-o", "csv"});
    CHECK_THAT(csv.out, Catch::StartsWith("system_code,entity_type,external_id,internal_uuid,"
                                          "mapping_status,last_seen_at\r\n"));
    CHECK_THAT(csv.out,
               Catch::Contains(std::string("PYXIS,customer,CUST-1,") + kCustomerUuid + ",active,"));
    RunResult ndjson = seeded.run({"mapping", "list", "-o", "ndjson"});
    std::istringstream lines(ndjson.out);
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
        CHECK(nlohmann::json::parse(line)["system_code"] == "PYXIS");
        ++count;
    }
    CHECK(count == 2);
}

TEST_CASE("global options work after the subcommand and from the environment", "[e2e][output]") {
    TempDir dir;
    std::string state = dir.file("env.db");
    RunResult via_env =
        run_salesint({"connector", "add", "ERP", "-o", "json"},
                     {"", {{"SALESINT_STATE", state}, {"SALESINT_TENANT", "acme"}}, ""});
    REQUIRE(via_env.exit_code == 0);
    CHECK(via_env.json()["tenant_id"] == "acme");
    struct stat status {};
    REQUIRE(stat(state.c_str(), &status) == 0);
    CHECK((status.st_mode & 0777) == 0600);

    RunResult other_tenant = run_salesint({"connector", "list", "--state", state, "-o", "json"});
    CHECK(other_tenant.json().empty());
    RunResult same_tenant =
        run_salesint({"connector", "list", "--state", state, "--tenant", "acme", "-o", "json"});
    CHECK(same_tenant.json().size() == 1);

    RunResult default_path = run_salesint({"state", "init"}, {"", {}, dir.path()});
    CHECK(default_path.exit_code == 0);
    CHECK(stat(dir.file("salesint.db").c_str(), &status) == 0);
}

TEST_CASE("version and help go to stdout", "[e2e][output]") {
    RunResult version = run_salesint({"--version"});
    CHECK(version.out == "salesint 0.1.0\n");
    RunResult help = run_salesint({"checkpoint", "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("reset") && Catch::Contains("JSON shape of a checkpoint"));
}

TEST_CASE("verbose logs go to stderr, never to stdout", "[e2e][output]") {
    TempDir dir;
    RunResult result = run_salesint({"--state", dir.state(), "-v", "state", "init", "-o", "json"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Catch::Contains("applied migration 1"));
    CHECK(result.json()["applied_migrations"] == nlohmann::json::array({1, 2}));
    RunResult json_logs =
        run_salesint({"--state", dir.file("b.db"), "-v", "--log-format", "json", "state", "init"});
    std::string first_line = json_logs.err.substr(0, json_logs.err.find('\n'));
    auto parsed = nlohmann::json::parse(first_line, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    CHECK(parsed["level"] == "debug");
}
