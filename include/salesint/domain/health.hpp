// `salesint health` (README.md, "Health"): what is healthy. A report is one
// check per line, each healthy, unhealthy or unreachable, and the report is
// as bad as its worst check. The rules, the state file's check and the JSON
// shape live here; asking the connectors over the network, and whether their
// secrets are there, is execute/health.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "salesint/errors.hpp"
#include "salesint/model.hpp"
#include "salesint/output.hpp"
#include "salesint/store.hpp"

namespace salesint::health {

// What a check looks at. The outbox relay's sink is not stored, so it has no
// kind here (README, "Health").
enum class CheckKind { kState, kConnector, kSecret };

// From best to worst: the report's status is its worst check's.
enum class CheckStatus { kHealthy, kUnhealthy, kUnreachable };

struct Check {
    std::string name;  // "state", or the connector's system code
    CheckKind kind = CheckKind::kState;
    CheckStatus status = CheckStatus::kHealthy;
    std::optional<std::int64_t> latency_ms;  // connector checks: until the answer or the failure
    std::optional<int> http_status;          // connector checks that got an answer
    std::string detail;                      // never a URL's query, never a secret
};

struct Report {
    std::string checked_at;  // RFC 3339, UTC
    std::vector<Check> checks;
};

std::string to_string(CheckKind kind);
std::string to_string(CheckStatus status);

// The worst status of the checks; healthy when there are none.
CheckStatus overall(const std::vector<Check>& checks);
// 0 healthy, 1 unhealthy, 5 unreachable (the worst wins, 5 over 1).
ExitCode exit_code(CheckStatus status);

// The URL a connector's health is asked at: base_url with health_path added
// to its path (an empty health_path asks base_url itself). A query of either
// is kept, base_url's first; a fragment is dropped.
std::string health_url(const std::string& base_url, const std::string& health_path);
// url as messages show it: without its query (it could carry something
// sensitive) and fragment.
std::string without_query(const std::string& url);

// What one GET of a health URL brought back.
struct Answer {
    long http_status = 0;  // 0: no answer
    bool timed_out = false;
    std::string error;  // why there was no answer
    std::int64_t latency_ms = 0;
};

// A connector's check from its answer: 2xx and 3xx (redirects are not
// followed) are healthy; 4xx, the connector answers but refuses, and 5xx are
// unhealthy; no answer in time, or none at all, is unreachable.
Check judge_answer(const std::string& connector, const std::string& url, const Answer& answer,
                   std::chrono::milliseconds timeout);

// The state file at path: it exists (it is never created here), opens, and
// passes the store's quick check. open is called only when the file exists.
Check check_state(const std::string& path, const std::function<Store&()>& open);

// {"status", "checked_at", "checks": [{"name", "kind", "status",
// "latency_ms", "http_status", "detail"}]}
OrderedJson report_json(const Report& report);
OrderedJson check_json(const Check& check);

}  // namespace salesint::health
