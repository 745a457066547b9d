#include "execute/field_checks.hpp"

#include <algorithm>
#include <cstdlib>

#include "salesint/util/json_pointer.hpp"

namespace salesint::execute {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

const Json* FieldChecks::find(std::string_view pointer) const {
    const Json* current = &input_;
    for (const std::string& token : split_pointer(pointer)) {
        if (current->is_object()) {
            auto it = current->find(token);
            if (it == current->end()) {
                return nullptr;
            }
            current = &*it;
        } else if (current->is_array()) {
            char* end = nullptr;
            unsigned long index = std::strtoul(token.c_str(), &end, 10);
            if (token.empty() || *end != '\0' || index >= current->size()) {
                return nullptr;
            }
            current = &(*current)[index];
        } else {
            return nullptr;
        }
    }
    return current;
}

const Json* FieldChecks::expect(std::string_view pointer, bool required,
                                bool (Json::*is_kind)() const, const char* kind) {
    const Json* value = find(pointer);
    if (value == nullptr || value->is_null()) {
        if (required) {
            fail(pointer, "is required");
        }
        return nullptr;
    }
    if (!(value->*is_kind)()) {
        fail(pointer, std::string("must be ") + kind);
        return nullptr;
    }
    return value;
}

const std::string* FieldChecks::text(std::string_view pointer, bool required) {
    const Json* value = expect(pointer, required, &Json::is_string, "a string");
    if (value == nullptr) {
        return nullptr;
    }
    const std::string& string = value->get_ref<const std::string&>();
    if (string.empty()) {
        if (required) {
            fail(pointer, "is required");
        }
        return nullptr;
    }
    return &string;
}

const Json* FieldChecks::number(std::string_view pointer, bool required) {
    return expect(pointer, required, &Json::is_number, "a number");
}

const Json* FieldChecks::boolean(std::string_view pointer, bool required) {
    return expect(pointer, required, &Json::is_boolean, "true or false");
}

const Json* FieldChecks::object(std::string_view pointer, bool required) {
    return expect(pointer, required, &Json::is_object, "an object");
}

const Json* FieldChecks::array(std::string_view pointer, bool required) {
    return expect(pointer, required, &Json::is_array, "an array");
}

const std::string* FieldChecks::one_of(std::string_view pointer,
                                       std::initializer_list<std::string_view> values,
                                       bool required) {
    const std::string* value = text(pointer, required);
    if (value == nullptr) {
        return nullptr;
    }
    if (std::find(values.begin(), values.end(), *value) == values.end()) {
        std::string allowed;
        for (std::string_view v : values) {
            allowed += allowed.empty() ? "" : ", ";
            allowed += v;
        }
        fail(pointer, "must be one of " + allowed + " (got '" + *value + "')");
        return nullptr;
    }
    return value;
}

bool FieldChecks::root_is_object() {
    if (input_.is_object()) {
        return true;
    }
    fail("", "must be a JSON object");
    return false;
}

void FieldChecks::fail(std::string_view pointer, std::string message) {
    errors_.push_back({field_name(pointer), std::string(pointer), std::move(message)});
}

std::optional<Failure> FieldChecks::failure(const char* code, const char* message) const {
    if (errors_.empty()) {
        return std::nullopt;
    }
    return Failure{code, message, errors_};
}

std::string field_name(std::string_view pointer) {
    std::string name;
    for (const std::string& token : split_pointer(pointer)) {
        bool index = !token.empty() && std::all_of(token.begin(), token.end(), is_digit);
        if (index) {
            name += "[" + token + "]";
        } else {
            name += (name.empty() ? "" : ".") + token;
        }
    }
    return name;
}

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

}  // namespace salesint::execute
