#include "compiled_schema.hpp"

#include <array>

#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

// Without VALIJSON_USE_EXCEPTIONS, valijson reports a schema it cannot use (a
// remote $ref, a malformed keyword) by printing and calling abort(). With it,
// its RapidJSON adapter installs a RAPIDJSON_ASSERT that throws (and warns if
// one exists). RapidJSON is already compiled above with its own assert, the
// same as in every other file, and keeps it: the adapter's is set aside.
#define VALIJSON_USE_EXCEPTIONS 1
#pragma push_macro("RAPIDJSON_ASSERT")
#undef RAPIDJSON_ASSERT
#include <valijson/adapters/rapidjson_adapter.hpp>
#undef RAPIDJSON_ASSERT
#pragma pop_macro("RAPIDJSON_ASSERT")
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "json_pointer.hpp"
#include "quick_check.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/json_text.hpp"

namespace salesint::contracts {
namespace {

constexpr std::array<std::string_view, 4> kFormatsWeCheck{"date-time", "date", "email", "uuid"};

// Removes the formats we check from the schema node at instance path `path`,
// recording where they were, and descends through properties and items.
void take_formats(JsonValue& node, std::vector<std::string>& path, std::vector<FormatSite>& sites) {
    if (!node.IsObject()) {
        return;
    }
    if (auto format = node.FindMember("format");
        format != node.MemberEnd() && format->value.IsString()) {
        std::string name = format->value.GetString();
        for (std::string_view known : kFormatsWeCheck) {
            if (name == known) {
                sites.push_back({path, name});
                node.RemoveMember(format);
                break;
            }
        }
    }
    if (auto properties = node.FindMember("properties");
        properties != node.MemberEnd() && properties->value.IsObject()) {
        for (auto& property : properties->value.GetObject()) {
            path.emplace_back(property.name.GetString());
            take_formats(property.value, path, sites);
            path.pop_back();
        }
    }
    if (auto items = node.FindMember("items"); items != node.MemberEnd()) {
        path.emplace_back("*");
        take_formats(items->value, path, sites);
        path.pop_back();
    }
}

struct KeywordMessage {
    std::string_view prefix;
    std::string_view keyword;  // "" for valijson's summaries of nested errors
};

// valijson says which constraint failed only in its messages (valijson 1.0).
constexpr std::array<KeywordMessage, 24> kKeywordMessages{{
    {"Missing required property", "required"},
    {"Value type not permitted", "type"},
    {"Failed to match against any enum values", "enum"},
    {"Failed to match expected value set by 'const'", "const"},
    {"Object contains a property that could not be validated", "additionalProperties"},
    {"String should be no fewer than", "length"},
    {"String should be no more than", "length"},
    {"Expected number", "range"},
    {"Array should contain no", "items"},
    {"Array contains more items than allowed", "items"},
    {"Failed to match regex", "pattern"},
    {"Failed to validate against schema associated with property name", ""},
    {"Failed to validate item #", ""},
    {"Failed to validate against additional properties schema", ""},
    {"Failed to validate against schema associated with pattern", ""},
    {"Cannot validate item #", ""},
    {"String should be a valid", "other"},
    {"Object should have no", "other"},
    {"Value should be a multiple", "other"},
    {"Elements at indexes", "other"},
    {"Failed to validate against any", "other"},
    {"Failed to validate against exactly one", "other"},
    {"Target should not validate", "other"},
    {"Failed to validate against", "other"},
}};

std::string_view keyword_of(const std::string& description) {
    for (const KeywordMessage& known : kKeywordMessages) {
        if (description.rfind(known.prefix, 0) == 0) {
            return known.keyword;
        }
    }
    return "other";
}

// The name between the last pair of single quotes of a message.
std::string quoted_name(const std::string& description) {
    std::size_t close = description.rfind('\'');
    std::size_t open = close == std::string::npos || close == 0
                           ? std::string::npos
                           : description.rfind('\'', close - 1);
    return open == std::string::npos ? std::string()
                                     : description.substr(open + 1, close - open - 1);
}

// valijson's context ["<root>", "[meta]", "[message_id]"] as "/meta/message_id".
std::string pointer_of(const std::vector<std::string>& context) {
    std::string pointer;
    for (const std::string& step : context) {
        if (step.size() >= 2 && step.front() == '[' && step.back() == ']') {
            pointer += '/' + escape_token(std::string_view(step).substr(1, step.size() - 2));
        }
    }
    return pointer;
}

// The schema node that describes the value at pointer, following
// properties and items; nullptr where the schema says nothing simpler.
const JsonValue* schema_node(const JsonValue& root, const std::string& pointer) {
    const JsonValue* node = &root;
    for (const std::string& token : split_pointer(pointer)) {
        const JsonValue* next = member(member(node, "properties"), token.c_str());
        if (next == nullptr) {
            const JsonValue* items = member(node, "items");
            next = items != nullptr && items->IsObject() ? items : nullptr;
        }
        if (next == nullptr) {
            return nullptr;
        }
        node = next;
    }
    return node;
}

std::string json_text(const JsonValue& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    std::string text = buffer.GetString();
    return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

const char* type_name(const JsonValue& value) {
    if (value.IsString())
        return "a string";
    if (value.IsBool())
        return "a boolean";
    if (value.IsNull())
        return "null";
    if (value.IsArray())
        return "an array";
    if (value.IsObject())
        return "an object";
    return value.IsInt64() || value.IsUint64() ? "an integer" : "a number";
}

// A message that says what was found and what the schema wants, where
// valijson's own says only which constraint failed.
std::string explain(const std::string& keyword, const JsonValue* value, const JsonValue* rule,
                    const std::string& fallback) {
    if (value == nullptr || rule == nullptr) {
        return fallback;
    }
    std::string found = json_text(*value);
    if (keyword == "type" && member(rule, "type") != nullptr) {
        return found + " is " + type_name(*value) + "; the schema wants " +
               json_text(*member(rule, "type"));
    }
    if (keyword == "enum" && member(rule, "enum") != nullptr) {
        return found + " is not one of " + json_text(*member(rule, "enum"));
    }
    if (keyword == "pattern" && member(rule, "pattern") != nullptr) {
        return found + " does not match " + json_text(*member(rule, "pattern"));
    }
    if (keyword == "length" && value->IsString() && value->GetStringLength() == 0) {
        return "is empty";
    }
    for (const char* bound : {"minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
                              "exclusiveMaximum", "minItems", "maxItems"}) {
        if (const JsonValue* limit = member(rule, bound);
            limit != nullptr && (keyword == "length" || keyword == "range" || keyword == "items") &&
            fallback.find(json_text(*limit)) != std::string::npos) {
            std::string what = value->IsArray() ? std::to_string(value->Size()) + " items" : found;
            return what + " breaks " + bound + " " + json_text(*limit);
        }
    }
    return fallback;
}

}  // namespace

struct CompiledSchema::Impl {
    valijson::Schema schema;
    std::string source;  // the bytes the strings of text point into
    JsonDocument text;   // the schema as written, for messages
    std::unique_ptr<QuickCheck> quick;
};

CompiledSchema::CompiledSchema(std::string_view text, const std::string& name)
    : impl_(std::make_unique<Impl>()) {
    impl_->source.assign(text);
    if (auto problem =
            read_json_in_place(impl_->source.data(), impl_->source.size(), impl_->text)) {
        throw usage_error(describe(*problem, text, name));
    }
    // A second copy to take the formats out of, for valijson.
    std::string copy(text);
    JsonDocument document;
    read_json_in_place(copy.data(), copy.size(), document);
    std::vector<std::string> path;
    take_formats(document, path, formats_);
    impl_->quick = std::make_unique<QuickCheck>(document);
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        parser.populateSchema(valijson::adapters::RapidJsonAdapter(document), impl_->schema);
    } catch (const std::exception& e) {
        throw usage_error(name + ": not a JSON Schema salesint can use: " + e.what());
    }
}

CompiledSchema::~CompiledSchema() = default;

const QuickCheck& CompiledSchema::quick() const {
    return *impl_->quick;
}

bool CompiledSchema::accepts(const JsonValue& document) const {
    if (impl_->quick->supported() && impl_->quick->accepts(document)) {
        return true;  // quick_check.hpp: valijson would accept it too
    }
    // A Validator caches the regular expressions of `pattern`: one per thread.
    thread_local valijson::Validator validator;
    return validator.validate(impl_->schema, valijson::adapters::RapidJsonAdapter(document),
                              nullptr);
}

std::vector<SchemaError> CompiledSchema::errors(const JsonValue& document) const {
    valijson::Validator validator;
    valijson::ValidationResults results;
    validator.validate(impl_->schema, valijson::adapters::RapidJsonAdapter(document), &results);
    std::vector<SchemaError> errors;
    for (const auto& error : results) {
        std::string_view keyword = keyword_of(error.description);
        if (keyword.empty()) {
            continue;  // a summary of errors reported on their own
        }
        std::string pointer = pointer_of(error.context);
        std::string message = error.description;
        if (keyword == "required" || keyword == "additionalProperties") {
            pointer += '/' + escape_token(quoted_name(error.description));
        } else {
            rapidjson::Pointer at(pointer.c_str());
            message = explain(std::string(keyword), at.IsValid() ? at.Get(document) : nullptr,
                              schema_node(impl_->text, pointer), message);
        }
        if (message == "is empty") {
            std::vector<std::string> path = split_pointer(pointer);
            message = "'" + (path.empty() ? std::string() : path.back()) + "' is empty";
        }
        errors.push_back({pointer, std::string(keyword), message});
    }
    return errors;
}

}  // namespace salesint::contracts
