// salesint webhook sign | verify (serve and send have files of their own)
#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/uuid.hpp"
#include "salesint/webhooks/scheme.hpp"
#include "salesint/webhooks/secrets.hpp"
#include "webhook_options.hpp"

namespace salesint::cli {
namespace {

// Request headers saved to a file: far below this in practice.
constexpr std::size_t kMaxHeaderFileBytes = 1 << 20;

using namespace salesint::webhooks;

constexpr const char* kShapes =
    R"(Schemes: fsm (X-FSM-Signature, X-FSM-Timestamp; the timestamp is NOT signed),
standard (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature v1,<base64>;
the whsec_ secret is base64-decoded), stripe (Stripe-Signature t=,v1=; the secret is used
as is; only old timestamps are refused, as Stripe's libraries do), github
(X-Hub-Signature-256 sha256=<hex>; no timestamp).
Secrets: --secret-env VAR, --secret-file PATH (one trailing newline dropped), --secret
VALUE (local tries only); each may repeat and they are tried in that order (rotation).
A variable that is not set or a file that does not exist is exit 2, naming it.
A secret is never printed or logged.
JSON shapes:
  webhook sign:   {"<Header-Name>": "<value>", ...}
  webhook verify: {"valid", "reason": null|"signature_mismatch"|"timestamp_outside_tolerance"|
                   "missing_header"|"malformed_header"|"no_secret", "scheme",
                   "matched_secret_index" (0-based), "timestamp_skew_seconds" (now - timestamp),
                   "delivery_id", "explanation": [...] (with --explain)}
  webhook verify exits 0 when valid, 1 when invalid, 2 for unreadable input or secrets.)";

std::int64_t time_option(const std::string& text, const char* option) {
    if (text.empty()) {
        return parse_unix_or_rfc3339(now_rfc3339()).value_or(0);
    }
    auto seconds = parse_unix_or_rfc3339(text);
    if (!seconds) {
        throw usage_error(std::string(option) + ": '" + text +
                          "' is neither unix seconds nor an RFC 3339 time");
    }
    return *seconds;
}

void install_sign(Command group) {
    Context& context = group.context();
    auto options = std::make_shared<SchemeOptions>();
    auto timestamp = std::make_shared<std::string>();
    auto id = std::make_shared<std::string>();
    Command sign = group.add("sign", "Print the headers that sign a payload", [=, &context] {
        const Scheme& scheme = scheme_named(options->scheme);
        Secret secret = options->load_one_secret("webhook sign");
        std::string delivery_id = id->empty() ? "msg_" + new_uuid_v4() : *id;
        HeaderList headers = scheme.sign(secret, Payload::from_input(options->payload),
                                         time_option(*timestamp, "--timestamp"), delivery_id);
        if (context.format() == OutputFormat::kText) {
            for (const auto& header : headers) {
                std::cout << header.name << ": " << header.value << '\n';
            }
            return;
        }
        OrderedJson object = OrderedJson::object();
        for (const auto& header : headers) {
            object[header.name] = header.value;
        }
        context.print_object(object);
    });
    options->add_to(sign);
    sign.option("--timestamp", *timestamp, "Signing time, unix seconds or RFC 3339 (default: now)")
        .type_name("TIME");
    sign.option("--id", *id, "Delivery id (standard: webhook-id; default: a new msg_ id)")
        .type_name("ID")
        .identifier();
}

void install_verify(Command group) {
    Context& context = group.context();
    auto options = std::make_shared<SchemeOptions>();
    auto header_lines = std::make_shared<std::vector<std::string>>();
    auto headers_file = std::make_shared<std::string>();
    auto tolerance = std::make_shared<int>(300);
    auto now = std::make_shared<std::string>();
    auto explain = std::make_shared<bool>(false);
    Command verify =
        group.add("verify", "Check a delivery's signature; exit 0 valid, 1 invalid", [=, &context] {
            const Scheme& scheme = scheme_named(options->scheme);
            LoadedSecrets loaded = options->load_secrets();
            HeaderList headers;
            for (const auto& line : *header_lines) {
                headers.push_back(parse_header_line(line, "-H"));
            }
            if (!headers_file->empty()) {
                HeaderList more = parse_header_block(read_input(*headers_file, kMaxHeaderFileBytes),
                                                     display_name(*headers_file));
                headers.insert(headers.end(), more.begin(), more.end());
            }
            if (*tolerance < 0) {
                throw usage_error("--tolerance must be 0 (no time check) or a number of seconds");
            }
            Payload payload = Payload::from_input(options->payload);
            Verdict verdict = scheme.verify(
                {payload, headers, loaded.secrets, time_option(*now, "--now"), *tolerance});
            verdict.explanation.insert(verdict.explanation.begin() + 1, loaded.notes.begin(),
                                       loaded.notes.end());
            return print_verdict(context, scheme, verdict, *explain);
        });
    options->add_to(verify);
    verify.option("-H,--header", *header_lines, "A header, 'Name: value' (repeatable)")
        .type_name("HEADER");
    verify.option("--headers", *headers_file, "A raw header block, as copied from a request log")
        .type_name("FILE");
    verify.option("--tolerance", *tolerance, "Allowed clock skew in seconds; 0 disables the check")
        .type_name("SECONDS")
        .range(0, 31 * 24 * 3600);
    verify
        .option("--now", *now, "The time to check against, unix seconds or RFC 3339 (default: now)")
        .type_name("TIME");
    verify.flag("--explain", *explain,
                "Say what was checked and why it failed, with hints (never a secret)");
}

}  // namespace

ExitCode print_verdict(Context& context, const Scheme& scheme, const Verdict& verdict,
                       bool explain) {
    const ExitCode answer = verdict.valid ? ExitCode::kSuccess : ExitCode::kNo;
    if (context.format() != OutputFormat::kText) {
        OrderedJson object = OrderedJson::object();
        object["valid"] = verdict.valid;
        object["reason"] = verdict.valid ? OrderedJson() : OrderedJson(reason_code(verdict.reason));
        object["scheme"] = scheme.name();
        object["matched_secret_index"] =
            verdict.matched_secret ? OrderedJson(*verdict.matched_secret) : OrderedJson();
        object["timestamp_skew_seconds"] =
            verdict.skew_seconds ? OrderedJson(*verdict.skew_seconds) : OrderedJson();
        object["delivery_id"] =
            verdict.delivery_id.empty() ? OrderedJson() : OrderedJson(verdict.delivery_id);
        if (explain) {
            object["explanation"] = verdict.explanation;
        }
        context.print_object(object);
        return answer;
    }
    if (explain) {
        for (const auto& line : verdict.explanation) {
            std::cout << line << '\n';
        }
    }
    std::cout << (verdict.valid ? std::string("valid")
                                : std::string("invalid: ") + reason_code(verdict.reason))
              << '\n';
    return answer;
}

void install_webhook(Command group) {
    group.footer(kShapes);
    install_sign(group);
    install_verify(group);
    install_serve(group);
    install_send(group);
}

}  // namespace salesint::cli
