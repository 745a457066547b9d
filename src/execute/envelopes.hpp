// Envelopes as docs/contracts.md ("Envelopes") describes them: every one carries
// meta.tenant_id, message_id, correlation_id, causation_id, occurred_at,
// producer and schema_version.
#pragma once

#include <string>
#include <string_view>

#include "salesint/execute/adapter.hpp"
#include "salesint/util/json_writer.hpp"

namespace salesint::execute {

inline constexpr const char* kIntegrationFactsTopic = "sales.integration.facts.v1";
inline constexpr const char* kOrderIntakeTopic = "sales.order.intake";
inline constexpr const char* kEnvelopeSchemaVersion = "1.0.0";

// Writes the member "meta" of an envelope with its own message id, caused by
// causation_id.
void write_envelope_meta(JsonWriter& writer, const RunContext& context, std::string_view message_id,
                         std::string_view causation_id);

// "tenant:aggregate", the partition key of {tenant_id, subject.aggregate_id}.
std::string partition_key(const RunContext& context, std::string_view aggregate_id);

}  // namespace salesint::execute
