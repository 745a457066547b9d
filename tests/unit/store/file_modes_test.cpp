// The rule for the state file's mode and owner (src/store/file_modes.cpp),
// applied before the first write.
#include <catch2/catch.hpp>

#include "store/file_modes.hpp"

using namespace salesint;

TEST_CASE("the mode rule: ours is tightened, another user's refused unless private",
          "[store][modes]") {
    using store::mode_action;
    using store::ModeAction;
    CHECK(mode_action(1000, 1000, 0600) == ModeAction::kKeep);
    CHECK(mode_action(1000, 1000, 0400) == ModeAction::kKeep);
    CHECK(mode_action(1000, 1000, 0644) == ModeAction::kTighten);
    CHECK(mode_action(1000, 1000, 0660) == ModeAction::kTighten);
    CHECK(mode_action(1000, 1000, 0602) == ModeAction::kTighten);
    CHECK(mode_action(1001, 1000, 0644) == ModeAction::kRefuse);
    CHECK(mode_action(1001, 1000, 0620) == ModeAction::kRefuse);
    // Only root opens another user's 0600 file; it is used as it is.
    CHECK(mode_action(1001, 0, 0600) == ModeAction::kKeep);
    CHECK(mode_action(1001, 0, 0640) == ModeAction::kRefuse);
}
