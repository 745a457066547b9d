// Reading input named on the command line: a path, or "-" for standard input.
#pragma once

#include <string>
#include <string_view>

namespace salesint {

// Reads the whole file (or stdin for "-") byte for byte. Throws a usage Error
// naming the file when it cannot be read.
std::string read_input(const std::string& path);

// How a file is named in messages: "<stdin>" for "-".
std::string display_name(const std::string& path);

}  // namespace salesint
