#include "salesint/util/files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "salesint/errors.hpp"

namespace salesint {

std::string display_name(const std::string& path) {
    return path == "-" ? "<stdin>" : path;
}

std::string read_input(const std::string& path) {
    if (path == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        return buffer.str();
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw usage_error("cannot read " + path + ": " + std::strerror(errno));
    }
    std::string content{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    if (file.bad()) {
        throw usage_error("cannot read " + path + ": " + std::strerror(errno));
    }
    return content;
}

}  // namespace salesint
