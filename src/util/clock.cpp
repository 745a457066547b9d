#include "salesint/util/clock.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace salesint {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Reads exactly `count` digits at text[pos]; advances pos.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t count) {
    if (pos + count > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        char c = text[pos + i];
        if (!is_digit(c)) {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, std::string_view accepted) {
    if (pos < text.size() && accepted.find(text[pos]) != std::string_view::npos) {
        ++pos;
        return true;
    }
    return false;
}

bool is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

// The date of a day counted from 1970-01-01 (Howard Hinnant's civil_from_days).
CivilDate civil_from_days(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

// Reads "YYYY-MM-DD" at text[pos] as days since 1970-01-01; advances pos.
std::optional<std::int64_t> read_date(std::string_view text, std::size_t& pos) {
    auto year = read_digits(text, pos, 4);
    if (!year || !expect(text, pos, "-")) {
        return std::nullopt;
    }
    auto month = read_digits(text, pos, 2);
    if (!month || *month < 1 || *month > 12 || !expect(text, pos, "-")) {
        return std::nullopt;
    }
    auto day = read_digits(text, pos, 2);
    if (!day || *day < 1 || *day > days_in_month(*year, *month)) {
        return std::nullopt;
    }
    return days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
}

}  // namespace

std::optional<std::int64_t> parse_iso_date(std::string_view text) {
    std::size_t pos = 0;
    auto days = read_date(text, pos);
    if (!days || pos != text.size()) {
        return std::nullopt;
    }
    return days;
}

std::string format_iso_date(std::int64_t days) {
    CivilDate date = civil_from_days(days);
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(date.year),
                  date.month, date.day);
    return buffer;
}

std::optional<Instant> parse_rfc3339(std::string_view text) {
    std::size_t pos = 0;
    auto days = read_date(text, pos);
    if (!days || !expect(text, pos, "Tt ")) {
        return std::nullopt;
    }
    auto hour = read_digits(text, pos, 2);
    if (!hour || *hour > 23 || !expect(text, pos, ":")) {
        return std::nullopt;
    }
    auto minute = read_digits(text, pos, 2);
    if (!minute || *minute > 59 || !expect(text, pos, ":")) {
        return std::nullopt;
    }
    auto second = read_digits(text, pos, 2);
    if (!second || *second > 59) {  // leap seconds are not representable in epoch time
        return std::nullopt;
    }
    Instant instant;
    if (expect(text, pos, ".")) {
        std::size_t start = pos;
        while (pos < text.size() && is_digit(text[pos])) {
            ++pos;
        }
        if (pos == start) {
            return std::nullopt;
        }
        instant.fraction = std::string(text.substr(start, pos - start));
        while (!instant.fraction.empty() && instant.fraction.back() == '0') {
            instant.fraction.pop_back();
        }
    }
    int offset_seconds = 0;
    if (!expect(text, pos, "Zz")) {
        if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) {
            return std::nullopt;
        }
        int sign = text[pos++] == '-' ? -1 : 1;
        auto off_hour = read_digits(text, pos, 2);
        if (!off_hour || *off_hour > 23 || !expect(text, pos, ":")) {
            return std::nullopt;
        }
        auto off_minute = read_digits(text, pos, 2);
        if (!off_minute || *off_minute > 59) {
            return std::nullopt;
        }
        offset_seconds = sign * (*off_hour * 3600 + *off_minute * 60);
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    instant.epoch_seconds = *days * 86400 + *hour * 3600 + *minute * 60 + *second - offset_seconds;
    return instant;
}

std::string format_rfc3339_utc(const Instant& instant) {
    std::int64_t days = instant.epoch_seconds / 86400;
    std::int64_t rem = instant.epoch_seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    const CivilDate date = civil_from_days(days);

    char buffer[96];  // generous: the compiler cannot see that the fields are small
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                  static_cast<long long>(date.year), date.month, date.day,
                  static_cast<long long>(rem / 3600), static_cast<long long>(rem % 3600 / 60),
                  static_cast<long long>(rem % 60));
    std::string text = buffer;
    if (!instant.fraction.empty()) {
        text += '.';
        text += instant.fraction;
    }
    text += 'Z';
    return text;
}

int compare_instants(const Instant& a, const Instant& b) {
    if (a.epoch_seconds != b.epoch_seconds) {
        return a.epoch_seconds < b.epoch_seconds ? -1 : 1;
    }
    // Fractions have no trailing zeros, so padding with zeros makes them comparable.
    std::size_t width = std::max(a.fraction.size(), b.fraction.size());
    std::string fa = a.fraction + std::string(width - a.fraction.size(), '0');
    std::string fb = b.fraction + std::string(width - b.fraction.size(), '0');
    int c = fa.compare(fb);
    return (c > 0) - (c < 0);
}

std::string now_rfc3339() {
    auto now = std::chrono::system_clock::now();
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
    return format_rfc3339_utc(Instant{seconds.count(), ""});
}

std::int64_t unix_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string format_unix_ms(std::int64_t unix_ms) {
    std::int64_t seconds = unix_ms / 1000;
    std::int64_t millis = unix_ms % 1000;
    if (millis < 0) {
        millis += 1000;
        --seconds;
    }
    std::string fraction;
    if (millis != 0) {
        char digits[4];
        std::snprintf(digits, sizeof digits, "%03d", static_cast<int>(millis));
        fraction = digits;
        while (!fraction.empty() && fraction.back() == '0') {
            fraction.pop_back();
        }
    }
    return format_rfc3339_utc(Instant{seconds, fraction});
}

std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        ++digits;
    }
    if (digits == 0 || digits > 9) {
        return std::nullopt;
    }
    long long amount = std::stoll(text.substr(0, digits));
    std::string unit = text.substr(digits);
    if (unit.empty() || unit == "s")
        return std::chrono::seconds(amount);
    if (unit == "ms")
        return std::chrono::milliseconds(amount);
    if (unit == "m")
        return std::chrono::minutes(amount);
    if (unit == "h")
        return std::chrono::hours(amount);
    if (unit == "d")
        return std::chrono::hours(24 * amount);
    return std::nullopt;
}

std::optional<std::string> parse_time_bound(const std::string& text, const std::string& now) {
    if (auto instant = parse_rfc3339(text)) {
        return format_rfc3339_utc(*instant);
    }
    auto age = parse_duration(text);
    auto reference = parse_rfc3339(now);
    if (!age || !reference || text.find_first_not_of("0123456789") == std::string::npos) {
        return std::nullopt;  // a bare number is not an age: "3" hours? days?
    }
    Instant at;
    at.epoch_seconds =
        reference->epoch_seconds - std::chrono::duration_cast<std::chrono::seconds>(*age).count();
    if (at.epoch_seconds < days_from_civil(0, 1, 1) * 86400) {
        return std::nullopt;  // before year 0000: no RFC 3339 time names it
    }
    return format_rfc3339_utc(at);
}

}  // namespace salesint
