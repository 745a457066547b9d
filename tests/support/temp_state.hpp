// A temporary directory with a state file path in it, removed afterwards, and
// a logical snapshot of a state file for "nothing changed" assertions.
// Under SALESINT_TEST_BACKEND=postgresql the state is a fresh database on the
// test server instead, dropped afterwards (tests/support/pg_state.hpp).
#pragma once

#include <string>

namespace salesint::test {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    // The path of state.db in path(), or a postgresql:// URL.
    const std::string& state() const { return state_; }

  private:
    std::string path_;
    std::string state_;
};

// Every row of every table plus the schema version, as text. Byte images of
// the file are no use: closing the last connection checkpoints the WAL.
// Takes a state file path or a postgresql:// URL.
std::string snapshot(const std::string& state);

void write_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);

}  // namespace salesint::test
