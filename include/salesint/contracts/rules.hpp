// The catalogue of rule ids: stable, documented in the help and the man page,
// named in every violation, and what --ignore, config files and SARIF use.
#pragma once

#include <string_view>
#include <vector>

namespace salesint::contracts {

struct RuleInfo {
    std::string_view id;
    std::string_view summary;
};

const std::vector<RuleInfo>& validation_rules();
const std::vector<RuleInfo>& breaking_rules();
const RuleInfo* find_rule(std::string_view id);

}  // namespace salesint::contracts
