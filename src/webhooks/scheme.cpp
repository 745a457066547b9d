// What every scheme shares: the order of checks, secret rotation, the skew,
// and the --explain narrative with its hints for the usual mistakes.
#include "salesint/webhooks/scheme.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::webhooks {
namespace {

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    std::size_t at = 0;
    while ((at = text.find(from, at)) != std::string::npos) {
        text.replace(at, from.size(), to);
        at += to.size();
    }
    return text;
}

struct Variant {
    std::string payload;
    std::string description;
};

// Payloads a sender may really have signed when ours does not match.
std::vector<Variant> payload_variants(std::string_view payload) {
    std::vector<Variant> variants;
    std::string text(payload);
    if (ends_with(text, "\r\n")) {
        variants.push_back({text.substr(0, text.size() - 2),
                            "without its trailing CRLF: the file gained a line ending the sender "
                            "did not send"});
    } else if (ends_with(text, "\n")) {
        variants.push_back({text.substr(0, text.size() - 1),
                            "without its trailing newline: editors and `echo` add one the sender "
                            "did not send (write it with printf '%s', or save the raw body)"});
    } else {
        variants.push_back({text + "\n",
                            "with a trailing newline: the sender signed one more "
                            "byte than you have"});
    }
    if (text.find("\r\n") != std::string::npos) {
        variants.push_back({replace_all(text, "\r\n", "\n"),
                            "with LF line endings instead of CRLF: the body was converted"});
    } else if (text.find('\n') != std::string::npos) {
        variants.push_back({replace_all(text, "\n", "\r\n"),
                            "with CRLF line endings instead of LF: the body was converted"});
    }
    // Re-serialised as a parser keeps it (keys in the order received, as
    // JavaScript's JSON.parse and most others do), then with its keys sorted
    // (as some serialisers write them).
    nlohmann::ordered_json in_order;
    if (!read_json(text, in_order)) {
        const nlohmann::json sorted = nlohmann::json::parse(in_order.dump());
        for (bool keys_sorted : {false, true}) {
            for (int indent : {-1, 2, 4}) {
                std::string form = keys_sorted ? sorted.dump(indent) : in_order.dump(indent);
                std::string how = indent < 0 ? "as compact JSON"
                                             : "as JSON indented by " + std::to_string(indent);
                if (keys_sorted) {
                    how += " with its keys sorted";
                }
                if (form != text) {
                    variants.push_back(
                        {form, how + (indent < 0 ? ": the body was pretty-printed or "
                                                   "re-serialised after it was signed; verify "
                                                   "the raw bytes"
                                                 : ": the body was re-serialised; verify the raw "
                                                   "bytes")});
                }
            }
        }
    }
    return variants;
}

}  // namespace

const char* reason_code(Reason reason) {
    switch (reason) {
        case Reason::kNone:
            return "";
        case Reason::kSignatureMismatch:
            return "signature_mismatch";
        case Reason::kTimestampOutsideTolerance:
            return "timestamp_outside_tolerance";
        case Reason::kMissingHeader:
            return "missing_header";
        case Reason::kMalformedHeader:
            return "malformed_header";
        case Reason::kNoSecret:
            return "no_secret";
    }
    return "";
}

Result<std::string, std::string> Scheme::key_of(const std::string& secret) const {
    return secret;  // as is
}

bool Scheme::outside_tolerance(std::int64_t skew, std::int64_t tolerance) const {
    return std::llabs(skew) > tolerance;
}

void Scheme::hint_keys(const std::vector<Secret>& secrets, const Payload& payload,
                       const Parsed& parsed, std::vector<std::string>& hints) const {
    // Schemes that sign with the secret as is: a whsec_ secret decoded by the sender?
    for (std::size_t i = 0; i < secrets.size(); ++i) {
        const std::string& secret = secrets[i].value;
        if (!starts_with(secret, "whsec_")) {
            continue;
        }
        if (auto decoded = base64_decode(secret.substr(6));
            decoded && matches(*decoded, payload, parsed)) {
            hints.push_back("hint: the signature matches secret #" + std::to_string(i + 1) +
                            " base64-decoded (as Standard Webhooks does); " + name() +
                            " signs with the secret as is");
        }
    }
}

bool Scheme::matches(std::string_view key, const Payload& payload, const Parsed& parsed) const {
    const std::string signature = expected(key, payload, parsed);
    bool found = false;
    for (const auto& candidate : parsed.signatures) {
        found = constant_time_equal(signature, candidate) || found;  // compare them all
    }
    return found;
}

