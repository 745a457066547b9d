#include "salesint/domain/stats.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "salesint/domain/circuit_breaker.hpp"
#include "salesint/util/clock.hpp"

namespace salesint::stats {
namespace {

std::string seconds_before(const std::string& now, std::int64_t seconds) {
    auto instant = parse_rfc3339(now);
    if (!instant) {
        return "";
    }
    return format_rfc3339_utc(Instant{instant->epoch_seconds - seconds, ""});
}

std::int64_t age_seconds(const std::string& at, const std::string& now) {
    auto from = parse_rfc3339(at);
    auto to = parse_rfc3339(now);
    return from && to ? std::max<std::int64_t>(0, to->epoch_seconds - from->epoch_seconds) : 0;
}

std::string percent(double rate) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", rate * 100);
    return text;
}

std::string window_text(std::int64_t seconds) {
    return seconds % 60 == 0 ? std::to_string(seconds / 60) + " min"
                             : std::to_string(seconds) + " s";
}

bool failed(ExecutionStatus status) {
    return status != ExecutionStatus::kSucceeded;
}

std::vector<AdapterStats> by_adapter(const std::vector<ExecutionSample>& samples) {
    std::map<std::string, std::vector<const ExecutionSample*>> grouped;
    for (const ExecutionSample& sample : samples) {
        grouped[sample.adapter_id].push_back(&sample);
    }
    std::vector<AdapterStats> adapters;
    for (const auto& [id, rows] : grouped) {
        AdapterStats stats;
        stats.adapter_id = id;
        std::vector<std::int64_t> durations;
        for (const ExecutionSample* row : rows) {
            ++stats.executions;
            (failed(row->status) ? stats.failed : stats.succeeded) += 1;
            durations.push_back(row->duration_ms);
        }
        std::sort(durations.begin(), durations.end());
        stats.success_rate =
            static_cast<double>(stats.succeeded) / static_cast<double>(stats.executions);
        stats.error_rate =
            static_cast<double>(stats.failed) / static_cast<double>(stats.executions);
        stats.p50_ms = percentile(durations, 50);
        stats.p95_ms = percentile(durations, 95);
        stats.p99_ms = percentile(durations, 99);
        adapters.push_back(std::move(stats));
    }
    return adapters;
}

AdapterStats& adapter_row(std::vector<AdapterStats>& adapters, const std::string& id) {
    for (AdapterStats& stats : adapters) {
        if (stats.adapter_id == id) {
            return stats;
        }
    }
    AdapterStats added;
    added.adapter_id = id;
    adapters.push_back(added);
    return adapters.back();
}

OrderedJson text_or_null(const std::string& text) {
    return text.empty() ? OrderedJson() : OrderedJson(text);
}

}  // namespace

std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
    if (sorted.empty()) {
        return 0;
    }
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

Report compute(Store& store, const std::string& since, const std::string& adapter,
               const std::string& now) {
    Report report;
    report.since = since;
    report.now = now;
    report.adapters = by_adapter(store.list_execution_samples(since, adapter));
    for (const DlqSummary& summary : store.summarize_dlq()) {
        if (!adapter.empty() && summary.adapter_id != adapter) {
            continue;
        }
        AdapterStats& row = adapter_row(report.adapters, summary.adapter_id);
        row.dlq_pending = summary.pending;
        row.oldest_pending_dlq_at = summary.oldest_failed_at;
        report.dlq_pending += summary.pending;
        if (report.oldest_pending_dlq_at.empty() ||
            summary.oldest_failed_at < report.oldest_pending_dlq_at) {
            report.oldest_pending_dlq_at = summary.oldest_failed_at;
        }
    }
    std::sort(
        report.adapters.begin(), report.adapters.end(),
        [](const AdapterStats& a, const AdapterStats& b) { return a.adapter_id < b.adapter_id; });
    for (const WebhookDelivery& delivery : store.list_webhook_deliveries(since)) {
        ++report.webhook_deliveries;
        report.webhook_delivered += delivery.outcome == "delivered" ? 1 : 0;
    }
    if (report.webhook_deliveries > 0) {
        report.webhook_success_rate = static_cast<double>(report.webhook_delivered) /
                                      static_cast<double>(report.webhook_deliveries);
    }
    OutboxBacklog backlog = store.outbox_backlog();
    report.outbox_backlog = backlog.count;
    report.oldest_pending_outbox_at = backlog.oldest_created_at;
    for (const Connector& connector : store.list_connectors()) {
        if (store.load_breaker(connector.system_code).state != BreakerState::kClosed) {
            report.open_breakers.push_back(connector.system_code);
        }
    }
    return report;
}

