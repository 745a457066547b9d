// Reading schema files as they were at a git revision, for `contract breaking`
// against a ref: git itself is run (no shell), in the directory of the path.
#pragma once

#include <string>
#include <vector>

namespace salesint::contracts {

struct GitFile {
    std::string name;  // file name, as in the directory
    std::string text;
};

// The *.json files of the directory (or the one file) at path, as they were
// at revision ref of the repository path is in. Throws a not_found Error when
// ref names no commit or path is not in it, a usage Error when path is not in
// a git repository or git cannot be run.
std::vector<GitFile> files_at_revision(const std::string& ref, const std::string& path,
                                       bool directory);

}  // namespace salesint::contracts
