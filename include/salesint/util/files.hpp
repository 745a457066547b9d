// Reading input named on the command line: a path, or "-" for standard input.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace salesint {

// Reads the whole file (or stdin for "-") byte for byte. Throws a usage Error
// naming the file when it cannot be read, or when it holds more than
// max_bytes (it is not read further then).
std::string read_input(const std::string& path, std::size_t max_bytes = SIZE_MAX);

// Calls take(chunk) over the whole input, in 64 KiB chunks, without holding it
// in memory. Errors as for read_input. With stop, reading ends early once it
// is set, also while waiting on a pipe or terminal that sends nothing.
void for_each_input_chunk(const std::string& path,
                          const std::function<void(std::string_view)>& take,
                          const std::atomic<bool>* stop = nullptr);

// Throws the usage Error that reading path would, if it cannot be opened for
// reading or is a directory: for a command that must fail before it writes
// anything (stdin, "-", always passes).
void require_readable(const std::string& path);

// Writes text to path through a temporary file renamed over it, so that a
// reader never sees half of it. Throws a usage Error naming the file.
void write_file_atomically(const std::string& path, std::string_view text);

// How a file is named in messages: "<stdin>" for "-".
std::string display_name(const std::string& path);

}  // namespace salesint
