// Small helpers the scheme implementations share.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "salesint/util/crypto.hpp"
#include "salesint/webhooks/payload.hpp"

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

// HMAC-SHA256(key, prefix parts + payload), the payload streamed in chunks.
inline std::string mac_of(std::string_view key, std::initializer_list<std::string_view> prefix,
                          const Payload& payload) {
    HmacSha256 mac(key);
    for (std::string_view part : prefix) {
        mac.update(part);
    }
    payload.for_each_chunk([&](std::string_view chunk) { mac.update(chunk); });
    return mac.finish();
}

// Milliseconds where seconds were expected (a common sender bug).
inline bool looks_like_milliseconds(long long timestamp) {
    return timestamp > 100'000'000'000LL;
}

}  // namespace salesint::webhooks
