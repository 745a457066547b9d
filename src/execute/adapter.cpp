#include "salesint/execute/adapter.hpp"

namespace salesint::execute {

const std::vector<ErrorCodeDoc>& live_error_codes() {
    static const std::vector<ErrorCodeDoc> kCodes{
        {"SERVICE_UNAVAILABLE",
         "live: the connector answered 5xx or could not be reached (the HTTP status is a detail)",
         true},
        {"TIMEOUT", "live: no answer within the timeout", true},
        {"RATE_LIMIT_EXCEEDED",
         "live: the tenant's rate limit for the adapter, or the connector's 429", true},
        {"CIRCUIT_OPEN", "live: the connector's circuit breaker is open", true},
        {"REJECTED",
         "live: the connector refused the call (4xx, or an answer the adapter does not count as "
         "delivered; the HTTP status is a detail)",
         false},
    };
    return kCodes;
}

LiveRequest Adapter::live_request(const Json& input, const RunContext& context,
                                  const Connector& connector) const {
    LiveRequest request;
    request.url = connector.base_url;
    request.body = input.dump();
    // The remote can drop a retry it has already carried out.
    request.headers.push_back({"Idempotency-Key", context.message_id});
    request.headers.push_back({"X-Tenant-ID", context.tenant});
    return request;
}

Result Adapter::live_result(const Json& /*input*/, const RunContext& /*context*/,
                            const std::string& response_body) const {
    Result result;
    OrderedJson parsed = OrderedJson::parse(response_body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        // Not a JSON object: keep what the remote said, as text.
        result.output = OrderedJson::object();
        result.output["response"] = response_body;
        return result;
    }
    result.output = std::move(parsed);
    return result;
}

}  // namespace salesint::execute
