// fsm.order.intake.v2: the order intake of docs/contracts.md. A sales system (PYXIS,
// TEMPO) hands an order to field service; it is validated, keyed by
// SHA-256("externalOrderId-salesSystem") and announced as OrderIntakeReceived
// on sales.order.intake.
#include "adapters/adapters.hpp"
#include "envelopes.hpp"
#include "identity.hpp"
#include "input_contract.hpp"
#include "salesint/util/crypto.hpp"

namespace salesint::execute {
namespace {

class OrderIntake final : public Adapter {
  public:
    const AdapterInfo& info() const override {
        static const AdapterInfo kInfo{
            "fsm.order.intake.v2",
            "2.1.0",
            "Receive a sales order (PYXIS, TEMPO) for scheduling and fulfilment",
            "orderId is a UUID derived from the tenant and the idempotency key; status RECEIVED; "
            "an OrderIntakeReceived event goes to the outbox on sales.order.intake",
            "POSTs the order as JSON to the connector's base_url (default FSM) with an "
            "Idempotency-Key header; the response object is the output",
            {
                {"/externalOrderId", "string", true,
                 "the order in the sales system (PX-..., TMP-...)"},
                {"/salesSystem", "enum(PYXIS|TEMPO)", true, ""},
                {"/orderType", "enum(INSTALLATION|REPAIR|MAINTENANCE|UPGRADE)", true, ""},
                {"/priority", "enum(LOW|MEDIUM|HIGH|URGENT|EMERGENCY)", true, ""},
                {"/customer", "object", true, "customerId, firstName, lastName, email, phone"},
                {"/customer/email", "email", false, "email or phone is required"},
                {"/customer/phone", "phone (E.164 once spaces, ( ) and - are removed)", false,
                 "email or phone is required"},
                {"/customer/preferredContactMethod", "enum(EMAIL|SMS|PHONE)", true, ""},
                {"/serviceAddress", "object", true, "street, city, state, postalCode, country"},
                {"/serviceItems", "array (at least one)", true,
                 "itemId, productId, productName, quantity, unitPrice, requiresInstallation"},
                {"/totalAmount", "object", true,
                 "subtotal, tax, total (decimal strings), currency; subtotal + tax = total within "
                 "0.01"},
                {"/schedulingPreferences", "object", false, "preferredDate, timeWindow, ..."},
                {"/requiredSkills", "array of strings", false, ""},
                {"/estimatedDuration", "number (minutes)", false, ""},
            },
            {
                {"INVALID_ORDER", "order data validation failed (one detail per field)", false},
                {"DUPLICATE_ORDER",
                 "the order (same externalOrderId and salesSystem) was received before with "
                 "other data",
                 false},
            },
            RetryPolicy{},
            100,
            "FSM",
            "fixtures/execute/order-intake.json"};
        return kInfo;
    }

    std::optional<Failure> validate(const Json& input, std::string_view canonical) const override {
        return failure_of(contract_violations(input, canonical, "order-intake-request"),
                          "INVALID_ORDER", "Order data validation failed");
    }

    std::optional<std::string> idempotency_key(const Json& input) const override {
        const auto external_id = input.find("externalOrderId");
        const auto system = input.find("salesSystem");
        if (!input.is_object() || external_id == input.end() || system == input.end() ||
            !external_id->is_string() || !system->is_string()) {
            return std::nullopt;  // not a valid order: never recorded, so never replayed
        }
        return sha256_hex(external_id->get_ref<const std::string&>() + "-" +
                          system->get_ref<const std::string&>());
    }

    const char* conflict_code() const override { return "DUPLICATE_ORDER"; }

    Result run_deterministic(const Json& input, const RunContext& context) const override {
        const std::string order_id =
            derived_uuid("order\n" + context.tenant + "\n" + context.message_id);
        Result result;
        result.output = OrderedJson::object();
        result.output["orderId"] = order_id;
        const std::string& external_order_id =
            input["externalOrderId"].get_ref<const std::string&>();
        result.output["externalOrderId"] = external_order_id;
        result.output["status"] = "RECEIVED";
        result.output["correlationId"] = context.correlation_id;
        result.output["receivedAt"] = context.now;

        const std::string event_id = derived_uuid("event\n" + context.tenant + "\n" + order_id);
        OutboxMessage message;
        JsonWriter event(message.envelope_json);
        event.begin_object();
        write_envelope_meta(event, context, event_id, context.message_id);
        event.key("eventType").string("OrderIntakeReceived");
        event.key("eventId").string(event_id);
        event.key("correlationId").string(context.correlation_id);
        event.key("timestamp").string(context.now);
        event.key("orderId").string(order_id);
        event.key("externalOrderId").string(external_order_id);
        event.key("salesSystem").string(input["salesSystem"].get_ref<const std::string&>());
        event.key("orderData").raw(context.canonical_input);
        event.end_object();
        message.message_id = event_id;
        message.topic = kOrderIntakeTopic;
        message.partition_key = partition_key(context, order_id);
        message.created_at = context.now;
        result.events.push_back(std::move(message));
        return result;
    }
};

}  // namespace

const Adapter& order_intake() {
    static const OrderIntake kAdapter;
    return kAdapter;
}

}  // namespace salesint::execute