std::vector<Breach> check(Store& store, const Thresholds& t, const std::string& adapter,
                          const std::string& now) {
    std::vector<Breach> breaches;
    const std::int64_t widest = std::max(t.error_window_s, t.latency_window_s);
    const std::vector<ExecutionSample> samples =
        store.list_execution_samples(seconds_before(now, widest), adapter);
    auto in_window = [&](std::int64_t window_s) {
        const std::string from = seconds_before(now, window_s);
        std::vector<ExecutionSample> kept;
        std::copy_if(samples.begin(), samples.end(), std::back_inserter(kept),
                     [&](const ExecutionSample& s) { return s.created_at >= from; });
        return kept;
    };
    for (const AdapterStats& stats : by_adapter(in_window(t.error_window_s))) {
        if (stats.executions >= t.min_samples && stats.error_rate > t.error_rate) {
            breaches.push_back({"error_rate", stats.adapter_id,
                                stats.adapter_id + ": error rate " + percent(stats.error_rate) +
                                    " (" + std::to_string(stats.failed) + " of " +
                                    std::to_string(stats.executions) + ") over the last " +
                                    window_text(t.error_window_s) + ", above " +
                                    percent(t.error_rate)});
        }
    }
    for (const AdapterStats& stats : by_adapter(in_window(t.latency_window_s))) {
        if (stats.executions >= t.min_samples && stats.p95_ms > t.p95_ms) {
            breaches.push_back({"p95_latency", stats.adapter_id,
                                stats.adapter_id + ": P95 " + std::to_string(stats.p95_ms) +
                                    " ms over the last " + window_text(t.latency_window_s) +
                                    ", above " + std::to_string(t.p95_ms) + " ms"});
        }
    }
    std::int64_t deliveries = 0, undelivered = 0;
    for (const WebhookDelivery& delivery :
         store.list_webhook_deliveries(seconds_before(now, t.webhook_window_s))) {
        ++deliveries;
        undelivered += delivery.outcome == "delivered" ? 0 : 1;
    }
    if (deliveries >= t.min_samples && deliveries > 0 &&
        static_cast<double>(undelivered) / static_cast<double>(deliveries) >
            t.webhook_failure_rate) {
        breaches.push_back(
            {"webhook_failures", "webhooks",
             "webhook deliveries: " +
                 percent(static_cast<double>(undelivered) / static_cast<double>(deliveries)) +
                 " failed (" + std::to_string(undelivered) + " of " + std::to_string(deliveries) +
                 ") over the last " + window_text(t.webhook_window_s) + ", above " +
                 percent(t.webhook_failure_rate)});
    }
    for (const Connector& connector : store.list_connectors()) {
        Breaker breaker = store.load_breaker(connector.system_code);
        if (breaker.state != BreakerState::kClosed) {
            breaches.push_back(
                {"breaker_open", connector.system_code,
                 connector.system_code + ": circuit breaker " + to_string(breaker.state) +
                     (breaker.opened_ms > 0 ? " since " + format_unix_ms(breaker.opened_ms)
                                            : std::string())});
        }
    }
    if (t.dlq_max >= 0) {
        std::int64_t pending = 0;
        std::string oldest;
        for (const DlqSummary& summary : store.summarize_dlq()) {
            if (adapter.empty() || summary.adapter_id == adapter) {
                pending += summary.pending;
                if (oldest.empty() || summary.oldest_failed_at < oldest) {
                    oldest = summary.oldest_failed_at;
                }
            }
        }
        if (pending > t.dlq_max) {
            breaches.push_back({"dlq_size", "dlq",
                                "DLQ: " + std::to_string(pending) + " pending entries, above " +
                                    std::to_string(t.dlq_max) + " (oldest failed at " + oldest +
                                    ")"});
        }
    }
    if (t.outbox_max_age_s >= 0) {
        OutboxBacklog backlog = store.outbox_backlog();
        const std::int64_t age =
            backlog.count > 0 ? age_seconds(backlog.oldest_created_at, now) : 0;
        if (backlog.count > 0 && age > t.outbox_max_age_s) {
            breaches.push_back({"outbox_age", "outbox",
                                "outbox: oldest of " + std::to_string(backlog.count) +
                                    " unpublished envelopes waits since " +
                                    backlog.oldest_created_at + " (" + std::to_string(age) +
                                    " s), above " + std::to_string(t.outbox_max_age_s) + " s"});
        }
    }
    return breaches;
}

