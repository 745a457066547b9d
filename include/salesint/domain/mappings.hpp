// Rules for ID mappings: one internal UUID per (system, entity, external id);
// repointing needs --force and is audited; a mapping of an entity type the
// store has not seen yet waits in pending_review until approved.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::mappings {

struct SetRequest {
    MappingKey key;
    std::optional<std::string> internal_uuid;  // a new random one when unset
    std::optional<std::string> metadata_json;  // must be a JSON object
    bool force = false;
    std::string reason;
};

enum class SetOutcome { kCreated, kUnchanged, kRepointed };

struct SetResult {
    Mapping mapping;
    SetOutcome outcome;
};

SetResult set(Store& store, SetRequest request);
Mapping get(Store& store, const MappingKey& key);                              // kNotFound
std::vector<Mapping> resolve(Store& store, const std::string& internal_uuid);  // kNotFound
std::vector<Mapping> list(Store& store, const MappingFilter& filter);
// Approves one mapping, or with no external id every pending mapping of the
// entity type. Returns the mappings that changed. A retired mapping is
// refused (kRefused): it is not approved again.
std::vector<Mapping> approve(Store& store, const MappingKey& key, const std::string& reason);
Mapping remove(Store& store, const MappingKey& key, const std::string& reason);

struct RetireResult {
    Mapping mapping;
    bool changed = false;  // false: it was retired already (no second audit entry)
};
// Retires one mapping (audited, "mapping.retire" with the old and new status):
// it stays, so that its external id keeps its internal UUID in the history,
// but is no longer used. The reason must not be empty.
RetireResult retire(Store& store, const MappingKey& key, const std::string& reason);

const char* describe(SetOutcome outcome);

}  // namespace salesint::mappings
