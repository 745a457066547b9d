#include "command_tree.hpp"

#include <CLI/CLI.hpp>

#include "cli.hpp"
#include "context.hpp"

namespace salesint::cli {
namespace {

// The positionals whose values completion offers: Execute IDs, and the
// system codes of registered connectors (not where a new one is named).
ValueSource values_of(const std::vector<std::string>& path, const std::string& positional) {
    if (positional == "id" && (path == std::vector<std::string>{"execute"} ||
                               path == std::vector<std::string>{"adapters", "describe"})) {
        return ValueSource::kAdapterIds;
    }
    if (positional == "SYSTEM" && path != std::vector<std::string>{"connector", "add"}) {
        return ValueSource::kConnectorCodes;
    }
    return ValueSource::kNone;
}

CommandDoc describe(const CLI::App& app, const Context& context, std::vector<std::string> path) {
    CommandDoc doc;
    doc.path = path;
    doc.description = app.get_description();
    doc.footer = path.empty() ? "" : app.get_footer();
    if (context.actions.count(&app) > 0) {
        const LeafTraits traits = traits_of(leaf_path(app));
        doc.runnable = true;
        doc.declared = declared_traits(leaf_path(app)) != nullptr;
        doc.state = traits.state;
        doc.formats = traits.formats;
        doc.listing = traits.listing;
    }
    for (const CLI::Option* option : app.get_options()) {
        const std::string& first = option->get_lnames().empty() ? "" : option->get_lnames().front();
        if (first == "help" || first == "version") {
            continue;
        }
        if (option->get_positional() && !option->nonpositional()) {
            const std::string name = option->get_name(true);
            doc.positionals.push_back(
                {name, option->get_description(), option->get_required(), values_of(path, name)});
            continue;
        }
        OptionDoc option_doc;
        option_doc.short_names = option->get_snames();
        option_doc.long_names = option->get_lnames();
        option_doc.description = option->get_description();
        option_doc.required = option->get_required();
        if (option->get_expected_max() > 0) {
            std::string type = option->get_type_name();
            option_doc.value_name = type.empty() ? "VALUE" : type;
            option_doc.takes_file = type == "PATH" || type == "FILE";
        }
        if (auto found = context.choices.find(option); found != context.choices.end()) {
            option_doc.choices = found->second;
        }
        doc.options.push_back(std::move(option_doc));
    }
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App* candidate) {
             return !candidate->get_group().empty();  // an empty group hides a command
         })) {
        std::vector<std::string> child_path = path;
        child_path.push_back(sub->get_name());
        doc.children.push_back(describe(*sub, context, child_path));
    }
    return doc;
}

void collect(const CommandDoc& doc, std::vector<const CommandDoc*>& out) {
    out.push_back(&doc);
    for (const auto& child : doc.children) {
        collect(child, out);
    }
}

}  // namespace

std::string CommandDoc::full_name() const {
    std::string name = "salesint";
    for (const auto& part : path) {
        name += " " + part;
    }
    return name;
}

bool CommandDoc::completes_values() const {
    for (const auto& positional : positionals) {
        if (positional.values != ValueSource::kNone) {
            return true;
        }
    }
    return false;
}

CommandDoc describe_tree(const CLI::App& root, const Context& context) {
    return describe(root, context, {});
}

CommandDoc describe_command_table() {
    Context context;
    std::string program = "salesint";
    std::string whole_tree = "manpage";  // builds every group, as for the man page
    std::vector<char*> argv{program.data(), whole_tree.data()};
    std::unique_ptr<CLI::App> app = build_app(context, static_cast<int>(argv.size()), argv.data());
    return describe_tree(*app, context);
}

std::vector<const CommandDoc*> flatten(const CommandDoc& root) {
    std::vector<const CommandDoc*> out;
    collect(root, out);
    return out;
}

}  // namespace salesint::cli
