#include "salesint/contracts/suppressions.hpp"

#include <fnmatch.h>

#include "salesint/contracts/rules.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/suggest.hpp"

namespace salesint::contracts {
namespace {

bool glob_matches(const std::string& pattern, const std::string& text) {
    return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

std::string baseline_key(const std::string& file, const std::string& rule,
                         const std::string& pointer, const std::string& fingerprint) {
    return file + '\n' + rule + '\n' + pointer + '\n' + fingerprint;
}

}  // namespace

bool Suppressions::matches_a_rule(const std::string& pattern) const {
    for (const RuleInfo& rule : *catalogue_) {
        if (glob_matches(pattern, std::string(rule.id))) {
            return true;
        }
    }
    return false;
}

Error Suppressions::unknown_rule(const std::string& pattern, const std::string& where) const {
    std::vector<std::string> ids;
    for (const RuleInfo& rule : *catalogue_) {
        ids.emplace_back(rule.id);
    }
    return usage_error(where + ": no rule matches '" + pattern + "'" + did_you_mean(pattern, ids))
        .with_hint(Hint::kListRules);
}

void Suppressions::ignore_rule(const std::string& pattern) {
    if (!matches_a_rule(pattern)) {
        throw unknown_rule(pattern, "ignore").with_field("ignore");
    }
    rules_.push_back(pattern);
}

std::string Suppressions::load_config(const std::string& path) {
    nlohmann::json config = read_json_file(path);
    auto fail = [&path](const std::string& pointer, const std::string& what) {
        return usage_error(path + ": " + pointer + ": " + what);
    };
    if (!config.is_object()) {
        throw fail("", "expected an object {\"ignore\": {RULE: [GLOB...]}, \"schema\": NAME}");
    }
    for (const auto& [key, value] : config.items()) {
        if (key != "ignore" && key != "schema") {
            throw fail("/" + key, "unknown setting (expected ignore or schema)");
        }
    }
    std::string schema;
    if (config.contains("schema")) {
        if (!config["schema"].is_string()) {
            throw fail("/schema", "expected a schema name or path");
        }
        schema = config["schema"].get<std::string>();
    }
    const nlohmann::json& ignore = config.value("ignore", nlohmann::json::object());
    if (!ignore.is_object()) {
        throw fail("/ignore", "expected an object of RULE: [GLOB, ...]");
    }
    for (const auto& [rule, globs] : ignore.items()) {
        std::string pointer = "/ignore/" + rule;
        if (!matches_a_rule(rule)) {
            throw unknown_rule(rule, path + ": " + pointer);
        }
        if (!globs.is_array()) {
            throw fail(pointer, "expected an array of path globs ([] for every file)");
        }
        std::vector<std::string>& paths = per_path_[rule];
        for (std::size_t i = 0; i < globs.size(); ++i) {
            if (!globs[i].is_string()) {
                throw fail(pointer + "/" + std::to_string(i), "expected a path glob");
            }
            paths.push_back(globs[i].get<std::string>());
        }
        if (paths.empty()) {
            paths.push_back("*");
        }
    }
    return schema;
}

void Suppressions::load_baseline(const std::string& path) {
    nlohmann::json baseline = read_json_file(path);
    const nlohmann::json* entries =
        baseline.is_object() && baseline.contains("violations") ? &baseline["violations"] : nullptr;
    if (entries == nullptr || !entries->is_array()) {
        throw usage_error(path + ": /violations: not a baseline").with_hint(Hint::kWriteBaseline);
    }
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const nlohmann::json& entry = (*entries)[i];
        try {
            ++baseline_[baseline_key(entry.at("file").get<std::string>(),
                                     entry.at("rule").get<std::string>(),
                                     entry.at("pointer").get<std::string>(),
                                     entry.at("fingerprint").get<std::string>())];
        } catch (const nlohmann::json::exception&) {
            throw usage_error(path + ": /violations/" + std::to_string(i) +
                              ": expected {file, rule, pointer, fingerprint} strings");
        }
    }
}

bool Suppressions::ignored(const std::string& file, const std::string& rule) const {
    for (const std::string& pattern : rules_) {
        if (glob_matches(pattern, rule)) {
            return true;
        }
    }
    for (const auto& [pattern, globs] : per_path_) {
        if (glob_matches(pattern, rule)) {
            for (const std::string& glob : globs) {
                if (glob_matches(glob, file)) {
                    return true;
                }
            }
        }
    }
    return false;
}

void Suppressions::apply(DocumentResult& document) {
    std::erase_if(document.violations, [&](const Violation& violation) {
        bool silenced = violation.rule != "json.parse" && ignored(document.file, violation.rule);
        if (!silenced && !baseline_.empty()) {
            auto known = baseline_.find(baseline_key(document.file, violation.rule,
                                                     violation.pointer, violation.fingerprint));
            if (known != baseline_.end() && known->second > 0) {
                --known->second;
                silenced = true;
            }
        }
        document.suppressed += silenced ? 1 : 0;
        return silenced;
    });
}

void BaselineWriter::add(const DocumentResult& document) {
    for (const Violation& violation : document.violations) {
        if (violation.rule != "json.parse") {
            entries_.push_back({document.file, violation.rule, violation.pointer,
                                violation.fingerprint, violation.message});
        }
    }
}

void BaselineWriter::write(const std::string& path, const std::string& tool) const {
    OrderedJson violations = OrderedJson::array();
    for (const Entry& entry : entries_) {
        violations.push_back({{"file", entry.file},
                              {"rule", entry.rule},
                              {"pointer", entry.pointer},
                              {"fingerprint", entry.fingerprint},
                              {"message", entry.message}});
    }
    OrderedJson baseline = {{"version", 1}, {"tool", tool}, {"violations", std::move(violations)}};
    write_file_atomically(path, baseline.dump(2) + "\n");
}

}  // namespace salesint::contracts
