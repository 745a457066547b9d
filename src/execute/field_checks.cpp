#include "field_checks.hpp"

#include <algorithm>
#include <cstdlib>

#include "salesint/util/json_pointer.hpp"

namespace salesint::execute {
namespace {

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

}  // namespace salesint::execute
