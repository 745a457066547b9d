// Creating and opening the state file (or connecting to a PostgreSQL state),
// and translating SQLite's and PostgreSQL's failures into salesint's exit
// codes and plain words, so that nothing above the store needs to know either.
#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include "file_access.hpp"
#include "migrations.hpp"
#include "postgres/pg_errors.hpp"
#include "postgres/pg_store.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/state_location.hpp"
#include "salesint/util/suggest.hpp"
#include "sqlite_errors.hpp"
#include "sqlite_store.hpp"

namespace salesint::store {
namespace {

// Removes a state file this process created and failed to migrate, unless
// another process has given it a schema meanwhile (it may have opened the new
// file between our creation and our failure): never a file someone uses.
void discard_new_state_file(const std::string& path) {
    int version = 0;
    try {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        version = db.execAndGet("PRAGMA user_version").getInt();
    } catch (const SQLite::Exception&) {
        version = 0;  // unreadable: nothing anyone could use
    }
    if (version == 0) {
        remove_files(sqlite_file_family(path));
    }
}

// The error for a failure to open (created: to create) the state file.
[[noreturn]] void throw_open_failure(const SQLite::Exception& e, const std::string& path,
                                     bool created) {
    if (is_damage(e, path)) {
        throw StateDamaged(path, e.what());
    }
    const std::string verb = created ? "cannot create state file " : "cannot open state file ";
    const std::string outcome = created ? "nothing was left behind" : "nothing was written";
    switch (primary_code(e)) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw transient("state file " + path + " stayed locked by another process; try again");
        case SQLITE_NOTADB:
            throw usage_error(path + " is not a salesint state file: " + e.what());
        case SQLITE_FULL:
            throw transient(verb + path + ": " + e.what() + "; " + outcome +
                            "; free some space and try again");
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
        case SQLITE_IOERR:
        case SQLITE_PERM: {
            std::string why = created ? "" : why_not_writable(path);
            if (!why.empty()) {
                throw usage_error(verb + path + ": " + why).with_hint(Hint::kChooseStatePath);
            }
            if (primary_code(e) == SQLITE_IOERR) {
                throw transient(verb + path + ": " + e.what() + "; " + outcome);
            }
            throw usage_error(verb + path + ": " + e.what());
        }
        default:
            throw usage_error(verb + path + ": " + e.what());
    }
}

}  // namespace
}  // namespace salesint::store

namespace salesint {

int current_schema_version() {
    return store::migrations().back().version;
}

std::unique_ptr<Store> open_store(const StoreOptions& options) {
    if (options.tenant.empty()) {
        throw usage_error("the tenant must not be empty");
    }
    if (const auto scheme_end = options.path.find("://");
        scheme_end != std::string::npos && !is_database_url(options.path)) {
        const std::string scheme = options.path.substr(0, scheme_end);
        throw usage_error("the state " + printable_state(options.path) +
                          " is neither a file path nor a postgresql:// URL" +
                          did_you_mean(scheme, {"postgresql", "postgres"}));
    }
    if (is_database_url(options.path)) {
        try {
            return std::make_unique<store::pg::PgStore>(options);
        } catch (const store::pg::PgError& e) {
            throw store::pg::translate_pg_error(e, printable_state(options.path));
        }
    }
    if (!options.create_if_missing) {
        struct stat status {};
        if (::stat(options.path.c_str(), &status) != 0 && errno == ENOENT) {
            throw not_found("state file " + options.path + " does not exist");
        }
        if (S_ISDIR(status.st_mode)) {  // as a creating open says it
            throw usage_error("cannot use " + options.path +
                              " as the state file: it is a directory")
                .with_hint(Hint::kChooseStatePath);
        }
    }
    // SQLite opens an existing file without creating one (the store never
    // asks it to), so a file that vanished meanwhile is not created either.
    const bool created =
        options.create_if_missing &&
        store::create_private_file(options.path, "state file", Hint::kChooseStatePath);
    try {
        return std::make_unique<store::SqliteStore>(options);
    } catch (const SQLite::Exception& e) {
        if (created) {
            store::discard_new_state_file(options.path);
        }
        store::throw_open_failure(e, options.path, created);
    } catch (...) {
        if (created) {
            store::discard_new_state_file(options.path);
        }
        throw;
    }
}

// Used by the command layer's single error handler (commands/cli.cpp).
std::optional<Error> translate_store_exception(const std::exception& error,
                                               const std::string& state_path) {
    if (const auto* pg = dynamic_cast<const store::pg::PgError*>(&error)) {
        return store::pg::translate_pg_error(*pg, printable_state(state_path));
    }
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
        case SQLITE_IOERR:
            return transient("cannot write the state file " + state_path + " (" + what +
                             "); nothing was written");
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM: {
            std::string why = store::why_not_writable(state_path);
            return usage_error("cannot write the state file " + state_path + ": " +
                               (why.empty() ? what : why))
                .with_hint(Hint::kChooseStatePath);
        }
        case SQLITE_NOTADB:
            return usage_error(state_path + " is not a salesint state file: " + what);
        case SQLITE_CONSTRAINT:
            return refused("the state file refused the change: " + what);
        default:
            return Error(ExitCode::kNo, "state file " + state_path + " error: " + what);
    }
}

}  // namespace salesint
