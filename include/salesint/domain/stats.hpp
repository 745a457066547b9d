// What `salesint stats` reports and what `stats --check` alerts on, computed
// from the state file: per adapter, executions, success and error rates and
// duration percentiles; the DLQ, the outbox, webhook deliveries and breakers.
// The default alert thresholds are README's ("Stats and alerts"): error rate
// above 5% over 5 minutes, P95 above 2 s over 5 minutes, webhook failures
// above 10% over 10 minutes, any circuit breaker open, plus the DLQ's size
// and the outbox's oldest pending envelope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/output.hpp"
#include "salesint/store.hpp"

namespace salesint::stats {

struct AdapterStats {
    std::string adapter_id;
    std::int64_t executions = 0;
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;  // failed or dead-lettered
    double success_rate = 0;  // 0..1; 0 with no executions
    double error_rate = 0;
    std::int64_t p50_ms = 0, p95_ms = 0, p99_ms = 0;  // nearest-rank
    std::int64_t dlq_pending = 0;
    std::string oldest_pending_dlq_at;  // empty: none
};

struct Report {
    std::string since;  // empty: everything in the file
    std::string now;
    std::vector<AdapterStats> adapters;  // by adapter id
    std::int64_t dlq_pending = 0;
    std::string oldest_pending_dlq_at;
    std::int64_t webhook_deliveries = 0;
    std::int64_t webhook_delivered = 0;
    std::optional<double> webhook_success_rate;  // none without deliveries
    std::int64_t outbox_backlog = 0;             // not published, not dead-lettered
    std::string oldest_pending_outbox_at;
    std::vector<std::string> open_breakers;  // connector codes
};

// since: RFC 3339 (empty: all); adapter: empty for every adapter.
Report compute(Store& store, const std::string& since, const std::string& adapter,
               const std::string& now);

struct Thresholds {
    double error_rate = 0.05;
    std::int64_t error_window_s = 300;
    std::int64_t p95_ms = 2000;
    std::int64_t latency_window_s = 300;
    double webhook_failure_rate = 0.10;
    std::int64_t webhook_window_s = 600;
    std::int64_t dlq_max = 0;             // pending entries allowed; -1: not checked
    std::int64_t outbox_max_age_s = 900;  // oldest pending envelope; -1: not checked
    int min_samples = 1;                  // fewer executions in a window: no rate alert
};

struct Breach {
    std::string
        check;  // error_rate, p95_latency, webhook_failures, breaker_open, dlq_size, outbox_age
    std::string subject;  // adapter id, connector code, or "dlq" / "outbox" / "webhooks"
    std::string message;  // one line: what, how much, over which window, the threshold
};

// Every threshold crossed at now; adapter: empty for every adapter.
std::vector<Breach> check(Store& store, const Thresholds& thresholds, const std::string& adapter,
                          const std::string& now);

OrderedJson report_json(const Report& report, const std::string& tenant);
OrderedJson breach_json(const Breach& breach);

// Nearest-rank percentile (0 < p <= 100) of sorted values; 0 when empty.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p);

}  // namespace salesint::stats
