// What every command shares: global options after the subcommand and from
// the environment, --version and --help on stdout, logs on stderr only.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "e2e/seeded_state.hpp"
#include "salesint/store.hpp"

using namespace salesint::test;

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
    nlohmann::json every_migration = nlohmann::json::array();
    for (int version = 1; version <= salesint::current_schema_version(); ++version) {
        every_migration.push_back(version);
    }
    CHECK(result.json()["applied_migrations"] == every_migration);
    RunResult json_logs =
        run_salesint({"--state", dir.file("b.db"), "-v", "--log-format", "json", "state", "init"});
    std::string first_line = json_logs.err.substr(0, json_logs.err.find('\n'));
    auto parsed = nlohmann::json::parse(first_line, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    CHECK(parsed["level"] == "debug");
}
