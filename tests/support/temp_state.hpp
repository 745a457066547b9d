// A temporary directory with a state file path in it, removed afterwards, and
// a logical snapshot of a state file for "nothing changed" assertions.
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
    std::string state() const { return file("state.db"); }

  private:
    std::string path_;
};

// Every row of every table plus the schema version, as text. Byte images of
// the file are no use: closing the last connection checkpoints the WAL.
std::string snapshot(const std::string& state_path);

void write_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);

}  // namespace salesint::test
