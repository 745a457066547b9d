// The payloads' business rules, beyond what their schemas say
// (docs/contracts.md, "Payloads").
#include <cmath>

#include "checks.hpp"
#include "salesint/contracts/formats.hpp"
#include "salesint/util/clock.hpp"

namespace salesint::contracts {
namespace {

std::string quoted(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

// A window of "HH:mm" times {start, end} must start before it ends.
void check_clock_window(const JsonValue* window, const char* rule, const char* pointer,
                        Violations& out) {
    std::string_view start = string_member(window, "start");
    std::string_view end = string_member(window, "end");
    auto from = parse_hhmm(start);
    auto to = parse_hhmm(end);
    if (from && to && *from >= *to) {
        add_violation(
            out, rule, pointer,
            "starts at " + std::string(start) + ", not before its end " + std::string(end));
    }
}

void check_order_request(const JsonValue& order, Violations& out) {
    const JsonValue* customer = member(&order, "customer");
    if (customer != nullptr && customer->IsObject() && !member(customer, "email") &&
        !member(customer, "phone")) {
        add_violation(out, "order.contact", "/customer",
                      "at least one contact method (email or phone) is required");
    }
    std::string_view phone = string_member(customer, "phone");
    if (member(customer, "phone") != nullptr && !is_phone(phone)) {
        add_violation(out, "format.phone", "/customer/phone",
                      quoted(phone) + " is not a phone number");
    }
    const JsonValue* total = member(&order, "totalAmount");
    auto subtotal = parse_amount(string_member(total, "subtotal"));
    auto tax = parse_amount(string_member(total, "tax"));
    auto sum = parse_amount(string_member(total, "total"));
    if (subtotal && tax && sum && std::fabs(*subtotal + *tax - *sum) > 0.01) {
        add_violation(out, "order.amount_sum", "/totalAmount/total",
                      "total " + std::string(string_member(total, "total")) +
                          " does not match subtotal + tax (" +
                          std::string(string_member(total, "subtotal")) + " + " +
                          std::string(string_member(total, "tax")) + ")");
    }
    std::string_view currency = string_member(total, "currency");
    const JsonValue* items = member(&order, "serviceItems");
    if (!currency.empty() && items != nullptr && items->IsArray()) {
        for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
            std::string_view item_currency =
                string_member(member(&(*items)[i], "unitPrice"), "currency");
            if (!item_currency.empty() && item_currency != currency) {
                add_violation(out, "order.currency",
                              "/serviceItems/" + std::to_string(i) + "/unitPrice/currency",
                              quoted(item_currency) + " differs from totalAmount.currency " +
                                  quoted(currency));
            }
        }
    }
    check_clock_window(member(member(&order, "schedulingPreferences"), "timeWindow"),
                       "order.time_window", "/schedulingPreferences/timeWindow", out);
}

// -1, 0, 1, or nullopt when either is not an RFC 3339 time.
std::optional<int> compare_times(std::string_view a, std::string_view b) {
    auto first = parse_rfc3339(a);
    auto second = parse_rfc3339(b);
    if (!first || !second) {
        return std::nullopt;
    }
    return compare_instants(*first, *second);
}

// A window of RFC 3339 times must start before it ends.
void check_time_window(const JsonValue* window, const char* start_key, const char* end_key,
                       const char* rule, const std::string& pointer, Violations& out) {
    std::string_view start = string_member(window, start_key);
    std::string_view end = string_member(window, end_key);
    if (auto order = compare_times(start, end); order && *order >= 0) {
        add_violation(
            out, rule, pointer,
            "starts at " + std::string(start) + ", not before its end " + std::string(end));
    }
}

void check_slot_request(const JsonValue& request, Violations& out) {
    const JsonValue* range = member(&request, "dateRange");
    auto start = parse_iso_date(string_member(range, "startDate"));
    auto end = parse_iso_date(string_member(range, "endDate"));
    if (start && end && *start >= *end) {
        add_violation(out, "slot.date_order", "/dateRange",
                      "startDate " + std::string(string_member(range, "startDate")) +
                          " is not before endDate " + std::string(string_member(range, "endDate")));
    } else if (start && end && *end - *start > 90) {
        add_violation(
            out, "slot.date_range", "/dateRange",
            "the range spans " + std::to_string(*end - *start) + " days; it cannot exceed 90");
    }
    check_clock_window(member(member(&request, "filters"), "timeWindow"), "slot.time_window",
                       "/filters/timeWindow", out);
}

void check_slot_response(const JsonValue& response, Violations& out) {
    const JsonValue* slots = member(&response, "availableSlots");
    const JsonValue* total = member(&response, "totalSlotsFound");
    if (slots != nullptr && slots->IsArray() && total != nullptr && total->IsInt64() &&
        total->GetInt64() < static_cast<std::int64_t>(slots->Size())) {
        add_violation(out, "slot.total", "/totalSlotsFound",
                      std::to_string(total->GetInt64()) + " is less than the " +
                          std::to_string(slots->Size()) + " slots listed");
    }
    if (slots != nullptr && slots->IsArray()) {
        for (rapidjson::SizeType i = 0; i < slots->Size(); ++i) {
            check_time_window(member(&(*slots)[i], "timeWindow"), "start", "end",
                              "slot.time_window",
                              "/availableSlots/" + std::to_string(i) + "/timeWindow", out);
        }
    }
}

// The payload's externalOrderId names the sales system of its order.
void check_sales_system(const JsonValue& payload, const char* rule, Violations& out) {
    std::string_view order = string_member(&payload, "externalOrderId");
    if (!order.empty() && sales_system_of_order(order).empty()) {
        add_violation(out, rule, "/externalOrderId",
                      quoted(order) +
                          " names no sales system: PYXIS orders start with PX-, "
                          "TEMPO orders with TMP-");
    }
}

void check_outcome(const JsonValue& outcome, Violations& out) {
    check_sales_system(outcome, "outcome.sales_system", out);
    const JsonValue* follow_up = member(&outcome, "followUpRequired");
    if (follow_up != nullptr && follow_up->IsTrue() &&
        string_member(&outcome, "followUpReason").empty()) {
        add_violation(out, "outcome.follow_up_reason", "/followUpRequired",
                      "a follow-up is required but followUpReason says nothing about why");
    }
}

void check_appointment(const JsonValue& appointment, Violations& out) {
    check_sales_system(appointment, "appointment.sales_system", out);
    // The booked slot, as slot availability offered it: its window starts
    // before it ends, by the same rule as the slots of an answer.
    check_time_window(member(member(&appointment, "slot"), "timeWindow"), "start", "end",
                      "slot.time_window", "/slot/timeWindow", out);
}

}  // namespace

void check_payload(ContractKind kind, const JsonValue& document, Violations& out) {
    switch (kind) {
        case ContractKind::kOrderIntakeRequest:
            check_order_request(document, out);
            break;
        case ContractKind::kOrderIntakeResponse:
            check_time_window(member(&document, "appointment"), "scheduledStart", "scheduledEnd",
                              "order.appointment_window", "/appointment", out);
            break;
        case ContractKind::kSlotAvailabilityRequest:
            check_slot_request(document, out);
            break;
        case ContractKind::kSlotAvailabilityResponse:
            check_slot_response(document, out);
            break;
        case ContractKind::kInstallationOutcome:
            check_outcome(document, out);
            break;
        case ContractKind::kAppointmentScheduled:
            check_appointment(document, out);
            break;
        default:
            break;
    }
}

}  // namespace salesint::contracts
