// The JSON Schemas (draft 7) salesint ships for the sales contracts: the four
// envelope families, the OrderIntakeReceived event of the FSM order intake
// flow, the payloads of docs/contracts.md, and the input of every adapter. They are compiled into
// the binary from src/contracts/schemas/, and `contract schemas` prints the very texts `contract
// validate` uses.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace salesint::contracts {

// What a document is, which decides the rules beyond its JSON Schema.
enum class ContractKind {
    kDomainIntent,
    kDomainFact,
    kProcessFact,
    kIntegrationFact,
    kOrderIntakeReceived,  // the FSM order intake flow's event, on its own topic
    kOrderIntakeRequest,
    kOrderIntakeResponse,
    kSlotAvailabilityRequest,
    kSlotAvailabilityResponse,
    kInstallationOutcome,
    kAppointmentScheduled,
    kErrorResponse,
    kErpCreateOrderRequest,  // the input of sales.erp.create_order.v1
    kQuoteSendEmailRequest,  // the input of sales.quote.send_email.v1
    kCustom,                 // a schema file of the user's: its JSON Schema only
};

struct ShippedSchema {
    std::string_view name;  // "integration-fact"
    ContractKind kind;
    // The envelope's topic: a family's first version ("sales.domain.facts.v1"),
    // which stands for every version of it, or a topic of its own
    // ("sales.order.intake"), which stands for itself; "" for a payload.
    std::string_view topic;
    std::string_view text;  // the schema, as shipped
};

const std::vector<ShippedSchema>& shipped_schemas();
// The schema of that name, or nullptr.
const ShippedSchema* shipped_schema(std::string_view name);
// "title: description" of a shipped schema, read from its text.
std::string schema_summary(const ShippedSchema& schema);

// A document with meta (the envelope families and OrderIntakeReceived), whose
// meta, topic and partition key fields have rules of their own.
bool is_envelope(ContractKind kind);

}  // namespace salesint::contracts
