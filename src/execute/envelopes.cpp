#include "envelopes.hpp"

#include "salesint/version.hpp"

namespace salesint::execute {

void write_envelope_meta(JsonWriter& writer, const RunContext& context, std::string_view message_id,
                         std::string_view causation_id) {
    writer.key("meta").begin_object();
    writer.key("tenant_id").string(context.tenant);
    writer.key("message_id").string(message_id);
    writer.key("correlation_id").string(context.correlation_id);
    writer.key("causation_id").string(causation_id);
    writer.key("occurred_at").string(context.now);
    writer.key("producer").string(std::string("salesint/") + kVersion);
    writer.key("schema_version").string(kEnvelopeSchemaVersion);
    writer.end_object();
}

std::string partition_key(const RunContext& context, std::string_view aggregate_id) {
    std::string key = context.tenant;
    key += ':';
    key += aggregate_id;
    return key;
}

}  // namespace salesint::execute
