// Small helpers the scheme implementations share.
#pragma once

#include <string_view>

namespace salesint::webhooks {

// True for exactly `length` lowercase hex digits.
inline bool is_lower_hex(std::string_view text, std::size_t length) {
    if (text.size() != length) {
        return false;
    }
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

inline bool is_digits(std::string_view text) {
    return !text.empty() && text.size() <= 18 &&
           text.find_first_not_of("0123456789") == std::string_view::npos;
}

// Milliseconds where seconds were expected (a common sender bug).
inline bool looks_like_milliseconds(long long timestamp) {
    return timestamp > 100'000'000'000LL;
}

}  // namespace salesint::webhooks
