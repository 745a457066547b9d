#include "salesint/domain/health.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "salesint/domain/state.hpp"
#include "salesint/util/state_location.hpp"

namespace salesint::health {
namespace {

// A URL cut before its fragment, then before its query.
struct UrlParts {
    std::string before_query;
    std::string query;  // without the '?'
};

UrlParts split(const std::string& url) {
    const std::string without_fragment = url.substr(0, url.find('#'));
    const auto question = without_fragment.find('?');
    if (question == std::string::npos) {
        return {without_fragment, ""};
    }
    return {without_fragment.substr(0, question), without_fragment.substr(question + 1)};
}

// text without the query and fragment of url wherever it repeats them (a
// transport error may quote the URL it was given).
std::string scrubbed(std::string text, const std::string& url) {
    const auto start = url.find_first_of("?#");
    if (start == std::string::npos) {
        return text;
    }
    const std::string tail = url.substr(start);
    for (auto at = text.find(tail); at != std::string::npos; at = text.find(tail, at)) {
        text.erase(at, tail.size());
    }
    return text;
}

std::string milliseconds_text(std::int64_t ms) {
    return std::to_string(ms) + " ms";
}

}  // namespace

std::string to_string(CheckKind kind) {
    switch (kind) {
        case CheckKind::kState:
            return "state";
        case CheckKind::kConnector:
            return "connector";
        case CheckKind::kSecret:
            return "secret";
    }
    return "state";
}

std::string to_string(CheckStatus status) {
    switch (status) {
        case CheckStatus::kHealthy:
            return "healthy";
        case CheckStatus::kUnhealthy:
            return "unhealthy";
        case CheckStatus::kUnreachable:
            return "unreachable";
    }
    return "unhealthy";
}

CheckStatus overall(const std::vector<Check>& checks) {
    CheckStatus worst = CheckStatus::kHealthy;
    for (const Check& check : checks) {
        worst = std::max(worst, check.status);
    }
    return worst;
}

ExitCode exit_code(CheckStatus status) {
    switch (status) {
        case CheckStatus::kHealthy:
            return ExitCode::kSuccess;
        case CheckStatus::kUnhealthy:
            return ExitCode::kNo;
        case CheckStatus::kUnreachable:
            return ExitCode::kTransient;
    }
    return ExitCode::kNo;
}

std::string health_url(const std::string& base_url, const std::string& health_path) {
    const UrlParts base = split(base_url);
    const UrlParts path = split(health_path);
    std::string url = base.before_query;
    if (!path.before_query.empty()) {
        while (!url.empty() && url.back() == '/') {
            url.pop_back();
        }
        url += path.before_query;
    }
    std::string query = base.query;
    if (!path.query.empty()) {
        query += (query.empty() ? "" : "&") + path.query;
    }
    return query.empty() ? url : url + "?" + query;
}

std::string without_query(const std::string& url) {
    return url.substr(0, url.find_first_of("?#"));
}

Check judge_answer(const std::string& connector, const std::string& url, const Answer& answer,
                   std::chrono::milliseconds timeout) {
    Check check;
    check.name = connector;
    check.kind = CheckKind::kConnector;
    check.latency_ms = answer.latency_ms;
    const std::string asked = " (GET " + without_query(url) + ")";
    if (answer.http_status == 0) {
        check.status = CheckStatus::kUnreachable;
        check.detail = answer.timed_out
                           ? "no answer within " + milliseconds_text(timeout.count())
                           : "no answer after " + milliseconds_text(answer.latency_ms) + ": " +
                                 scrubbed(answer.error, url);
        check.detail += asked;
        return check;
    }
    const long status = answer.http_status;
    check.http_status = static_cast<int>(status);
    check.status = status >= 200 && status < 400 ? CheckStatus::kHealthy : CheckStatus::kUnhealthy;
    check.detail = "HTTP " + std::to_string(status) + " in " +
                   milliseconds_text(answer.latency_ms) +
                   (status >= 400 && status < 500 ? ": answers but refuses" : "") + asked;
    return check;
}

Check check_state(const std::string& path, const std::function<Store&()>& open) {
    Check check;
    check.name = "state";
    check.kind = CheckKind::kState;
    const std::string shown = printable_state(path);
    struct stat status {};
    if (!is_database_url(path) && ::stat(path.c_str(), &status) != 0) {
        const int error = errno;
        check.status = CheckStatus::kUnhealthy;
        check.detail = shown + ": no state file (" + std::strerror(error) + ")";
        return check;
    }
    const CheckFinding finding = state::quick_check(open);
    if (!finding.ok) {
        check.status = CheckStatus::kUnhealthy;
        check.detail = shown + " (quick_check failed: " + finding.detail + ")";
        return check;
    }
    check.detail =
        shown + " (quick_check ok, schema " + std::to_string(open().info().schema_version) + ")";
    return check;
}

OrderedJson check_json(const Check& check) {
    return {{"name", check.name},
            {"kind", to_string(check.kind)},
            {"status", to_string(check.status)},
            {"latency_ms", check.latency_ms ? OrderedJson(*check.latency_ms) : OrderedJson()},
            {"http_status", check.http_status ? OrderedJson(*check.http_status) : OrderedJson()},
            {"detail", check.detail}};
}

OrderedJson report_json(const Report& report) {
    OrderedJson checks = OrderedJson::array();
    for (const Check& check : report.checks) {
        checks.push_back(check_json(check));
    }
    return {{"status", to_string(overall(report.checks))},
            {"checked_at", report.checked_at},
            {"checks", std::move(checks)}};
}

}  // namespace salesint::health
