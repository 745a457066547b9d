#include "envelopes.hpp"

#include "salesint/version.hpp"

namespace salesint::execute {

OrderedJson envelope_meta(const RunContext& context, const std::string& message_id,
                          const std::string& causation_id) {
    OrderedJson meta = OrderedJson::object();
    meta["tenant_id"] = context.tenant;
    meta["message_id"] = message_id;
    meta["correlation_id"] = context.correlation_id;
    meta["causation_id"] = causation_id;
    meta["occurred_at"] = context.now;
    meta["producer"] = std::string("salesint/") + kVersion;
    meta["schema_version"] = kEnvelopeSchemaVersion;
    return meta;
}

std::string partition_key(const RunContext& context, std::string_view aggregate_id) {
    std::string key = context.tenant;
    key += ':';
    key += aggregate_id;
    return key;
}

}  // namespace salesint::execute
