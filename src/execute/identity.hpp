// Identifiers derived from content, so that deterministic mode gives the same
// ids for the same input on every machine.
#pragma once

#include <string>
#include <string_view>

namespace salesint::execute {

// A UUID (RFC 9562 version 8, name-based on SHA-256) of name.
std::string derived_uuid(std::string_view name);

// The first `digits` decimal digits drawn from SHA-256 of name.
std::string derived_digits(std::string_view name, std::size_t digits);

}  // namespace salesint::execute
