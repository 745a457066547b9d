#include "quick_check.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salesint::contracts {
namespace {

enum TypeBit : unsigned {
    kNull = 1,
    kBoolean = 2,
    kObject = 4,
    kArray = 8,
    kNumber = 16,
    kInteger = 32,
    kString = 64,
    kAnyType = 127,
};

std::optional<unsigned> type_bit(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, TypeBit>, 7> kNames{{
        {"null", kNull},
        {"boolean", kBoolean},
        {"object", kObject},
        {"array", kArray},
        {"number", kNumber},
        {"integer", kInteger},
        {"string", kString},
    }};
    for (const auto& [known, bit] : kNames) {
        if (name == known) {
            return bit;
        }
    }
    return std::nullopt;
}

// What valijson sees a value as: an integral number is both a number and
// an integer (its RapidJSON adapter asks IsInt/IsInt64/IsUint/IsUint64).
unsigned type_bits_of(const JsonValue& value) {
    if (value.IsNull()) {
        return kNull;
    }
    if (value.IsBool()) {
        return kBoolean;
    }
    if (value.IsObject()) {
        return kObject;
    }
    if (value.IsArray()) {
        return kArray;
    }
    if (value.IsString()) {
        return kString;
    }
    const bool integral = value.IsInt() || value.IsInt64() || value.IsUint() || value.IsUint64();
    return kNumber | (integral ? kInteger : 0u);
}

// valijson's u8_strlen: characters up to the first NUL, a lead byte and the
// continuation bytes after it counting as one.
std::uint64_t valijson_length(const char* text) {
    std::uint64_t count = 0;
    std::size_t i = 0;
    while (text[i] != 0) {
        ++i;
        while (text[i] != 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
            ++i;
        }
        ++count;
    }
    return count;
}

// valijson's number: a double as it is, an integer through int64_t (so
// that an unsigned integer past INT64_MAX reads as negative).
double valijson_number(const JsonValue& value) {
    if (value.IsDouble()) {
        return value.GetDouble();
    }
    return static_cast<double>(value.IsUint64() && !value.IsInt64()
                                   ? static_cast<std::int64_t>(value.GetUint64())
                                   : value.GetInt64());
}

std::string_view view_of(const JsonValue& string) {
    return {string.GetString(), string.GetStringLength()};
}

// Keywords that do not constrain a document.
bool is_annotation(std::string_view keyword) {
    static constexpr std::array<std::string_view, 7> kAnnotations{
        "title", "description", "$schema", "$id", "$comment", "examples", "default"};
    return std::find(kAnnotations.begin(), kAnnotations.end(), keyword) != kAnnotations.end();
}

std::optional<std::uint64_t> count_of(const JsonValue& value) {
    if (value.IsUint64()) {
        return value.GetUint64();
    }
    return std::nullopt;
}

}  // namespace

struct QuickCheck::Node {
    unsigned types = kAnyType;
    std::vector<std::string> required;
    std::vector<std::pair<std::string, std::unique_ptr<Node>>> properties;  // sorted by name
    bool additional_allowed = true;
    std::unique_ptr<Node> additional;  // a schema for the properties not named
    std::unique_ptr<Node> items;
    bool has_enum = false;
    std::vector<std::string> enum_strings;
    std::optional<std::regex> pattern;
    std::optional<std::uint64_t> min_length, max_length, min_items, max_items;
    std::optional<double> minimum, maximum;

    const Node* property(std::string_view name) const {
        auto found = std::lower_bound(
            properties.begin(), properties.end(), name,
            [](const auto& entry, std::string_view wanted) { return entry.first < wanted; });
        return found != properties.end() && found->first == name ? found->second.get() : nullptr;
    }
};

