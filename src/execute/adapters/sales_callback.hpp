// What the two callbacks to the sales system of an order share (the
// installation outcome and the appointment scheduled, README.md "Execute"):
// the payload POSTed as given, signed with the fsm scheme and the connector's
// secret, the payload's eventId as the delivery id and its correlationId as
// X-Correlation-ID, and only 200 and 202 counted as delivered.
#pragma once

#include <string>

#include "salesint/execute/adapter.hpp"

namespace salesint::execute {

LiveRequest sales_callback_request(const Json& input, const RunContext& context,
                                   const Connector& connector, std::string url);

// The output of a delivered callback: {salesSystem, deliveryId,
// externalOrderId, status: DELIVERED, response}.
Result sales_callback_result(const Json& input, const std::string& sales_system,
                             const std::string& response_body);

}  // namespace salesint::execute
