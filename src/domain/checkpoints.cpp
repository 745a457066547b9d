#include "salesint/domain/checkpoints.hpp"

#include <nlohmann/json.hpp>

#include "salesint/domain/audit.hpp"
#include "salesint/domain/checkpoint_value.hpp"
#include "salesint/domain/connectors.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/suggest.hpp"

namespace salesint::checkpoints {
namespace {

std::string subject_of(const std::string& system_code, const std::string& entity_type) {
    return system_code + "/" + entity_type;
}

std::string article_kind(CheckpointKind kind) {
    switch (kind) {
        case CheckpointKind::kInteger:
            return "an integer";
        case CheckpointKind::kTimestamp:
            return "an RFC 3339 timestamp";
        case CheckpointKind::kString:
            break;
    }
    return "a string";
}

void require_entity(const std::string& entity_type) {
    require_text("entity type", entity_type, TextKind::kIdentifier);
    if (entity_type.empty()) {
        throw usage_error("the entity type must not be empty");
    }
}

// The value as the checkpoint's kind; a value of another kind is a usage error.
std::string value_as(CheckpointKind kind, const std::string& value, const std::string& subject) {
    require_text("checkpoint " + subject + " value", value, TextKind::kOneLine);
    auto parsed = parse_as(kind, value);
    if (!parsed) {
        throw usage_error("checkpoint " + subject + " holds " + to_string(kind) + " values; '" +
                          value + "' is not " + article_kind(kind) +
                          " (reset the checkpoint to change its kind)");
    }
    return parsed->normalized;
}

std::string json_string_field(const nlohmann::json& object, const std::string& key,
                              const std::string& where, bool required) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        if (required) {
            throw usage_error(where + "/" + key + ": missing");
        }
        return "";
    }
    if (found->is_number_integer()) {
        return found->dump();  // an integer checkpoint written as a JSON number
    }
    if (!found->is_string()) {
        throw usage_error(where + "/" + key + ": must be a string");
    }
    require_text(where + "/" + key, found->get_ref<const std::string&>(), TextKind::kOneLine);
    return found->get<std::string>();
}

}  // namespace

const char* describe(SetOutcome outcome) {
    switch (outcome) {
        case SetOutcome::kCreated:
            return "created";
        case SetOutcome::kAdvanced:
            return "advanced";
        case SetOutcome::kUnchanged:
            return "unchanged";
    }
    return "unchanged";
}

SetResult set(Store& store, const SetRequest& request) {
    const std::string system_code = connectors::normalize_system_code(request.system_code);
    require_entity(request.entity_type);
    const std::string subject = subject_of(system_code, request.entity_type);
    SetResult result{};
    store.write([&] {
        connectors::require(store, system_code);
        auto existing = store.find_checkpoint(system_code, request.entity_type);
        const std::string now = now_rfc3339();
        if (!existing) {
            Checkpoint created;
            created.system_code = system_code;
            created.entity_type = request.entity_type;
            created.kind = request.kind.value_or(detect_kind(request.value));
            created.value = value_as(created.kind, request.value, subject);
            created.last_synced_at = created.updated_at = now;
            store.upsert_checkpoint(created);
            result = {created, SetOutcome::kCreated};
            return;
        }
        if (request.kind && *request.kind != existing->kind) {
            throw usage_error("checkpoint " + subject + " holds " + to_string(existing->kind) +
                              " values, not " + to_string(*request.kind) +
                              " (reset the checkpoint to change its kind)");
        }
        std::string value = value_as(existing->kind, request.value, subject);
        int order = compare_values(existing->kind, value, existing->value);
        if (order < 0) {
            throw refused("checkpoint " + subject + " is at " + existing->value +
                          "; refusing to move it back to " + value)
                .with_hint(Hint::kRewindCheckpoint, {system_code, request.entity_type});
        }
        if (order == 0) {
            result = {*existing, SetOutcome::kUnchanged};  // idempotent: nothing to write
            return;
        }
        Checkpoint advanced = *existing;
        advanced.value = value;
        advanced.status = "ok";
        advanced.error_message.clear();
        advanced.last_synced_at = advanced.updated_at = now;
        store.upsert_checkpoint(advanced);
        result = {advanced, SetOutcome::kAdvanced};
    });
    return result;
}

std::vector<SetResult> set_all(Store& store, const std::vector<SetRequest>& requests) {
    std::vector<SetResult> results;
    store.write([&] {
        for (const auto& request : requests) {
            results.push_back(set(store, request));
        }
    });
    return results;
}

