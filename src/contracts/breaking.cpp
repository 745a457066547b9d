// Schema evolution checks after Confluent Schema Registry's rules for JSON
// Schema: each difference between two versions is classified by whom it
// breaks. Backward: the new schema must read old data; forward: the old
// schema must read new data.
#include "salesint/contracts/breaking.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "git_tree.hpp"
#include "json_pointer.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json_text.hpp"

namespace salesint::contracts {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

enum Breaks { kNone = 0, kBackward = 1, kForward = 2, kBoth = 3 };

class Comparison {
  public:
    Comparison(const Json& old_root, const Json& new_root)
        : old_root_(old_root), new_root_(new_root) {}

    std::vector<SchemaChange> changes;

    void node(const Json& old_node, const Json& new_node, const std::string& at) {
        if (!old_node.is_object() || !new_node.is_object()) {
            return;
        }
        const std::string old_ref = ref_of(old_node);
        const std::string new_ref = ref_of(new_node);
        // The same $ref on both sides: the definition is compared where it
        // is defined. Otherwise each side is followed to what it names and
        // the two are compared here.
        if (!old_ref.empty() && old_ref == new_ref) {
            return;
        }
        const Json* old_target = resolve(old_root_, old_node);
        const Json* new_target = resolve(new_root_, new_node);
        if (old_target == nullptr || new_target == nullptr) {
            return;  // a $ref outside the document: nothing to compare it with
        }
        if ((!old_ref.empty() || !new_ref.empty()) &&
            !following_.insert({old_target, new_target}).second) {
            return;  // a recursive definition, already being compared
        }
        const Json& old_schema = *old_target;
        const Json& new_schema = *new_target;
        if (!old_schema.is_object() || !new_schema.is_object()) {
            return;
        }
        types(old_schema, new_schema, at);
        enums(old_schema, new_schema, at);
        pattern(old_schema, new_schema, at);
        bounds(old_schema, new_schema, at);
        model(old_schema, new_schema, at);
        properties(old_schema, new_schema, at);
        required(old_schema, new_schema, at);
        if (old_schema.contains("items") && new_schema.contains("items")) {
            node(old_schema["items"], new_schema["items"], at + "/items");
        }
        for (const char* keyword : {"anyOf", "oneOf", "allOf"}) {
            composition(old_schema, new_schema, at, keyword);
        }
        for (const char* group : {"definitions", "$defs"}) {
            if (old_schema.contains(group) && new_schema.contains(group) &&
                old_schema[group].is_object()) {
                for (const auto& [name, definition] : old_schema[group].items()) {
                    if (new_schema[group].contains(name)) {
                        node(definition, new_schema[group][name],
                             at + "/" + group + "/" + escape_token(name));
                    }
                }
            }
        }
    }

  private:
    static std::string ref_of(const Json& schema) {
        return schema.contains("$ref") && schema["$ref"].is_string()
                   ? schema["$ref"].get<std::string>()
                   : std::string();
    }

    // What a schema stands for once its local $refs ("#/definitions/x") are
    // followed; nullptr for a $ref to another document or to nothing.
    static const Json* resolve(const Json& root, const Json& schema) {
        const Json* at = &schema;
        for (int hops = 0; hops < 32; ++hops) {
            std::string ref = ref_of(*at);
            if (ref.empty()) {
                return at;
            }
            if (ref.front() != '#') {
                return nullptr;
            }
            try {
                at = &root.at(Json::json_pointer(ref.substr(1)));
            } catch (const nlohmann::json::exception&) {
                return nullptr;
            }
        }
        return nullptr;
    }

    static const Json& list_of(const Json& schema, const char* keyword) {
        static const Json kEmpty = Json::array();
        return schema.contains(keyword) && schema[keyword].is_array() ? schema[keyword] : kEmpty;
    }

