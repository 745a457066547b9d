// salesint stats [--adapter ID] [--since T] [--check [thresholds]]
#include <cmath>
#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "option_values.hpp"
#include "salesint/domain/stats.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes = R"(JSON shape of `stats`:
  {"tenant_id", "since", "now", "adapters": [{"adapter_id", "executions", "succeeded", "failed",
     "success_rate", "error_rate", "p50_ms", "p95_ms", "p99_ms", "dlq_pending",
     "oldest_pending_dlq_at", "oldest_pending_dlq_age_s"}],
   "dlq": {"pending", "oldest_pending_at"},
   "webhooks": {"deliveries", "delivered", "success_rate"},
   "outbox": {"backlog", "oldest_pending_at", "oldest_pending_age_s"},
   "open_breakers": ["CODE"]}
Rates are 0..1 (null without executions); durations are the executions' own, nearest-rank.
`stats --check`: {"ok", "breaches": [{"check", "subject", "message"}]}; checks: error_rate,
p95_latency, webhook_failures, breaker_open, dlq_size, outbox_age. Exit 1 when any breach.)";

struct CheckOptions {
    bool check = false;
    std::string max_error_rate = "5";
    std::string error_window = "5m";
    std::string max_p95 = "2s";
    std::string latency_window = "5m";
    std::string max_webhook_failure_rate = "10";
    std::string webhook_window = "10m";
    int max_dlq = 0;
    std::string max_outbox_age = "15m";
    int min_samples = 1;
};

double percent_option(const std::string& text, const char* option) {
    std::size_t used = 0;
    double value = -1;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || !std::isfinite(value) || value < 0 || value > 100) {
        throw usage_error(std::string(option) + ": '" + text +
                          "' is not a percentage from 0 to 100");
    }
    return value / 100;
}

std::int64_t seconds_option(const std::string& text, const char* option) {
    return std::chrono::duration_cast<std::chrono::seconds>(duration_option(text, option)).count();
}

stats::Thresholds thresholds(const CheckOptions& o) {
    stats::Thresholds t;
    t.error_rate = percent_option(o.max_error_rate, "--max-error-rate");
    t.error_window_s = seconds_option(o.error_window, "--error-window");
    t.p95_ms = duration_option(o.max_p95, "--max-p95").count();
    t.latency_window_s = seconds_option(o.latency_window, "--latency-window");
    t.webhook_failure_rate =
        percent_option(o.max_webhook_failure_rate, "--max-webhook-failure-rate");
    t.webhook_window_s = seconds_option(o.webhook_window, "--webhook-window");
    t.dlq_max = o.max_dlq;
    t.outbox_max_age_s =
        o.max_outbox_age == "off" ? -1 : seconds_option(o.max_outbox_age, "--max-outbox-age");
    t.min_samples = o.min_samples;
    return t;
}

std::string rate_text(const OrderedJson& rate) {
    if (rate.is_null()) {
        return "-";
    }
    char text[16];
    std::snprintf(text, sizeof text, "%.1f%%", rate.get<double>() * 100);
    return text;
}

void print_report(Context& context, const OrderedJson& report) {
    if (context.format() != OutputFormat::kText) {
        context.print_object(report);
        return;
    }
    RowWriter writer = context.rows({{"adapter", "ADAPTER"},
                                     {"executions", "EXECUTIONS"},
                                     {"success", "SUCCESS"},
                                     {"errors", "ERRORS"},
                                     {"p50", "P50 MS"},
                                     {"p95", "P95 MS"},
                                     {"p99", "P99 MS"},
                                     {"dlq", "DLQ"},
                                     {"oldest_dlq", "OLDEST DLQ"}});
    for (const OrderedJson& a : report["adapters"]) {
        writer.add({{"adapter", a["adapter_id"]},
                    {"executions", a["executions"]},
                    {"success", rate_text(a["success_rate"])},
                    {"errors", rate_text(a["error_rate"])},
                    {"p50", a["p50_ms"]},
                    {"p95", a["p95_ms"]},
                    {"p99", a["p99_ms"]},
                    {"dlq", a["dlq_pending"]},
                    {"oldest_dlq", a["oldest_pending_dlq_at"]}});
    }
    writer.finish();
    const OrderedJson& webhooks = report["webhooks"];
    const OrderedJson& outbox = report["outbox"];
    std::string lines = "\nDLQ: " + report["dlq"]["pending"].dump() + " pending";
    if (!report["dlq"]["oldest_pending_at"].is_null()) {
        lines += ", oldest failed at " + report["dlq"]["oldest_pending_at"].get<std::string>();
    }
    lines += webhooks["deliveries"] == 0
                 ? std::string("\nwebhook deliveries: none recorded")
                 : "\nwebhook deliveries: " + webhooks["deliveries"].dump() + ", " +
                       rate_text(webhooks["success_rate"]) + " delivered";
    lines += "\noutbox: " + outbox["backlog"].dump() + " unpublished";
    if (!outbox["oldest_pending_at"].is_null()) {
        lines += ", oldest created at " + outbox["oldest_pending_at"].get<std::string>();
    }
    lines += "\ncircuit breakers open: ";
    lines += report["open_breakers"].empty() ? "none" : report["open_breakers"].dump();
    std::cout << lines << "\n";
}

}  // namespace

