// The exit codes every command shares (commands/cli.cpp maps errors to them),
// swept across the groups against a seeded state file: success (0), usage
// (2), not found (3) and refused (4). A failing command prints one error line
// (plus a usage hint for 2) and leaves the state as it was. Each group's own
// exit-code tests are in its folder (e2e/state/, e2e/webhook/, ...).
#include <catch2/catch.hpp>

#include <algorithm>

#include "e2e/seeded_state.hpp"

using namespace salesint::test;

namespace {

struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string stderr_contains = "";
};

void check_case(const Case& c) {
    SeededState seeded;
    std::string before = snapshot(seeded.state());
    std::vector<std::string> args;
    for (std::string arg : c.args) {
        if (auto at = arg.find("{fixtures}"); at != std::string::npos) {
            arg.replace(at, 10, fixtures_dir());
        }
        if (auto at = arg.find("{dir}"); at != std::string::npos) {
            arg.replace(at, 5, seeded.dir().path());
        }
        args.push_back(arg);
    }
    RunResult result = seeded.run(args);
    std::string command;
    for (const auto& arg : c.args) {
        command += arg + " ";
    }
    INFO("salesint " << command << "\nstdout: " << result.out << "\nstderr: " << result.err);
    CHECK(result.exit_code == c.exit_code);
    if (c.exit_code == 0) {
        CHECK(result.err.empty());
        return;
    }
    if (!c.stderr_contains.empty()) {
        CHECK_THAT(result.err, Catch::Contains(c.stderr_contains));
    }
    if (c.exit_code >= 2) {
        CHECK_THAT(result.err, Catch::StartsWith("salesint: error: "));
        auto lines = std::count(result.err.begin(), result.err.end(), '\n');
        CHECK(lines == (c.exit_code == 2 ? 2 : 1));
        CHECK(snapshot(seeded.state()) == before);
    }
}

}  // namespace

TEST_CASE("commands that succeed exit 0 and print no error", "[e2e][exit_code]") {
    const std::vector<Case> cases{
        {{"state", "init"}, 0},
        {{"state", "info"}, 0},
        {{"state", "check"}, 0},
        {{"state", "migrate"}, 0},
        {{"connector", "add", "ERP", "--connection-type", "rest", "--poll-interval", "15"}, 0},
        {{"connector", "list"}, 0},
        {{"connector", "show", "pyxis"}, 0},
        {{"connector", "set", "PYXIS", "--name", "Pyxis"}, 0},
        {{"connector", "disable", "TEMPO"}, 0},
        {{"connector", "enable", "TEMPO"}, 0},
        {{"mapping", "list", "--system", "PYXIS", "--status", "active"}, 0},
        {{"mapping", "get", "PYXIS", "customer", "CUST-1"}, 0},
        {{"mapping", "resolve", kCustomerUuid}, 0},
        {{"mapping", "set", "PYXIS", "customer", "CUST-1", "--uuid", kCustomerUuid}, 0},
        {{"mapping", "set", "PYXIS", "customer", "CUST-3", "--metadata", R"({"source":"crm"})"}, 0},
        {{"mapping", "approve", "PYXIS", "customer", "CUST-1"}, 0},
        {{"mapping", "remove", "PYXIS", "customer", "CUST-2", "--reason", "duplicate"}, 0},
        {{"mapping", "retire", "PYXIS", "customer", "CUST-2", "--reason", "merged"}, 0},
        {{"job", "import", "--system", "PYXIS", "--entity", "customers", "--from",
          "{fixtures}/jobs/pyxis-customers.ndjson"},
         0},
        {{"job", "import", "--system", "TEMPO", "--entity", "customers", "--from",
          "{fixtures}/jobs/pyxis-customers.ndjson", "--dry-run"},
         0},
        {{"job", "export", "--system", "PYXIS", "--entity", "customer", "--to", "{dir}/out.csv"},
         0},
        {{"job", "list", "--system", "PYXIS", "--status", "failed"}, 0},
        {{"checkpoint", "list"}, 0},
        {{"checkpoint", "get", "TEMPO", "orders"}, 0},
        {{"checkpoint", "set", "TEMPO", "orders", "1501"}, 0},
        {{"checkpoint", "set", "TEMPO", "orders", "1500"}, 0},
        {{"checkpoint", "reset", "TEMPO", "orders", "--reason", "replay", "--to", "1"}, 0},
        {{"audit", "list", "--since", "2020-01-01T00:00:00+02:00", "--action", "mapping"}, 0},
        {{"completion", "bash"}, 0},
        {{"completion", "zsh"}, 0},
        {{"completion", "fish"}, 0},
        {{"--version"}, 0},
        {{"mapping", "set", "--help"}, 0},
    };
    for (const auto& c : cases) {
        check_case(c);
    }
}

