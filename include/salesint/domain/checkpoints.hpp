// Rules for sync checkpoints: monotonic per (system, entity); a value of
// another kind is refused; reset is the only way back and is audited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::checkpoints {

struct SetRequest {
    std::string system_code;
    std::string entity_type;
    std::string value;
    std::optional<CheckpointKind> kind;  // unset: detected from the first value
};

enum class SetOutcome { kCreated, kAdvanced, kUnchanged };

struct SetResult {
    Checkpoint checkpoint;
    SetOutcome outcome;
};

SetResult set(Store& store, const SetRequest& request);
// Sets every request in one transaction: all of them or none.
std::vector<SetResult> set_all(Store& store, const std::vector<SetRequest>& requests);
// Reads requests from `checkpoint get|list -o json` output (an object or an
// array of them); errors name `source` and the JSON pointer. A document of
// another tenant is refused, so a restore cannot land in the wrong place.
std::vector<SetRequest> requests_from_json(const nlohmann::json& document,
                                           const std::string& source, const std::string& tenant);

Checkpoint get(Store& store, const std::string& system_code, const std::string& entity_type);
std::vector<Checkpoint> list(Store& store, const std::string& system_code);

struct ResetResult {
    std::optional<Checkpoint> before;
    std::optional<Checkpoint> after;  // nullopt: cleared, the next sync starts over
};
ResetResult reset(Store& store, const std::string& system_code, const std::string& entity_type,
                  const std::string& reason, const std::optional<std::string>& to_value);

// A sync of (system, entity) failed: its checkpoint keeps its value and gets
// status error with the message; nothing when there is no checkpoint yet
// (the run keeps the message). A sync that succeeded clears the error and
// notes when it synced. Both join the caller's transaction.
void record_sync_failure(Store& store, const std::string& system_code,
                         const std::string& entity_type, const std::string& message);
void record_sync_success(Store& store, const std::string& system_code,
                         const std::string& entity_type);

const char* describe(SetOutcome outcome);

}  // namespace salesint::checkpoints
