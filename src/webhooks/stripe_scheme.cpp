// stripe: Stripe-Signature "t=<unix>,v1=<hex>[,v1=...]" of
// HMAC-SHA256(secret as is, t + "." + body). As Stripe's libraries do, only
// timestamps older than the tolerance are refused.
#include "salesint/util/crypto.hpp"
#include "salesint/util/strings.hpp"
#include "scheme_support.hpp"
#include "schemes.hpp"

namespace salesint::webhooks {
namespace {

class StripeScheme final : public Scheme {
  public:
    const char* name() const override { return "stripe"; }
    std::vector<std::string> signature_headers() const override { return {"Stripe-Signature"}; }

    HeaderList sign(const Secret& secret, const Payload& payload, std::int64_t timestamp,
                    const std::string& /*id*/) const override {
        const std::string ts = std::to_string(timestamp);
        return {{"Stripe-Signature",
                 "t=" + ts + ",v1=" + to_hex(mac_of(secret.value, {ts, "."}, payload))}};
    }

  protected:
    Result<Parsed, ParseFailure> parse(const HeaderList& headers) const override {
        Parsed parsed;
        auto header = find_header(headers, "Stripe-Signature");
        if (!header) {
            return ParseFailure{Reason::kMissingHeader, "Stripe-Signature header is missing"};
        }
        for (std::size_t start = 0; start <= header->size();) {
            auto end = header->find(',', start);
            std::string item = header->substr(start, end == std::string::npos ? end : end - start);
            start = end == std::string::npos ? header->size() + 1 : end + 1;
            auto equals = item.find('=');
            if (equals == std::string::npos)
                continue;
            std::string key = item.substr(0, equals), value = item.substr(equals + 1);
            if (key == "t" && is_digits(value)) {
                parsed.timestamp_text = value;
                parsed.timestamp = std::stoll(value);
            } else if (key == "v1") {
                parsed.signatures.push_back(value);
            }
        }
        if (!parsed.timestamp) {
            return ParseFailure{Reason::kMalformedHeader,
                                "Stripe-Signature has no t=<unix seconds>"};
        }
        if (parsed.signatures.empty()) {
            return ParseFailure{Reason::kMalformedHeader,
                                "Stripe-Signature has no v1=<hex> signature"};
        }
        parsed.notes.push_back("Stripe-Signature: t=" + parsed.timestamp_text + ", " +
                               std::to_string(parsed.signatures.size()) + " v1 signature(s)");
        if (looks_like_milliseconds(*parsed.timestamp)) {
            parsed.notes.push_back("hint: t= looks like milliseconds; Stripe uses seconds");
        }
        parsed.notes.push_back(
            "note: as Stripe's libraries do, only timestamps older than the "
            "tolerance are refused, not ones in the future");
        return parsed;
    }

    std::optional<std::string> refuse_payload(const Payload& payload) const override {
        if (payload.size() != 0) {
            return std::nullopt;
        }
        return "the payload is empty: Stripe never sends an empty body and its libraries refuse "
               "one before checking the signature (is it the right file?)";
    }

    bool outside_tolerance(std::int64_t skew, std::int64_t tolerance) const override {
        return skew > tolerance;
    }

    std::string expected(std::string_view key, const Payload& payload,
                         const Parsed& parsed) const override {
        return to_hex(mac_of(key, {parsed.timestamp_text, "."}, payload));
    }

    std::string recipe() const override {
        return "HMAC-SHA256(secret as is, t + '.' + body) as lowercase hex";
    }
};

}  // namespace

const Scheme& stripe_scheme() {
    static const StripeScheme scheme;
    return scheme;
}

}  // namespace salesint::webhooks
