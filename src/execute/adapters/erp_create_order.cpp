// sales.erp.create_order.v1: turns an accepted quote into an ERP order.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "adapters/adapters.hpp"
#include "field_checks.hpp"
#include "identity.hpp"
#include "salesint/contracts/formats.hpp"
#include "salesint/util/clock.hpp"

namespace salesint::execute {

using contracts::parse_amount;
namespace {

std::string money(double amount) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f", amount);
    return text;
}

class ErpCreateOrder final : public Adapter {
  public:
    const AdapterInfo& info() const override {
        static const AdapterInfo kInfo{
            "sales.erp.create_order.v1",
            "1.0.0",
            "Create the ERP order of an accepted quote",
            "erpOrderId is ERP- and 10 digits derived from the tenant and the quote id, so the "
            "same quote always gets the same order; the total is computed from the lines",
            "POSTs the input as JSON to the ERP connector's base_url with an Idempotency-Key "
            "header (the message id); the response object is the output",
            {
                {"/quoteId", "string", true, "the accepted quote"},
                {"/customerId", "string", true, "the ERP customer"},
                {"/currency", "string (ISO 4217, e.g. USD)", true, "currency of every price"},
                {"/lines", "array (at least one)", true, "order lines"},
                {"/lines/N/sku", "string", true, "product code"},
                {"/lines/N/quantity", "integer > 0", true, ""},
                {"/lines/N/unitPrice", "decimal string >= 0", true, "e.g. \"99.99\""},
                {"/requestedDeliveryDate", "date (YYYY-MM-DD)", false, ""},
            },
            {
                {"INVALID_INPUT", "the input breaks the contract (one detail per field)", false},
            },
            RetryPolicy{},
            100,
            "ERP",
            "fixtures/execute/erp-create-order.json"};
        return kInfo;
    }

    std::optional<Failure> validate(const Json& input,
                                    std::string_view /*canonical*/) const override {
        FieldChecks checks(input);
        if (!checks.root_is_object()) {
            return checks.failure("INVALID_INPUT", "Input is not an object");
        }
        checks.text("/quoteId");
        checks.text("/customerId");
        if (const std::string* currency = checks.text("/currency")) {
            bool iso =
                currency->size() == 3 && std::all_of(currency->begin(), currency->end(),
                                                     [](char c) { return c >= 'A' && c <= 'Z'; });
            if (!iso) {
                checks.fail("/currency", "must be three capital letters (ISO 4217)");
            }
        }
        if (const Json* lines = checks.array("/lines")) {
            if (lines->empty()) {
                checks.fail("/lines", "At least one order line is required");
            }
            for (std::size_t i = 0; i < lines->size(); ++i) {
                const std::string at = "/lines/" + std::to_string(i);
                checks.text(at + "/sku");
                if (const Json* quantity = checks.number(at + "/quantity")) {
                    if (!quantity->is_number_integer() || quantity->get<double>() <= 0) {
                        checks.fail(at + "/quantity", "must be a whole number above 0");
                    }
                }
                if (const std::string* price = checks.text(at + "/unitPrice")) {
                    auto amount = parse_amount(*price);
                    if (!amount || *amount < 0) {
                        checks.fail(at + "/unitPrice", "must be a decimal amount of 0 or more");
                    }
                }
            }
        }
        if (const std::string* date = checks.text("/requestedDeliveryDate", false)) {
            if (!parse_iso_date(*date)) {
                checks.fail("/requestedDeliveryDate", "must be a date (YYYY-MM-DD)");
            }
        }
        return checks.failure("INVALID_INPUT", "Order data validation failed");
    }

    Result run_deterministic(const Json& input, const RunContext& context) const override {
        double total = 0;
        for (const Json& line : input["lines"]) {
            total += line["quantity"].get<double>() *
                     *parse_amount(line["unitPrice"].get_ref<const std::string&>());
        }
        const std::string& quote = input["quoteId"].get_ref<const std::string&>();
        Result result;
        result.output = OrderedJson::object();
        result.output["erpOrderId"] = "ERP-" + derived_digits(context.tenant + "\n" + quote, 10);
        result.output["quoteId"] = quote;
        result.output["status"] = "CREATED";
        OrderedJson amount = OrderedJson::object();
        amount["amount"] = money(std::round(total * 100) / 100);
        amount["currency"] = input["currency"];
        result.output["totalAmount"] = std::move(amount);
        return result;
    }
};

}  // namespace

const Adapter& erp_create_order() {
    static const ErpCreateOrder kAdapter;
    return kAdapter;
}

}  // namespace salesint::execute
