// A state file in a temp dir, filled through the real binary with the data
// the end-to-end tests expect: connectors PYXIS and TEMPO, two approved
// PYXIS customer mappings, and an integer and a timestamp checkpoint.
#pragma once

#include <string>
#include <vector>

#include "support/run.hpp"
#include "support/temp_state.hpp"

namespace salesint::test {

inline constexpr const char* kCustomerUuid = "3f2b8c1e-0d4a-4c6e-9b1a-2f7d5e8c9a01";
inline constexpr const char* kUnusedUuid = "00000000-0000-4000-8000-000000000000";

class SeededState {
  public:
    SeededState();

    const std::string& state() const { return state_; }
    const TempDir& dir() const { return dir_; }
    // Runs salesint with --state pointing at this state file, as user "tester".
    RunResult run(std::vector<std::string> args, RunOptions options = {}) const;

  private:
    TempDir dir_;
    std::string state_;
};

}  // namespace salesint::test
