// Operations on the state file as a whole.
#pragma once

#include <vector>

#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::state {

struct MigrationReport {
    int from_version = 0;
    int to_version = 0;
    std::vector<int> applied;
};

MigrationReport migration_report(Store& store);

// Integrity and invariant checks; all_ok tells whether to exit 1.
std::vector<CheckFinding> check(Store& store);
bool all_ok(const std::vector<CheckFinding>& findings);

}  // namespace salesint::state
