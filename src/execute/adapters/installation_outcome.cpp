// fsm.installation_outcome.notify.v1: reports an installation outcome to the
// sales system the order came from (docs/contracts.md, "Installation
// outcome"): PX- orders go to PYXIS, TMP- orders to TEMPO, as a webhook
// signed with the fsm scheme (X-FSM-Signature over the body, X-FSM-Timestamp).
#include <algorithm>

#include "adapters/adapters.hpp"
#include "adapters/sales_callback.hpp"
#include "input_contract.hpp"
#include "salesint/contracts/formats.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/crypto.hpp"

namespace salesint::execute {
namespace {

class InstallationOutcomeNotify final : public SalesCallbackAdapter {
  public:
    const AdapterInfo& info() const override {
        static const AdapterInfo kInfo{
            "fsm.installation_outcome.notify.v1",
            "1.0.0",
            "Report an installation outcome to the sales system of the order",
            "checks the outcome and names the sales system (PX- PYXIS, TMP- TEMPO) and the "
            "delivery id (eventId); nothing is sent; status SIMULATED",
            "POSTs the outcome to the PYXIS or TEMPO connector's base_url, signed with the fsm "
            "scheme using the secret the connector names (its secret_env or secret_file)",
            {
                {"/eventId", "string", true, "the delivery id"},
                {"/correlationId", "string", true, ""},
                {"/timestamp", "RFC 3339 time", true, ""},
                {"/orderId", "string", true, ""},
                {"/externalOrderId", "string (PX-... or TMP-...)", true,
                 "chooses the sales system"},
                {"/appointmentId", "string", true, ""},
                {"/outcome", "enum(COMPLETED|PARTIALLY_COMPLETED|FAILED|CANCELLED)", true, ""},
                {"/completionDetails", "object", true,
                 "completedAt (RFC 3339), technicianId, technicianName, actualDuration >= 0"},
                {"/installedItems", "array", true,
                 "itemId, productId, quantity >= 0, serialNumbers, installationStatus "
                 "(INSTALLED|PARTIALLY_INSTALLED|NOT_INSTALLED)"},
                {"/testResults/N/result", "enum(PASS|FAIL)", true, ""},
                {"/customerSatisfaction/rating", "integer 1..5", true, ""},
                {"/issues/N/severity", "enum(LOW|MEDIUM|HIGH|CRITICAL)", true, ""},
                {"/followUpRequired", "boolean", true, ""},
                {"/followUpReason", "string", false, "required when followUpRequired is true"},
            },
            {
                {"INVALID_ORDER", "externalOrderId names no sales system (PX-, TMP-)", false},
                {"INVALID_OUTCOME", "the outcome breaks the contract (one detail per field)",
                 false},
            },
            RetryPolicy{4, std::chrono::milliseconds(30'000), std::chrono::milliseconds(500),
                        std::chrono::milliseconds(8'000)},
            100,
            "",
            "fixtures/execute/installation-outcome.json"};
        return kInfo;
    }

    std::optional<Failure> validate(const Json& input, std::string_view canonical) const override {
        auto violations = contract_violations(input, canonical, "installation-outcome");
        const bool unknown_system = std::any_of(
            violations.begin(), violations.end(),
            [](const auto& violation) { return violation.rule == "outcome.sales_system"; });
        return unknown_system
                   ? failure_of(violations, "INVALID_ORDER", "Unable to determine sales system")
                   : failure_of(violations, "INVALID_OUTCOME",
                                "Installation outcome validation failed");
    }

  protected:
    // The outcome goes to the connector's base_url itself.
    std::string callback_url(const Connector& connector) const override {
        return connector.base_url;
    }
};

}  // namespace

const Adapter& installation_outcome_notify() {
    static const InstallationOutcomeNotify kAdapter;
    return kAdapter;
}

}  // namespace salesint::execute
