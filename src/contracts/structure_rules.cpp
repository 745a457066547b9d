#include <map>

#include "checks.hpp"
#include "json_pointer.hpp"

namespace salesint::contracts {
namespace {

const std::map<std::string_view, std::string_view> kRuleOfKeyword{
    {"required", "schema.required"},
    {"type", "schema.type"},
    {"enum", "schema.enum"},
    {"const", "schema.const"},
    {"additionalProperties", "schema.additional_properties"},
    {"length", "schema.length"},
    {"range", "schema.range"},
    {"items", "schema.items"},
    {"pattern", "schema.pattern"},
    {"other", "schema.constraint"},
};

// The envelope fields whose rules the issue names: meta, topic, partition key.
std::string envelope_rule(ContractKind kind, std::string_view keyword,
                          const std::vector<std::string>& path) {
    if (path.size() == 1 && path[0] == "topic") {
        return "topic.name";
    }
    if (path.size() == 2 && path[0] == "meta") {
        if (keyword == "required" || keyword == "length") {
            return "meta.required";
        }
        if (keyword == "pattern") {
            return "meta." + path[1];
        }
        return keyword == "additionalProperties" ? "meta.unknown" : "meta.type";
    }
    if (kind == ContractKind::kOrderIntakeReceived) {
        return path.size() == 1 && path[0] == "orderId" ? "partition.key" : "";
    }
    const char* key_field = kind == ContractKind::kProcessFact ? "workflow_id" : "aggregate_id";
    if (path.size() == 2 && path[0] == "subject" && path[1] == key_field) {
        return "partition.key";
    }
    return "";
}

std::string message_of(const SchemaError& error, const std::vector<std::string>& path) {
    std::string name = path.empty() ? std::string() : path.back();
    if (error.keyword == "required") {
        return "'" + name + "' is required";
    }
    if (error.keyword == "additionalProperties") {
        return "'" + name + "' is not allowed here: the object is closed";
    }
    std::string message = error.message;
    if (!message.empty() && message.back() == '.') {
        message.pop_back();
    }
    return message;
}

}  // namespace

void add_schema_errors(ContractKind kind, const std::vector<SchemaError>& errors, Violations& out) {
    for (const SchemaError& error : errors) {
        std::vector<std::string> path = split_pointer(error.pointer);
        std::string rule = is_envelope(kind) ? envelope_rule(kind, error.keyword, path) : "";
        if (rule.empty()) {
            rule = kRuleOfKeyword.at(error.keyword);
        }
        add_violation(out, std::move(rule), error.pointer, message_of(error, path));
    }
}

}  // namespace salesint::contracts
