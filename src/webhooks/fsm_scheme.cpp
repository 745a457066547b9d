// fsm (docs/contracts.md): X-FSM-Signature is hex HMAC-SHA256(secret, body); the
// X-FSM-Timestamp header (ISO 8601) is checked against the window but is not
// covered by the signature.
#include "salesint/util/clock.hpp"
#include "salesint/util/crypto.hpp"
#include "scheme_support.hpp"
#include "schemes.hpp"

namespace salesint::webhooks {
namespace {

class FsmScheme final : public Scheme {
  public:
    const char* name() const override { return "fsm"; }
    std::vector<std::string> signature_headers() const override { return {"X-FSM-Signature"}; }

    HeaderList sign(const Secret& secret, const Payload& payload, std::int64_t timestamp,
                    const std::string& /*id*/) const override {
        // Millisecond precision, as JavaScript's toISOString() writes it.
        return {{"X-FSM-Signature", to_hex(mac_of(secret.value, {}, payload))},
                {"X-FSM-Timestamp", format_rfc3339_utc({timestamp, "000"})}};
    }

  protected:
    Result<Parsed, ParseFailure> parse(const HeaderList& headers) const override {
        Parsed parsed;
        auto signature = find_header(headers, "X-FSM-Signature");
        if (!signature) {
            return ParseFailure{Reason::kMissingHeader, "X-FSM-Signature header is missing"};
        }
        auto timestamp = find_header(headers, "X-FSM-Timestamp");
        if (!timestamp) {
            return ParseFailure{Reason::kMissingHeader, "X-FSM-Timestamp header is missing"};
        }
        if (!is_lower_hex(*signature, 64)) {
            return ParseFailure{
                Reason::kMalformedHeader,
                "X-FSM-Signature is not 64 lowercase hex digits (HMAC-SHA256 as hex)"};
        }
        auto instant = parse_rfc3339(*timestamp);
        if (!instant) {
            std::string detail = "X-FSM-Timestamp '" + *timestamp + "' is not an ISO 8601 time";
            if (is_digits(*timestamp)) {
                detail +=
                    " (it looks like unix " +
                    std::string(looks_like_milliseconds(std::stoll(*timestamp)) ? "milliseconds"
                                                                                : "seconds") +
                    "; fsm sends e.g. 2026-01-31T12:00:00.000Z)";
            }
            return ParseFailure{Reason::kMalformedHeader, detail};
        }
        parsed.signatures = {*signature};
        parsed.timestamp = instant->epoch_seconds;
        parsed.id = find_header(headers, "X-Correlation-ID").value_or("");
        parsed.notes.push_back("X-FSM-Signature: hex digest; X-FSM-Timestamp: " + *timestamp);
        parsed.notes.push_back(
            "note: fsm does not sign the timestamp: a captured delivery can be replayed with a "
            "fresh X-FSM-Timestamp, so receivers must also drop repeated deliveries");
        return parsed;
    }

    std::string expected(std::string_view key, const Payload& payload,
                         const Parsed& /*parsed*/) const override {
        return to_hex(mac_of(key, {}, payload));
    }

    std::string recipe() const override {
        return "HMAC-SHA256(secret, body) as lowercase hex; X-FSM-Timestamp is not signed";
    }
};

}  // namespace

const Scheme& fsm_scheme() {
    static const FsmScheme scheme;
    return scheme;
}

}  // namespace salesint::webhooks
