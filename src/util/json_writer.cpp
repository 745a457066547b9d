#include "salesint/util/json_writer.hpp"

#include <charconv>

namespace salesint {

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t plain = 0;  // start of the run of bytes copied as they are
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') {
            continue;
        }
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (byte) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out += kHex[byte >> 4];
                out += kHex[byte & 0x0f];
        }
    }
    out.append(text.data() + plain, text.size() - plain);
    out += '"';
}

namespace {

template <typename Number>
void append_number(std::string& out, Number number) {
    char digits[24];
    auto [end, error] = std::to_chars(digits, digits + sizeof digits, number);
    (void)error;  // 24 digits always suffice
    out.append(digits, end);
}

void append_value(std::string& out, const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, member] : value.get_ref<const nlohmann::json::object_t&>()) {
                if (!first) {
                    out += ',';
                }
                first = false;
                append_json_string(out, key);
                out += ':';
                append_value(out, member);
            }
            out += '}';
            return;
        }
        case nlohmann::json::value_t::array: {
            out += '[';
            bool first = true;
            for (const nlohmann::json& element : value) {
                if (!first) {
                    out += ',';
                }
                first = false;
                append_value(out, element);
            }
            out += ']';
            return;
        }
        case nlohmann::json::value_t::string:
            append_json_string(out, value.get_ref<const std::string&>());
            return;
        case nlohmann::json::value_t::boolean:
            out += value.get<bool>() ? "true" : "false";
            return;
        case nlohmann::json::value_t::null:
            out += "null";
            return;
        case nlohmann::json::value_t::number_integer:
            append_number(out, value.get<std::int64_t>());
            return;
        case nlohmann::json::value_t::number_unsigned:
            append_number(out, value.get<std::uint64_t>());
            return;
        default:  // floating point (and binary, which JSON text never holds)
            out += value.dump();
            return;
    }
}

}  // namespace

std::string compact_dump(const nlohmann::json& value) {
    std::string out;
    out.reserve(1024);
    append_value(out, value);
    return out;
}

void JsonWriter::before_value() {
    if (need_comma_) {
        out_ += ',';
    }
    need_comma_ = true;
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    out_ += '{';
    need_comma_ = false;
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    out_ += '}';
    need_comma_ = true;
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    before_value();
    append_json_string(out_, name);
    out_ += ':';
    need_comma_ = false;
    return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
    before_value();
    append_json_string(out_, text);
    return *this;
}

JsonWriter& JsonWriter::string_or_null(std::string_view text) {
    return text.empty() ? null() : string(text);
}

JsonWriter& JsonWriter::integer(std::int64_t number) {
    before_value();
    append_number(out_, number);
    return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
    before_value();
    out_ += value ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
    before_value();
    out_ += json;
    return *this;
}

}  // namespace salesint
