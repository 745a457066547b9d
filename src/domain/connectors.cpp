#include "salesint/domain/connectors.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "salesint/domain/audit.hpp"
#include "salesint/domain/json_shapes.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/suggest.hpp"

namespace salesint::connectors {
namespace {

constexpr std::array<std::string_view, 6> kAuthMethods{"none",   "api_key", "basic",
                                                       "bearer", "oauth2",  "hmac"};

bool is_identifier(std::string_view text, bool allow_dash) {
    if (text.empty()) {
        return false;
    }
    for (char c : text) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || (allow_dash && c == '-');
        if (!ok) {
            return false;
        }
    }
    return true;
}

// An HTTP field name: an RFC 9110 token.
bool is_http_token(std::string_view text) {
    constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               kSymbols.find(c) != std::string_view::npos;
    });
}

// Query parameters that carry credentials; compared without case.
constexpr std::array<std::string_view, 11> kCredentialParameters{
    "api_key", "apikey", "token",     "access_token",  "password",     "secret",
    "sig",     "key",    "signature", "client_secret", "refresh_token"};

// The name of the first query parameter of url that carries a credential.
std::optional<std::string> credential_parameter(const std::string& url) {
    auto query = url.find('?');
    if (query == std::string::npos) {
        return std::nullopt;
    }
    auto end = url.find('#', query);
    std::string_view rest = std::string_view(url).substr(query + 1, end - query - 1);
    while (!rest.empty()) {
        std::string_view pair = rest.substr(0, rest.find('&'));
        rest.remove_prefix(std::min(rest.size(), pair.size() + 1));
        std::string name = to_lower(pair.substr(0, pair.find('=')));
        for (std::string_view credential : kCredentialParameters) {
            if (name == credential) {
                return std::string(pair.substr(0, pair.find('=')));
            }
        }
    }
    return std::nullopt;
}

// A usage Error about one field of a connector, which the message names first.
Error field_error(const char* field, const std::string& rest) {
    return usage_error(field + rest).with_field(field);
}

// An http or https URL with a host and no credentials: they would end up in
// listings and logs, and belong in a secret source. The URL is not repeated
// in messages, since it may hold one.
void validate_base_url(const std::string& url) {
    if (url.empty()) {
        return;
    }
    if (text_problem(url, TextKind::kIdentifier) ||
        url.find_first_of(" \t\r\n") != std::string::npos) {
        throw field_error("base_url", " must not contain whitespace or control characters");
    }
    auto scheme_end = url.find("://");
    std::string scheme = to_lower(url.substr(0, scheme_end));
    if (scheme_end == std::string::npos || (scheme != "http" && scheme != "https")) {
        throw field_error("base_url",
                          " must be an absolute URL (http or https) such as "
                          "https://erp.example.com/api");
    }
    auto authority_end = url.find_first_of("/?#", scheme_end + 3);
    auto authority = url.substr(scheme_end + 3, authority_end == std::string::npos
                                                    ? std::string::npos
                                                    : authority_end - scheme_end - 3);
    if (authority.find('@') != std::string::npos) {
        throw field_error("base_url", " must not embed credentials (user:password@)")
            .with_hint(Hint::kUseSecretSource);
    }
    if (authority.empty() || authority.front() == ':') {
        throw field_error("base_url",
                          " names no host: give one, as in https://erp.example.com/api");
    }
    if (auto parameter = credential_parameter(url)) {
        throw field_error("base_url",
                          " must not carry a credential in its query (" + *parameter + "=...)")
            .with_hint(Hint::kUseSecretSource);
    }
}

