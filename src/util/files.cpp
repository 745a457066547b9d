#include "salesint/util/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "salesint/errors.hpp"

namespace salesint {
namespace {

// One allocation of the file's size and large reads: payloads may be tens of
// megabytes, and must arrive byte for byte.
std::string read_all(int fd, const std::string& name) {
    struct stat status {};
    std::string content;
    if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode)) {
        content.reserve(static_cast<std::size_t>(status.st_size));
    }
    char buffer[1 << 16];
    while (true) {
        ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            throw usage_error("cannot read " + name + ": " + std::strerror(errno));
        }
        if (got == 0) {
            return content;
        }
        content.append(buffer, static_cast<std::size_t>(got));
    }
}

}  // namespace

std::string display_name(const std::string& path) {
    return path == "-" ? "<stdin>" : path;
}

std::string read_input(const std::string& path) {
    if (path == "-") {
        return read_all(STDIN_FILENO, display_name(path));
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw usage_error("cannot read " + path + ": " + std::strerror(errno));
    }
    try {
        std::string content = read_all(fd, path);
        ::close(fd);
        return content;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

}  // namespace salesint
