#include "salesint/util/strings.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "salesint/errors.hpp"

namespace salesint {

std::string to_upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out += separator;
        }
        out += parts[i];
    }
    return out;
}

namespace {

// The length of the well-formed UTF-8 sequence at text[i] and its code point,
// or 0 when there is none (RFC 3629's table of well-formed byte sequences).
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& code_point) {
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned char lead = at(0);
    std::size_t length = lead < 0x80   ? 1
                         : lead < 0xC2 ? 0
                         : lead < 0xE0 ? 2
                         : lead < 0xF0 ? 3
                         : lead < 0xF5 ? 4
                                       : 0;
    if (length == 0 || i + length > text.size()) {
        return 0;
    }
    code_point = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (std::size_t k = 1; k < length; ++k) {
        if ((at(k) & 0xC0) != 0x80) {
            return 0;
        }
        code_point = (code_point << 6) | (at(k) & 0x3F);
    }
    const bool overlong =
        (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    return overlong || surrogate || code_point > 0x10FFFF ? 0 : length;
}

bool is_control(char32_t code_point) {
    return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

std::string escape_control(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    char32_t code_point = 0;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t length = utf8_sequence(text, i, code_point);
        if (length > 0 && !is_control(code_point)) {
            out.append(text.substr(i, length));
            i += length;
            continue;
        }
        // A control character, or a byte that is not UTF-8: shown, not sent.
        if (length > 0 && code_point == '\n') {
            out += "\\n";
        } else if (length > 0 && code_point == '\r') {
            out += "\\r";
        } else if (length > 0 && code_point == '\t') {
            out += "\\t";
        } else {
            length = std::max<std::size_t>(length, 1);
            for (std::size_t k = 0; k < length; ++k) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\x%02x",
                              static_cast<unsigned char>(text[i + k]));
                out += buffer;
            }
        }
        i += std::max<std::size_t>(length, 1);
    }
    return out;
}

bool is_valid_utf8(std::string_view text) {
    char32_t code_point = 0;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t length = utf8_sequence(text, i, code_point);
        if (length == 0) {
            return false;
        }
        i += length;
    }
    return true;
}

std::optional<std::string> text_problem(std::string_view text, TextKind kind) {
    char32_t code_point = 0;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t length = utf8_sequence(text, i, code_point);
        if (length == 0) {
            return "not valid UTF-8 at byte " + std::to_string(i + 1);
        }
        const bool allowed = (kind == TextKind::kMultiline &&
                              (code_point == '\n' || code_point == '\r' || code_point == '\t')) ||
                             (kind == TextKind::kHeaderValue && code_point == '\t');
        if (is_control(code_point) && !allowed) {
            return "contains the control character " + escape_control(text.substr(i, length)) +
                   " at byte " + std::to_string(i + 1) + "; use printable text";
        }
        i += length;
    }
    if (kind == TextKind::kIdentifier && !text.empty()) {
        if (is_space(text.front()) || is_space(text.back())) {
            return "\"" + std::string(text) + "\" has spaces around it; give it without them";
        }
    }
    return std::nullopt;
}

void require_text(std::string_view field, std::string_view text, TextKind kind) {
    if (auto problem = text_problem(text, kind)) {
        throw usage_error(std::string(field) + ": " + *problem).with_field(std::string(field));
    }
}

std::string current_user() {
    if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') {
        // It goes into the audit log: the same rule as an identifier given as
        // an option.
        if (auto problem = text_problem(user, TextKind::kIdentifier)) {
            throw usage_error("the USER environment variable: " + *problem);
        }
        return user;
    }
    if (const passwd* entry = getpwuid(getuid()); entry != nullptr && entry->pw_name != nullptr) {
        return entry->pw_name;
    }
    return "uid:" + std::to_string(getuid());
}

std::string csv_quote(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(text);
    }
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') {
            quoted += '"';
        }
        quoted += c;
    }
    return quoted + "\"";
}

}  // namespace salesint