void install_stats(Command group) {
    Context& context = group.context();
    group.leaf();
    group.footer(kShapes);
    auto adapter = std::make_shared<std::string>();
    auto since = std::make_shared<std::string>();
    auto check = std::make_shared<CheckOptions>();
    group.on_run([=, &context]() -> ExitCode {
        const stats::Thresholds limits = thresholds(*check);  // usage errors before any read
        const std::string now = now_rfc3339();
        const std::string from = time_bound_option(*since, "--since", now);
        if (!check->check) {
            print_report(context,
                         stats::report_json(stats::compute(context.store(), from, *adapter, now),
                                            context.store().tenant()));
            return ExitCode::kSuccess;
        }
        auto breaches = stats::check(context.store(), limits, *adapter, now);
        if (context.format() == OutputFormat::kText) {
            for (const stats::Breach& breach : breaches) {
                std::cout << breach.check << ": " << breach.message << "\n";
            }
            if (breaches.empty() && !context.options.quiet) {
                std::cout << "ok: no threshold crossed\n";
            }
        } else {
            OrderedJson result = OrderedJson::object();
            result["ok"] = breaches.empty();
            result["breaches"] = OrderedJson::array();
            for (const stats::Breach& breach : breaches) {
                result["breaches"].push_back(stats::breach_json(breach));
            }
            context.print_object(result);
        }
        return breaches.empty() ? ExitCode::kSuccess : ExitCode::kNo;
    });
    group.option("--adapter", *adapter, "Only this adapter").type_name("ID");
    group
        .option("--since", *since,
                "Figures over executions and deliveries since TIME (RFC 3339, or an age: 1h, 7d); "
                "default: everything in the state file")
        .type_name("TIME");
    group.flag("--check", check->check,
               "Apply the alert thresholds instead; one line per breach, exit 1 if any");
    group.option("--max-error-rate", check->max_error_rate, "--check: errors above this percentage")
        .type_name("PERCENT")
        .show_default();
    group.option("--error-window", check->error_window, "--check: over this window")
        .type_name("DURATION")
        .show_default();
    group.option("--max-p95", check->max_p95, "--check: P95 duration above this")
        .type_name("DURATION")
        .show_default();
    group.option("--latency-window", check->latency_window, "--check: over this window")
        .type_name("DURATION")
        .show_default();
    group
        .option("--max-webhook-failure-rate", check->max_webhook_failure_rate,
                "--check: failed webhook deliveries above this percentage")
        .type_name("PERCENT")
        .show_default();
    group.option("--webhook-window", check->webhook_window, "--check: over this window")
        .type_name("DURATION")
        .show_default();
    group.option("--max-dlq", check->max_dlq, "--check: pending DLQ entries above this; -1: off")
        .type_name("N")
        .range(-1, 1'000'000'000)
        .show_default();
    group
        .option("--max-outbox-age", check->max_outbox_age,
                "--check: the oldest unpublished envelope older than this; off: not checked")
        .type_name("DURATION")
        .show_default();
    group
        .option("--min-samples", check->min_samples,
                "--check: fewer executions or deliveries in a window raise no rate alert")
        .type_name("N")
        .range(1, 1'000'000)
        .show_default();
}

}  // namespace salesint::cli
