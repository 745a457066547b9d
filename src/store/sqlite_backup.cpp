// `state backup`: a consistent copy of the whole state file through SQLite's
// online backup API, written to a private temporary file beside the target and
// renamed into place only once it is complete and passes SQLite's quick check.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/Backup.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "file_access.hpp"
#include "salesint/errors.hpp"
#include "sqlite_errors.hpp"
#include "sqlite_store.hpp"

namespace salesint::store {
namespace {

// 16 MiB of 16 KiB pages per step.
constexpr int kPagesPerStep = 1024;
// sqlite3_backup_step answers BUSY or LOCKED only while the destination is in
// use, which a private temporary file never is; give up after 10 s anyway.
constexpr int kBusyRetries = 1000;

// One read transaction on the source for the whole copy. In WAL mode a reader
// never blocks writers, and holding one snapshot across the steps keeps
// commits by other processes from restarting the copy, as they would between
// steps that each took their own.
class ReadSnapshot {
  public:
    explicit ReadSnapshot(SQLite::Database& db) : db_(db) {
        db_.exec("BEGIN");  // deferred: the read below is what starts it
        db_.execAndGet("SELECT count(*) FROM sqlite_master");
    }
    ~ReadSnapshot() {
        if (sqlite3_get_autocommit(db_.getHandle()) == 0) {
            sqlite3_exec(db_.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

  private:
    SQLite::Database& db_;
};

bool same_file(const struct stat& a, const struct stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// Refuses a directory, the state file itself or one of its SQLite files (even
// with overwrite), and any other existing file unless overwrite.
void check_target(const std::string& target, const std::string& state_path, bool overwrite) {
    struct stat existing {};
    if (::stat(target.c_str(), &existing) != 0) {
        return;  // creating the temporary file says what is wrong, if anything
    }
    if (S_ISDIR(existing.st_mode)) {
        throw usage_error("cannot back up to " + target + ": it is a directory; name a file");
    }
    for (const auto& file : sqlite_file_family(state_path)) {
        struct stat status {};
        if (::stat(file.c_str(), &status) == 0 && same_file(status, existing)) {
            throw usage_error("cannot back up to " + target + ": it is the state file " +
                              state_path + " itself")
                .with_hint(Hint::kChooseBackupTarget);
        }
    }
    if (!overwrite) {
        throw refused(target + " exists; refusing to overwrite it")
            .with_hint(Hint::kForceOverwrite);
    }
}

// mkstemp creates the file with mode 0600, so the copy is private from its
// first byte, and SQLite gives its -journal the same mode.
std::string create_temporary_beside(const std::string& target) {
    std::string name = target + ".tmp-XXXXXX";
    int fd = ::mkstemp(name.data());
    if (fd < 0) {
        const int error = errno;
        throw usage_error("cannot create backup " + target + ": " + create_failure(error, target))
            .with_hint(Hint::kChooseBackupTarget);
    }
    ::close(fd);
    return name;
}

void copy_pages(SQLite::Database& source, const std::string& temporary) {
    SQLite::Database copy(temporary, SQLite::OPEN_READWRITE);
    ReadSnapshot snapshot(source);
    SQLite::Backup backup(copy, source);
    int busy = 0;
    for (;;) {
        const int rc = backup.executeStep(kPagesPerStep);
        if (rc == SQLITE_DONE) {
            return;
        }
        if (rc != SQLITE_OK && ++busy > kBusyRetries) {
            throw transient("the backup could not write its temporary file " + temporary +
                            ": it stayed locked; try again");
        }
        if (rc != SQLITE_OK) {
            sqlite3_sleep(10);
        }
    }
}

// SQLite's quick check of the finished copy; returns its schema version. A
// copy that fails it holds the source's damaged pages.
int verify_copy(const std::string& temporary, const std::string& state_path) {
    SQLite::Database copy(temporary, SQLite::OPEN_READWRITE);
    const std::string first = copy.execAndGet("PRAGMA quick_check").getString();
    if (first != "ok") {
        throw StateDamaged(state_path,
                           "its copy fails SQLite's quick check: " + first_finding(first));
    }
    return copy.execAndGet("PRAGMA user_version").getInt();
}

// Moves the finished copy to target atomically; without overwrite, a file
// that appeared at target meanwhile is not replaced either.
void publish(const std::string& temporary, const std::string& target, bool overwrite) {
    if (overwrite) {
        if (::rename(temporary.c_str(), target.c_str()) != 0) {
            throw usage_error("cannot write backup " + target + ": " + std::strerror(errno));
        }
        return;
    }
    if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
        return;
    }
    int error = errno;
    if (error == EINVAL || error == ENOSYS) {  // a filesystem without RENAME_NOREPLACE
        if (::link(temporary.c_str(), target.c_str()) == 0) {
            ::unlink(temporary.c_str());
            return;
        }
        error = errno;
    }
    if (error == EEXIST) {
        throw refused(target + " appeared while the backup ran; refusing to overwrite it")
            .with_hint(Hint::kForceOverwrite);
    }
    throw usage_error("cannot write backup " + target + ": " + std::strerror(error));
}

// The rename is durable only once the directory is.
void sync_directory(const std::string& directory) {
    int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

[[noreturn]] void throw_backup_failure(const SQLite::Exception& e, const std::string& target,
                                       const std::string& state_path) {
    if (is_damage(e, state_path)) {
        throw StateDamaged(state_path, e.what());
    }
    const std::string what = e.what();
    switch (primary_code(e)) {
        case SQLITE_FULL:
            throw transient("cannot write backup " + target + ": the disk is full (" + what +
                            "); nothing was left behind");
        case SQLITE_IOERR:
            throw transient("cannot write backup " + target + ": " + what +
                            "; nothing was left behind");
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw transient("the state file " + state_path +
                            " stayed locked by another process; try again");
        default:
            throw usage_error("cannot write backup " + target + ": " + what);
    }
}

}  // namespace

BackupReport SqliteStore::backup_to(const std::string& target, bool overwrite) {
    if (target.empty()) {
        throw usage_error("the backup needs a file name").with_hint(Hint::kGiveField, {"target"});
    }
    check_target(target, path_, overwrite);
    BackupReport report;
    report.path = target;
    const std::string temporary = create_temporary_beside(target);
    try {
        copy_pages(db_, temporary);
        report.schema_version = verify_copy(temporary, path_);
        publish(temporary, target, overwrite);
    } catch (const SQLite::Exception& e) {
        remove_files(sqlite_file_family(temporary));
        throw_backup_failure(e, target, path_);
    } catch (...) {
        remove_files(sqlite_file_family(temporary));
        throw;
    }
    remove_files(sqlite_file_family(temporary));  // nothing, unless SQLite left a -wal or -shm
    sync_directory(parent_directory(target));
    struct stat status {};
    if (::stat(target.c_str(), &status) == 0) {
        report.bytes = status.st_size;
    }
    return report;
}

}  // namespace salesint::store
