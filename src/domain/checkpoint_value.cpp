#include "salesint/domain/checkpoint_value.hpp"

#include "salesint/util/clock.hpp"

namespace salesint {
namespace {

// "+007" -> "7", "-0" -> "0"; nullopt unless text is [+-]?[0-9]+.
std::optional<std::string> normalize_integer(std::string_view text) {
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return std::nullopt;
    }
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
    }
    while (text.size() > 1 && text.front() == '0') {
        text.remove_prefix(1);
    }
    if (text == "0") {
        negative = false;
    }
    return (negative ? "-" : "") + std::string(text);
}

// Compares normalised integers of any length.
int compare_integers(const std::string& a, const std::string& b) {
    bool a_negative = !a.empty() && a.front() == '-';
    bool b_negative = !b.empty() && b.front() == '-';
    if (a_negative != b_negative) {
        return a_negative ? -1 : 1;
    }
    std::string_view a_digits = a_negative ? std::string_view(a).substr(1) : std::string_view(a);
    std::string_view b_digits = b_negative ? std::string_view(b).substr(1) : std::string_view(b);
    int magnitude = 0;
    if (a_digits.size() != b_digits.size()) {
        magnitude = a_digits.size() < b_digits.size() ? -1 : 1;
    } else {
        int c = a_digits.compare(b_digits);
        magnitude = (c > 0) - (c < 0);
    }
    return a_negative ? -magnitude : magnitude;
}

}  // namespace

CheckpointKind detect_kind(std::string_view text) {
    if (normalize_integer(text)) {
        return CheckpointKind::kInteger;
    }
    if (parse_as(CheckpointKind::kTimestamp, text)) {
        return CheckpointKind::kTimestamp;
    }
    return CheckpointKind::kString;
}

std::optional<CheckpointValue> parse_as(CheckpointKind kind, std::string_view text) {
    switch (kind) {
        case CheckpointKind::kInteger:
            if (auto normalized = normalize_integer(text)) {
                return CheckpointValue{kind, *normalized};
            }
            return std::nullopt;
        case CheckpointKind::kTimestamp:
            if (auto instant = parse_rfc3339(text)) {
                // An offset can move an instant out of the four-digit years
                // (0000-01-01T00:00:00+02:00 is in year -1 in UTC): its UTC
                // form would not parse again, so it is not a timestamp value.
                std::string utc = format_rfc3339_utc(*instant);
                if (parse_rfc3339(utc)) {
                    return CheckpointValue{kind, std::move(utc)};
                }
            }
            return std::nullopt;
        case CheckpointKind::kString:
            break;
    }
    return CheckpointValue{kind, std::string(text)};
}

int compare_values(CheckpointKind kind, const std::string& a, const std::string& b) {
    switch (kind) {
        case CheckpointKind::kInteger:
            return compare_integers(a, b);
        case CheckpointKind::kTimestamp: {
            auto ia = parse_rfc3339(a);
            auto ib = parse_rfc3339(b);
            if (ia && ib) {
                return compare_instants(*ia, *ib);
            }
            break;  // not normalised timestamps: fall back to byte order
        }
        case CheckpointKind::kString:
            break;
    }
    int c = a.compare(b);  // std::string compares as unsigned bytes (char_traits<char>)
    return (c > 0) - (c < 0);
}

}  // namespace salesint