void validate(const Connector& c) {
    require_text("name", c.name, TextKind::kOneLine);
    if (c.name.empty()) {
        throw field_error("name", " must not be empty");
    }
    validate_base_url(c.base_url);
    if (!c.connection_type.empty() && !is_identifier(c.connection_type, true)) {
        throw field_error("connection_type", ": '" + c.connection_type +
                                                 "' must be a word such as rest, webhook or sftp");
    }
    if (!c.auth_method.empty()) {
        bool known = false;
        for (auto method : kAuthMethods) {
            known = known || c.auth_method == method;
        }
        if (!known) {
            throw field_error("auth_method",
                              ": '" + c.auth_method +
                                  "' is not one of none, api_key, basic, bearer, oauth2, hmac");
        }
    }
    if (c.poll_interval_minutes && *c.poll_interval_minutes <= 0) {
        throw field_error("poll_interval_minutes", " must be a positive number of minutes");
    }
    if (!c.secret_env.empty() && (!is_identifier(c.secret_env, false) ||
                                  (c.secret_env[0] >= '0' && c.secret_env[0] <= '9'))) {
        throw field_error("secret_env",
                          ": '" + c.secret_env +
                              "' is not an environment variable name (the connector stores where "
                              "a secret is found, never the secret)");
    }
    // An HTTP field name (RFC 9110 token), so that the key never becomes
    // part of a header's name.
    if (!c.auth_header.empty() && !is_http_token(c.auth_header)) {
        throw field_error("auth_header",
                          ": '" + c.auth_header + "' is not an HTTP header name (e.g. X-API-Key)");
    }
    if (!c.health_path.empty()) {
        require_text("health_path", c.health_path, TextKind::kIdentifier);
        if (c.health_path.front() != '/' ||
            c.health_path.find_first_of(" #") != std::string::npos) {
            throw field_error("health_path", ": '" + c.health_path +
                                                 "' must be a path starting with / (e.g. /health)");
        }
        if (auto parameter = credential_parameter(c.health_path)) {
            throw field_error("health_path",
                              " must not carry a credential in its query (" + *parameter + "=...)")
                .with_hint(Hint::kUseSecretSource);
        }
    }
    if (!c.secret_env.empty() && !c.secret_file.empty()) {
        throw usage_error(
            "a connector names one secret source: secret_env or secret_file, not both")
            .with_field("secret_env")
            .with_field("secret_file");
    }
}

// The fields of `to` that differ from `from` (set, non-null ones), as compact
// JSON for the audit log: {"base_url":"https://new"}.
std::string changed_fields(const OrderedJson& from, const OrderedJson& to) {
    OrderedJson changed = OrderedJson::object();
    for (const auto& [key, value] : to.items()) {
        if (key == "tenant_id" || key == "created_at" || key == "updated_at" || value.is_null()) {
            continue;
        }
        if (!from.contains(key) || from[key] != value) {
            changed[key] = value;
        }
    }
    return changed.dump();
}

}  // namespace

std::string normalize_system_code(const std::string& text) {
    std::string code = to_upper(text);
    bool ok = !code.empty() && code.size() <= 32 && code[0] >= 'A' && code[0] <= 'Z' &&
              is_identifier(code, false);
    if (!ok) {
        throw usage_error(
            "system code '" + text +
            "' must be a letter followed by up to 31 letters, digits or _ (e.g. PYXIS)");
    }
    return code;
}

void require(Store& store, const std::string& system_code) {
    if (!store.find_connector(system_code)) {
        const std::string message =
            "connector " + system_code + " not found in tenant '" + store.tenant() + "'";
        std::vector<std::string> codes;
        for (const Connector& connector : store.list_connectors()) {
            codes.push_back(connector.system_code);
        }
        // A code spelled like one that exists was meant to be it; otherwise
        // the connector is to be added.
        if (const std::string suggestion = did_you_mean(system_code, codes); !suggestion.empty()) {
            throw not_found(message + suggestion);
        }
        throw not_found(message).with_hint(Hint::kAddConnector, {system_code});
    }
}

Connector get(Store& store, const std::string& system_code) {
    auto found = store.find_connector(normalize_system_code(system_code));
    if (!found) {
        require(store, normalize_system_code(system_code));
    }
    return *found;
}

