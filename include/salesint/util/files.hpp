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

// The bytes of an input without copying them: a regular file is mapped
// read-only (a 64 MiB payload costs no allocation and no copy); stdin and
// pipes are read into memory. Errors as for read_input.
class InputBytes {
  public:
    explicit InputBytes(const std::string& path);
    ~InputBytes();
    InputBytes(const InputBytes&) = delete;
    InputBytes& operator=(const InputBytes&) = delete;

    std::string_view view() const {
        return map_ ? std::string_view(static_cast<const char*>(map_), size_) : owned_;
    }

  private:
    void* map_ = nullptr;
    std::size_t size_ = 0;
    std::string owned_;
};

}  // namespace salesint
