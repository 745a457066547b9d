// What the JSON output tests check values against: times as RFC 3339 UTC to
// the second, and version 4 UUIDs in lowercase.
#pragma once

#include <regex>
#include <string>

#include <nlohmann/json.hpp>

namespace salesint::test {

inline const std::regex kRfc3339Utc(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
inline const std::regex kUuid(
    R"([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})");

inline bool is_time(const nlohmann::json& value) {
    return value.is_string() && std::regex_match(value.get<std::string>(), kRfc3339Utc);
}

}  // namespace salesint::test