TEST_CASE("missing things exit 3 and name what was not found", "[e2e][exit_code]") {
    const std::vector<Case> cases{
        {{"connector", "show", "NOPE"}, 3, "connector NOPE not found"},
        {{"connector", "set", "NOPE", "--name", "x"}, 3, "connector NOPE not found"},
        {{"connector", "enable", "NOPE"}, 3, "connector NOPE not found"},
        {{"connector", "remove", "NOPE"}, 3, "connector NOPE not found"},
        {{"mapping", "get", "PYXIS", "customer", "NOPE"},
         3,
         "mapping PYXIS/customer/NOPE not found"},
        {{"mapping", "resolve", kUnusedUuid}, 3, kUnusedUuid},
        {{"mapping", "approve", "PYXIS", "customer", "NOPE"}, 3, "PYXIS/customer/NOPE"},
        {{"mapping", "approve", "PYXIS", "invoice"}, 3, "PYXIS/invoice"},
        {{"mapping", "remove", "PYXIS", "customer", "NOPE"}, 3, "PYXIS/customer/NOPE"},
        {{"mapping", "set", "NOPE", "customer", "X"}, 3, "connector NOPE not found"},
        {{"checkpoint", "get", "PYXIS", "invoices"}, 3, "checkpoint PYXIS/invoices not found"},
        {{"checkpoint", "reset", "PYXIS", "invoices", "--reason", "x"}, 3, "PYXIS/invoices"},
        {{"checkpoint", "set", "NOPE", "orders", "1"}, 3, "connector NOPE not found"},
        {{"mapping", "retire", "PYXIS", "customer", "NOPE", "--reason", "x"},
         3,
         "PYXIS/customer/NOPE"},
        {{"job", "show", "run_nope"}, 3, "job run run_nope not found"},
        {{"job", "errors", "run_nope"}, 3, "job run run_nope not found"},
        {{"job", "import", "--system", "NOPE", "--entity", "orders", "--from",
          "{fixtures}/jobs/pyxis-orders.ndjson"},
         3,
         "connector NOPE not found"},
        {{"job", "import", "--system", "NOPE", "--entity", "orders", "--from", "connector"},
         3,
         "connector NOPE not found"},
        {{"job", "export", "--system", "NOPE", "--entity", "orders", "--to", "{dir}/out.ndjson"},
         3,
         "connector NOPE not found"},
    };
    for (const auto& c : cases) {
        check_case(c);
    }
}

TEST_CASE("conflicts and regressions exit 4 and change nothing", "[e2e][exit_code]") {
    const std::vector<Case> cases{
        {{"connector", "add", "PYXIS"}, 4, "already exists"},
        {{"connector", "remove", "PYXIS"}, 4, "still referred to"},
        {{"mapping", "set", "PYXIS", "customer", "CUST-1", "--uuid", kUnusedUuid}, 4, "--force"},
        {{"checkpoint", "set", "PYXIS", "orders", "2026-10-31T23:59:59Z"},
         4,
         "refusing to move it back"},
        {{"checkpoint", "set", "PYXIS", "orders", "2026-11-01T00:59:59+01:00"}, 4, "refusing"},
        {{"checkpoint", "set", "TEMPO", "orders", "999"}, 4, "is at 1500"},
        {{"job", "import", "--system", "PYXIS", "--entity", "orders", "--from",
          "{fixtures}/jobs/pyxis-orders.ndjson", "--resume"},
         4,
         "nothing to resume"},
    };
    for (const auto& c : cases) {
        check_case(c);
    }
}