    // What pairs a changed branch with its old self: its $ref, title or
    // const, else its types.
    std::string branch_key(const Json& root, const Json& branch) const {
        if (!branch.is_object()) {
            return branch.dump();
        }
        if (!ref_of(branch).empty()) {
            return "$ref " + ref_of(branch);
        }
        const Json* target = resolve(root, branch);
        const Json& schema = target != nullptr && target->is_object() ? *target : branch;
        if (schema.contains("title")) {
            return "title " + schema["title"].dump();
        }
        if (schema.contains("const")) {
            return "const " + schema["const"].dump();
        }
        return "type " + schema.value("type", Json("any")).dump();
    }

    // anyOf and oneOf: a value must match a branch, so a removed branch
    // narrows (breaks backward) and an added one widens (breaks forward).
    // allOf: a value must match every member, so the reverse. Branches are
    // paired when equal, then by branch_key; a changed pair is compared.
    void composition(const Json& old_schema, const Json& new_schema, const std::string& at,
                     const char* keyword) {
        const Json& before = list_of(old_schema, keyword);
        const Json& after = list_of(new_schema, keyword);
        if (before.empty() && after.empty()) {
            return;
        }
        const std::string pointer = at + "/" + keyword;
        const bool all = std::string_view(keyword) == "allOf";
        if (!all && (before.empty() || after.empty())) {
            bool added = before.empty();
            add(added ? "composition.added" : "composition.removed", pointer,
                std::string(keyword) + (added ? " added: values must now match one of its " +
                                                    std::to_string(after.size()) + " branches"
                                              : " removed: values no longer need to match a "
                                                "branch"),
                added ? kBackward : kForward);
            return;
        }
        std::vector<int> partner(before.size(), -1);
        std::vector<bool> taken(after.size(), false);
        auto pair_by = [&](auto same) {
            for (std::size_t i = 0; i < before.size(); ++i) {
                for (std::size_t j = 0; partner[i] < 0 && j < after.size(); ++j) {
                    if (!taken[j] && same(before[i], after[j])) {
                        partner[i] = static_cast<int>(j);
                        taken[j] = true;
                    }
                }
            }
        };
        pair_by([](const Json& a, const Json& b) { return a == b; });
        pair_by([this](const Json& a, const Json& b) {
            return branch_key(old_root_, a) == branch_key(new_root_, b);
        });
        const char* member = all ? "member" : "branch";
        for (std::size_t i = 0; i < before.size(); ++i) {
            if (partner[i] >= 0) {
                node(before[i], after[static_cast<std::size_t>(partner[i])],
                     pointer + "/" + std::to_string(partner[i]));
                continue;
            }
            add(all ? "composition.member_removed" : "composition.branch_removed",
                pointer + "/" + std::to_string(i),
                std::string(keyword) + " " + member + " " + std::to_string(i) + " removed",
                all ? kForward : kBackward);
        }
        for (std::size_t j = 0; j < after.size(); ++j) {
            if (!taken[j]) {
                add(all ? "composition.member_added" : "composition.branch_added",
                    pointer + "/" + std::to_string(j),
                    std::string(keyword) + " " + member + " " + std::to_string(j) + " added",
                    all ? kBackward : kForward);
            }
        }
    }

    const Json& old_root_;
    const Json& new_root_;
    std::set<std::pair<const Json*, const Json*>> following_;

    void add(const char* rule, std::string pointer, std::string message, Breaks breaks) {
        changes.push_back({rule, std::move(pointer), std::move(message), (breaks & kBackward) != 0,
                           (breaks & kForward) != 0});
    }

    // The types a schema allows; no "type" allows them all.
    static std::set<std::string> type_set(const Json& schema) {
        if (!schema.contains("type")) {
            return {"array", "boolean", "integer", "null", "number", "object", "string"};
        }
        const Json& type = schema["type"];
        std::set<std::string> types;
        for (const Json& each : type.is_array() ? type : Json::array({type})) {
            if (each.is_string()) {
                types.insert(each.get<std::string>());
            }
        }
        return types;
    }

    // Every type of a is allowed by b (an integer is a number).
    static bool covered(const std::set<std::string>& a, const std::set<std::string>& b) {
        return std::all_of(a.begin(), a.end(), [&b](const std::string& type) {
            return b.count(type) > 0 || (type == "integer" && b.count("number") > 0);
        });
    }

