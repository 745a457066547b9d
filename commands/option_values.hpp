// Reading option values that the core takes in other units.
#pragma once

#include <chrono>
#include <string>

#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"

namespace salesint::cli {

// "30s", "500ms", "2m" for the option named, above zero and at most a day; a
// usage Error otherwise.
inline std::chrono::milliseconds duration_option(const std::string& text, const char* option) {
    auto parsed = parse_duration(text);
    if (!parsed) {
        throw usage_error(std::string(option) + ": '" + text +
                          "' is not a duration such as 30s, 500ms or 2m");
    }
    if (parsed->count() <= 0 || *parsed > std::chrono::hours(24)) {
        throw usage_error(std::string(option) + ": '" + text +
                          "' is outside the range from 1ms to 24h");
    }
    return *parsed;
}

// A time as people type it for --since, --until and the like: RFC 3339, or
// an age ("30m", "1h", "7d": that long before now). Returns the RFC 3339 UTC
// instant the core takes; "" (not given) stays "". A usage Error otherwise.
inline std::string time_bound_option(const std::string& text, const char* option,
                                     const std::string& now = now_rfc3339()) {
    if (text.empty()) {
        return "";
    }
    auto bound = parse_time_bound(text, now);
    if (!bound) {
        throw usage_error(std::string(option) + ": '" + text +
                          "' is neither an RFC 3339 time (2026-01-02T03:04:05Z) nor an age "
                          "such as 30m, 1h or 7d");
    }
    return *bound;
}

// An age for --older-than and the like: "30m", "12h", "7d", above zero. A
// usage Error otherwise.
inline std::chrono::milliseconds age_option(const std::string& text, const char* option) {
    auto parsed = parse_duration(text);
    if (!parsed || parsed->count() <= 0) {
        throw usage_error(std::string(option) + ": '" + text +
                          "' is not an age such as 30m, 12h or 7d");
    }
    return *parsed;
}

}  // namespace salesint::cli