OrderedJson report_json(const Report& report, const std::string& tenant) {
    OrderedJson adapters = OrderedJson::array();
    for (const AdapterStats& a : report.adapters) {
        OrderedJson row = OrderedJson::object();
        row["adapter_id"] = a.adapter_id;
        row["executions"] = a.executions;
        row["succeeded"] = a.succeeded;
        row["failed"] = a.failed;
        row["success_rate"] = a.executions > 0 ? OrderedJson(a.success_rate) : OrderedJson();
        row["error_rate"] = a.executions > 0 ? OrderedJson(a.error_rate) : OrderedJson();
        row["p50_ms"] = a.executions > 0 ? OrderedJson(a.p50_ms) : OrderedJson();
        row["p95_ms"] = a.executions > 0 ? OrderedJson(a.p95_ms) : OrderedJson();
        row["p99_ms"] = a.executions > 0 ? OrderedJson(a.p99_ms) : OrderedJson();
        row["dlq_pending"] = a.dlq_pending;
        row["oldest_pending_dlq_at"] = text_or_null(a.oldest_pending_dlq_at);
        row["oldest_pending_dlq_age_s"] =
            a.oldest_pending_dlq_at.empty()
                ? OrderedJson()
                : OrderedJson(age_seconds(a.oldest_pending_dlq_at, report.now));
        adapters.push_back(std::move(row));
    }
    OrderedJson json = OrderedJson::object();
    json["tenant_id"] = tenant;
    json["since"] = text_or_null(report.since);
    json["now"] = report.now;
    json["adapters"] = std::move(adapters);
    json["dlq"] = {{"pending", report.dlq_pending},
                   {"oldest_pending_at", text_or_null(report.oldest_pending_dlq_at)}};
    json["webhooks"] = {
        {"deliveries", report.webhook_deliveries},
        {"delivered", report.webhook_delivered},
        {"success_rate",
         report.webhook_success_rate ? OrderedJson(*report.webhook_success_rate) : OrderedJson()}};
    json["outbox"] = {{"backlog", report.outbox_backlog},
                      {"oldest_pending_at", text_or_null(report.oldest_pending_outbox_at)},
                      {"oldest_pending_age_s",
                       report.outbox_backlog > 0
                           ? OrderedJson(age_seconds(report.oldest_pending_outbox_at, report.now))
                           : OrderedJson()}};
    json["open_breakers"] = report.open_breakers;
    return json;
}

OrderedJson breach_json(const Breach& breach) {
    OrderedJson json = OrderedJson::object();
    json["check"] = breach.check;
    json["subject"] = breach.subject;
    json["message"] = breach.message;
    return json;
}

}  // namespace salesint::stats
