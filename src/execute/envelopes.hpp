// Envelopes as docs/contracts.md ("Envelopes") describes them: every one carries
// meta.tenant_id, message_id, correlation_id, causation_id, occurred_at,
// producer and schema_version.
#pragma once

#include <string>
#include <string_view>

#include "salesint/execute/adapter.hpp"

namespace salesint::execute {

inline constexpr const char* kIntegrationFactsTopic = "sales.integration.facts.v1";
inline constexpr const char* kOrderIntakeTopic = "sales.order.intake";
inline constexpr const char* kEnvelopeSchemaVersion = "1.0.0";

// The meta object of an envelope with its own message id, caused by causation_id.
OrderedJson envelope_meta(const RunContext& context, const std::string& message_id,
                          const std::string& causation_id);

// head's JSON text with one more member, key, whose value is raw_json as is:
// a large input is spliced in rather than copied into a JSON tree.
std::string dump_with_raw_member(const OrderedJson& head, std::string_view key,
                                 std::string_view raw_json);

// "tenant:aggregate", the partition key of {tenant_id, subject.aggregate_id}.
std::string partition_key(const RunContext& context, std::string_view aggregate_id);

}  // namespace salesint::execute