void Scheme::explain_mismatch(const VerifyRequest& request, const Parsed& parsed,
                              std::vector<std::string>& hints) const {
    std::vector<std::string> keys;
    for (const auto& secret : request.secrets) {
        if (auto key = key_of(secret.value)) {
            keys.push_back(*key);
        }
    }
    std::vector<std::string> tried{std::string(request.payload.bytes())};
    for (const auto& variant : payload_variants(request.payload.bytes())) {
        if (std::find(tried.begin(), tried.end(), variant.payload) != tried.end()) {
            continue;  // e.g. compact JSON that is just the payload without its newline
        }
        tried.push_back(variant.payload);
        for (const auto& key : keys) {
            if (matches(key, Payload::view(variant.payload), parsed)) {
                hints.push_back("hint: the signature matches the payload " + variant.description);
                break;
            }
        }
    }
    hint_keys(request.secrets, request.payload, parsed, hints);
    if (hints.empty()) {
        hints.push_back(
            "hint: no usual mistake explains it: check that the payload is the raw body byte for "
            "byte and that the secret is the sender's current one for this scheme");
    }
}

Verdict Scheme::verify(const VerifyRequest& request) const {
    Verdict verdict;
    auto& lines = verdict.explanation;
    lines.push_back(std::string("scheme: ") + name());
    Result<Parsed, ParseFailure> read = parse(request.headers);
    if (!read) {
        verdict.reason = read.reason().reason;
        lines.push_back(read.reason().detail);
        return verdict;
    }
    const Parsed& parsed = *read;
    lines.insert(lines.end(), parsed.notes.begin(), parsed.notes.end());
    verdict.delivery_id = parsed.id.empty()
                              ? "sig-" + sha256_hex(parsed.signatures.front()).substr(0, 32)
                              : parsed.id;
    lines.push_back("signed content: " + recipe());
    lines.push_back("payload: " + std::to_string(request.payload.size()) + " bytes, taken as is" +
                    (request.payload.ends_with_newline() ? " (it ends with a newline)" : ""));
    if (parsed.timestamp) {
        verdict.skew_seconds = request.now - *parsed.timestamp;
        lines.push_back("timestamp: " + std::to_string(*parsed.timestamp) + " (" +
                        format_rfc3339_utc({*parsed.timestamp, ""}) + "), skew " +
                        std::to_string(*verdict.skew_seconds) + " s (now - timestamp), tolerance " +
                        (request.tolerance > 0 ? std::to_string(request.tolerance) + " s"
                                               : std::string("disabled")));
    }

    if (auto refusal = refuse_payload(request.payload)) {
        verdict.reason = Reason::kSignatureMismatch;
        lines.push_back(*refusal);
        return verdict;
    }
    if (request.secrets.empty()) {
        verdict.reason = Reason::kNoSecret;
        lines.push_back("no secret to try: every secret source was empty or unset");
        return verdict;
    }
    std::size_t usable = 0;
    for (std::size_t i = 0; i < request.secrets.size() && !verdict.matched_secret; ++i) {
        const Secret& secret = request.secrets[i];
        std::string label = "secret #" + std::to_string(i + 1) + " (" + secret.source + ")";
        auto key = key_of(secret.value);
        if (!key) {
            lines.push_back(label + ": not usable: " + key.reason());
            continue;
        }
        ++usable;
        if (matches(*key, request.payload, parsed)) {
            verdict.matched_secret = i;
            lines.push_back(label + ": matches");
        } else {
            lines.push_back(label + ": does not match");
        }
    }
    if (!verdict.matched_secret) {
        verdict.reason = usable == 0 ? Reason::kNoSecret : Reason::kSignatureMismatch;
        if (usable > 0) {
            explain_mismatch(request, parsed, lines);
        }
        return verdict;
    }
    if (parsed.timestamp && request.tolerance > 0 &&
        outside_tolerance(*verdict.skew_seconds, request.tolerance)) {
        verdict.reason = Reason::kTimestampOutsideTolerance;
        lines.push_back("the signature is right but the timestamp is " +
                        std::to_string(std::llabs(*verdict.skew_seconds)) + " s " +
                        (*verdict.skew_seconds > 0 ? "old" : "in the future") +
                        ", beyond the tolerance: a replay, a delayed retry, or a clock off");
        return verdict;
    }
    verdict.valid = true;
    return verdict;
}

std::optional<std::int64_t> parse_unix_or_rfc3339(std::string_view text) {
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos &&
        text.size() <= 12) {
        return std::stoll(std::string(text));
    }
    if (auto instant = parse_rfc3339(text)) {
        return instant->epoch_seconds;
    }
    return std::nullopt;
}

}  // namespace salesint::webhooks

#include "schemes.hpp"

namespace salesint::webhooks {

const std::vector<const Scheme*>& all_schemes() {
    static const std::vector<const Scheme*> kSchemes{&fsm_scheme(), &standard_scheme(),
                                                     &stripe_scheme(), &github_scheme()};
    return kSchemes;
}

const Scheme& scheme_named(const std::string& name) {
    std::vector<std::string> names;
    for (const Scheme* scheme : all_schemes()) {
        if (name == scheme->name()) {
            return *scheme;
        }
        names.emplace_back(scheme->name());
    }
    throw usage_error("scheme: '" + name + "' is not one of " + join(names, ", "))
        .with_field("scheme");
}

}  // namespace salesint::webhooks
