// Standard Webhooks: webhook-signature carries "v1,<base64>" entries of
// HMAC-SHA256(base64-decoded whsec_ key, id + "." + timestamp + "." + body).
#include "salesint/errors.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/strings.hpp"
#include "scheme_support.hpp"
#include "schemes.hpp"

namespace salesint::webhooks {
namespace {

class StandardScheme final : public Scheme {
  public:
    const char* name() const override { return "standard"; }
    std::vector<std::string> signature_headers() const override { return {"webhook-signature"}; }

    HeaderList sign(const Secret& secret, const Payload& payload, std::int64_t timestamp,
                    const std::string& id) const override {
        auto key = key_of(secret.value);
        if (!key) {
            throw usage_error("the secret from " + secret.source + " " + key.reason());
        }
        const std::string ts = std::to_string(timestamp);
        return {{"webhook-id", id},
                {"webhook-timestamp", ts},
                {"webhook-signature",
                 "v1," + base64_encode(mac_of(*key, {id, ".", ts, "."}, payload))}};
    }

  protected:
    Result<Parsed, ParseFailure> parse(const HeaderList& headers) const override {
        Parsed parsed;
        for (const char* required : {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
            if (!find_header(headers, required)) {
                return ParseFailure{Reason::kMissingHeader,
                                    std::string(required) + " header is missing"};
            }
        }
        parsed.id = *find_header(headers, "webhook-id");
        parsed.timestamp_text = *find_header(headers, "webhook-timestamp");
        if (!is_digits(parsed.timestamp_text)) {
            return ParseFailure{
                Reason::kMalformedHeader,
                "webhook-timestamp '" + parsed.timestamp_text + "' is not unix seconds"};
        }
        parsed.timestamp = std::stoll(parsed.timestamp_text);
        if (looks_like_milliseconds(*parsed.timestamp)) {
            parsed.notes.push_back(
                "hint: webhook-timestamp looks like milliseconds; Standard "
                "Webhooks uses seconds");
        }
        std::string signatures = *find_header(headers, "webhook-signature");
        std::size_t others = 0;
        for (std::size_t start = 0; start < signatures.size();) {
            auto end = signatures.find(' ', start);
            std::string entry =
                signatures.substr(start, end == std::string::npos ? end : end - start);
            start = end == std::string::npos ? signatures.size() : end + 1;
            if (entry.empty())
                continue;
            if (starts_with(entry, "v1,")) {
                parsed.signatures.push_back(entry.substr(3));
            } else {
                ++others;
            }
        }
        if (parsed.signatures.empty()) {
            return ParseFailure{Reason::kMalformedHeader,
                                "webhook-signature has no 'v1,<base64>' entry"};
        }
        parsed.notes.push_back(
            "webhook-id: " + parsed.id + "; webhook-timestamp: " + parsed.timestamp_text +
            "; webhook-signature: " + std::to_string(parsed.signatures.size()) +
            " v1 signature(s)" +
            (others ? ", " + std::to_string(others) + " of other versions ignored" : ""));
        return parsed;
    }

    Result<std::string, std::string> key_of(const std::string& secret) const override {
        std::string_view encoded = secret;
        if (starts_with(encoded, "whsec_")) {
            encoded.remove_prefix(6);
        }
        if (auto key = base64_decode(encoded)) {
            return *key;
        }
        return Failed<std::string>{
            "is not base64 (a Standard Webhooks secret is whsec_ followed by base64)"};
    }

    std::string expected(std::string_view key, const Payload& payload,
                         const Parsed& parsed) const override {
        return base64_encode(mac_of(key, {parsed.id, ".", parsed.timestamp_text, "."}, payload));
    }

    std::string recipe() const override {
        return "HMAC-SHA256(base64-decoded whsec_ secret, webhook-id + '.' + webhook-timestamp + "
               "'.' + body) as base64";
    }

    void hint_keys(const std::vector<Secret>& secrets, const Payload& payload, const Parsed& parsed,
                   std::vector<std::string>& hints) const override {
        for (std::size_t i = 0; i < secrets.size(); ++i) {
            const std::string& raw = secrets[i].value;
            for (std::string_view key :
                 {std::string_view(raw),
                  std::string_view(raw).substr(starts_with(raw, "whsec_") ? 6 : 0)}) {
                if (constant_time_equal(expected(key, payload, parsed),
                                        parsed.signatures.front())) {
                    hints.push_back("hint: the signature matches secret #" + std::to_string(i + 1) +
                                    " used raw: the sender did not base64-decode the whsec_ key");
                    return;
                }
            }
        }
    }
};

}  // namespace

const Scheme& standard_scheme() {
    static const StandardScheme scheme;
    return scheme;
}

}  // namespace salesint::webhooks