TEST_CASE("usage errors exit 2 with one line and a hint", "[e2e][exit_code]") {
    const std::vector<Case> cases{
        {{"frobnicate"}, 2},
        {{"checkpoint"}, 2, "Run 'salesint checkpoint --help' for usage."},
        {{"checkpoint", "set", "PYXIS"}, 2, "Run 'salesint checkpoint set --help' for usage."},
        {{"checkpoint", "set", "TEMPO", "orders", "not-a-number"}, 2, "holds integer values"},
        {{"checkpoint", "set", "PYXIS", "orders", "1", "--kind", "integer"}, 2, "timestamp"},
        {{"checkpoint", "reset", "PYXIS", "orders"}, 2, "--reason"},
        {{"checkpoint", "reset", "PYXIS", "orders", "--reason", " "}, 2, "--reason"},
        {{"checkpoint", "set", "--from-json", "{fixtures}/checkpoints/broken.json"},
         2,
         "broken.json:5:3: invalid JSON"},
        {{"checkpoint", "set", "--from-json", "/nonexistent/file.json"},
         2,
         "cannot read /nonexistent"},
        {{"checkpoint", "set", "--from-json", "{fixtures}/checkpoints/other-tenant.json"},
         2,
         "/tenant_id"},
        {{"mapping", "set", "PYXIS", "customer", "X", "--uuid", "not-a-uuid"}, 2, "is not a UUID"},
        {{"mapping", "set", "PYXIS", "customer", "X", "--metadata", "[1]"}, 2, "JSON object"},
        {{"mapping", "set", "PYXIS", "customer", "X", "--metadata", "{"}, 2, "--metadata:1:2"},
        {{"mapping", "list", "--status", "bogus"}, 2, "--status"},
        {{"mapping", "resolve", "nope"}, 2, "not a UUID"},
        {{"connector", "add", "ERP", "--base-url", "https://u:p@erp.example.com"},
         2,
         "credentials"},
        {{"connector", "add", "ERP", "--base-url", "erp.example.com"}, 2, "absolute URL"},
        {{"connector", "add", "1ERP"}, 2, "system code"},
        {{"connector", "add", "ERP", "--poll-interval", "0"}, 2, "--poll-interval"},
        {{"connector", "add", "ERP", "--auth-method", "magic"}, 2, "--auth-method"},
        {{"connector", "list", "-o", "yaml"}, 2, "--output"},
        {{"audit", "list", "--since", "yesterday"}, 2, "RFC 3339"},
        {{"job"}, 2, "Run 'salesint job --help' for usage."},
        {{"job", "import", "--system", "PYXIS", "--entity", "orders"}, 2, "--from"},
        {{"job", "import", "--system", "PYXIS", "--entity", "orders", "--from",
          "/nonexistent/orders.ndjson"},
         2,
         "/nonexistent/orders.ndjson"},
        {{"job", "import", "--system", "PYXIS", "--entity", "orders", "--from",
          "{fixtures}/jobs/pyxis-orders.ndjson", "--format", "xml"},
         2,
         "--format"},
        {{"job", "import", "--system", "PYXIS", "--entity", "orders", "--from",
          "{fixtures}/jobs/pyxis-orders.ndjson", "--batch-size", "0"},
         2,
         "--batch-size"},
        {{"job", "import", "--system", "TEMPO", "--entity", "orders", "--from", "connector"},
         2,
         "has no base_url"},
        {{"job", "import", "--system", "PYXIS", "--entity", "orders", "--from", "connector"},
         2,
         "hmac"},
        {{"job", "export", "--system", "PYXIS", "--entity", "customer"}, 2, "--to"},
        {{"job", "export", "--system", "TEMPO", "--entity", "orders", "--to", "connector"},
         2,
         "has no base_url"},
        {{"job", "export", "--system", "PYXIS", "--entity", "orders", "--from",
          "/nonexistent/facts.ndjson", "--to", "{dir}/out.ndjson"},
         2,
         "/nonexistent/facts.ndjson"},
        {{"job", "list", "--status", "bogus"}, 2, "--status"},
        {{"job", "list", "--since", "yesterday"}, 2, "--since"},
        {{"job", "show"}, 2, "RUN"},
        {{"job", "errors", "run_nope", "--severity", "fatal"}, 2, "--severity"},
        {{"mapping", "retire", "PYXIS", "customer", "CUST-1"}, 2, "--reason"},
        {{"mapping", "retire", "PYXIS", "customer", "CUST-1", "--reason", " "}, 2, "--reason"},
    };
    for (const auto& c : cases) {
        check_case(c);
    }
}
