#include "salesint/util/files.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "salesint/errors.hpp"

namespace salesint {
namespace {

// Whether fd has bytes (or its end) to read, waiting at most a tenth of a
// second; false once stop is set.
bool readable(int fd, const std::atomic<bool>& stop) {
    while (!stop) {
        pollfd wait{fd, POLLIN, 0};
        int ready = ::poll(&wait, 1, 100);
        if (ready > 0) {
            return true;
        }
        if (ready < 0 && errno != EINTR) {
            return true;  // let read() report it
        }
    }
    return false;
}

// Reads fd to its end in 64 KiB chunks: a small buffer stays in cache, and
// hashing through it is a third faster than over a whole 64 MiB payload.
void read_chunks(int fd, const std::string& name, const std::function<void(std::string_view)>& take,
                 const std::atomic<bool>* stop = nullptr) {
    char buffer[1 << 16];
    while (true) {
        if (stop != nullptr && !readable(fd, *stop)) {
            return;
        }
        ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            throw usage_error("cannot read " + name + ": " + std::strerror(errno));
        }
        if (got == 0) {
            return;
        }
        take(std::string_view(buffer, static_cast<std::size_t>(got)));
    }
}

// Opens path (or takes stdin for "-"), reads it in chunks, closes it.
void with_input(const std::string& path, const std::function<void(int)>& use) {
    if (path == "-") {
        use(STDIN_FILENO);
        return;
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw usage_error("cannot read " + path + ": " + std::strerror(errno));
    }
    try {
        use(fd);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

}  // namespace

std::string display_name(const std::string& path) {
    return path == "-" ? "<stdin>" : path;
}

void require_readable(const std::string& path) {
    with_input(path, [&](int fd) {
        struct stat status {};
        if (::fstat(fd, &status) == 0 && S_ISDIR(status.st_mode)) {
            throw usage_error("cannot read " + path + ": " + std::strerror(EISDIR));
        }
    });
}

std::string read_input(const std::string& path, std::size_t max_bytes) {
    std::string content;
    with_input(path, [&](int fd) {
        struct stat status {};
        if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode)) {
            content.reserve(std::min(static_cast<std::size_t>(status.st_size), max_bytes));
        }
        read_chunks(fd, display_name(path), [&](std::string_view chunk) {
            if (chunk.size() > max_bytes - content.size()) {
                throw usage_error(display_name(path) + ": larger than the " +
                                  std::to_string(max_bytes) + " bytes that are read");
            }
            content.append(chunk);
        });
    });
    return content;
}

void for_each_input_chunk(const std::string& path,
                          const std::function<void(std::string_view)>& take,
                          const std::atomic<bool>* stop) {
    with_input(path, [&](int fd) {
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        read_chunks(fd, display_name(path), take, stop);
    });
}

void write_file_atomically(const std::string& path, std::string_view text) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.flush();
        if (!out) {
            throw usage_error("cannot write " + temporary + ": " + std::strerror(errno));
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::string reason = std::strerror(errno);
        std::remove(temporary.c_str());
        throw usage_error("cannot write " + path + ": " + reason);
    }
}

}  // namespace salesint
