#include <cctype>

#include "checks.hpp"
#include "json_pointer.hpp"
#include "salesint/contracts/formats.hpp"
#include "salesint/util/clock.hpp"

namespace salesint::contracts {
namespace {

bool has_format(std::string_view format, std::string_view text) {
    if (format == "date-time") {
        return parse_rfc3339(text).has_value();
    }
    if (format == "date") {
        return parse_iso_date(text).has_value();
    }
    if (format == "email") {
        return is_email(text);
    }
    return is_uuid(text);
}

std::string rule_of(ContractKind kind, std::string_view format, const std::string& pointer) {
    if (is_envelope(kind) && pointer.rfind("/meta/", 0) == 0) {
        return "meta." + pointer.substr(6);
    }
    return format == "date-time" ? "format.date_time" : "format." + std::string(format);
}

const char* expected(std::string_view format) {
    if (format == "date-time") {
        return "an RFC 3339 date-time such as 2026-01-20T09:00:00Z";
    }
    if (format == "date") {
        return "a calendar date such as 2026-01-20";
    }
    return format == "email" ? "an email address" : "a UUID";
}

void visit(ContractKind kind, const FormatSite& site, std::size_t depth, const JsonValue& value,
           std::string& pointer, Violations& out) {
    if (depth == site.path.size()) {
        if (value.IsString()) {
            std::string_view text(value.GetString(), value.GetStringLength());
            if (!has_format(site.format, text)) {
                add_violation(out, rule_of(kind, site.format, pointer), pointer,
                              "\"" + std::string(text) + "\" is not " + expected(site.format));
            }
        }
        return;
    }
    std::size_t length = pointer.size();
    const std::string& step = site.path[depth];
    if (step == "*" && value.IsArray()) {
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
            pointer += '/' + std::to_string(i);
            visit(kind, site, depth + 1, value[i], pointer, out);
            pointer.resize(length);
        }
    } else if (const JsonValue* next = member(&value, step.c_str())) {
        pointer += '/' + escape_token(step);
        visit(kind, site, depth + 1, *next, pointer, out);
        pointer.resize(length);
    }
}

}  // namespace

bool is_uuid(std::string_view text) {
    if (text.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
        if (hyphen ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) {
            return false;
        }
    }
    return true;
}

void check_formats(ContractKind kind, const std::vector<FormatSite>& sites,
                   const JsonValue& document, Violations& out) {
    std::string pointer;
    for (const FormatSite& site : sites) {
        visit(kind, site, 0, document, pointer, out);
    }
}

}  // namespace salesint::contracts
