// Webhook signature schemes (docs/contracts.md): fsm, standard
// (Standard Webhooks), stripe and github. Each signs a payload into headers
// and verifies headers against one or more secrets (rotation), byte for byte
// as the schemes' reference implementations do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salesint/util/result.hpp"
#include "salesint/webhooks/headers.hpp"
#include "salesint/webhooks/payload.hpp"

namespace salesint::webhooks {

// A secret and where it came from. Only `source` is ever shown.
struct Secret {
    std::string value;
    std::string source;  // "env PYXIS_SECRET", "file /run/secrets/x", "value #1"
};

enum class Reason {
    kNone,
    kSignatureMismatch,
    kTimestampOutsideTolerance,
    kMissingHeader,
    kMalformedHeader,
    kNoSecret,
};

// The stable reason code: "signature_mismatch", ...
const char* reason_code(Reason reason);

struct Verdict {
    bool valid = false;
    Reason reason = Reason::kNone;
    std::optional<std::size_t> matched_secret;  // index into the secrets
    std::optional<std::int64_t> skew_seconds;   // now - timestamp; none for github
    std::string delivery_id;                    // for replay protection and dedupe
    std::vector<std::string> explanation;       // what was checked, for --explain
};

struct VerifyRequest {
    const Payload& payload;
    const HeaderList& headers;
    const std::vector<Secret>& secrets;
    std::int64_t now = 0;          // unix seconds
    std::int64_t tolerance = 300;  // seconds; 0 disables the time check
};

class Scheme {
  public:
    virtual ~Scheme() = default;
    virtual const char* name() const = 0;
    // The headers that carry signatures (left out of DLQ rows and logs).
    virtual std::vector<std::string> signature_headers() const = 0;
    virtual bool has_timestamp() const { return true; }

    // The headers a sender adds; deterministic for a given timestamp and id.
    // A secret this scheme cannot use is a usage Error naming its source.
    virtual HeaderList sign(const Secret& secret, const Payload& payload, std::int64_t timestamp,
                            const std::string& id) const = 0;
    Verdict verify(const VerifyRequest& request) const;

  protected:
    // What verify needs from the headers of a delivery.
    struct Parsed {
        std::vector<std::string> signatures;  // as encoded in the header (hex or base64)
        std::optional<std::int64_t> timestamp;
        std::string timestamp_text;  // as signed (stripe, standard)
        std::string id;
        std::vector<std::string> notes;  // how the headers were read
    };
    struct ParseFailure {
        Reason reason;
        std::string detail;
    };

    // Reads the headers, or says which is missing or malformed.
    virtual Result<Parsed, ParseFailure> parse(const HeaderList& headers) const = 0;
    // The HMAC key of a secret (standard base64-decodes it), or the problem
    // when the secret cannot be a key of this scheme.
    virtual Result<std::string, std::string> key_of(const std::string& secret) const;
    // The signature of payload, encoded as the header carries it.
    virtual std::string expected(std::string_view key, const Payload& payload,
                                 const Parsed& parsed) const = 0;
    // A reason to refuse a payload before any signature is computed, as the
    // scheme's reference library does; nullopt to go on.
    virtual std::optional<std::string> refuse_payload(const Payload& /*payload*/) const {
        return std::nullopt;
    }
    // Whether a skew (now - timestamp) is beyond the tolerance; by default in
    // either direction.
    virtual bool outside_tolerance(std::int64_t skew, std::int64_t tolerance) const;
    // The signed content, for --explain: "HMAC-SHA256(secret, t + '.' + body), hex".
    virtual std::string recipe() const = 0;
    // Hints when no secret matched, beyond the payload variants every scheme tries.
    virtual void hint_keys(const std::vector<Secret>& secrets, const Payload& payload,
                           const Parsed& parsed, std::vector<std::string>& hints) const;
    // Whether any signature of the delivery is the one key makes of payload.
    bool matches(std::string_view key, const Payload& payload, const Parsed& parsed) const;

  private:
    void explain_mismatch(const VerifyRequest& request, const Parsed& parsed,
                          std::vector<std::string>& hints) const;
};

// The scheme of that name; a usage Error listing the names otherwise.
const Scheme& scheme_named(const std::string& name);
const std::vector<const Scheme*>& all_schemes();

// "1700000000" or an RFC 3339 time -> unix seconds; nullopt otherwise.
std::optional<std::int64_t> parse_unix_or_rfc3339(std::string_view text);

}  // namespace salesint::webhooks
