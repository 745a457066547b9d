// An adapter: one stable Execute ID (README.md, "Execute"), with its version, input
// contract, error codes, retry policy and rate limit, and two modes.
//
//   deterministic  the default: computes the result from the input alone
//                  (ids are derived from it), touching no network, so that
//                  tests and local runs repeat exactly;
//   live           sends the request to a connector's base_url.
//
// Adapters are stateless and know nothing of the state file: the executor
// (executor.hpp) owns idempotency, facts, retries, the breaker and the DLQ.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/util/json.hpp"
#include "salesint/webhooks/headers.hpp"
#include "salesint/webhooks/scheme.hpp"

namespace salesint::execute {

// A rule an input breaks: the field as the error response names it (customer.email)
// and as a JSON pointer (/customer/email).
struct FieldError {
    std::string field;
    std::string pointer;
    std::string message;
};

// An adapter's "no", in the error response format (docs/contracts.md).
struct Failure {
    std::string code;  // INVALID_ORDER, NO_SLOTS_AVAILABLE, ...
    std::string message;
    std::vector<FieldError> details;
};

struct InputField {
    const char* pointer;  // /customer/email
    const char* type;     // string, number, enum(A|B), ...
    bool required;
    const char* description;
};

struct ErrorCodeDoc {
    const char* code;
    const char* description;
    bool retryable;
};

struct RetryPolicy {
    int max_attempts = 4;
    std::chrono::milliseconds timeout{10'000};
    std::chrono::milliseconds backoff{500};        // base of full-jitter backoff
    std::chrono::milliseconds max_backoff{8'000};  // cap of one wait
};

struct AdapterInfo {
    std::string id;
    std::string version;
    std::string summary;
    std::string deterministic;  // what deterministic mode computes
    std::string live;           // what live mode sends, and where
    std::vector<InputField> input;
    std::vector<ErrorCodeDoc> errors;
    RetryPolicy retry;
    int rate_limit_per_minute = 100;  // per tenant, live mode
    std::string connector;            // live: the default connector; "" when the input decides
    std::string example;              // a fixture under fixtures/, embedded in the binary
};

// What one execution knows besides its input.
struct RunContext {
    std::string tenant;
    std::string message_id;
    // What derived ids (execution, facts, events) hash: the message id, and
    // "live" for a live run, so that a rehearsal and the live call of one
    // message id never share an id.
    std::string identity;
    std::string correlation_id;
    std::string causation_id;
    std::string now;                   // RFC 3339 UTC: the execution's time
    std::string_view canonical_input;  // the input as JSON text, keys sorted
    std::string_view roster;           // technician roster JSON (slot availability)
    std::string roster_source;         // where it came from, for error messages
    int max_slots = 0;                 // slot answers: at most this many; 0: the adapter's
};

struct Result {
    std::optional<Failure> failure;     // a business "no" (e.g. NO_SLOTS_AVAILABLE)
    OrderedJson output;                 // on success
    std::vector<OutboxMessage> events;  // envelopes beside the integration fact
};

// A live call: POSTed with retries; signed when scheme is set.
struct LiveRequest {
    std::string url;
    std::string body;
    webhooks::HeaderList headers;
    const webhooks::Scheme* scheme = nullptr;
    webhooks::Secret secret;     // with scheme
    std::string delivery_id;     // with scheme
    std::string correlation_id;  // X-Correlation-ID; empty: the execution's
    // Statuses that count as delivered; empty: any 2xx. Another answer is a
    // refusal, never retried (a second POST could act twice).
    std::vector<long> delivered_statuses;
    // Credentials (Authorization, an API key): sent, never shown or stored.
    webhooks::HeaderList secret_headers;
};

// The error codes of every live call, whatever the adapter (README.md,
// "Execute"): SERVICE_UNAVAILABLE, TIMEOUT, RATE_LIMIT_EXCEEDED, CIRCUIT_OPEN,
// REJECTED. An error response from the connector that names one of the
// adapter's own codes keeps that code.
const std::vector<ErrorCodeDoc>& live_error_codes();

class Adapter {
  public:
    virtual ~Adapter() = default;

    virtual const AdapterInfo& info() const = 0;
    // Every rule the input breaks; nullopt when it is valid. canonical is the
    // input as JSON text (keys sorted, no spaces).
    virtual std::optional<Failure> validate(const Json& input,
                                            std::string_view canonical) const = 0;
    // Whether runs read the technician roster: then it is checked before any
    // input, and it is part of what makes two executions the same.
    virtual bool uses_roster() const { return false; }
    // The message id the adapter derives from its input (order intake's
    // idempotency key); nullopt: the executor's generic one. Asked of valid
    // inputs, and of any input a batch may replay: nullopt when the fields it
    // needs are not there.
    virtual std::optional<std::string> idempotency_key(const Json& /*input*/) const {
        return std::nullopt;
    }
    // The code of a message id seen before with another input.
    virtual const char* conflict_code() const { return "DUPLICATE_MESSAGE"; }
    // A query (slot availability) changes nothing anywhere: its answer is
    // kept for a while (ExecuteOptions::max_age) and then computed again,
    // rather than replayed forever as a command's outcome is.
    virtual bool is_query() const { return false; }

    virtual Result run_deterministic(const Json& input, const RunContext& context) const = 0;

    // Live mode: the connector to call (the input may decide), the request,
    // and the result read from a 2xx response.
    virtual std::string live_connector(const Json& /*input*/) const { return info().connector; }
    virtual LiveRequest live_request(const Json& input, const RunContext& context,
                                     const Connector& connector) const;
    virtual Result live_result(const Json& input, const RunContext& context,
                               const std::string& response_body) const;
};

}  // namespace salesint::execute
