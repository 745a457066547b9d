// Ways to silence violations without changing the documents: rule ids to
// ignore, a config file with rules to skip per path, and a baseline of known
// violations written by one run and honoured by the next.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "salesint/contracts/rules.hpp"
#include "salesint/contracts/violation.hpp"

namespace salesint::contracts {

class Suppressions {
  public:
    // rules: the catalogue the rule ids of ignore_rule and config files must
    // match (validation_rules() or breaking_rules()).
    explicit Suppressions(const std::vector<RuleInfo>& rules = validation_rules())
        : catalogue_(&rules) {}

    // Patterns are fnmatch(3) globs over rule ids ("schema.*"); each must
    // match a known rule, else a usage Error (with the nearest rule id).
    void ignore_rule(const std::string& pattern);
    // {"ignore": {"RULE": ["GLOB", ...]}, "schema": "NAME"}: RULE skipped in
    // the files whose path matches a GLOB ("*" crosses "/"; [] means everywhere).
    // Returns the config's "schema", or "".
    std::string load_config(const std::string& path);
    // A file written by write_baseline.
    void load_baseline(const std::string& path);

    // Drops the silenced violations of document, counting them in suppressed.
    void apply(DocumentResult& document);

  private:
    bool ignored(const std::string& file, const std::string& rule) const;
    bool matches_a_rule(const std::string& pattern) const;
    Error unknown_rule(const std::string& pattern, const std::string& where) const;

    const std::vector<RuleInfo>* catalogue_;

    std::vector<std::string> rules_;
    std::map<std::string, std::vector<std::string>> per_path_;
    std::map<std::string, int> baseline_;  // key -> how many remain
};

// Collects the violations of a run and writes them as a baseline.
class BaselineWriter {
  public:
    void add(const DocumentResult& document);
    // Writes atomically (a temporary file renamed over path); tool names what
    // wrote it, for people reading the file ("salesint contract validate").
    void write(const std::string& path, const std::string& tool) const;
    std::size_t size() const { return entries_.size(); }

  private:
    struct Entry {
        std::string file, rule, pointer, fingerprint, message;
    };
    std::vector<Entry> entries_;
};

}  // namespace salesint::contracts
