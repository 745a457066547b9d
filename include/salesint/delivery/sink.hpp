// Where the outbox relay publishes envelopes: a sink takes a batch of
// envelopes (oldest first) and says which of them it acknowledged. The relay
// marks an envelope published only once its sink acknowledged it, so a sink
// must acknowledge only what is durable on its side (written and synced, or
// answered 2xx, or reported delivered by a Kafka cluster). Implementations:
// file:PATH (NDJSON appended, fsync'd), http(s):// (POSTs signed by a
// webhook scheme, with the retries of delivery::send) and kafka://BROKERS
// (librdkafka's idempotent producer, acknowledged from delivery reports).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/net/retry.hpp"
#include "salesint/webhooks/scheme.hpp"

namespace salesint::delivery {

enum class EnvelopeOutcome {
    kAcknowledged,  // durable in the sink
    kFailed,        // tried and not acknowledged
    kNotSent,       // not tried in this call (an earlier envelope of its key failed)
};

struct EnvelopeResult {
    EnvelopeOutcome outcome = EnvelopeOutcome::kNotSent;
    // kFailed: one line, never a secret.
    std::string error;
    std::string error_code;  // HTTP_503, TIMEOUT, NETWORK, REFUSED_BY_SINK, ...
    std::optional<int> http_status;
    // kFailed: no answer at all from the sink (connection refused, timeouts).
    bool unreachable = false;
    std::string at;  // RFC 3339: when it was last tried
    std::int64_t duration_ms = 0;
};

struct PublishResult {
    // One per envelope given to publish, in the same order.
    std::vector<EnvelopeResult> envelopes;
    // Each request made to a remote sink (source "relay"), for the store.
    std::vector<WebhookDelivery> deliveries;
};

class Sink {
  public:
    virtual ~Sink() = default;
    // Publishes the envelopes in the order given. Per partition key the order
    // holds: once an envelope fails, the later envelopes of its key in the
    // same call are kNotSent. Throws Error when the sink itself broke (a
    // file that cannot be written): nothing of the call counts as published.
    virtual PublishResult publish(const std::vector<OutboxMessage>& envelopes) = 0;
    // The target as the user named it (for reports and dead letters).
    virtual std::string describe() const = 0;
    // Envelopes worth handing to one publish call (the relay commits once
    // per call).
    virtual std::size_t preferred_batch() const = 0;
};

struct HttpSinkOptions {
    const webhooks::Scheme* scheme = nullptr;  // nullptr: unsigned
    webhooks::Secret secret;
    // 1: one POST per envelope (its message id as the delivery id and
    // Idempotency-Key); more: a JSON array of up to this many envelopes.
    int batch = 1;
    int max_attempts = 5;
    std::chrono::milliseconds timeout{30'000};
    net::Backoff backoff;
    std::function<void(const std::string&)> on_retry;
};

struct KafkaSinkOptions {
    // Put before each envelope's topic ("staging." + "sales.order.intake").
    std::string topic_prefix;
    // librdkafka producer properties, applied after salesint's own and in
    // this order (a later one wins). An unknown property or an invalid
    // value is a usage Error naming the property, never its value.
    std::vector<std::pair<std::string, std::string>> properties;
    // Envelopes produced per publish call: all their delivery reports are
    // awaited before the relay commits.
    std::size_t batch = 10000;
};

// The sink a target names: "file:PATH", an http:// or https:// URL, or
// kafka://HOST:PORT[,HOST:PORT...]. Throws a usage Error (field "target")
// for another kind, naming the supported ones, and for a file that cannot be
// opened for appending, naming its path.
std::unique_ptr<Sink> open_sink(const std::string& target, const HttpSinkOptions& http,
                                const KafkaSinkOptions& kafka = {});

// True when target names an HTTP sink (signing applies to it only).
bool is_http_target(const std::string& target);

// True when target names a Kafka cluster (kafka://).
bool is_kafka_target(const std::string& target);

}  // namespace salesint::delivery
