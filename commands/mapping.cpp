// salesint mapping list | get | resolve | set | approve | remove | retire
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "salesint/domain/json_shapes.hpp"
#include "salesint/domain/mappings.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes =
    R"(JSON shape of a mapping (list, resolve, approve: an array of them):
  {"tenant_id", "system_code", "entity_type", "external_id", "internal_uuid",
   "mapping_status": "active"|"pending_review"|"retired", "last_seen_at",
   "metadata": {...}, "created_at", "updated_at"}
mapping set adds "outcome": "created"|"unchanged"|"repointed"; mapping retire adds
"outcome": "retired"|"unchanged" (it was retired already: no second audit entry).
The first mapping of an entity type not yet known to a system starts as
pending_review (least privilege) until 'salesint mapping approve'. A retired mapping
is kept but not approved again.)";

const std::vector<Column> kColumns{
    {"system_code", "SYSTEM"},      {"entity_type", "ENTITY"},
    {"external_id", "EXTERNAL ID"}, {"internal_uuid", "INTERNAL UUID"},
    {"mapping_status", "STATUS"},   {"last_seen_at", "LAST SEEN"},
};

std::string subject(const Mapping& m) {
    return m.key.system_code + "/" + m.key.entity_type + "/" + m.key.external_id;
}

void add_key(Command command, MappingKey& key, bool external_id_required = true) {
    command.positional("SYSTEM", key.system_code, "System code, e.g. PYXIS")
        .required()
        .identifier();
    command.positional("ENTITY", key.entity_type, "Entity type, e.g. customer")
        .required()
        .identifier();
    Option external =
        command.positional("EXTERNAL_ID", key.external_id, "ID in the external system")
            .identifier();
    if (external_id_required) {
        external.required();
    }
}

void print_mappings(Context& context, const std::vector<Mapping>& mappings) {
    context.print_each(kColumns, mappings, mapping_json);
}

}  // namespace

void install_mapping(Command group) {
    Context& context = group.context();
    group.footer(kShapes);

    auto filter = std::make_shared<MappingFilter>();
    auto status = std::make_shared<std::string>();
    Command list = group.add("list", "List mappings", [=, &context] {
        MappingFilter chosen = *filter;
        if (!status->empty()) {
            chosen.status = parse_mapping_status(*status);
        }
        print_mappings(context, mappings::list(context.store(), chosen));
    });
    list.option("--system", filter->system_code, "Only this system")
        .type_name("SYSTEM")
        .identifier();
    list.option("--entity", filter->entity_type, "Only this entity type")
        .type_name("ENTITY")
        .identifier();
    list.choice("--status", *status, {"active", "pending_review", "retired"},
                "Only mappings in this status")
        .type_name("STATUS");

    auto get_key = std::make_shared<MappingKey>();
    add_key(group.add("get", "Show the mapping of one external ID",
                      [=, &context] {
                          context.print_object(mapping_json(
                              mappings::get(context.store(), *get_key), context.store().tenant()));
                      }),
            *get_key);

    auto uuid = std::make_shared<std::string>();
    group
        .add("resolve", "List the external IDs that map to an internal UUID",
             [=, &context] { print_mappings(context, mappings::resolve(context.store(), *uuid)); })
        .positional("INTERNAL_UUID", *uuid, "Internal UUID")
        .required()
        .identifier();

    auto request = std::make_shared<mappings::SetRequest>();
    auto set_uuid = std::make_shared<std::string>();
    auto metadata = std::make_shared<std::string>();
    Command set =
        group.add("set", "Map an external ID to an internal UUID (a new random one without --uuid)",
                  [=, &context] {
                      mappings::SetRequest chosen = *request;
                      if (!set_uuid->empty()) {
                          chosen.internal_uuid = *set_uuid;
                      }
                      if (!metadata->empty()) {
                          chosen.metadata_json = *metadata;
                      }
                      auto result = mappings::set(context.store(), chosen);
                      OrderedJson object = mapping_json(result.mapping, context.store().tenant());
                      object["outcome"] = mappings::describe(result.outcome);
                      context.print_result(std::string(mappings::describe(result.outcome)) + " " +
                                               subject(result.mapping) + " -> " +
                                               result.mapping.internal_uuid + " (" +
                                               to_string(result.mapping.status) + ")",
                                           object);
                  });
    add_key(set, request->key);
    set.option("--uuid", *set_uuid, "Internal UUID to map to").type_name("UUID").identifier();
    set.option("--metadata", *metadata, "A JSON object stored with the mapping")
        .type_name("JSON")
        .multiline();
    set.flag("--force", request->force, "Repoint an existing mapping to another UUID (audited)");
    set.option("--reason", request->reason, "Why, for the audit log");

    auto approve_key = std::make_shared<MappingKey>();
    auto approve_reason = std::make_shared<std::string>();
    Command approve = group.add(
        "approve",
        "Approve a pending_review mapping, or all of an entity type without EXTERNAL_ID (audited)",
        [=, &context] {
            auto approved = mappings::approve(context.store(), *approve_key, *approve_reason);
            if (context.format() == OutputFormat::kText) {
                context.print_result("approved " + std::to_string(approved.size()) + " mapping" +
                                         (approved.size() == 1 ? "" : "s"),
                                     nullptr);
            } else {
                print_mappings(context, approved);
            }
        });
    add_key(approve, *approve_key, /*external_id_required=*/false);
    approve.option("--reason", *approve_reason, "Why, for the audit log");

    auto remove_key = std::make_shared<MappingKey>();
    auto remove_reason = std::make_shared<std::string>();
    Command remove = group.add("remove", "Remove a mapping (audited)", [=, &context] {
        Mapping removed = mappings::remove(context.store(), *remove_key, *remove_reason);
        context.print_result("removed " + subject(removed) + " (was " + removed.internal_uuid + ")",
                             mapping_json(removed, context.store().tenant()));
    });
    add_key(remove, *remove_key);
    remove.option("--reason", *remove_reason, "Why, for the audit log");

    auto retire_key = std::make_shared<MappingKey>();
    auto retire_reason = std::make_shared<std::string>();
    Command retire = group.add(
        "retire", "Retire a mapping: kept for the history, no longer used (audited)",
        [=, &context] {
            auto result = mappings::retire(context.store(), *retire_key, *retire_reason);
            OrderedJson object = mapping_json(result.mapping, context.store().tenant());
            object["outcome"] = result.changed ? "retired" : "unchanged";
            context.print_result(result.changed
                                     ? "retired " + subject(result.mapping)
                                     : subject(result.mapping) + " was already retired; unchanged",
                                 object);
        });
    add_key(retire, *retire_key);
    retire.option("--reason", *retire_reason, "Why, for the audit log").required();
}

}  // namespace salesint::cli
