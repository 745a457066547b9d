#include "file_access.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "salesint/errors.hpp"

namespace salesint::store {
namespace {

bool is_directory(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0 && S_ISDIR(status.st_mode);
}

bool can(const std::string& path, int mode) {
    // AT_EACCESS: as the effective user, which is who opens the file.
    return ::faccessat(AT_FDCWD, path.c_str(), mode, AT_EACCESS) == 0;
}

bool on_read_only_filesystem(const std::string& path) {
    struct statvfs filesystem {};
    return ::statvfs(path.c_str(), &filesystem) == 0 && (filesystem.f_flag & ST_RDONLY) != 0;
}

}  // namespace

std::vector<std::string> sqlite_file_family(const std::string& path) {
    return {path, path + "-wal", path + "-shm", path + "-journal"};
}

std::string parent_directory(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string octal_mode(unsigned mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", mode & 07777U);
    return text;
}

std::string create_failure(int error, const std::string& path) {
    const std::string directory = parent_directory(path);
    switch (error) {
        case EACCES:
        case EPERM:
            return "the directory " + directory + " is not writable";
        case EROFS:
            return "the directory " + directory + " is on a read-only filesystem";
        case ENOENT:
            return "the directory " + directory + " does not exist";
        case ENOTDIR:
            return (::access(directory.c_str(), F_OK) == 0 ? directory : "a part of " + directory) +
                   " is not a directory";
        case EISDIR:
            return path + " is a directory";
        case ENOSPC:
        case EDQUOT:
            return "no space is left on the filesystem of " + directory;
        default:
            return std::strerror(error);
    }
}

bool create_private_file(const std::string& path, const std::string& what, Hint hint) {
    // 0600 from the start: SQLite would create the file with the umask's mode
    // (usually 0644), and gives its -wal and -shm files the mode of the file.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
        return true;
    }
    const int error = errno;
    if (error == EEXIST) {
        if (is_directory(path)) {
            throw usage_error("cannot use " + path + " as the " + what + ": it is a directory")
                .with_hint(hint);
        }
        return false;
    }
    throw usage_error("cannot create " + what + " " + path + ": " + create_failure(error, path))
        .with_hint(hint);
}

std::string why_not_writable(const std::string& path) {
    const std::string directory = parent_directory(path);
    if (on_read_only_filesystem(directory)) {
        return "the directory " + directory + " is on a read-only filesystem";
    }
    // The -wal and -shm too: reading a read-only state file leaves them
    // read-only beside it, and SQLite then opens the file read-only.
    for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
        struct stat status {};
        if (::stat(file.c_str(), &status) != 0) {
            continue;
        }
        if (!can(file, R_OK)) {
            return file + " is not readable by you (mode " + octal_mode(status.st_mode) + ")";
        }
        if (!can(file, W_OK)) {
            return file + " is read-only (mode " + octal_mode(status.st_mode) + "; 'chmod u+w " +
                   file + "' makes it writable)";
        }
    }
    if (!can(directory, W_OK | X_OK)) {
        return "the directory " + directory + " is not writable, and SQLite must create " + path +
               "-wal and -shm beside the file";
    }
    return "";
}

void remove_files(const std::vector<std::string>& paths) {
    for (const auto& path : paths) {
        ::unlink(path.c_str());
    }
}

}  // namespace salesint::store
