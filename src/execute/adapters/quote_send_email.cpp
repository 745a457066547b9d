// sales.quote.send_email.v1: sends a quote to a customer through the email
// provider.
#include "adapters/adapters.hpp"
#include "field_checks.hpp"
#include "salesint/contracts/formats.hpp"
#include "salesint/util/crypto.hpp"

namespace salesint::execute {

using contracts::is_email;
namespace {

class QuoteSendEmail final : public Adapter {
  public:
    const AdapterInfo& info() const override {
        static const AdapterInfo kInfo{
            "sales.quote.send_email.v1",
            "1.0.0",
            "Email a quote to a customer through the email provider",
            "providerMessageId is <32 hex digits@salesint.invalid>, derived from the tenant and "
            "the message id; status QUEUED",
            "POSTs the input as JSON to the EMAIL connector's base_url with an Idempotency-Key "
            "header (the message id); the response object is the output",
            {
                {"/quoteId", "string", true, "the quote being sent"},
                {"/to", "email", true, "recipient"},
                {"/cc", "array of emails", false, "copies"},
                {"/subject", "string", true, ""},
                {"/templateId", "string", false, "provider template; required without body"},
                {"/body", "string", false, "plain text; required without templateId"},
            },
            {
                {"INVALID_INPUT", "the input breaks the contract (one detail per field)", false},
            },
            RetryPolicy{},
            100,
            "EMAIL",
            "fixtures/execute/quote-send-email.json"};
        return kInfo;
    }

    std::optional<Failure> validate(const Json& input,
                                    std::string_view /*canonical*/) const override {
        FieldChecks checks(input);
        if (!checks.root_is_object()) {
            return checks.failure("INVALID_INPUT", "Input is not an object");
        }
        checks.text("/quoteId");
        if (const std::string* to = checks.text("/to")) {
            if (!is_email(*to)) {
                checks.fail("/to", "Invalid email format");
            }
        }
        if (const Json* cc = checks.array("/cc", false)) {
            for (std::size_t i = 0; i < cc->size(); ++i) {
                const Json& address = (*cc)[i];
                if (!address.is_string() || !is_email(address.get_ref<const std::string&>())) {
                    checks.fail("/cc/" + std::to_string(i), "Invalid email format");
                }
            }
        }
        checks.text("/subject");
        const std::string* template_id = checks.text("/templateId", false);
        const std::string* body = checks.text("/body", false);
        if (template_id == nullptr && body == nullptr) {
            checks.fail("/body", "Either templateId or body is required");
        }
        return checks.failure("INVALID_INPUT", "Email request validation failed");
    }

    Result run_deterministic(const Json& input, const RunContext& context) const override {
        Result result;
        result.output = OrderedJson::object();
        result.output["providerMessageId"] =
            "<" + sha256_hex(context.tenant + "\n" + context.message_id).substr(0, 32) +
            "@salesint.invalid>";
        result.output["quoteId"] = input["quoteId"];
        result.output["to"] = input["to"];
        result.output["status"] = "QUEUED";
        return result;
    }
};

}  // namespace

const Adapter& quote_send_email() {
    static const QuoteSendEmail kAdapter;
    return kAdapter;
}

}  // namespace salesint::execute
