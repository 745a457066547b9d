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

}  // namespace salesint::cli
