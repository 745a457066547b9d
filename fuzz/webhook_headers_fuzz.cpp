// Webhook header parsing (webhooks/headers.hpp) and every scheme's verify
// (webhooks/scheme.hpp) on a raw request: a header block, an empty line, the
// body as the payload. Nothing may crash or throw but the usage Error that a
// header line without a name raises. A verdict is valid only when the headers
// carry the signature the scheme's recipe gives for the fixed secret (README,
// "Webhooks"), checked here from the headers themselves; and what a scheme
// signs, it verifies.
//
// Input: byte 0 chooses the tolerance (bit 0: 300 s or disabled) and the
// secrets (bit 1: no secret at all; bit 2: an unusable secret tried first),
// byte 1 how old a fresh signature is (0 to 510 s); the rest is the request.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/webhooks/headers.hpp"
#include "salesint/webhooks/payload.hpp"
#include "salesint/webhooks/scheme.hpp"

namespace {

using namespace salesint;
using namespace salesint::webhooks;

// The secret the corpus in fuzz/corpus/webhook_headers/ is signed with.
const std::string kSecret = "whsec_c2FsZXNpbnQtZnV6emluZy1zZWNyZXQh";
constexpr std::int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    while (true) {
        std::size_t end = text.find(separator);
        parts.push_back(text.substr(0, end));
        if (end == std::string_view::npos) {
            return parts;
        }
        text.remove_prefix(end + 1);
    }
}

bool digits(std::string_view text) {
    return !text.empty() && text.size() <= 18 &&
           text.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string hex_mac(std::string_view key, std::initializer_list<std::string_view> parts) {
    return to_hex(hmac_sha256(key, parts));
}

// Whether the headers carry the right signature of body, read independently
// of the scheme's parser, and a timestamp within the tolerance.
bool truly_signed(const std::string& scheme, const HeaderList& headers, std::string_view body,
                  std::int64_t tolerance) {
    auto header = [&](const char* name) { return find_header(headers, name); };
    if (scheme == "fsm") {
        auto signature = header("X-FSM-Signature");
        auto time = header("X-FSM-Timestamp");
        auto instant = time ? salesint::parse_rfc3339(*time) : std::nullopt;
        return signature && instant && *signature == hex_mac(kSecret, {body}) &&
               (tolerance == 0 || std::llabs(kNow - instant->epoch_seconds) <= tolerance);
    }
    if (scheme == "github") {
        auto signature = header("X-Hub-Signature-256");
        return signature && *signature == "sha256=" + hex_mac(kSecret, {body});
    }
    if (scheme == "stripe") {
        auto signature = header("Stripe-Signature");
        if (!signature || body.empty()) {
            return false;
        }
        std::optional<std::string_view> t;  // the last well-formed t= counts
        for (std::string_view item : split(*signature, ',')) {
            if (item.starts_with("t=") && digits(item.substr(2))) {
                t = item.substr(2);
            }
        }
        if (!t) {
            return false;
        }
        const std::string wanted = "v1=" + hex_mac(kSecret, {*t, ".", body});
        bool found = false;
        for (std::string_view item : split(*signature, ',')) {
            found = found || item == wanted;
        }
        // Stripe refuses only old timestamps.
        return found && (tolerance == 0 || kNow - std::stoll(std::string(*t)) <= tolerance);
    }
    if (scheme == "standard") {
        auto id = header("webhook-id");
        auto time = header("webhook-timestamp");
        auto signature = header("webhook-signature");
        auto key = base64_decode(std::string_view(kSecret).substr(6));
        if (!id || !time || !signature || !digits(*time) || !key) {
            return false;
        }
        const std::string wanted =
            "v1," + base64_encode(hmac_sha256(*key, {*id, ".", *time, ".", body}));
        bool found = false;
        for (std::string_view entry : split(*signature, ' ')) {
            found = found || entry == wanted;
        }
        return found && (tolerance == 0 || std::llabs(kNow - std::stoll(*time)) <= tolerance);
    }
    return false;
}

void check_verdict(const Scheme& scheme, const Verdict& verdict) {
    FUZZ_CHECK(!verdict.explanation.empty());
    FUZZ_CHECK(verdict.valid == (verdict.reason == Reason::kNone));
    if (verdict.valid || verdict.reason == Reason::kTimestampOutsideTolerance) {
        FUZZ_CHECK(verdict.matched_secret.has_value());
        FUZZ_CHECK(!verdict.delivery_id.empty());
    }
    if (!scheme.has_timestamp()) {
        FUZZ_CHECK(!verdict.skew_seconds.has_value());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const std::int64_t tolerance = (data[0] & 1) != 0 ? 0 : 300;
    const bool no_secret = (data[0] & 2) != 0;
    const bool unusable_first = (data[0] & 4) != 0;
    const std::int64_t age = std::int64_t{data[1]} * 2;
    const std::string_view request(reinterpret_cast<const char*>(data + 2), size - 2);

    // The block as parse_header_block reads it, line by line; the body
    // follows the first empty line.
    HeaderList lenient;  // the lines that are headers, the others left out
    std::string_view body;
    std::string_view rest = request;
    for (std::size_t number = 1; !rest.empty(); ++number) {
        std::size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (trim(line).empty()) {
            body = rest;
            break;
        }
        try {
            Header header = parse_header_line(line, "fuzz");
            FUZZ_CHECK(!header.name.empty());
            FUZZ_CHECK(header.name.find_first_of(" :") == std::string::npos);
            FUZZ_CHECK(header.value == trim(header.value));
            if (number > 1 || line.find(" HTTP/") == std::string_view::npos) {
                lenient.push_back(std::move(header));
            }
        } catch (const salesint::Error& error) {
            FUZZ_CHECK(error.code() == salesint::ExitCode::kUsage);
        }
    }
    HeaderList strict;
    try {
        strict = parse_header_block(request, "fuzz");
        FUZZ_CHECK(strict.size() == lenient.size());
    } catch (const salesint::Error& error) {
        FUZZ_CHECK(error.code() == salesint::ExitCode::kUsage);
    }

    std::vector<Secret> secrets;
    if (!no_secret) {
        if (unusable_first) {
            secrets.push_back({"not base64 (for standard)!", "--secret #1"});
        }
        secrets.push_back({kSecret, "--secret #2"});
    }
    const Payload payload = Payload::view(body);
    for (const char* name : {"fsm", "standard", "stripe", "github"}) {
        const Scheme& scheme = scheme_named(name);
        const Verdict verdict = scheme.verify({payload, lenient, secrets, kNow, tolerance});
        check_verdict(scheme, verdict);
        if (verdict.valid) {
            FUZZ_CHECK(truly_signed(name, lenient, body, tolerance));
        }

        // What a scheme signs, it verifies, unless the signature is too old
        // (or, for stripe, the payload empty).
        const Secret secret{kSecret, "--secret #1"};
        const HeaderList signed_headers = scheme.sign(secret, payload, kNow - age, "msg_fuzz");
        const std::vector<Secret> one{secret};
        const Verdict fresh = scheme.verify({payload, signed_headers, one, kNow, 300});
        check_verdict(scheme, fresh);
        const bool too_old = scheme.has_timestamp() && age > 300;
        const bool refused = std::string_view(name) == "stripe" && body.empty();
        FUZZ_CHECK(fresh.valid == (!too_old && !refused));
        FUZZ_CHECK(fresh.matched_secret.has_value() == !refused);
    }
    return 0;
}
