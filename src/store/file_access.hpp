// Files beside the state file on disk: creating them private, removing them,
// and saying in plain words why one cannot be created or written (a read-only
// directory, filesystem or file), so that no one is left with SQLite's bare
// "unable to open database file".
#pragma once

#include <string>
#include <vector>

namespace salesint {
enum class Hint;  // salesint/errors.hpp
}  // namespace salesint

namespace salesint::store {

// The state file and the files SQLite keeps beside it: -wal and -shm in WAL
// mode, -journal while a rollback-journal transaction runs.
std::vector<std::string> sqlite_file_family(const std::string& path);

// The directory holding path ("." for a bare name).
std::string parent_directory(const std::string& path);

// Creates path with mode 0600 unless it exists. Returns true when this call
// created it. Throws a usage Error "cannot create <what> PATH: <why>" with hint.
bool create_private_file(const std::string& path, const std::string& what, Hint hint);

// Why creating path failed with errno error, e.g. "the directory /x is not writable".
std::string create_failure(int error, const std::string& path);

// Why the existing file path cannot be opened or written by this process: its
// directory or filesystem is read-only (SQLite must create -wal and -shm beside
// it), or the file itself is. Empty when none of these explains it.
std::string why_not_writable(const std::string& path);

// Removes each file that exists; errors are ignored (this is cleanup).
void remove_files(const std::vector<std::string>& paths);

// "0644": the permission bits as chmod takes them.
std::string octal_mode(unsigned mode);

}  // namespace salesint::store
