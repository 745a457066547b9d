// github: X-Hub-Signature-256 "sha256=<hex>" of HMAC-SHA256(secret, body).
// There is no timestamp; X-GitHub-Delivery identifies a delivery (signed
// deliveries carry it; `webhook serve` drops a repeated one).
#include "salesint/util/crypto.hpp"
#include "salesint/util/strings.hpp"
#include "scheme_support.hpp"
#include "schemes.hpp"

namespace salesint::webhooks {
namespace {

class GithubScheme final : public Scheme {
  public:
    const char* name() const override { return "github"; }
    std::vector<std::string> signature_headers() const override { return {"X-Hub-Signature-256"}; }
    bool has_timestamp() const override { return false; }

    // X-GitHub-Delivery carries the delivery id, as GitHub sends it: a
    // receiver tells two deliveries of the same body apart by it, and a
    // redelivery keeps it.
    HeaderList sign(const Secret& secret, const Payload& payload, std::int64_t /*timestamp*/,
                    const std::string& id) const override {
        HeaderList headers{
            {"X-Hub-Signature-256", "sha256=" + to_hex(mac_of(secret.value, {}, payload))}};
        if (!id.empty()) {
            headers.push_back({"X-GitHub-Delivery", id});
        }
        return headers;
    }

  protected:
    Result<Parsed, ParseFailure> parse(const HeaderList& headers) const override {
        Parsed parsed;
        auto header = find_header(headers, "X-Hub-Signature-256");
        if (!header) {
            std::string detail = "X-Hub-Signature-256 header is missing";
            if (find_header(headers, "X-Hub-Signature")) {
                detail += " (only the legacy SHA-1 X-Hub-Signature is there; it is not accepted)";
            }
            return ParseFailure{Reason::kMissingHeader, detail};
        }
        if (!starts_with(*header, "sha256=") || !is_lower_hex(header->substr(7), 64)) {
            return ParseFailure{
                Reason::kMalformedHeader,
                "X-Hub-Signature-256 is not sha256= followed by 64 lowercase hex digits"};
        }
        parsed.signatures = {header->substr(7)};
        parsed.id = find_header(headers, "X-GitHub-Delivery").value_or("");
        parsed.notes.push_back(
            "X-Hub-Signature-256: sha256 hex digest; no timestamp in this scheme");
        return parsed;
    }

    std::string expected(std::string_view key, const Payload& payload,
                         const Parsed& /*parsed*/) const override {
        return to_hex(mac_of(key, {}, payload));
    }

    std::string recipe() const override { return "HMAC-SHA256(secret, body) as lowercase hex"; }
};

}  // namespace

const Scheme& github_scheme() {
    static const GithubScheme scheme;
    return scheme;
}

}  // namespace salesint::webhooks
