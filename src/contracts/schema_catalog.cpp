#include <stdexcept>

#include <nlohmann/json.hpp>

#include "embedded_schemas.hpp"
#include "salesint/contracts/schemas.hpp"

namespace salesint::contracts {
namespace {

struct KindOfName {
    std::string_view name;
    ContractKind kind;
    std::string_view topic;
};

constexpr KindOfName kKinds[] = {
    {"domain-intent", ContractKind::kDomainIntent, "sales.domain.intents.v1"},
    {"domain-fact", ContractKind::kDomainFact, "sales.domain.facts.v1"},
    {"process-fact", ContractKind::kProcessFact, "sales.process.facts.v1"},
    {"integration-fact", ContractKind::kIntegrationFact, "sales.integration.facts.v1"},
    {"order-intake-received", ContractKind::kOrderIntakeReceived, "sales.order.intake"},
    {"order-intake-request", ContractKind::kOrderIntakeRequest, ""},
    {"order-intake-response", ContractKind::kOrderIntakeResponse, ""},
    {"slot-availability-request", ContractKind::kSlotAvailabilityRequest, ""},
    {"slot-availability-response", ContractKind::kSlotAvailabilityResponse, ""},
    {"installation-outcome", ContractKind::kInstallationOutcome, ""},
    {"appointment-scheduled", ContractKind::kAppointmentScheduled, ""},
    {"error-response", ContractKind::kErrorResponse, ""},
    {"erp-create-order-request", ContractKind::kErpCreateOrderRequest, ""},
    {"quote-send-email-request", ContractKind::kQuoteSendEmailRequest, ""},
};

// "src/contracts/schemas/integration-fact.schema.json" -> "integration-fact"
std::string_view name_of(std::string_view path) {
    path.remove_prefix(path.rfind('/') + 1);
    return path.substr(0, path.find('.'));
}

std::vector<ShippedSchema> load_catalog() {
    std::vector<ShippedSchema> schemas;
    for (const KindOfName& known : kKinds) {
        for (const EmbeddedSchemaFile& file : embedded_schema_files()) {
            if (name_of(file.path) == known.name) {
                schemas.push_back({known.name, known.kind, known.topic, file.text});
            }
        }
    }
    if (schemas.size() != std::size(kKinds)) {
        throw std::logic_error("a shipped schema is missing from src/contracts/schemas");
    }
    return schemas;
}

}  // namespace

const std::vector<ShippedSchema>& shipped_schemas() {
    static const std::vector<ShippedSchema> kSchemas = load_catalog();
    return kSchemas;
}

const ShippedSchema* shipped_schema(std::string_view name) {
    for (const ShippedSchema& schema : shipped_schemas()) {
        if (schema.name == name) {
            return &schema;
        }
    }
    return nullptr;
}

std::string schema_summary(const ShippedSchema& schema) {
    auto document = nlohmann::json::parse(schema.text);
    return document.value("title", "") + ": " + document.value("description", "");
}

bool is_envelope(ContractKind kind) {
    return kind == ContractKind::kDomainIntent || kind == ContractKind::kDomainFact ||
           kind == ContractKind::kProcessFact || kind == ContractKind::kIntegrationFact ||
           kind == ContractKind::kOrderIntakeReceived;
}

}  // namespace salesint::contracts
