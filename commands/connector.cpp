// salesint connector add | list | show | set | enable | disable | remove
#include <map>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "salesint/domain/circuit_breaker.hpp"
#include "salesint/domain/connectors.hpp"
#include "salesint/domain/json_shapes.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes = R"(JSON shape of a connector (list: an array of them):
  {"tenant_id", "system_code", "name", "is_active", "connection_type", "base_url",
   "auth_method", "auth_header", "poll_interval_minutes", "secret_env",
   "secret_file", "health_path", "created_at", "updated_at"}
`connector show` adds "breaker": {"state", "window_calls", "window_failures", "failure_rate",
  "opened_at", "next_probe_at"} (next_probe_at: when an open breaker lets one probe through,
  with the default --breaker-wait of execute).
A connector never stores a secret: secret_env and secret_file only say where it is found.
Every change (add, set, enable, disable, remove, breaker-reset) is in the audit log.)";

const std::vector<Column> kColumns{
    {"system_code", "SYSTEM"},
    {"name", "NAME"},
    {"is_active", "ACTIVE"},
    {"connection_type", "TYPE"},
    {"base_url", "BASE URL"},
    {"auth_method", "AUTH"},
    {"poll_interval_minutes", "POLL MIN"},
};

// The fields shared by `add` and `set`; `set` changes only those given.
struct FieldOptions {
    std::string name, connection_type, base_url, auth_method, auth_header, secret_env, secret_file,
        health_path;
    int poll_interval = 0;
    std::map<std::string, Option> given;

    void add_to(Command& command) {
        given.emplace("name", command.option("--name", name, "Human-readable name"));
        given.emplace("connection_type",
                      command.option("--connection-type", connection_type,
                                     "How salesint talks to it: rest, webhook, sftp, ..."));
        given.emplace("base_url", command.option("--base-url", base_url,
                                                 "Base URL of its API (no credentials in it)"));
        given.emplace("auth_method",
                      command.choice("--auth-method", auth_method,
                                     {"none", "api_key", "basic", "bearer", "oauth2", "hmac"},
                                     "How live calls authenticate (bearer, basic and api_key "
                                     "read the secret source; hmac signs the body)"));
        given.emplace("auth_header",
                      command
                          .option("--auth-header", auth_header,
                                  "api_key: the header the key goes in (default X-API-Key)")
                          .type_name("NAME"));
        given.emplace("health_path",
                      command
                          .option("--health-path", health_path,
                                  "Path that `salesint health` GETs (default: the base URL)")
                          .type_name("PATH"));
        given.emplace("poll_interval",
                      command.option("--poll-interval", poll_interval, "Minutes between polls")
                          .type_name("MINUTES")
                          .range(1, 7 * 24 * 60));
        given.emplace("secret_env",
                      command
                          .option("--secret-env", secret_env,
                                  "Environment variable holding its secret (the name is stored, "
                                  "never the value)")
                          .type_name("VAR")
                          .identifier());
        given.emplace("secret_file",
                      command.option("--secret-file", secret_file, "File holding its secret")
                          .type_name("PATH"));
    }

    template <typename T>
    std::optional<T> if_given(const std::string& field, const T& value) const {
        return given.at(field).given() ? std::optional<T>(value) : std::nullopt;
    }
};

void show(Context& context, const Connector& connector, const std::string& verb) {
    context.print_result(verb + " connector " + connector.system_code + " (" + connector.name + ")",
                         connector_json(connector, context.store().tenant()));
}

}  // namespace

