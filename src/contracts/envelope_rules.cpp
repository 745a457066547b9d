// The envelope invariants that the JSON Schemas cannot state
// (docs/contracts.md, "Envelopes").
#include <array>

#include "checks.hpp"

namespace salesint::contracts {
namespace {

// occurred_at is RFC 3339 *in UTC*; the schema's date-time
// format accepts any offset.
void check_utc(const JsonValue& meta, Violations& out) {
    std::string_view at = string_member(&meta, "occurred_at");
    if (at.size() < 20) {
        return;  // missing or malformed: the schema's checks say so
    }
    bool utc =
        at.back() == 'Z' || at.back() == 'z' || at.ends_with("+00:00") || at.ends_with("-00:00");
    if (!utc) {
        add_violation(out, "meta.occurred_at", "/meta/occurred_at",
                      "\"" + std::string(at) + "\" is not in UTC: write it with Z");
    }
}

// "1.2.0" -> 1; nullopt unless MAJOR.MINOR.PATCH.
std::optional<long> semver_major(std::string_view version) {
    std::size_t dot = version.find('.');
    if (dot == 0 || dot == std::string_view::npos || dot > 9) {
        return std::nullopt;
    }
    long major = 0;
    for (char c : version.substr(0, dot)) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        major = major * 10 + (c - '0');
    }
    return major;
}

// "sales.domain.facts.v3" -> 3
std::optional<long> topic_version(std::string_view topic) {
    std::size_t v = topic.rfind(".v");
    if (v == std::string_view::npos) {
        return std::nullopt;
    }
    return semver_major(std::string(topic.substr(v + 2)) + ".");
}

// The versioning policy: schema_version is semver and its MAJOR is the
// topic's vN, so that a breaking change moves to a new topic.
void check_version_policy(const JsonValue& document, const JsonValue& meta, Violations& out) {
    std::optional<long> major = semver_major(string_member(&meta, "schema_version"));
    std::optional<long> topic = topic_version(string_member(&document, "topic"));
    if (major && topic && *major != *topic) {
        add_violation(out, "meta.schema_version", "/meta/schema_version",
                      "major version " + std::to_string(*major) + " does not match topic v" +
                          std::to_string(*topic) + ": a new major version needs a new topic");
    }
}

// The aggregates of the Sales domain: leads, opportunities, quotes.
constexpr std::array<std::string_view, 3> kDomainAggregates{"Lead", "Opportunity", "Quote"};

bool is_domain_fact_type(std::string_view type) {
    for (std::string_view aggregate : kDomainAggregates) {
        if (type.size() > aggregate.size() && type.starts_with(aggregate) &&
            std::isupper(static_cast<unsigned char>(type[aggregate.size()]))) {
            return true;
        }
    }
    return false;
}

}  // namespace

void check_envelope(ContractKind kind, const JsonValue& document, Violations& out) {
    if (const JsonValue* meta = member(&document, "meta"); meta != nullptr && meta->IsObject()) {
        check_utc(*meta, out);
        check_version_policy(document, *meta, out);
    }
    if (kind == ContractKind::kIntegrationFact) {
        std::string_view type = string_member(member(&document, "fact"), "type");
        if (is_domain_fact_type(type)) {
            add_violation(out, "integration.domain_fact", "/fact/type",
                          "\"" + std::string(type) +
                              "\" is a domain fact: integration facts report external "
                              "outcomes and never carry domain facts");
        }
    }
}

}  // namespace salesint::contracts
