// Rules for connectors: validated codes and URLs, no secrets, and no removal
// of a connector that mappings or checkpoints still refer to.
#pragma once

#include <optional>
#include <string>

#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::connectors {

// Fields a `connector set` may change; unset fields keep their value.
struct ConnectorChanges {
    std::optional<std::string> name;
    std::optional<std::string> connection_type;
    std::optional<std::string> base_url;
    std::optional<std::string> auth_method;
    std::optional<int> poll_interval_minutes;
    std::optional<std::string> secret_env;
    std::optional<std::string> secret_file;
    std::optional<std::string> auth_header;
    std::optional<std::string> health_path;
};

// "pyxis" -> "PYXIS"; throws a usage Error for anything but [A-Z][A-Z0-9_]{0,31}.
std::string normalize_system_code(const std::string& text);

// add, change, set_active and remove are audited (connector.add, .set,
// .enable, .disable, .remove), in the transaction of the change.
Connector add(Store& store, Connector connector);
Connector get(Store& store, const std::string& system_code);  // throws kNotFound
Connector change(Store& store, const std::string& system_code, const ConnectorChanges& changes);
Connector set_active(Store& store, const std::string& system_code, bool active);
// Refuses (kRefused) while mappings or checkpoints refer to it: their history
// is removed first, explicitly. Audited.
void remove(Store& store, const std::string& system_code, const std::string& reason);

// Closes the connector's circuit breaker with an empty window, whatever its
// state (the remote is known to be well again). Audited; reason required.
Breaker reset_breaker(Store& store, const std::string& system_code, const std::string& reason);

// The connector must exist (kNotFound naming how to add it otherwise).
void require(Store& store, const std::string& system_code);

}  // namespace salesint::connectors
