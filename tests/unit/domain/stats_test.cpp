// The figures and alert checks of `stats` (src/domain/stats.cpp) over a real
// state file: percentiles by nearest rank, rates per adapter, and each check
// firing only past its threshold and inside its window.
#include <catch2/catch.hpp>

#include "salesint/domain/stats.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::open_at;
using salesint::test::TempDir;

namespace {

void add_execution(Store& store, const std::string& id, ExecutionStatus status,
                   std::int64_t duration_ms, const std::string& at) {
    Execution e;
    e.execution_id = id;
    e.message_id = "msg-" + id;
    e.adapter_id = "a.v1";
    e.mode = ExecutionMode::kLive;
    e.input_sha256 = "0";
    e.input = "{}";
    e.status = status;
    e.duration_ms = duration_ms;
    e.created_at = e.updated_at = at;
    store.write([&] { REQUIRE(store.insert_execution(e)); });
}

}  // namespace

TEST_CASE("percentiles are nearest-rank over sorted values", "[stats][backends]") {
    std::vector<std::int64_t> values;
    for (int i = 1; i <= 100; ++i) {
        values.push_back(i);
    }
    CHECK(stats::percentile(values, 50) == 50);
    CHECK(stats::percentile(values, 95) == 95);
    CHECK(stats::percentile(values, 99) == 99);
    CHECK(stats::percentile({7}, 99) == 7);
    CHECK(stats::percentile({}, 50) == 0);
    CHECK(stats::percentile({1, 2, 3, 1000}, 50) == 2);
}

TEST_CASE("error rate and P95 alerts look only inside their windows", "[stats][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    const std::string now = "2026-03-10T12:00:00Z";
    // An hour ago: all failed and slow. Inside the last 5 minutes: 19 fast
    // successes and one failure (5%, not above 5%).
    for (int i = 0; i < 10; ++i) {
        add_execution(*store, "old" + std::to_string(i), ExecutionStatus::kDeadLettered, 9000,
                      "2026-03-10T11:00:00Z");
    }
    for (int i = 0; i < 19; ++i) {
        add_execution(*store, "ok" + std::to_string(i), ExecutionStatus::kSucceeded, 100,
                      "2026-03-10T11:58:00Z");
    }
    add_execution(*store, "bad", ExecutionStatus::kFailed, 100, "2026-03-10T11:59:00Z");

    stats::Thresholds thresholds;
    thresholds.dlq_max = -1;
    thresholds.outbox_max_age_s = -1;
    CHECK(stats::check(*store, thresholds, "", now).empty());

    thresholds.error_rate = 0.04;
    auto breaches = stats::check(*store, thresholds, "", now);
    REQUIRE(breaches.size() == 1);
    CHECK(breaches[0].check == "error_rate");
    CHECK(breaches[0].subject == "a.v1");

    thresholds.error_window_s = 2 * 3600;  // the old failures count now
    thresholds.latency_window_s = 2 * 3600;
    thresholds.error_rate = 0.05;
    breaches = stats::check(*store, thresholds, "", now);
    REQUIRE(breaches.size() == 2);
    CHECK(breaches[1].check == "p95_latency");
    CHECK_THAT(breaches[1].message, Catch::Contains("P95 9000 ms"));

    stats::Report report = stats::compute(*store, "", "", now);
    REQUIRE(report.adapters.size() == 1);
    CHECK(report.adapters[0].executions == 30);
    CHECK(report.adapters[0].failed == 11);
    CHECK(report.adapters[0].p50_ms == 100);
    CHECK(report.adapters[0].p99_ms == 9000);
}
