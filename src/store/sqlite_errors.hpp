// SQLite's result codes as salesint reads them: which failures mean the state
// file is damaged, and the operating system's reason behind an I/O error.
#pragma once

#include <sqlite3.h>

#include <SQLiteCpp/Exception.h>

#include <string>

namespace salesint::store {

// The extended result code of e (SQLITE_IOERR_READ rather than SQLITE_IOERR).
int extended_code(const SQLite::Exception& e);
inline int primary_code(const SQLite::Exception& e) {
    return extended_code(e) & 0xff;
}

// True when the header of the file at path carries salesint's application_id,
// read from the bytes themselves: for a file whose header SQLite rejects.
bool has_state_application_id(const std::string& path);

// True when e means the state file at path is damaged: a corrupt page, an I/O
// error reading pages, or a header SQLite rejects on a file that is a state
// file.
bool is_damage(const SQLite::Exception& e, const std::string& path);

// The first finding of PRAGMA integrity_check or quick_check, on one line:
// its first row holds "*** in database main ***" and then a finding a line.
std::string first_finding(const std::string& first_row);

// e with the operating system's reason added ("disk I/O error (File too
// large)") when SQLite recorded one for it on db.
SQLite::Exception with_system_error(const SQLite::Exception& e, sqlite3* db);

}  // namespace salesint::store
