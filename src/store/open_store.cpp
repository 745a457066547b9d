// Creating the state file and translating SQLite's failures into salesint's
// exit codes, so that nothing above the store needs to know SQLite.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <SQLiteCpp/Exception.h>

#include <cerrno>
#include <cstring>

#include "salesint/errors.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_errors.hpp"
#include "store/sqlite_store.hpp"

namespace salesint {
namespace {

// SQLite would create the file with the umask's mode (usually 0644); a state
// file may hold customer identifiers, so create it 0600 first. SQLite gives
// its -wal and -shm files the mode of the database file.
void create_private_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
        return;
    }
    if (errno != EEXIST) {
        throw usage_error("cannot create state file " + path + ": " + std::strerror(errno));
    }
}

}  // namespace

int current_schema_version() {
    return store::migrations().back().version;
}

std::unique_ptr<Store> open_store(const StoreOptions& options) {
    create_private_file(options.path);
    try {
        return std::make_unique<store::SqliteStore>(options);
    } catch (const SQLite::Exception& e) {
        if (store::is_damage(e, options.path)) {
            throw StateDamaged(options.path, e.what());
        }
        const int code = store::primary_code(e);
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
            throw transient("state file " + options.path +
                            " stayed locked by another process; try again");
        }
        if (code == SQLITE_NOTADB) {
            throw usage_error(options.path + " is not a salesint state file: " + e.what());
        }
        throw usage_error("cannot open state file " + options.path + ": " + e.what());
    }
}

// Used by the command layer's single error handler (commands/cli.cpp).
std::optional<Error> translate_store_exception(const std::exception& error,
                                               const std::string& state_path) {
    const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&error);
    if (sqlite == nullptr) {
        return std::nullopt;
    }
    if (store::is_damage(*sqlite, state_path)) {
        return StateDamaged(state_path, sqlite->what());
    }
    const std::string what = sqlite->what();
    switch (store::primary_code(*sqlite)) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return transient("the state file " + state_path +
                             " stayed locked by another process; try again");
        case SQLITE_FULL:
            return transient("the disk is full: cannot write the state file " + state_path + " (" +
                             what + "); nothing was written");
        case SQLITE_READONLY:
            return usage_error("the state file " + state_path + " is read-only: " + what);
        case SQLITE_NOTADB:
            return usage_error(state_path + " is not a salesint state file: " + what);
        case SQLITE_CONSTRAINT:
            return refused("the state file refused the change: " + what);
        default:
            return Error(ExitCode::kNo, "state file " + state_path + " error: " + what);
    }
}

}  // namespace salesint
