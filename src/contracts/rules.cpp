#include "salesint/contracts/rules.hpp"

namespace salesint::contracts {

const std::vector<RuleInfo>& validation_rules() {
    static const std::vector<RuleInfo> kRules{
        {"json.parse", "the document is not JSON (exit 2)"},
        {"schema.unmatched", "no contract could be picked from the document's topic or shape"},
        {"schema.required", "a property the schema requires is missing"},
        {"schema.type", "a value has a type the schema does not allow"},
        {"schema.enum", "a value is not one of the schema's enum values"},
        {"schema.const", "a value differs from the schema's const"},
        {"schema.additional_properties", "a property a closed object does not declare"},
        {"schema.length", "a string is shorter or longer than the schema allows"},
        {"schema.range", "a number is below the minimum or above the maximum"},
        {"schema.items", "an array has fewer or more items than the schema allows"},
        {"schema.pattern", "a string does not match the schema's pattern"},
        {"schema.constraint",
         "another JSON Schema keyword failed (multipleOf, uniqueItems, "
         "oneOf, not, ...)"},
        {"format.date_time", "not an RFC 3339 date-time"},
        {"format.date", "not an ISO 8601 calendar date (YYYY-MM-DD)"},
        {"format.email", "not an email address (/^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/)"},
        {"format.uuid", "not a UUID (8-4-4-4-12 hex digits)"},
        {"format.phone",
         "not a phone number (/^\\+?[1-9]\\d{1,14}$/ without spaces, "
         "dashes and parentheses)"},
        {"meta.required",
         "an envelope meta field (tenant_id, message_id, correlation_id, "
         "causation_id, occurred_at, producer, schema_version) is missing or empty"},
        {"meta.type", "an envelope meta field is not a string"},
        {"meta.unknown", "meta has a field the envelope contract does not define"},
        {"meta.message_id", "meta.message_id is not a UUID"},
        {"meta.occurred_at", "meta.occurred_at is not an RFC 3339 time in UTC"},
        {"meta.schema_version",
         "meta.schema_version is not MAJOR.MINOR.PATCH, or its MAJOR "
         "differs from the topic's version"},
        {"topic.name",
         "the topic is not sales.<domain|process|integration>.<intents|facts>.v<N> "
         "of the envelope's family (sales.order.intake for OrderIntakeReceived)"},
        {"partition.key",
         "the family's partition key field (subject.aggregate_id; subject.workflow_id "
         "for process facts, orderId for OrderIntakeReceived) is missing or empty"},
        {"integration.domain_fact",
         "an integration fact carries a domain fact type (Lead*, "
         "Opportunity*, Quote*)"},
        {"order.contact", "an order's customer has neither email nor phone"},
        {"order.amount_sum", "totalAmount.subtotal + tax differs from total by more than 0.01"},
        {"order.currency", "a service item's currency differs from totalAmount.currency"},
        {"order.time_window", "a scheduling time window does not start before it ends"},
        {"order.appointment_window", "an appointment does not start before it ends"},
        {"slot.date_order", "dateRange.startDate is not before endDate"},
        {"slot.date_range", "dateRange spans more than 90 days"},
        {"slot.time_window", "a time window does not start before it ends"},
        {"slot.total", "totalSlotsFound is less than the number of availableSlots"},
        {"outcome.sales_system",
         "externalOrderId starts with neither PX- (PYXIS) nor TMP- (TEMPO)"},
        {"outcome.follow_up_reason", "followUpRequired is true but followUpReason is missing"},
        {"appointment.sales_system",
         "an appointment's externalOrderId starts with neither PX- (PYXIS) nor TMP- (TEMPO)"},
        {"stream.duplicate_message_id",
         "with stream rules: a meta.message_id already seen in an earlier document"},
        {"stream.step_backwards",
         "with stream rules: a process fact's subject.step below an earlier one of the same "
         "tenant and workflow_id"},
    };
    return kRules;
}

const std::vector<RuleInfo>& breaking_rules() {
    static const std::vector<RuleInfo> kRules{
        {"schema.removed", "a schema file of OLD is missing from NEW"},
        {"property.added", "a property added to a closed object (breaks forward)"},
        {"property.removed", "a property removed from a closed object (breaks backward)"},
        {"required.added", "a property newly required, without a default (breaks backward)"},
        {"required.removed", "a property no longer required (breaks forward)"},
        {"type.narrowed", "fewer types allowed (breaks backward)"},
        {"type.widened", "more types allowed (breaks forward)"},
        {"type.changed", "a different type (breaks both)"},
        {"enum.value_removed", "an enum value removed (breaks backward)"},
        {"enum.value_added", "an enum value added (breaks forward)"},
        {"pattern.added", "a pattern added (breaks backward)"},
        {"pattern.removed", "a pattern removed (breaks forward)"},
        {"pattern.changed", "a different pattern (breaks both)"},
        {"max.lowered",
         "a maximum, maxLength, maxItems or maxProperties lowered or added (breaks "
         "backward)"},
        {"max.raised", "a maximum raised or removed (breaks forward)"},
        {"min.raised",
         "a minimum, minLength, minItems or minProperties raised or added (breaks "
         "backward)"},
        {"min.lowered", "a minimum lowered or removed (breaks forward)"},
        {"model.closed", "additionalProperties turned false (breaks backward)"},
        {"model.opened", "additionalProperties no longer false (breaks forward)"},
        {"composition.branch_removed", "an anyOf or oneOf branch removed (breaks backward)"},
        {"composition.branch_added", "an anyOf or oneOf branch added (breaks forward)"},
        {"composition.member_added", "a schema added to allOf (breaks backward)"},
        {"composition.member_removed", "a schema removed from allOf (breaks forward)"},
        {"composition.added", "an anyOf or oneOf where there was none (breaks backward)"},
        {"composition.removed", "an anyOf or oneOf removed (breaks forward)"},
    };
    return kRules;
}

const RuleInfo* find_rule(std::string_view id) {
    for (const auto* rules : {&validation_rules(), &breaking_rules()}) {
        for (const RuleInfo& rule : *rules) {
            if (rule.id == id) {
                return &rule;
            }
        }
    }
    return nullptr;
}

}  // namespace salesint::contracts