    void types(const Json& old_schema, const Json& new_schema, const std::string& at) {
        auto before = type_set(old_schema);
        auto after = type_set(new_schema);
        bool keeps_old = covered(before, after);
        bool keeps_new = covered(after, before);
        std::string was = old_schema.value("type", Json("any")).dump();
        std::string now = new_schema.value("type", Json("any")).dump();
        if (keeps_old && !keeps_new) {
            add("type.widened", at + "/type", "type widened from " + was + " to " + now, kForward);
        } else if (!keeps_old && keeps_new) {
            add("type.narrowed", at + "/type", "type narrowed from " + was + " to " + now,
                kBackward);
        } else if (!keeps_old && !keeps_new) {
            add("type.changed", at + "/type", "type changed from " + was + " to " + now, kBoth);
        }
    }

    void enums(const Json& old_schema, const Json& new_schema, const std::string& at) {
        if (!old_schema.contains("enum") || !new_schema.contains("enum")) {
            if (new_schema.contains("enum") != old_schema.contains("enum")) {
                bool added = new_schema.contains("enum");
                add(added ? "enum.value_removed" : "enum.value_added", at + "/enum",
                    added ? "an enum now limits the values"
                          : "the enum no longer limits the values",
                    added ? kBackward : kForward);
            }
            return;
        }
        const Json& before = old_schema["enum"];
        const Json& after = new_schema["enum"];
        for (const Json& value : before) {
            if (std::find(after.begin(), after.end(), value) == after.end()) {
                add("enum.value_removed", at + "/enum", "enum value " + value.dump() + " removed",
                    kBackward);
            }
        }
        for (const Json& value : after) {
            if (std::find(before.begin(), before.end(), value) == before.end()) {
                add("enum.value_added", at + "/enum", "enum value " + value.dump() + " added",
                    kForward);
            }
        }
    }

    void pattern(const Json& old_schema, const Json& new_schema, const std::string& at) {
        bool before = old_schema.contains("pattern");
        bool after = new_schema.contains("pattern");
        if (!before && after) {
            add("pattern.added", at + "/pattern",
                "pattern " + new_schema["pattern"].dump() + " added", kBackward);
        } else if (before && !after) {
            add("pattern.removed", at + "/pattern",
                "pattern " + old_schema["pattern"].dump() + " removed", kForward);
        } else if (before && after && old_schema["pattern"] != new_schema["pattern"]) {
            add("pattern.changed", at + "/pattern",
                "pattern changed from " + old_schema["pattern"].dump() + " to " +
                    new_schema["pattern"].dump(),
                kBoth);
        }
    }

    // upper: a lower new value (or a new limit) narrows; lower: the reverse.
    void bound(const Json& old_schema, const Json& new_schema, const std::string& at,
               const char* keyword, bool upper) {
        bool before = old_schema.contains(keyword) && old_schema[keyword].is_number();
        bool after = new_schema.contains(keyword) && new_schema[keyword].is_number();
        if (!before && !after) {
            return;
        }
        double was = before ? old_schema[keyword].get<double>() : 0;
        double now = after ? new_schema[keyword].get<double>() : 0;
        bool narrowed = after && (!before || (upper ? now < was : now > was));
        bool widened = before && (!after || (upper ? now > was : now < was));
        std::string what = std::string(keyword) + " " +
                           (before ? old_schema[keyword].dump() : std::string("(none)")) + " -> " +
                           (after ? new_schema[keyword].dump() : std::string("(none)"));
        std::string pointer = at + "/" + keyword;
        if (narrowed) {
            add(upper ? "max.lowered" : "min.raised", pointer, what, kBackward);
        } else if (widened) {
            add(upper ? "max.raised" : "min.lowered", pointer, what, kForward);
        }
    }

    void bounds(const Json& old_schema, const Json& new_schema, const std::string& at) {
        for (const char* keyword :
             {"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"}) {
            bound(old_schema, new_schema, at, keyword, true);
        }
        for (const char* keyword :
             {"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"}) {
            bound(old_schema, new_schema, at, keyword, false);
        }
    }

