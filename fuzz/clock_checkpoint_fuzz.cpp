// RFC 3339 times and dates (util/clock.hpp) and checkpoint values
// (domain/checkpoint_value.hpp; README, "Checkpoint values"). A time that
// parses formats as UTC into a text that parses to the same instant and
// formats the same again, unless its offset moves it out of the years 0000
// to 9999 (then it is no checkpoint timestamp); a date that parses formats
// back to its text. A value of its detected kind parses; a normalised value
// normalises to itself; compare_values is a total order on normalised values:
// a value equals itself, the order is antisymmetric and transitive, and two
// values compare equal exactly when their normalised forms are the same.
//
// Input: up to three values separated by '\n'.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "salesint/domain/checkpoint_value.hpp"
#include "salesint/util/clock.hpp"

namespace {

using salesint::CheckpointKind;
using salesint::CheckpointValue;

// The instants whose UTC form has a four-digit year, as RFC 3339 writes it.
constexpr std::int64_t kFirstInstant = -62167219200;  // 0000-01-01T00:00:00Z
constexpr std::int64_t kLastInstant = 253402300799;   // 9999-12-31T23:59:59Z

void check_time(std::string_view text) {
    if (auto instant = salesint::parse_rfc3339(text)) {
        FUZZ_CHECK(instant->fraction.find_first_not_of("0123456789") == std::string::npos);
        FUZZ_CHECK(!instant->fraction.ends_with('0'));
        FUZZ_CHECK(salesint::parse_iso_date(text.substr(0, 10)).has_value());
        if (instant->epoch_seconds < kFirstInstant || instant->epoch_seconds > kLastInstant) {
            // An offset moved it out of the four-digit years: no UTC text
            // parses back to it, and it is no checkpoint timestamp.
            FUZZ_CHECK(!salesint::parse_as(CheckpointKind::kTimestamp, text));
            return;
        }
        const std::string utc = salesint::format_rfc3339_utc(*instant);
        const auto again = salesint::parse_rfc3339(utc);
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(*again == *instant);
        FUZZ_CHECK(salesint::format_rfc3339_utc(*again) == utc);
        FUZZ_CHECK(salesint::compare_instants(*instant, *again) == 0);
    }
    if (auto days = salesint::parse_iso_date(text)) {
        FUZZ_CHECK(salesint::format_iso_date(*days) == text);
    }
}

int compare(CheckpointKind kind, const CheckpointValue& a, const CheckpointValue& b) {
    const int c = salesint::compare_values(kind, a.normalized, b.normalized);
    FUZZ_CHECK(c == -1 || c == 0 || c == 1);
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> texts;
    while (texts.size() < 2) {
        std::size_t end = input.find('\n');
        if (end == std::string_view::npos) {
            break;
        }
        texts.push_back(input.substr(0, end));
        input.remove_prefix(end + 1);
    }
    texts.push_back(input);

    for (std::string_view text : texts) {
        check_time(text);
        const CheckpointKind detected = salesint::detect_kind(text);
        const auto value = salesint::parse_as(detected, text);
        FUZZ_CHECK(value.has_value());
        FUZZ_CHECK(salesint::detect_kind(value->normalized) == detected);
    }

    for (CheckpointKind kind :
         {CheckpointKind::kInteger, CheckpointKind::kTimestamp, CheckpointKind::kString}) {
        std::vector<CheckpointValue> values;
        for (std::string_view text : texts) {
            auto value = salesint::parse_as(kind, text);
            FUZZ_CHECK(value.has_value() || kind != CheckpointKind::kString);
            if (!value) {
                continue;
            }
            FUZZ_CHECK(value->kind == kind);
            const auto again = salesint::parse_as(kind, value->normalized);
            FUZZ_CHECK(again.has_value());
            FUZZ_CHECK(again->normalized == value->normalized);
            FUZZ_CHECK(compare(kind, *value, *value) == 0);
            values.push_back(std::move(*value));
        }
        for (const auto& a : values) {
            for (const auto& b : values) {
                const int c = compare(kind, a, b);
                FUZZ_CHECK(compare(kind, b, a) == -c);
                FUZZ_CHECK((c == 0) == (a.normalized == b.normalized));
                if (kind == CheckpointKind::kTimestamp) {
                    const auto ia = salesint::parse_rfc3339(a.normalized);
                    const auto ib = salesint::parse_rfc3339(b.normalized);
                    FUZZ_CHECK(ia && ib && salesint::compare_instants(*ia, *ib) == c);
                }
                for (const auto& z : values) {
                    if (c <= 0 && compare(kind, b, z) <= 0) {
                        FUZZ_CHECK(compare(kind, a, z) <= 0);
                    }
                }
            }
        }
    }
    return 0;
}
