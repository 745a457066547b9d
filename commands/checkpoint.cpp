// salesint checkpoint list | get | set | reset
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "salesint/domain/checkpoints.hpp"
#include "salesint/domain/json_shapes.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json_text.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes = R"(JSON shape of a checkpoint (list: an array of them):
  {"tenant_id", "system_code", "entity_type", "kind": "integer"|"timestamp"|"string",
   "value", "last_synced_at", "status", "error_message", "updated_at"}
checkpoint set adds "outcome": "created"|"advanced"|"unchanged"; reset prints
  {"system_code", "entity_type", "old_value", "new_value"} (new_value null: cleared).
Values compare by kind: integers numerically, RFC 3339 timestamps as instants
(offsets normalised to UTC), strings byte by byte. The first value fixes the kind.
'checkpoint set --from-json FILE' accepts 'checkpoint get|list -o json' output as is.)";

const std::vector<Column> kColumns{
    {"system_code", "SYSTEM"}, {"entity_type", "ENTITY"},         {"kind", "KIND"},
    {"value", "VALUE"},        {"last_synced_at", "LAST SYNCED"}, {"status", "STATUS"},
};

struct SetOptions {
    checkpoints::SetRequest request;
    std::string kind = "auto";
    std::string from_json;
    std::optional<Option> value_option;  // tells an empty VALUE from a missing one
};

std::vector<checkpoints::SetRequest> requests_of(Context& context, const SetOptions& options) {
    bool positional = !options.request.system_code.empty() ||
                      !options.request.entity_type.empty() || !options.request.value.empty();
    if (!options.from_json.empty()) {
        if (positional) {
            throw usage_error("give SYSTEM ENTITY VALUE or --from-json, not both");
        }
        const std::string name = display_name(options.from_json);
        OrderedJson document = read_json_file(options.from_json);
        return checkpoints::requests_from_json(document, name, context.options.tenant);
    }
    if (options.request.system_code.empty() || options.request.entity_type.empty() ||
        !options.value_option->given()) {
        throw usage_error("checkpoint set needs SYSTEM ENTITY VALUE (or --from-json FILE)");
    }
    checkpoints::SetRequest request = options.request;
    if (options.kind != "auto") {
        request.kind = parse_checkpoint_kind(options.kind);
    }
    return {request};
}

}  // namespace

void install_checkpoint(Command group) {
    Context& context = group.context();
    group.footer(kShapes);

    auto system = std::make_shared<std::string>();
    group
        .add("list", "List checkpoints",
             [=, &context] {
                 context.print_each(kColumns, checkpoints::list(context.store(), *system),
                                    checkpoint_json);
             })
        .option("--system", *system, "Only this system")
        .type_name("SYSTEM")
        .identifier();

    auto get_system = std::make_shared<std::string>();
    auto get_entity = std::make_shared<std::string>();
    Command get = group.add("get", "Show one checkpoint", [=, &context] {
        context.print_object(checkpoint_json(
            checkpoints::get(context.store(), *get_system, *get_entity), context.store().tenant()));
    });
    get.positional("SYSTEM", *get_system, "System code").required().identifier();
    get.positional("ENTITY", *get_entity, "Entity type").required().identifier();

    auto options = std::make_shared<SetOptions>();
    Command set = group.add(
        "set", "Move a checkpoint forward; a lower value is refused (exit 4)", [=, &context] {
            auto results = checkpoints::set_all(context.store(), requests_of(context, *options));
            OrderedJson rows = OrderedJson::array();
            for (const auto& result : results) {
                OrderedJson row = checkpoint_json(result.checkpoint, context.store().tenant());
                row["outcome"] = checkpoints::describe(result.outcome);
                rows.push_back(row);
            }
            if (context.format() == OutputFormat::kText) {
                for (const auto& row : rows) {
                    context.print_result(row["outcome"].get<std::string>() + " " +
                                             row["system_code"].get<std::string>() + "/" +
                                             row["entity_type"].get<std::string>() + " at " +
                                             row["value"].get<std::string>() + " (" +
                                             row["kind"].get<std::string>() + ")",
                                         row);
                }
            } else if (rows.size() == 1 && options->from_json.empty()) {
                context.print_object(rows.front());
            } else {
                context.print_rows(kColumns, rows);
            }
        });
    set.positional("SYSTEM", options->request.system_code, "System code").identifier();
    set.positional("ENTITY", options->request.entity_type, "Entity type").identifier();
    options->value_option = set.positional("VALUE", options->request.value,
                                           "New value: integer, RFC 3339 time or string");
    set.choice("--kind", options->kind, {"auto", "integer", "timestamp", "string"},
               "Kind of a new checkpoint (default: detected from the value)")
        .type_name("KIND");
    set.option("--from-json", options->from_json,
               "Set from 'checkpoint get|list -o json' output ('-' for stdin), all or none")
        .type_name("FILE");

    auto reset_system = std::make_shared<std::string>();
    auto reset_entity = std::make_shared<std::string>();
    auto reason = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    auto to_option = std::make_shared<std::optional<Option>>();
    Command reset = group.add(
        "reset", "Rewind a checkpoint to --to VALUE, or clear it; the only way back (audited)",
        [=, &context] {
            std::optional<std::string> to_value;
            if ((*to_option)->given()) {
                to_value = *to;
            }
            auto result = checkpoints::reset(context.store(), *reset_system, *reset_entity, *reason,
                                             to_value);
            const Checkpoint& before = *result.before;
            OrderedJson object{
                {"system_code", before.system_code},
                {"entity_type", before.entity_type},
                {"old_value", before.value},
                {"new_value", result.after ? OrderedJson(result.after->value) : OrderedJson()}};
            std::string subject = before.system_code + "/" + before.entity_type;
            context.print_result(
                result.after
                    ? "reset " + subject + " from " + before.value + " to " + result.after->value
                    : "cleared " + subject + " (was " + before.value + ")",
                object);
        });
    reset.positional("SYSTEM", *reset_system, "System code").required().identifier();
    reset.positional("ENTITY", *reset_entity, "Entity type").required().identifier();
    reset.option("--reason", *reason, "Why, for the audit log").required();
    *to_option = reset.option("--to", *to, "Value to rewind to (default: clear the checkpoint)")
                     .type_name("VALUE");
}

}  // namespace salesint::cli
