#include "salesint/domain/mappings.hpp"

#include "salesint/domain/audit.hpp"
#include "salesint/domain/connectors.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/suggest.hpp"
#include "salesint/util/uuid.hpp"

namespace salesint::mappings {
namespace {

std::string subject_of(const MappingKey& key) {
    return key.system_code + "/" + key.entity_type + "/" + key.external_id;
}

MappingKey normalize_key(MappingKey key, bool external_id_required = true) {
    key.system_code = connectors::normalize_system_code(key.system_code);
    require_text("entity type", key.entity_type, TextKind::kIdentifier);
    require_text("external id", key.external_id, TextKind::kIdentifier);
    if (key.entity_type.empty()) {
        throw usage_error("the entity type must not be empty");
    }
    if (external_id_required && key.external_id.empty()) {
        throw usage_error("the external id must not be empty");
    }
    return key;
}

std::string normalize_metadata(const std::string& text) {
    nlohmann::json metadata;
    try {
        metadata = parse_json_text(text, "metadata");
    } catch (Error& e) {
        e.with_field("metadata");  // "metadata:1:2: invalid JSON ..."
        throw;
    }
    if (!metadata.is_object()) {
        throw usage_error("metadata must be a JSON object, such as '{\"source\":\"crm\"}'")
            .with_field("metadata");
    }
    return metadata.dump();
}

}  // namespace

const char* describe(SetOutcome outcome) {
    switch (outcome) {
        case SetOutcome::kCreated:
            return "created";
        case SetOutcome::kUnchanged:
            return "unchanged";
        case SetOutcome::kRepointed:
            return "repointed";
    }
    return "unchanged";
}

SetResult set(Store& store, SetRequest request) {
    request.key = normalize_key(std::move(request.key));
    if (request.internal_uuid) {
        auto uuid = normalize_uuid(*request.internal_uuid);
        if (!uuid) {
            throw usage_error("internal_uuid: '" + *request.internal_uuid +
                              "' is not a UUID such as 3f2b8c1e-0d4a-4c6e-9b1a-2f7d5e8c9a01")
                .with_field("internal_uuid");
        }
        request.internal_uuid = *uuid;
    }
    if (request.metadata_json) {
        request.metadata_json = normalize_metadata(*request.metadata_json);
    }
    const std::string now = now_rfc3339();
    SetResult result{};
    store.write([&] {
        connectors::require(store, request.key.system_code);
        auto existing = store.find_mapping(request.key);
        if (!existing) {
            Mapping created;
            created.key = request.key;
            created.internal_uuid = request.internal_uuid.value_or(new_uuid_v4());
            // Least privilege: the first mapping of an entity type waits for review.
            created.status =
                store.is_entity_type_known(request.key.system_code, request.key.entity_type)
                    ? MappingStatus::kActive
                    : MappingStatus::kPendingReview;
            created.metadata_json = request.metadata_json.value_or("{}");
            created.last_seen_at = created.created_at = created.updated_at = now;
            store.insert_mapping(created);
            result = {created, SetOutcome::kCreated};
            return;
        }
        Mapping updated = *existing;
        updated.last_seen_at = updated.updated_at = now;
        if (request.metadata_json) {
            updated.metadata_json = *request.metadata_json;
        }
        SetOutcome outcome = SetOutcome::kUnchanged;
        if (request.internal_uuid && *request.internal_uuid != existing->internal_uuid) {
            if (!request.force) {
                throw refused("mapping " + subject_of(request.key) + " already points to " +
                              existing->internal_uuid)
                    .with_hint(Hint::kForceRepoint);
            }
            updated.internal_uuid = *request.internal_uuid;
            outcome = SetOutcome::kRepointed;
            audit::record(store, "mapping.force", subject_of(request.key), existing->internal_uuid,
                          updated.internal_uuid, request.reason);
        }
        store.update_mapping(updated);
        result = {updated, outcome};
    });
    return result;
}

Mapping get(Store& store, const MappingKey& key) {
    MappingKey normalized = normalize_key(key);
    auto found = store.find_mapping(normalized);
    if (!found) {
        // The same external id under an entity type spelled alike ("order"
        // for "orders"); never another id, which would be another record.
        std::vector<std::string> known;
        for (const Mapping& mapping : store.list_mappings({normalized.system_code, "", {}})) {
            if (mapping.key.external_id == normalized.external_id) {
                known.push_back(subject_of(mapping.key));
            }
        }
        throw not_found("mapping " + subject_of(normalized) + " not found in tenant '" +
                        store.tenant() + "'" + did_you_mean(subject_of(normalized), known));
    }
    return *found;
}

std::vector<Mapping> resolve(Store& store, const std::string& internal_uuid) {
    auto uuid = normalize_uuid(internal_uuid);
    if (!uuid) {
        throw usage_error("'" + internal_uuid + "' is not a UUID");
    }
    auto found = store.find_mappings_by_uuid(*uuid);
    if (found.empty()) {
        throw not_found("no mapping points to " + *uuid + " in tenant '" + store.tenant() + "'");
    }
    return found;
}

std::vector<Mapping> list(Store& store, const MappingFilter& filter) {
    MappingFilter normalized = filter;
    if (!normalized.system_code.empty()) {
        normalized.system_code = connectors::normalize_system_code(normalized.system_code);
    }
    return store.list_mappings(normalized);
}

std::vector<Mapping> approve(Store& store, const MappingKey& key, const std::string& reason) {
    MappingKey normalized = normalize_key(key, /*external_id_required=*/false);
    std::vector<Mapping> approved;
    store.write([&] {
        std::vector<Mapping> candidates;
        if (normalized.external_id.empty()) {
            candidates = store.list_mappings(
                {normalized.system_code, normalized.entity_type, MappingStatus::kPendingReview});
            if (candidates.empty()) {
                throw not_found("no pending_review mappings of " + normalized.system_code + "/" +
                                normalized.entity_type + " in tenant '" + store.tenant() + "'");
            }
        } else {
            candidates.push_back(get(store, normalized));
        }
        const std::string now = now_rfc3339();
        for (Mapping mapping : candidates) {
            if (mapping.status == MappingStatus::kActive) {
                continue;  // approving twice is harmless
            }
            if (mapping.status == MappingStatus::kRetired) {
                throw refused("mapping " + subject_of(mapping.key) +
                              " is retired; a retired mapping is not approved again (remove it "
                              "and map the external id anew)");
            }
            std::string before = to_string(mapping.status);
            mapping.status = MappingStatus::kActive;
            mapping.updated_at = now;
            store.update_mapping(mapping);
            audit::record(store, "mapping.approve", subject_of(mapping.key), before, "active",
                          reason);
            approved.push_back(mapping);
        }
    });
    return approved;
}

Mapping remove(Store& store, const MappingKey& key, const std::string& reason) {
    Mapping removed;
    store.write([&] {
        removed = get(store, key);
        store.delete_mapping(removed.key);
        audit::record(store, "mapping.remove", subject_of(removed.key), removed.internal_uuid,
                      std::nullopt, reason);
    });
    return removed;
}

RetireResult retire(Store& store, const MappingKey& key, const std::string& reason) {
    MappingKey normalized = normalize_key(key);
    if (reason.find_first_not_of(" \t") == std::string::npos) {
        throw usage_error("reason must say why the mapping is retired, for the audit log")
            .with_field("reason")
            .with_hint(Hint::kGiveField);
    }
    RetireResult result;
    store.write([&] {
        result.mapping = get(store, normalized);
        if (result.mapping.status == MappingStatus::kRetired) {
            return;  // retiring twice changes nothing and records nothing
        }
        const std::string before = to_string(result.mapping.status);
        result.mapping.status = MappingStatus::kRetired;
        result.mapping.updated_at = now_rfc3339();
        store.update_mapping(result.mapping);
        audit::record(store, "mapping.retire", subject_of(result.mapping.key), before,
                      to_string(MappingStatus::kRetired), reason);
        result.changed = true;
    });
    return result;
}

}  // namespace salesint::mappings