void install_connector(Command group) {
    Context& context = group.context();
    group.footer(kShapes);

    auto add_fields = std::make_shared<FieldOptions>();
    auto add_code = std::make_shared<std::string>();
    auto add_inactive = std::make_shared<bool>(false);
    Command add = group.add("add", "Register a connector", [=, &context] {
        Connector connector;
        connector.system_code = *add_code;
        connector.name = add_fields->name;
        connector.connection_type = add_fields->connection_type;
        connector.base_url = add_fields->base_url;
        connector.auth_method = add_fields->auth_method;
        connector.auth_header = add_fields->auth_header;
        connector.health_path = add_fields->health_path;
        connector.poll_interval_minutes =
            add_fields->if_given("poll_interval", add_fields->poll_interval);
        connector.secret_env = add_fields->secret_env;
        connector.secret_file = add_fields->secret_file;
        connector.is_active = !*add_inactive;
        show(context, connectors::add(context.store(), connector), "added");
    });
    add.positional("SYSTEM", *add_code, "System code, e.g. PYXIS").required().identifier();
    add_fields->add_to(add);
    add.flag("--inactive", *add_inactive, "Register it disabled");

    group.add("list", "List connectors", [&context] {
        context.print_each(kColumns, context.store().list_connectors(), connector_json);
    });

    auto show_code = std::make_shared<std::string>();
    group
        .add("show", "Show one connector",
             [=, &context] {
                 OrderedJson shown = connector_json(connectors::get(context.store(), *show_code),
                                                    context.store().tenant());
                 shown["breaker"] = breaker_json(context.store().load_breaker(shown["system_code"]),
                                                 BreakerPolicy{}.wait_ms);
                 context.print_object(shown);
             })
        .positional("SYSTEM", *show_code, "System code")
        .required()
        .identifier();

    auto set_fields = std::make_shared<FieldOptions>();
    auto set_code = std::make_shared<std::string>();
    Command set = group.add("set", "Change fields of a connector", [=, &context] {
        connectors::ConnectorChanges changes;
        changes.name = set_fields->if_given("name", set_fields->name);
        changes.connection_type =
            set_fields->if_given("connection_type", set_fields->connection_type);
        changes.base_url = set_fields->if_given("base_url", set_fields->base_url);
        changes.auth_method = set_fields->if_given("auth_method", set_fields->auth_method);
        changes.auth_header = set_fields->if_given("auth_header", set_fields->auth_header);
        changes.health_path = set_fields->if_given("health_path", set_fields->health_path);
        changes.poll_interval_minutes =
            set_fields->if_given("poll_interval", set_fields->poll_interval);
        changes.secret_env = set_fields->if_given("secret_env", set_fields->secret_env);
        changes.secret_file = set_fields->if_given("secret_file", set_fields->secret_file);
        show(context, connectors::change(context.store(), *set_code, changes), "updated");
    });
    set.positional("SYSTEM", *set_code, "System code").required().identifier();
    set_fields->add_to(set);

    for (bool active : {true, false}) {
        auto code = std::make_shared<std::string>();
        group
            .add(active ? "enable" : "disable",
                 active ? "Enable a connector" : "Disable a connector (its data is kept)",
                 [=, &context] {
                     show(context, connectors::set_active(context.store(), *code, active),
                          active ? "enabled" : "disabled");
                 })
            .positional("SYSTEM", *code, "System code")
            .required()
            .identifier();
    }

    auto remove_code = std::make_shared<std::string>();
    auto remove_reason = std::make_shared<std::string>();
    Command remove = group.add(
        "remove", "Remove a connector that no mapping, checkpoint or job run refers to (audited)",
        [=, &context] {
            connectors::remove(context.store(), *remove_code, *remove_reason);
            context.print_result("removed connector " + *remove_code,
                                 {{"system_code", *remove_code}, {"removed", true}});
        });
    remove.positional("SYSTEM", *remove_code, "System code").required().identifier();
    remove.option("--reason", *remove_reason, "Why, for the audit log");

    auto reset_code = std::make_shared<std::string>();
    auto reset_reason = std::make_shared<std::string>();
    Command reset = group.add(
        "breaker-reset", "Close a connector's circuit breaker now (audited)", [=, &context] {
            Breaker closed = connectors::reset_breaker(context.store(), *reset_code, *reset_reason);
            context.print_result("closed the circuit breaker of " + closed.connector_code,
                                 {{"system_code", closed.connector_code},
                                  {"breaker", breaker_json(closed, BreakerPolicy{}.wait_ms)}});
        });
    reset.positional("SYSTEM", *reset_code, "System code").required().identifier();
    reset.option("--reason", *reset_reason, "Why the remote is known to be well, for the audit log")
        .required();
}

}  // namespace salesint::cli
