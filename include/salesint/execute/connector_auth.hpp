// How a live call or a job authenticates, as its connector says (README.md,
// "Connectors"): bearer, basic and api_key put the connector's secret in a
// header; hmac signs the body with a webhook scheme. The secret is read from
// the connector's secret_env or secret_file when the call is made, and never
// shown, logged or stored.
#pragma once

#include <optional>
#include <string>

#include "salesint/execute/adapter.hpp"

namespace salesint::execute {

// The header an api_key goes in when the connector names none.
inline constexpr const char* kDefaultApiKeyHeader = "X-API-Key";
// The scheme hmac signs with when the adapter signs with none of its own.
inline constexpr const char* kDefaultHmacScheme = "fsm";

// Reads the connector's secret (a usage Error naming the variable or file
// when there is none, never its value) and adds it to request: secret
// headers, or a signature. Nothing for none or an empty auth_method; oauth2
// is refused (live calls take a bearer token).
void authenticate(LiveRequest& request, const Connector& connector);

// The connector's one secret, read now.
webhooks::Secret read_connector_secret(const Connector& connector);

// True for the auth methods that take the connector's secret: bearer, basic,
// api_key and hmac (oauth2 is refused for live calls).
bool needs_secret(const std::string& auth_method);

// Why the connector's secret could not be read now, without reading it: it
// names no secret source, its environment variable is unset or empty, its
// file is missing, not a file, not readable or empty. nullopt when it is
// there. The message names the variable or file, never a value.
std::optional<std::string> missing_secret(const Connector& connector);

}  // namespace salesint::execute
