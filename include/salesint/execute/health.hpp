// `salesint health` (README.md, "Health"): the state file, then for each
// active connector a GET of its health URL and whether its secret source is
// there. What counts as healthy is domain/health.hpp; this asks the network.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "salesint/domain/health.hpp"
#include "salesint/store.hpp"

namespace salesint::execute {

struct HealthOptions {
    std::string connector;  // a system code: only its checks; empty: every active connector
    std::chrono::milliseconds timeout{5000};  // for each connector's answer
};

// The report, in order: the state file; then per connector (by system code)
// its GET, when it has a base_url, and its secret source, when its
// auth_method needs one. A disabled connector is not checked. The connectors
// are asked at once, so the whole takes about the timeout at most. When the
// state file is missing or fails its check, the report holds that check
// alone: no connector can be read. Throws kNotFound for an unknown
// options.connector.
health::Report check_health(const std::string& state_path, const std::function<Store&()>& open,
                            const HealthOptions& options);

}  // namespace salesint::execute