Connector add(Store& store, Connector connector) {
    connector.system_code = normalize_system_code(connector.system_code);
    if (connector.name.empty()) {
        connector.name = connector.system_code;
    }
    validate(connector);
    connector.created_at = connector.updated_at = now_rfc3339();
    store.write([&] {
        if (store.find_connector(connector.system_code)) {
            throw refused("connector " + connector.system_code + " already exists")
                .with_hint(Hint::kChangeConnector, {connector.system_code});
        }
        store.insert_connector(connector);
        audit::record(
            store, "connector.add", connector.system_code, std::nullopt,
            changed_fields(OrderedJson::object(), connector_json(connector, store.tenant())), "");
    });
    return connector;
}

Connector change(Store& store, const std::string& system_code, const ConnectorChanges& changes) {
    std::string code = normalize_system_code(system_code);
    Connector result;
    store.write([&] {
        result = get(store, code);
        const OrderedJson before = connector_json(result, store.tenant());
        if (changes.name)
            result.name = *changes.name;
        if (changes.connection_type)
            result.connection_type = *changes.connection_type;
        if (changes.base_url)
            result.base_url = *changes.base_url;
        if (changes.auth_method)
            result.auth_method = *changes.auth_method;
        if (changes.auth_header)
            result.auth_header = *changes.auth_header;
        if (changes.health_path)
            result.health_path = *changes.health_path;
        if (changes.poll_interval_minutes)
            result.poll_interval_minutes = *changes.poll_interval_minutes;
        // A new secret source replaces the other kind, so a connector never names two.
        if (changes.secret_env) {
            result.secret_env = *changes.secret_env;
            if (!changes.secret_env->empty())
                result.secret_file.clear();
        }
        if (changes.secret_file) {
            result.secret_file = *changes.secret_file;
            if (!changes.secret_file->empty())
                result.secret_env.clear();
        }
        validate(result);
        result.updated_at = now_rfc3339();
        store.update_connector(result);
        const OrderedJson after = connector_json(result, store.tenant());
        const std::string changed = changed_fields(before, after);
        if (changed != "{}") {  // a set that changes nothing is not an event
            audit::record(store, "connector.set", code, changed_fields(after, before), changed, "");
        }
    });
    return result;
}

Connector set_active(Store& store, const std::string& system_code, bool active) {
    std::string code = normalize_system_code(system_code);
    Connector result;
    store.write([&] {
        result = get(store, code);
        if (result.is_active == active) {
            return;
        }
        result.is_active = active;
        result.updated_at = now_rfc3339();
        store.update_connector(result);
        audit::record(store, active ? "connector.enable" : "connector.disable", code,
                      active ? "disabled" : "enabled", active ? "enabled" : "disabled", "");
    });
    return result;
}

void remove(Store& store, const std::string& system_code, const std::string& reason) {
    std::string code = normalize_system_code(system_code);
    store.write([&] {
        Connector existing = get(store, code);
        if (auto references = store.count_connector_references(code); references > 0) {
            throw refused("connector " + code + " is still referred to by " +
                          std::to_string(references) + " mappings, checkpoints or job runs")
                .with_hint(Hint::kDisableConnector, {code});
        }
        store.delete_connector(code);
        audit::record(store, "connector.remove", code,
                      connector_json(existing, store.tenant()).dump(), std::nullopt, reason);
    });
}

Breaker reset_breaker(Store& store, const std::string& system_code, const std::string& reason) {
    std::string code = normalize_system_code(system_code);
    if (reason.empty()) {
        throw usage_error("a breaker reset needs a reason, for the audit log").with_field("reason");
    }
    Breaker closed;
    store.write([&] {
        get(store, code);  // the connector exists
        Breaker before = store.load_breaker(code);
        closed.connector_code = code;
        closed.state = BreakerState::kClosed;
        closed.window_started_ms = unix_ms_now();
        store.save_breaker(closed);
        audit::record(store, "connector.breaker_reset", code,
                      std::string(to_string(before.state)) + " (" +
                          std::to_string(before.window_failures) + "/" +
                          std::to_string(before.window_calls) + " failed)",
                      "closed", reason);
    });
    return closed;
}

}  // namespace salesint::connectors