    static bool closed(const Json& schema) {
        return schema.contains("additionalProperties") && schema["additionalProperties"] == false;
    }

    void model(const Json& old_schema, const Json& new_schema, const std::string& at) {
        if (!closed(old_schema) && closed(new_schema)) {
            add("model.closed", at + "/additionalProperties",
                "additionalProperties is now false: properties it did not list are refused",
                kBackward);
        } else if (closed(old_schema) && !closed(new_schema)) {
            add("model.opened", at + "/additionalProperties",
                "additionalProperties is no longer false", kForward);
        }
    }

    static const Json& members(const Json& schema, const char* key) {
        static const Json kEmpty = Json::object();
        return schema.contains(key) && schema[key].is_object() ? schema[key] : kEmpty;
    }

    void properties(const Json& old_schema, const Json& new_schema, const std::string& at) {
        const Json& before = members(old_schema, "properties");
        const Json& after = members(new_schema, "properties");
        for (const auto& [name, schema] : before.items()) {
            std::string pointer = at + "/properties/" + escape_token(name);
            if (after.contains(name)) {
                node(schema, after[name], pointer);
            } else {
                add("property.removed", pointer, "property '" + name + "' removed",
                    closed(new_schema) ? kBackward : kNone);
            }
        }
        for (const auto& [name, schema] : after.items()) {
            if (!before.contains(name)) {
                add("property.added", at + "/properties/" + escape_token(name),
                    "property '" + name + "' added", closed(old_schema) ? kForward : kNone);
            }
        }
    }

    static std::set<std::string> required_of(const Json& schema) {
        std::set<std::string> names;
        if (schema.contains("required") && schema["required"].is_array()) {
            for (const Json& name : schema["required"]) {
                if (name.is_string()) {
                    names.insert(name.get<std::string>());
                }
            }
        }
        return names;
    }