std::vector<SetRequest> requests_from_json(const nlohmann::json& document,
                                           const std::string& source, const std::string& tenant) {
    std::vector<std::pair<std::string, const nlohmann::json*>> objects;
    if (document.is_array()) {
        for (std::size_t i = 0; i < document.size(); ++i) {
            objects.emplace_back("/" + std::to_string(i), &document[i]);
        }
    } else {
        objects.emplace_back("", &document);
    }
    std::vector<SetRequest> requests;
    for (const auto& [pointer, object] : objects) {
        const std::string where = source + ": " + (pointer.empty() ? "" : pointer);
        if (!object->is_object()) {
            throw usage_error(where + (pointer.empty() ? "/" : "") +
                              ": expected a checkpoint object")
                .with_hint(Hint::kCheckpointShape);
        }
        std::string document_tenant = json_string_field(*object, "tenant_id", where, false);
        if (!document_tenant.empty() && document_tenant != tenant) {
            throw usage_error(where + "/tenant_id: the checkpoint belongs to tenant '" +
                              document_tenant + "' but this command runs for tenant '" + tenant +
                              "'")
                .with_hint(Hint::kUseTenant, {document_tenant});
        }
        SetRequest request;
        request.system_code = json_string_field(*object, "system_code", where, true);
        request.entity_type = json_string_field(*object, "entity_type", where, true);
        request.value = json_string_field(*object, "value", where, true);
        std::string kind = json_string_field(*object, "kind", where, false);
        if (!kind.empty()) {
            request.kind = parse_checkpoint_kind(kind);
            if (!request.kind) {
                throw usage_error(where + "/kind: '" + kind +
                                  "' is not one of integer, timestamp, string");
            }
        }
        requests.push_back(std::move(request));
    }
    return requests;
}

Checkpoint get(Store& store, const std::string& system_code, const std::string& entity_type) {
    std::string code = connectors::normalize_system_code(system_code);
    auto found = store.find_checkpoint(code, entity_type);
    if (!found) {
        const std::string subject = subject_of(code, entity_type);
        std::vector<std::string> known;
        for (const Checkpoint& checkpoint : store.list_checkpoints("")) {
            known.push_back(subject_of(checkpoint.system_code, checkpoint.entity_type));
        }
        throw not_found("checkpoint " + subject + " not found in tenant '" + store.tenant() + "'" +
                        did_you_mean(subject, known));
    }
    return *found;
}

std::vector<Checkpoint> list(Store& store, const std::string& system_code) {
    return store.list_checkpoints(
        system_code.empty() ? "" : connectors::normalize_system_code(system_code));
}

ResetResult reset(Store& store, const std::string& system_code, const std::string& entity_type,
                  const std::string& reason, const std::optional<std::string>& to_value) {
    if (reason.find_first_not_of(" \t") == std::string::npos) {
        throw usage_error("reason must say why the checkpoint is rewound").with_field("reason");
    }
    ResetResult result;
    store.write([&] {
        Checkpoint before = get(store, system_code, entity_type);
        const std::string subject = subject_of(before.system_code, before.entity_type);
        result.before = before;
        std::optional<std::string> new_value;
        if (to_value) {
            Checkpoint after = before;
            after.value = value_as(before.kind, *to_value, subject);
            after.updated_at = now_rfc3339();
            store.upsert_checkpoint(after);
            result.after = after;
            new_value = after.value;
        } else {
            store.delete_checkpoint(before.system_code, before.entity_type);
        }
        audit::record(store, "checkpoint.reset", subject, before.value, new_value, reason);
    });
    return result;
}

void record_sync_failure(Store& store, const std::string& system_code,
                         const std::string& entity_type, const std::string& message) {
    store.write([&] {
        auto found = store.find_checkpoint(system_code, entity_type);
        if (!found) {
            return;
        }
        found->status = "error";
        found->error_message = message;
        found->updated_at = now_rfc3339();
        store.upsert_checkpoint(*found);
    });
}

void record_sync_success(Store& store, const std::string& system_code,
                         const std::string& entity_type) {
    store.write([&] {
        auto found = store.find_checkpoint(system_code, entity_type);
        if (!found) {
            return;
        }
        found->status = "ok";
        found->error_message.clear();
        found->last_synced_at = found->updated_at = now_rfc3339();
        store.upsert_checkpoint(*found);
    });
}

}  // namespace salesint::checkpoints
