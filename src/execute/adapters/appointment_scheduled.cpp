// fsm.appointment_scheduled.notify.v1: once the scheduler has booked an
// order's appointment (AppointmentScheduled), calls back the sales system the
// order came from (docs/contracts.md, "Appointment scheduled"): PX- orders go
// to PYXIS, TMP- orders to TEMPO, as POST /callback/appointment-scheduled on
// the connector's base_url, signed with the fsm scheme (X-FSM-Signature over
// the body, X-FSM-Timestamp).
#include <algorithm>

#include "adapters/adapters.hpp"
#include "adapters/sales_callback.hpp"
#include "input_contract.hpp"
#include "salesint/contracts/formats.hpp"
#include "salesint/util/crypto.hpp"

namespace salesint::execute {
namespace {

constexpr std::string_view kCallbackPath = "/callback/appointment-scheduled";

// base_url + path with one '/' between them, whether or not base_url ends
// with one; a query stays after the path.
std::string url_with_path(const std::string& base_url, std::string_view path) {
    const std::size_t query = base_url.find_first_of("?#");
    std::string url = base_url.substr(0, query);
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    url += path;
    if (query != std::string::npos) {
        url += base_url.substr(query);
    }
    return url;
}

class AppointmentScheduledNotify final : public SalesCallbackAdapter {
  public:
    const AdapterInfo& info() const override {
        static const AdapterInfo kInfo{
            "fsm.appointment_scheduled.notify.v1",
            "1.0.0",
            "Tell the sales system of the order that its appointment is scheduled",
            "checks the appointment and names the sales system (PX- PYXIS, TMP- TEMPO) and the "
            "delivery id (eventId); nothing is sent; status SIMULATED",
            "POSTs the appointment to the PYXIS or TEMPO connector's base_url + "
            "/callback/appointment-scheduled, signed with the fsm scheme using the secret the "
            "connector names (its secret_env or secret_file), with X-Correlation-ID the "
            "correlationId; only 200 and 202 count as delivered",
            {
                {"/eventId", "string", true, "the delivery id"},
                {"/correlationId", "string", true, "sent as X-Correlation-ID"},
                {"/timestamp", "RFC 3339 time", true, ""},
                {"/orderId", "UUID", true, "the FSM order id (the order intake's orderId)"},
                {"/externalOrderId", "string (PX-... or TMP-...)", true,
                 "chooses the sales system"},
                {"/appointmentId", "string", true, ""},
                {"/slot/slotId", "string", true,
                 "the booked slot, as slot availability offered it"},
                {"/slot/date", "date (YYYY-MM-DD)", true, ""},
                {"/slot/timeWindow/start", "RFC 3339 time", true, ""},
                {"/slot/timeWindow/end", "RFC 3339 time", true, "after start"},
                {"/slot/technicianId", "string", true, ""},
                {"/slot/technicianName", "string", false, ""},
                {"/status", "enum(SCHEDULED)", true, ""},
            },
            {
                {"INVALID_ORDER", "externalOrderId names no sales system (PX-, TMP-)", false},
                {"INVALID_APPOINTMENT",
                 "the appointment breaks the contract (one detail per field)", false},
            },
            RetryPolicy{4, std::chrono::milliseconds(30'000), std::chrono::milliseconds(500),
                        std::chrono::milliseconds(8'000)},
            100,
            "",
            "fixtures/execute/appointment-scheduled.json"};
        return kInfo;
    }

    std::optional<Failure> validate(const Json& input, std::string_view canonical) const override {
        auto violations = contract_violations(input, canonical, "appointment-scheduled");
        const bool unknown_system = std::any_of(
            violations.begin(), violations.end(),
            [](const auto& violation) { return violation.rule == "appointment.sales_system"; });
        return unknown_system
                   ? failure_of(violations, "INVALID_ORDER", "Unable to determine sales system")
                   : failure_of(violations, "INVALID_APPOINTMENT", "Appointment validation failed");
    }

  protected:
    std::string callback_url(const Connector& connector) const override {
        return url_with_path(connector.base_url, kCallbackPath);
    }
};

}  // namespace

const Adapter& appointment_scheduled_notify() {
    static const AppointmentScheduledNotify kAdapter;
    return kAdapter;
}

}  // namespace salesint::execute
