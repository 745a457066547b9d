#include "salesint/webhooks/client_text.hpp"

#include <cstdint>
#include <cstdio>

#include "salesint/util/strings.hpp"

namespace salesint::webhooks {
namespace {

struct Decoded {
    std::size_t length = 0;  // 0: the byte at the start is not well-formed UTF-8
    std::uint32_t code_point = 0;
};

// Strict, as nlohmann_json's dump() is: a string that passes here can be
// written as JSON without an exception.
Decoded decode(std::string_view text) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) {
        return {1, lead};
    }
    // The sequence's length, the lead byte's bits and the smallest code point
    // that needs this length (anything smaller is an overlong form).
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    std::uint32_t minimum = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        code_point = lead & 0x1fu;
        minimum = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        code_point = lead & 0x0fu;
        minimum = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        code_point = lead & 0x07u;
        minimum = 0x10000;
    } else {
        return {};
    }
    if (text.size() < length) {
        return {};
    }
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xc0) != 0x80) {
            return {};
        }
        code_point = (code_point << 6) | (byte(i) & 0x3fu);
    }
    if (code_point < minimum || code_point > 0x10ffff ||
        (code_point >= 0xd800 && code_point <= 0xdfff)) {
        return {};
    }
    return {length, code_point};
}

bool is_control(std::uint32_t code_point) {
    return code_point < 0x20 || (code_point >= 0x7f && code_point <= 0x9f);
}

}  // namespace

bool is_clean_field_value(std::string_view text) {
    while (!text.empty()) {
        Decoded next = decode(text);
        if (next.length == 0 || (is_control(next.code_point) && next.code_point != '\t')) {
            return false;
        }
        text.remove_prefix(next.length);
    }
    return true;
}

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    char escaped[8];
    while (!text.empty()) {
        Decoded next = decode(text);
        if (next.length == 0) {
            std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(text[0]));
            out += escaped;
            next.length = 1;
        } else if (next.code_point < 0x80 && is_control(next.code_point)) {
            out += escape_control(text.substr(0, 1));
        } else if (is_control(next.code_point)) {
            std::snprintf(escaped, sizeof escaped, "\\u%04x", next.code_point);
            out += escaped;
        } else {
            out += text.substr(0, next.length);
        }
        text.remove_prefix(next.length);
    }
    return out;
}

}  // namespace salesint::webhooks
