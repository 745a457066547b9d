#include "adapters/sales_callback.hpp"

#include "salesint/contracts/formats.hpp"
#include "salesint/execute/connector_auth.hpp"
#include "salesint/util/crypto.hpp"

namespace salesint::execute {

LiveRequest sales_callback_request(const Json& input, const RunContext& context,
                                   const Connector& connector, std::string url) {
    LiveRequest request;
    request.url = std::move(url);
    request.body = std::string(context.canonical_input);
    request.scheme = &webhooks::scheme_named("fsm");
    request.secret = read_connector_secret(connector);
    request.delivery_id = input["eventId"].get<std::string>();
    // The sales system ties the callback to its order by the payload's own
    // correlation id, and takes only 200 and 202 as "received".
    if (input.contains("correlationId") && input["correlationId"].is_string()) {
        request.correlation_id = input["correlationId"].get<std::string>();
    }
    request.delivered_statuses = {200, 202};
    return request;
}

Result sales_callback_result(const Json& input, const std::string& sales_system,
                             const std::string& response_body) {
    OrderedJson response = OrderedJson::parse(response_body, nullptr, false);
    if (response.is_discarded() || !response.is_object()) {
        response = OrderedJson::object();  // not a JSON object: kept as text
        response["response"] = response_body;
    }
    Result result;
    result.output = OrderedJson::object();
    result.output["salesSystem"] = sales_system;
    result.output["deliveryId"] = input["eventId"];
    result.output["externalOrderId"] = input["externalOrderId"];
    result.output["status"] = "DELIVERED";
    result.output["response"] = std::move(response);
    return result;
}

Result SalesCallbackAdapter::run_deterministic(const Json& input, const RunContext& context) const {
    Result result;
    result.output = OrderedJson::object();
    result.output["salesSystem"] = live_connector(input);
    result.output["deliveryId"] = input["eventId"];
    result.output["externalOrderId"] = input["externalOrderId"];
    result.output["payloadSha256"] = sha256_hex(context.canonical_input);
    result.output["status"] = "SIMULATED";
    return result;
}

std::string SalesCallbackAdapter::live_connector(const Json& input) const {
    return std::string(
        contracts::sales_system_of_order(input["externalOrderId"].get<std::string>()));
}

LiveRequest SalesCallbackAdapter::live_request(const Json& input, const RunContext& context,
                                               const Connector& connector) const {
    return sales_callback_request(input, context, connector, callback_url(connector));
}

Result SalesCallbackAdapter::live_result(const Json& input, const RunContext& /*context*/,
                                         const std::string& response_body) const {
    return sales_callback_result(input, live_connector(input), response_body);
}

}  // namespace salesint::execute
