#include "salesint/domain/json_shapes.hpp"

namespace salesint {
namespace {

// Optional text columns are stored as "" and shown as null.
nlohmann::json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

nlohmann::json optional_or_null(const std::optional<std::string>& text) {
    return text ? nlohmann::json(*text) : nlohmann::json();
}

}  // namespace

nlohmann::json connector_json(const Connector& c, const std::string& tenant) {
    return {
        {"tenant_id", tenant},
        {"system_code", c.system_code},
        {"name", c.name},
        {"is_active", c.is_active},
        {"connection_type", text_or_null(c.connection_type)},
        {"base_url", text_or_null(c.base_url)},
        {"auth_method", text_or_null(c.auth_method)},
        {"poll_interval_minutes",
         c.poll_interval_minutes ? nlohmann::json(*c.poll_interval_minutes) : nlohmann::json()},
        {"secret_env", text_or_null(c.secret_env)},
        {"secret_file", text_or_null(c.secret_file)},
        {"created_at", c.created_at},
        {"updated_at", c.updated_at},
    };
}

nlohmann::json mapping_json(const Mapping& m, const std::string& tenant) {
    nlohmann::json metadata = nlohmann::json::parse(m.metadata_json, nullptr, false);
    return {
        {"tenant_id", tenant},
        {"system_code", m.key.system_code},
        {"entity_type", m.key.entity_type},
        {"external_id", m.key.external_id},
        {"internal_uuid", m.internal_uuid},
        {"mapping_status", to_string(m.status)},
        {"last_seen_at", text_or_null(m.last_seen_at)},
        {"metadata", metadata.is_discarded() ? nlohmann::json::object() : metadata},
        {"created_at", m.created_at},
        {"updated_at", m.updated_at},
    };
}

nlohmann::json checkpoint_json(const Checkpoint& c, const std::string& tenant) {
    return {
        {"tenant_id", tenant},
        {"system_code", c.system_code},
        {"entity_type", c.entity_type},
        {"kind", to_string(c.kind)},
        {"value", c.value},
        {"last_synced_at", text_or_null(c.last_synced_at)},
        {"status", c.status},
        {"error_message", text_or_null(c.error_message)},
        {"updated_at", c.updated_at},
    };
}

nlohmann::json audit_json(const AuditEntry& e, const std::string& tenant) {
    return {
        {"id", e.id},
        {"tenant_id", tenant},
        {"at", e.at},
        {"actor", e.actor},
        {"action", e.action},
        {"subject", e.subject},
        {"old_value", optional_or_null(e.old_value)},
        {"new_value", optional_or_null(e.new_value)},
        {"reason", e.reason},
    };
}

nlohmann::json state_info_json(const StateInfo& info) {
    nlohmann::json tables = nlohmann::json::object();
    for (const auto& table : info.tables) {
        tables[table.table] = table.rows;
    }
    return {
        {"path", info.path},
        {"tenant_id", info.tenant},
        {"schema_version", info.schema_version},
        {"binary_schema_version", info.binary_schema_version},
        {"journal_mode", info.journal_mode},
        {"file_bytes", info.file_bytes},
        {"tables", tables},
    };
}

nlohmann::json check_finding_json(const CheckFinding& finding) {
    return {{"check", finding.check}, {"ok", finding.ok}, {"detail", finding.detail}};
}

}  // namespace salesint
