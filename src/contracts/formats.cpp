#include "salesint/contracts/formats.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace salesint::contracts {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

bool is_email(std::string_view text) {
    if (std::any_of(text.begin(), text.end(), is_space)) {
        return false;
    }
    const std::size_t at = text.find('@');
    if (at == 0 || at == std::string_view::npos ||
        text.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    // The domain needs a dot with something on both sides of it.
    const std::string_view domain = text.substr(at + 1);
    return domain.size() >= 3 && domain.find('.', 1) < domain.size() - 1;
}

bool is_phone(std::string_view text) {
    std::string digits;
    for (char c : text) {
        if (!is_space(c) && c != '(' && c != ')' && c != '-') {
            digits += c;
        }
    }
    std::size_t pos = !digits.empty() && digits.front() == '+' ? 1 : 0;
    const std::size_t count = digits.size() - pos;
    if (count < 2 || count > 15 || digits[pos] < '1' || digits[pos] > '9') {
        return false;
    }
    return std::all_of(digits.begin() + static_cast<std::ptrdiff_t>(pos), digits.end(), is_digit);
}

std::optional<int> parse_hhmm(std::string_view text) {
    if (text.size() != 5 || text[2] != ':' || !is_digit(text[0]) || !is_digit(text[1]) ||
        !is_digit(text[3]) || !is_digit(text[4])) {
        return std::nullopt;
    }
    int hours = (text[0] - '0') * 10 + (text[1] - '0');
    int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (hours > 23 || minutes > 59) {
        return std::nullopt;
    }
    return hours * 60 + minutes;
}

std::optional<double> parse_amount(std::string_view text) {
    std::size_t pos = !text.empty() && text.front() == '-' ? 1 : 0;
    const std::size_t digits_start = pos;
    while (pos < text.size() && is_digit(text[pos])) {
        ++pos;
    }
    if (pos == digits_start) {
        return std::nullopt;
    }
    if (pos < text.size() && text[pos] == '.') {
        const std::size_t fraction_start = ++pos;
        while (pos < text.size() && is_digit(text[pos])) {
            ++pos;
        }
        if (pos == fraction_start) {
            return std::nullopt;
        }
    }
    if (pos != text.size() || text.size() > 32) {
        return std::nullopt;
    }
    return std::strtod(std::string(text).c_str(), nullptr);
}

std::string_view sales_system_of_order(std::string_view external_order_id) {
    if (external_order_id.starts_with("PX-")) {
        return "PYXIS";
    }
    if (external_order_id.starts_with("TMP-")) {
        return "TEMPO";
    }
    return "";
}

}  // namespace salesint::contracts
