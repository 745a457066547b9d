// Who may read the state file and its -wal and -shm files: the rule salesint
// applies before it writes, and the finding `state check` reports (README,
// "The state file").
#pragma once

#include <sys/types.h>

#include <string>

#include "salesint/model.hpp"

namespace salesint::store {

enum class ModeAction {
    kKeep,     // no group or other permission bits
    kTighten,  // ours: drop the group and other bits
    kRefuse,   // another user's, and group or others have access: not ours to chmod
};

// A file with no group or other bits is kept as it is, whoever owns it (only
// root can open another user's 0600 file, and SQLite then gives the -wal and
// -shm that user too). Otherwise: ours is tightened, another user's refused.
ModeAction mode_action(uid_t owner, uid_t me, mode_t mode);

// Applies mode_action to the file and its -wal and -shm before the first write
// of a process: tightens ours with one warning line naming each file and its
// old mode; throws kRefused naming the file, its owner and mode for another
// user's.
void make_private_for_writing(const std::string& path);

// The "file_modes" finding: FAILED, with the modes, when group or others have
// any permission on the file, its -wal or its -shm.
CheckFinding check_file_modes(const std::string& path);

}  // namespace salesint::store
