// The JSON shapes of the domain records, as `-o json` prints them and as the
// man page documents them. Keys are stable: add, never rename or remove.
#pragma once

#include <nlohmann/json.hpp>

#include "salesint/model.hpp"

namespace salesint {

nlohmann::json connector_json(const Connector& connector, const std::string& tenant);
nlohmann::json mapping_json(const Mapping& mapping, const std::string& tenant);
nlohmann::json checkpoint_json(const Checkpoint& checkpoint, const std::string& tenant);
nlohmann::json audit_json(const AuditEntry& entry, const std::string& tenant);
nlohmann::json state_info_json(const StateInfo& info);
nlohmann::json check_finding_json(const CheckFinding& finding);

}  // namespace salesint
