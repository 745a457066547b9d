#include "file_modes.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "file_access.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::store {
namespace {

constexpr mode_t kGroupAndOther = 077;

// The files that hold rows: the -journal of a rollback transaction never
// exists for a WAL file.
std::vector<std::string> files_with_rows(const std::string& path) {
    return {path, path + "-wal", path + "-shm"};
}

std::string owner_name(uid_t uid) {
    std::string text = "uid " + std::to_string(uid);
    struct passwd entry {};
    struct passwd* found = nullptr;
    char buffer[1024];
    if (::getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr) {
        text += std::string(" (") + found->pw_name + ")";
    }
    return text;
}

std::string base_name(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

ModeAction mode_action(uid_t owner, uid_t me, mode_t mode) {
    if ((mode & kGroupAndOther) == 0) {
        return ModeAction::kKeep;
    }
    return owner == me ? ModeAction::kTighten : ModeAction::kRefuse;
}

void make_private_for_writing(const std::string& path) {
    std::vector<std::string> tightened;
    for (const auto& file : files_with_rows(path)) {
        struct stat status {};
        // -wal and -shm exist only while some connection has the file open.
        if (::stat(file.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) {
            continue;
        }
        switch (mode_action(status.st_uid, ::geteuid(), status.st_mode)) {
            case ModeAction::kKeep:
                break;
            case ModeAction::kRefuse:
                throw refused(
                    "refusing to write " + file + ": it belongs to " + owner_name(status.st_uid) +
                    ", not to you, and its mode " + octal_mode(status.st_mode) +
                    " lets group or others read it; its owner can run 'chmod 600 " + file + "'")
                    .with_hint(Hint::kChooseStatePath);
            case ModeAction::kTighten: {
                const mode_t tight = status.st_mode & 0700;
                if (::chmod(file.c_str(), tight) != 0 && errno != ENOENT) {
                    throw usage_error("cannot make " + file + " private (chmod " +
                                      octal_mode(tight) + "): " + std::strerror(errno));
                }
                tightened.push_back(file + " " + octal_mode(status.st_mode) + " -> " +
                                    octal_mode(tight));
                break;
            }
        }
    }
    if (!tightened.empty()) {
        log::warn("group or others could read the state file; made it private: " +
                  join(tightened, ", "));
    }
}

CheckFinding check_file_modes(const std::string& path) {
    std::vector<std::string> all, loose;
    for (const auto& file : files_with_rows(path)) {
        struct stat status {};
        if (::stat(file.c_str(), &status) != 0) {
            continue;
        }
        std::string entry = base_name(file) + " " + octal_mode(status.st_mode);
        if ((status.st_mode & kGroupAndOther) != 0) {
            loose.push_back(entry);
        }
        all.push_back(std::move(entry));
    }
    if (loose.empty()) {
        return {"file_modes", true, join(all, ", ")};
    }
    return {"file_modes", false,
            join(loose, ", ") +
                ": group or others can access it; the owner's next salesint write sets 0600, "
                "or run chmod 600"};
}

}  // namespace salesint::store
