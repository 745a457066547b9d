// Documents as the contract checks see them: parsed by RapidJSON, which
// valijson reads directly and which parses several times faster than the
// JSON library the rest of salesint uses for its small objects.
#pragma once

#include <string_view>

#include <rapidjson/document.h>

namespace salesint::contracts {

using JsonValue = rapidjson::Value;
using JsonDocument = rapidjson::Document;

// The member key of object value, or nullptr (also when value is no object).
inline const JsonValue* member(const JsonValue* value, const char* key) {
    if (value == nullptr || !value->IsObject()) {
        return nullptr;
    }
    auto found = value->FindMember(key);
    return found == value->MemberEnd() ? nullptr : &found->value;
}

// The string at key, or an empty view when absent or not a string.
inline std::string_view string_member(const JsonValue* value, const char* key) {
    const JsonValue* found = member(value, key);
    return found != nullptr && found->IsString()
               ? std::string_view(found->GetString(), found->GetStringLength())
               : std::string_view();
}

}  // namespace salesint::contracts
