#include "salesint/domain/json_shapes.hpp"

#include "salesint/util/clock.hpp"

namespace salesint {
namespace {

// Optional text columns are stored as "" and shown as null.
OrderedJson text_or_null(const std::string& text) {
    return text.empty() ? OrderedJson() : OrderedJson(text);
}

OrderedJson optional_or_null(const std::optional<std::string>& text) {
    return text ? OrderedJson(*text) : OrderedJson();
}

// Builds an object field by field, in place: nlohmann's initializer-list
// constructor deep-copies every value and costs several times more, which
// shows on listings of thousands of rows.
class Fields {
  public:
    explicit Fields(std::size_t count) { fields_.reserve(count); }
    template <typename T>
    Fields& add(const char* key, T&& value) {
        fields_.emplace_back(key, OrderedJson(std::forward<T>(value)));
        return *this;
    }
    OrderedJson done() { return OrderedJson(std::move(fields_)); }

  private:
    OrderedJson::object_t fields_;
};

}  // namespace

OrderedJson connector_json(const Connector& c, const std::string& tenant) {
    return Fields(14)
        .add("tenant_id", tenant)
        .add("system_code", c.system_code)
        .add("name", c.name)
        .add("is_active", c.is_active)
        .add("connection_type", text_or_null(c.connection_type))
        .add("base_url", text_or_null(c.base_url))
        .add("auth_method", text_or_null(c.auth_method))
        .add("auth_header", text_or_null(c.auth_header))
        .add("poll_interval_minutes",
             c.poll_interval_minutes ? OrderedJson(*c.poll_interval_minutes) : OrderedJson())
        .add("secret_env", text_or_null(c.secret_env))
        .add("secret_file", text_or_null(c.secret_file))
        .add("health_path", text_or_null(c.health_path))
        .add("created_at", c.created_at)
        .add("updated_at", c.updated_at)
        .done();
}

OrderedJson breaker_json(const Breaker& b, std::int64_t wait_ms) {
    const bool opened = b.state != BreakerState::kClosed && b.opened_ms > 0;
    return Fields(6)
        .add("state", to_string(b.state))
        .add("window_calls", b.window_calls)
        .add("window_failures", b.window_failures)
        .add("failure_rate",
             b.window_calls > 0 ? static_cast<double>(b.window_failures) / b.window_calls : 0.0)
        .add("opened_at", opened ? OrderedJson(format_unix_ms(b.opened_ms)) : OrderedJson())
        .add("next_probe_at", b.state == BreakerState::kOpen && opened
                                  ? OrderedJson(format_unix_ms(b.opened_ms + wait_ms))
                                  : OrderedJson())
        .done();
}

OrderedJson execution_json(const Execution& e, const std::string& tenant) {
    // The error code, read from the stored error response; a damaged one
    // reads as none.
    const OrderedJson error = OrderedJson::parse(e.error_json, nullptr, false);
    std::string code;
    if (error.is_object() && error.contains("error") && error["error"].is_object()) {
        code = error["error"].value("code", std::string());
    }
    return Fields(16)
        .add("tenant_id", tenant)
        .add("execution_id", e.execution_id)
        .add("message_id", e.message_id)
        .add("adapter_id", e.adapter_id)
        .add("adapter_version", e.adapter_version)
        .add("mode", to_string(e.mode))
        .add("connector", text_or_null(e.connector_code))
        .add("status", to_string(e.status))
        .add("error_code", text_or_null(code))
        .add("attempts", e.attempts)
        .add("retries", e.retries)
        .add("duration_ms", e.duration_ms)
        .add("correlation_id", e.correlation_id)
        .add("causation_id", text_or_null(e.causation_id))
        .add("created_at", e.created_at)
        .add("updated_at", e.updated_at)
        .done();
}

OrderedJson execution_attempt_json(const ExecutionAttempt& a) {
    return Fields(6)
        .add("run", a.run)
        .add("attempt", a.attempt)
        .add("at", a.at)
        .add("http_status", a.http_status ? OrderedJson(*a.http_status) : OrderedJson())
        .add("duration_ms", a.duration_ms)
        .add("error", text_or_null(a.error))
        .done();
}

OrderedJson mapping_json(const Mapping& m, const std::string& tenant) {
    OrderedJson metadata = OrderedJson::parse(m.metadata_json, nullptr, false);
    return Fields(10)
        .add("tenant_id", tenant)
        .add("system_code", m.key.system_code)
        .add("entity_type", m.key.entity_type)
        .add("external_id", m.key.external_id)
        .add("internal_uuid", m.internal_uuid)
        .add("mapping_status", to_string(m.status))
        .add("last_seen_at", text_or_null(m.last_seen_at))
        .add("metadata", metadata.is_discarded() ? OrderedJson::object() : metadata)
        .add("created_at", m.created_at)
        .add("updated_at", m.updated_at)
        .done();
}

OrderedJson checkpoint_json(const Checkpoint& c, const std::string& tenant) {
    return Fields(9)
        .add("tenant_id", tenant)
        .add("system_code", c.system_code)
        .add("entity_type", c.entity_type)
        .add("kind", to_string(c.kind))
        .add("value", c.value)
        .add("last_synced_at", text_or_null(c.last_synced_at))
        .add("status", c.status)
        .add("error_message", text_or_null(c.error_message))
        .add("updated_at", c.updated_at)
        .done();
}

OrderedJson audit_json(const AuditEntry& e, const std::string& tenant) {
    return Fields(9)
        .add("id", e.id)
        .add("tenant_id", tenant)
        .add("at", e.at)
        .add("actor", e.actor)
        .add("action", e.action)
        .add("subject", e.subject)
        .add("old_value", optional_or_null(e.old_value))
        .add("new_value", optional_or_null(e.new_value))
        .add("reason", e.reason)
        .done();
}

OrderedJson state_info_json(const StateInfo& info) {
    OrderedJson tables = OrderedJson::object();
    for (const auto& table : info.tables) {
        tables[table.table] = table.rows;
    }
    return Fields(7)
        .add("path", info.path)
        .add("tenant_id", info.tenant)
        .add("schema_version", info.schema_version)
        .add("binary_schema_version", info.binary_schema_version)
        .add("journal_mode", info.journal_mode)
        .add("file_bytes", info.file_bytes)
        .add("tables", tables)
        .done();
}

OrderedJson check_finding_json(const CheckFinding& finding) {
    return {{"check", finding.check}, {"ok", finding.ok}, {"detail", finding.detail}};
}

}  // namespace salesint
