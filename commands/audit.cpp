// salesint audit list
#include "salesint/domain/audit.hpp"
#include "context.hpp"
#include "groups.hpp"
#include "option_values.hpp"
#include "salesint/domain/json_shapes.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes = R"(JSON shape of an audit entry (list: an array of them):
  {"id", "tenant_id", "at", "actor", "action", "subject", "old_value", "new_value", "reason"}
The actor is $USER. The audit log is append-only.
Actions: )";

}  // namespace

void install_audit(Command group) {
    Context& context = group.context();
    group.footer(kShapes + join(audit::known_actions(), ", ") + ".");
    auto since = std::make_shared<std::string>();
    auto action = std::make_shared<std::string>();
    Command list = group.add("list", "List audit entries, oldest first", [=, &context] {
        const std::string from = time_bound_option(*since, "--since");
        context.print_each({{"id", "ID"},
                            {"at", "AT"},
                            {"actor", "ACTOR"},
                            {"action", "ACTION"},
                            {"subject", "SUBJECT"},
                            {"old_value", "OLD"},
                            {"new_value", "NEW"},
                            {"reason", "REASON"}},
                           audit::list(context.store(), from, *action), audit_json);
    });
    list.option("--since", *since, "Only entries at or after TIME (RFC 3339, or an age: 1h, 7d)")
        .type_name("TIME");
    list.option("--action", *action,
                "Only this action (checkpoint.reset) or group of actions (checkpoint)")
        .type_name("ACTION");
}

}  // namespace salesint::cli
