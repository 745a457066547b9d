// The formats of the sales payloads (README, "Contracts"), as the contract
// checks apply them; the adapters that read those payloads use the same
// functions.
#pragma once

#include <optional>
#include <string_view>

namespace salesint::contracts {

// ^[^\s@]+@[^\s@]+\.[^\s@]+$
bool is_email(std::string_view text);
// ^\+?[1-9]\d{1,14}$ once spaces, ( ) and - are removed (E.164).
bool is_phone(std::string_view text);
// "09:30" as minutes since midnight.
std::optional<int> parse_hhmm(std::string_view text);
// A decimal amount written as a string: "99.99", "-5", "0.5".
std::optional<double> parse_amount(std::string_view text);
// The sales system an order comes from, by its external order id's prefix
// (docs/contracts.md, "Installation outcome"): "PYXIS" for PX-, "TEMPO" for
// TMP-, "" when the prefix names neither.
std::string_view sales_system_of_order(std::string_view external_order_id);

}  // namespace salesint::contracts
