// --schema auto: which contract a document follows.
#include "document_check.hpp"

namespace salesint::contracts {
namespace {

// A family's first version ("sales.domain.facts.v1") names the family,
// whatever the version ("sales.domain.facts.v"); a topic of its own
// ("sales.order.intake") names only itself.
bool names_topic(std::string_view shipped, std::string_view topic) {
    if (shipped.ends_with(".v1")) {
        return topic.starts_with(shipped.substr(0, shipped.size() - 1));
    }
    return topic == shipped;
}

std::string_view by_topic(std::string_view topic) {
    for (const ShippedSchema& schema : shipped_schemas()) {
        if (!schema.topic.empty() && names_topic(schema.topic, topic)) {
            return schema.name;
        }
    }
    return "";
}

std::string_view envelope_by_shape(const JsonValue& document) {
    if (member(&document, "intent") != nullptr) {
        return "domain-intent";
    }
    if (member(member(&document, "subject"), "workflow_id") != nullptr) {
        return "process-fact";
    }
    const JsonValue* fact = member(&document, "fact");
    if (fact == nullptr) {
        return "";  // an envelope of none of the four families
    }
    if (member(fact, "adapter_id") != nullptr ||
        string_member(fact, "type").starts_with("Integration")) {
        return "integration-fact";
    }
    return "domain-fact";
}

std::string_view payload_by_shape(const JsonValue& document) {
    auto has = [&document](const char* key) { return member(&document, key) != nullptr; };
    if (has("error") && (has("correlationId") || has("timestamp"))) {
        return "error-response";
    }
    if (has("availableSlots")) {
        return "slot-availability-response";
    }
    if (has("dateRange")) {
        return "slot-availability-request";
    }
    if (has("outcome") && (has("installedItems") || has("completionDetails"))) {
        return "installation-outcome";
    }
    if (has("appointmentId") && has("slot")) {
        return "appointment-scheduled";
    }
    if (has("externalOrderId") && (has("serviceItems") || has("customer"))) {
        return "order-intake-request";
    }
    if (has("orderId") && has("receivedAt")) {
        return "order-intake-response";
    }
    if (has("quoteId") && has("lines")) {
        return "erp-create-order-request";
    }
    if (has("quoteId") && has("to") && has("subject")) {
        return "quote-send-email-request";
    }
    return "";
}

}  // namespace

std::string_view pick_schema(const JsonValue& document, const char*& picked_by) {
    if (!document.IsObject()) {
        return "";
    }
    picked_by = "topic";
    if (std::string_view name = by_topic(string_member(&document, "topic")); !name.empty()) {
        return name;
    }
    picked_by = "shape";
    // The FSM order intake flow's event names itself, with or without its meta.
    if (string_member(&document, "eventType") == "OrderIntakeReceived") {
        return "order-intake-received";
    }
    if (member(&document, "meta") != nullptr) {
        return envelope_by_shape(document);
    }
    return payload_by_shape(document);
}

}  // namespace salesint::contracts
