// Compact JSON written straight into a string: for the envelopes and
// records written once per input, where building a JSON object first and
// printing it afterwards cost more than the rest of the work. The bytes are
// those nlohmann's dump() prints for the same members in the same order
// (its escapes, lowercase \u00xx, UTF-8 kept as it is), so that a record
// reads the same whichever way it was written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace salesint {

class JsonWriter {
  public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& key(std::string_view name);
    JsonWriter& string(std::string_view text);
    // A string, or null when text is empty.
    JsonWriter& string_or_null(std::string_view text);
    JsonWriter& integer(std::int64_t number);
    JsonWriter& boolean(bool value);
    JsonWriter& null();
    // A value that is already JSON text (a stored output, a canonical input).
    JsonWriter& raw(std::string_view json);

  private:
    void before_value();

    std::string& out_;
    bool need_comma_ = false;
};

// text as a JSON string literal, appended to out.
void append_json_string(std::string& out, std::string_view text);

// value.dump(), a few times faster: strings are copied in runs and integers
// printed with std::to_chars (floating-point numbers still go through
// nlohmann's own formatting, so that every byte stays the same).
std::string compact_dump(const nlohmann::json& value);

}  // namespace salesint
