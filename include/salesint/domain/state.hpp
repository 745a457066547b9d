// Operations on the state file as a whole.
#pragma once

#include <functional>
#include <vector>

#include "salesint/model.hpp"
#include "salesint/store.hpp"

namespace salesint::state {

struct MigrationReport {
    int from_version = 0;
    int to_version = 0;
    std::vector<int> applied;
};

// `state init` and `state migrate`: both count as writes, so the file is made
// private (or refused) as before any write (Store::write).
MigrationReport migration_report(Store& store);

// Integrity and invariant checks; all_ok tells whether to exit 1. The
// invariants are checked only on a file whose integrity check passed.
std::vector<CheckFinding> check(Store& store);
// The same on the store that open returns; a file too damaged to open is the
// one failed integrity finding rather than an error.
std::vector<CheckFinding> check(const std::function<Store&()>& open);
bool all_ok(const std::vector<CheckFinding>& findings);

// SQLite's quick check alone (kQuickCheck) on the store that open returns,
// for monitors; a file too damaged to open is the failed finding, as above.
CheckFinding quick_check(const std::function<Store&()>& open);

}  // namespace salesint::state
