#include "salesint/execute/health.hpp"

#include <algorithm>
#include <future>
#include <optional>
#include <vector>

#include "salesint/domain/connectors.hpp"
#include "salesint/execute/connector_auth.hpp"
#include "salesint/net/http_client.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/log.hpp"

namespace salesint::execute {
namespace {

// Connectors asked at the same time, at most.
constexpr std::size_t kParallelProbes = 16;

// One GET of the connector's health URL, without credentials: a health path
// answers without them (README.md, "Health").
health::Check probe(const Connector& connector, std::chrono::milliseconds timeout) {
    const std::string url = health::health_url(connector.base_url, connector.health_path);
    const net::HttpResponse response = net::http_get(url, {}, timeout);
    health::Answer answer;
    answer.http_status = response.status;
    answer.timed_out = response.timed_out;
    answer.error = response.error;
    answer.latency_ms = response.elapsed_ms;  // not the loading of the network module
    return health::judge_answer(connector.system_code, url, answer, timeout);
}

health::Check secret_check(const Connector& connector) {
    health::Check check;
    check.name = connector.system_code;
    check.kind = health::CheckKind::kSecret;
    if (std::optional<std::string> missing = missing_secret(connector)) {
        check.status = health::CheckStatus::kUnhealthy;
        check.detail = *missing;
        return check;
    }
    check.detail =
        (!connector.secret_env.empty() ? "environment variable " + connector.secret_env + " is set"
                                       : "file " + connector.secret_file + " is readable") +
        " (auth_method " + connector.auth_method + ")";
    return check;
}

// The connectors to check: the one named, or every one of the tenant.
std::vector<Connector> connectors_to_check(Store& store, const std::string& named) {
    if (named.empty()) {
        return store.list_connectors();
    }
    return {connectors::get(store, named)};
}

}  // namespace

health::Report check_health(const std::string& state_path, const std::function<Store&()>& open,
                            const HealthOptions& options) {
    health::Report report;
    report.checked_at = now_rfc3339();
    report.checks.push_back(health::check_state(state_path, open));
    if (report.checks.back().status != health::CheckStatus::kHealthy) {
        return report;
    }
    std::vector<Connector> active;
    for (Connector& connector : connectors_to_check(open(), options.connector)) {
        if (!connector.is_active) {
            if (!options.connector.empty()) {
                log::warn("connector " + connector.system_code + " is disabled: not checked");
            }
            continue;
        }
        if (connector.base_url.empty() && !needs_secret(connector.auth_method) &&
            !options.connector.empty()) {
            log::warn("connector " + connector.system_code +
                      " has no base_url and needs no secret: nothing to check");
        }
        active.push_back(std::move(connector));
    }

    // Each connector's GET, a batch at a time on threads of their own; the
    // store is not touched meanwhile.
    std::vector<std::optional<health::Check>> answers(active.size());
    for (std::size_t first = 0; first < active.size(); first += kParallelProbes) {
        const std::size_t end = std::min(active.size(), first + kParallelProbes);
        std::vector<std::future<health::Check>> running(end - first);
        for (std::size_t i = first; i < end; ++i) {
            if (!active[i].base_url.empty()) {
                running[i - first] =
                    std::async(std::launch::async, probe, std::cref(active[i]), options.timeout);
            }
        }
        for (std::size_t i = first; i < end; ++i) {
            if (running[i - first].valid()) {
                answers[i] = running[i - first].get();
            }
        }
    }

    for (std::size_t i = 0; i < active.size(); ++i) {
        if (answers[i]) {
            report.checks.push_back(std::move(*answers[i]));
        }
        if (needs_secret(active[i].auth_method)) {
            report.checks.push_back(secret_check(active[i]));
        }
    }

    // The outbox relay's sink is named on the relay's command line, not
    // stored, so there is nothing to check here (README, "Health").
    return report;
}

}  // namespace salesint::execute