    void required(const Json& old_schema, const Json& new_schema, const std::string& at) {
        auto before = required_of(old_schema);
        auto after = required_of(new_schema);
        const Json& properties = members(new_schema, "properties");
        for (const std::string& name : after) {
            if (before.count(name) == 0) {
                bool has_default = properties.contains(name) && properties[name].is_object() &&
                                   properties[name].contains("default");
                add("required.added", at + "/required",
                    "property '" + name + "' is now required" +
                        (has_default ? " (it has a default)" : ", without a default"),
                    has_default ? kNone : kBackward);
            }
        }
        for (const std::string& name : before) {
            if (after.count(name) == 0) {
                add("required.removed", at + "/required",
                    "property '" + name + "' is no longer required", kForward);
            }
        }
    }
};

// One schema: old_text (named old_name in a parse error) against the file
// new_path holds; only breaking changes are violations, in the order of
// their place in the new text.
DocumentResult compare_texts(const std::string& old_text, const std::string& old_name,
                             const std::string& new_path, Compatibility mode) {
    const std::string new_text = read_json_bytes(new_path);
    parse_json_text(old_text, old_name);  // a file that is not JSON is named, with line and column
    parse_json_text(new_text, new_path);
    DocumentResult result;
    result.file = new_path;
    result.line = 1;
    result.schema = fs::path(new_path).filename().string();
    result.picked_by = "option";
    for (SchemaChange& change : compare_schemas(old_text, new_text)) {
        if (!change.breaks(mode)) {
            continue;
        }
        Violation violation{change.rule, change.pointer, change.message, 0, 0, {}};
        TextPosition at = position_of(new_text, locate_pointer(new_text, change.pointer));
        violation.line = at.line;
        violation.column = at.column;
        violation.fingerprint =
            sha256_hex(change.rule + '\n' + change.pointer + '\n' + change.message).substr(0, 16);
        result.violations.push_back(std::move(violation));
    }
    std::stable_sort(result.violations.begin(), result.violations.end(),
                     [](const Violation& a, const Violation& b) {
                         return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
    return result;
}

DocumentResult removed_schema(const std::string& new_file, const std::string& name,
                              const std::string& old_place, const std::string& new_place) {
    DocumentResult removed;
    removed.file = new_file;
    removed.line = 1;
    removed.schema = name;
    removed.violations.push_back({"schema.removed", "",
                                  name + " is in " + old_place + " but not in " + new_place, 1, 1,
                                  sha256_hex("schema.removed\n" + name).substr(0, 16)});
    return removed;
}

std::vector<std::string> schema_files(const std::string& directory) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

// Sorted by file (then line and column within each), suppressions applied.
std::vector<DocumentResult> finished(std::vector<DocumentResult> results,
                                     Suppressions* suppressions) {
    std::stable_sort(
        results.begin(), results.end(),
        [](const DocumentResult& a, const DocumentResult& b) { return a.file < b.file; });
    if (suppressions != nullptr) {
        for (DocumentResult& result : results) {
            suppressions->apply(result);
        }
    }
    return results;
}

}  // namespace

Compatibility parse_compatibility(std::string_view mode) {
    if (mode == "backward") {
        return Compatibility::kBackward;
    }
    if (mode == "forward") {
        return Compatibility::kForward;
    }
    if (mode == "full") {
        return Compatibility::kFull;
    }
    throw usage_error("mode " + std::string(mode) + ": expected backward, forward or full")
        .with_field("mode");
}

bool SchemaChange::breaks(Compatibility mode) const {
    switch (mode) {
        case Compatibility::kBackward:
            return breaks_backward;
        case Compatibility::kForward:
            return breaks_forward;
        case Compatibility::kFull:
            return breaks_backward || breaks_forward;
    }
    return false;
}

std::vector<SchemaChange> compare_schemas(std::string_view old_text, std::string_view new_text) {
    const Json old_schema = parse_json_text(std::string(old_text), "OLD");
    const Json new_schema = parse_json_text(std::string(new_text), "NEW");
    Comparison comparison(old_schema, new_schema);
    comparison.node(old_schema, new_schema, "");
    return comparison.changes;
}

std::vector<DocumentResult> check_breaking(const std::string& old_path, const std::string& new_path,
                                           Compatibility mode, Suppressions* suppressions) {
    std::error_code error;
    bool old_is_directory = fs::is_directory(old_path, error);
    if (old_is_directory != fs::is_directory(new_path, error)) {
        throw usage_error("OLD and NEW must both be files or both be directories");
    }
    if (!old_is_directory) {
        return finished({compare_texts(read_json_bytes(old_path), old_path, new_path, mode)},
                        suppressions);
    }
    std::vector<DocumentResult> results;
    for (const std::string& name : schema_files(old_path)) {
        std::string new_file = (fs::path(new_path) / name).string();
        std::string old_file = (fs::path(old_path) / name).string();
        if (fs::exists(new_file, error)) {
            results.push_back(compare_texts(read_json_bytes(old_file), old_file, new_file, mode));
        } else {
            results.push_back(removed_schema(new_file, name, old_path, new_path));
        }
    }
    return finished(std::move(results), suppressions);
}

std::vector<DocumentResult> check_breaking_against_git(const std::string& ref,
                                                       const std::string& path, Compatibility mode,
                                                       Suppressions* suppressions) {
    std::error_code error;
    if (!fs::exists(path, error)) {
        throw usage_error("cannot read " + path + ": no such file or directory");
    }
    const bool directory = fs::is_directory(path, error);
    std::vector<DocumentResult> results;
    for (const GitFile& old_file : files_at_revision(ref, path, directory)) {
        std::string new_file = directory ? (fs::path(path) / old_file.name).string() : path;
        std::string old_name = ref + ":" + new_file;
        if (fs::exists(new_file, error)) {
            results.push_back(compare_texts(old_file.text, old_name, new_file, mode));
        } else {
            results.push_back(removed_schema(new_file, old_file.name, ref + ":" + path, path));
        }
    }
    return finished(std::move(results), suppressions);
}

}  // namespace salesint::contracts
