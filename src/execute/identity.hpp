// Identifiers derived from content, so that deterministic mode gives the same
// ids for the same input on every machine.
#pragma once

#include <string>
#include <string_view>

#include "salesint/model.hpp"

namespace salesint::execute {

// A UUID (RFC 9562 version 8, name-based on SHA-256) of name.
std::string derived_uuid(std::string_view name);

// What an execution's derived ids hash (RunContext::identity): the message
// id, with "live" after it for a live run. Deterministic ids stay as they
// were before live runs had their own ledger entries.
std::string identity_of(const std::string& message_id, ExecutionMode mode);

// The first `digits` decimal digits drawn from SHA-256 of name.
std::string derived_digits(std::string_view name, std::size_t digits);

}  // namespace salesint::execute
