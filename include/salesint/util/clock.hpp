// Time as salesint shows and stores it: RFC 3339, UTC, second precision.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace salesint {

// A parsed RFC 3339 instant: seconds since the epoch plus the fraction digits
// as written (trailing zeros removed), so that no precision is lost.
struct Instant {
    std::int64_t epoch_seconds = 0;
    std::string fraction;  // "" or digits, e.g. "5" for .500

    bool operator==(const Instant&) const = default;
};

// Parses "2026-01-02T03:04:05(.123)?(Z|+02:00)"; 't', 'z' and a space for 'T'
// are accepted as RFC 3339 allows. Returns nullopt for anything else.
std::optional<Instant> parse_rfc3339(std::string_view text);

// "2026-01-02T01:04:05.123Z"
std::string format_rfc3339_utc(const Instant& instant);

// -1, 0 or 1.
int compare_instants(const Instant& a, const Instant& b);

// "2026-01-20" as days since 1970-01-01; nullopt unless a valid calendar date.
std::optional<std::int64_t> parse_iso_date(std::string_view text);
// Days since 1970-01-01 as "2026-01-20".
std::string format_iso_date(std::int64_t days);

// The current time, formatted.
std::string now_rfc3339();

// The current time in unix milliseconds.
std::int64_t unix_ms_now();

// Unix milliseconds as "2026-01-02T01:04:05.123Z" (the fraction only when not zero).
std::string format_unix_ms(std::int64_t unix_ms);

// "30s", "500ms", "2m", "1h", "7d", or plain seconds; at most nine digits.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& text);

// A time as people type it for --since and --until: RFC 3339, or an age with
// its unit ("1h", "7d": that long before now, an RFC 3339 time). Returns the
// instant in UTC as stored, or nullopt (also for a bare number, a negative or
// empty age, and an age reaching back before the year 0000).
std::optional<std::string> parse_time_bound(const std::string& text, const std::string& now);

}  // namespace salesint
