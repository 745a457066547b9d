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

// A callback adapter: the sales system is the order's (PX- PYXIS, TMP-
// TEMPO); deterministic mode names it and the delivery id (status SIMULATED);
// live mode POSTs to callback_url(connector).
class SalesCallbackAdapter : public Adapter {
  public:
    Result run_deterministic(const Json& input, const RunContext& context) const override;
    std::string live_connector(const Json& input) const override;
    LiveRequest live_request(const Json& input, const RunContext& context,
                             const Connector& connector) const override;
    Result live_result(const Json& input, const RunContext& context,
                       const std::string& response_body) const override;

  protected:
    virtual std::string callback_url(const Connector& connector) const = 0;
};

}  // namespace salesint::execute