namespace {

using Node = QuickCheck::Node;

std::unique_ptr<Node> compile(const JsonValue& schema);

// Reads one keyword into node; false for a keyword or a form not handled.
bool take_keyword(std::string_view keyword, const JsonValue& value, Node& node) {
    if (keyword == "type") {
        node.types = 0;
        if (value.IsString()) {
            auto bit = type_bit(view_of(value));
            node.types = bit.value_or(0);
            return bit.has_value();
        }
        if (!value.IsArray() || value.Empty()) {
            return false;
        }
        for (const JsonValue& name : value.GetArray()) {
            auto bit = name.IsString() ? type_bit(view_of(name)) : std::nullopt;
            if (!bit) {
                return false;
            }
            node.types |= *bit;
        }
        return true;
    }
    if (keyword == "required") {
        if (!value.IsArray()) {
            return false;
        }
        for (const JsonValue& name : value.GetArray()) {
            if (!name.IsString()) {
                return false;
            }
            node.required.emplace_back(view_of(name));
        }
        return true;
    }
    if (keyword == "properties") {
        if (!value.IsObject()) {
            return false;
        }
        for (const auto& property : value.GetObject()) {
            std::unique_ptr<Node> child = compile(property.value);
            if (!child) {
                return false;
            }
            node.properties.emplace_back(std::string(view_of(property.name)), std::move(child));
        }
        std::sort(node.properties.begin(), node.properties.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        return true;
    }
    if (keyword == "additionalProperties") {
        if (value.IsBool()) {
            node.additional_allowed = value.GetBool();
            return true;
        }
        node.additional = compile(value);
        return node.additional != nullptr;
    }
    if (keyword == "items") {
        node.items = compile(value);
        return node.items != nullptr;
    }
    if (keyword == "enum") {
        if (!value.IsArray()) {
            return false;
        }
        node.has_enum = true;
        for (const JsonValue& allowed : value.GetArray()) {
            if (!allowed.IsString()) {
                return false;
            }
            node.enum_strings.emplace_back(view_of(allowed));
        }
        return true;
    }
    if (keyword == "pattern") {
        if (!value.IsString()) {
            return false;
        }
        try {
            node.pattern.emplace(std::string(view_of(value)));  // ECMAScript, as valijson
        } catch (const std::regex_error&) {
            return false;
        }
        return true;
    }
    if (keyword == "minimum" || keyword == "maximum") {
        if (!value.IsNumber()) {
            return false;
        }
        (keyword == "minimum" ? node.minimum : node.maximum) = value.GetDouble();
        return true;
    }
    std::optional<std::uint64_t>* count = keyword == "minLength"   ? &node.min_length
                                          : keyword == "maxLength" ? &node.max_length
                                          : keyword == "minItems"  ? &node.min_items
                                          : keyword == "maxItems"  ? &node.max_items
                                                                   : nullptr;
    if (count != nullptr) {
        *count = count_of(value);
        return count->has_value();
    }
    return is_annotation(keyword);
}

std::unique_ptr<Node> compile(const JsonValue& schema) {
    if (!schema.IsObject()) {
        return nullptr;
    }
    auto node = std::make_unique<Node>();
    for (const auto& keyword : schema.GetObject()) {
        if (!take_keyword(view_of(keyword.name), keyword.value, *node)) {
            return nullptr;
        }
    }
    return node;
}

bool accepts_string(const Node& node, const JsonValue& value) {
    const std::string_view text = view_of(value);
    if (node.has_enum && std::find(node.enum_strings.begin(), node.enum_strings.end(), text) ==
                             node.enum_strings.end()) {
        return false;
    }
    if (node.min_length || node.max_length) {
        const std::uint64_t length = valijson_length(value.GetString());
        if ((node.min_length && length < *node.min_length) ||
            (node.max_length && length > *node.max_length)) {
            return false;
        }
    }
    if (node.pattern) {
        thread_local std::string copy;  // std::regex_search wants a string it can iterate
        copy.assign(text);
        if (!std::regex_search(copy, *node.pattern)) {
            return false;
        }
    }
    return true;
}

bool accepts(const Node& node, const JsonValue& value) {
    const unsigned bits = type_bits_of(value);
    if ((node.types & bits) == 0) {
        return false;
    }
    if (bits == kString) {
        return accepts_string(node, value);
    }
    if (node.has_enum) {
        return false;  // only strings are listed
    }
    if (bits & kNumber) {
        const double number = valijson_number(value);
        return !(node.minimum && number < *node.minimum) &&
               !(node.maximum && number > *node.maximum);
    }
    if (bits == kObject) {
        for (const std::string& name : node.required) {
            JsonValue key(rapidjson::StringRef(name.data(), name.size()));
            if (value.FindMember(key) == value.MemberEnd()) {
                return false;
            }
        }
        for (const auto& member : value.GetObject()) {
            const Node* child = node.property(view_of(member.name));
            if (child == nullptr && node.additional) {
                child = node.additional.get();
            }
            if (child == nullptr ? !node.additional_allowed : !accepts(*child, member.value)) {
                return false;
            }
        }
        return true;
    }
    if (bits == kArray) {
        const std::uint64_t size = value.Size();
        if ((node.min_items && size < *node.min_items) ||
            (node.max_items && size > *node.max_items)) {
            return false;
        }
        if (node.items) {
            for (const JsonValue& item : value.GetArray()) {
                if (!accepts(*node.items, item)) {
                    return false;
                }
            }
        }
    }
    return true;
}

}  // namespace

QuickCheck::QuickCheck(const JsonValue& schema) : root_(compile(schema)) {}

QuickCheck::~QuickCheck() = default;

bool QuickCheck::accepts(const JsonValue& document) const {
    return contracts::accepts(*root_, document);
}

}  // namespace salesint::contracts
