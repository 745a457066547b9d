// salesint health [--connector CODE] [--timeout DURATION]
#include <algorithm>
#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "option_values.hpp"
#include "salesint/domain/health.hpp"
#include "salesint/execute/health.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kFooter = R"(One line per check, then the verdict:
  ok    state          ./salesint.db (quick_check ok, schema 3)
  FAIL  connector ERP  HTTP 503 in 12 ms (GET https://erp.example.com/api/health)
  DOWN  connector FSM  no answer within 5000 ms (GET https://fsm.example.com/health)
  FAIL  secret ERP     environment variable ERP_TOKEN is not set (...)
  unreachable: 1 of 4 checks ok, 2 unhealthy, 1 unreachable
Checks: the state file exists (it is never created here), opens and passes
SQLite's quick check; each active connector with a base_url answers a GET of
base_url + health_path (no credentials sent, redirects not followed) within
--timeout; each active connector whose auth_method is bearer, basic, api_key or
hmac has its secret: the environment variable set and not empty, or the file
readable and not empty (the value is never read for this, nor shown). Disabled
connectors are not checked. A missing or damaged state file is the one check.
Healthy: 2xx and 3xx. Unhealthy (FAIL): 4xx (answers but refuses), 5xx, a
missing secret, a failed state check. Unreachable (DOWN): no answer in time,
refused connection, unknown host. URLs are shown without their query.

Exit codes: 0 healthy, 1 unhealthy, 5 unreachable (the worst check decides:
5 wins over 1), 2 bad options, 3 --connector names no connector.

JSON shape (-o json; -o ndjson on one line; -o csv: one record per check):
  {"status": "healthy" | "unhealthy" | "unreachable", "checked_at",
   "checks": [{"name", "kind": "state" | "connector" | "secret",
               "status", "latency_ms", "http_status", "detail"}]}
  name is "state" or the connector's code; latency_ms and http_status are null
  but for connectors (http_status null when no answer came).)";

const std::vector<Column> kColumns{{"name", "name"},
                                   {"kind", "kind"},
                                   {"status", "status"},
                                   {"latency_ms", "latency_ms"},
                                   {"http_status", "http_status"},
                                   {"detail", "detail"}};

const char* word(health::CheckStatus status) {
    switch (status) {
        case health::CheckStatus::kHealthy:
            return "ok";
        case health::CheckStatus::kUnhealthy:
            return "FAIL";
        case health::CheckStatus::kUnreachable:
            return "DOWN";
    }
    return "FAIL";
}

std::string subject(const health::Check& check) {
    return check.kind == health::CheckKind::kState
               ? health::to_string(check.kind)
               : health::to_string(check.kind) + " " + check.name;
}

void print_text(const health::Report& report) {
    std::size_t width = 0;
    for (const health::Check& check : report.checks) {
        width = std::max(width, subject(check).size());
    }
    std::size_t healthy = 0, unhealthy = 0, unreachable = 0;
    for (const health::Check& check : report.checks) {
        std::string shown = subject(check);
        shown.resize(width, ' ');
        std::string status = word(check.status);
        status.resize(4, ' ');
        std::cout << status << "  " << escape_control(shown) << "  " << escape_control(check.detail)
                  << '\n';
        healthy += check.status == health::CheckStatus::kHealthy;
        unhealthy += check.status == health::CheckStatus::kUnhealthy;
        unreachable += check.status == health::CheckStatus::kUnreachable;
    }
    std::cout << health::to_string(health::overall(report.checks)) << ": " << healthy << " of "
              << report.checks.size() << " checks ok";
    if (unhealthy > 0) {
        std::cout << ", " << unhealthy << " unhealthy";
    }
    if (unreachable > 0) {
        std::cout << ", " << unreachable << " unreachable";
    }
    std::cout << '\n';
}

}  // namespace

void install_health(Command group) {
    Context& context = group.context();
    auto connector = std::make_shared<std::string>();
    auto timeout = std::make_shared<std::string>("5s");
    group.leaf();
    group.on_run([&context, connector, timeout] {
        execute::HealthOptions options;
        options.connector = *connector;
        options.timeout = duration_option(*timeout, "--timeout");
        const health::Report report = execute::check_health(
            context.options.state_path, [&context]() -> Store& { return context.store(); },
            options);
        switch (context.format()) {
            case OutputFormat::kText:
                print_text(report);
                break;
            case OutputFormat::kCsv: {
                OrderedJson rows = OrderedJson::array();
                for (const health::Check& check : report.checks) {
                    rows.push_back(health::check_json(check));
                }
                context.print_rows(kColumns, rows);
                break;
            }
            default:
                context.print_object(health::report_json(report));
        }
        return health::exit_code(health::overall(report.checks));
    });
    group
        .option("--connector", *connector,
                "Check only this connector (and the state file); exit 3 if it does not exist")
        .type_name("CODE")
        .identifier();
    group
        .option("--timeout", *timeout,
                "How long each connector has to answer its GET (they are asked at once)")
        .type_name("DURATION")
        .show_default();
    group.footer(kFooter);
}

}  // namespace salesint::cli
