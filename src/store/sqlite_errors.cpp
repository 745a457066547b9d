#include "sqlite_errors.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "migrations.hpp"

namespace salesint::store {

int extended_code(const SQLite::Exception& e) {
    const int code = e.getErrorCode();
    const int extended = e.getExtendedErrorCode();
    // SQLiteCpp reads the extended code from the connection, which may by then
    // describe another call; trust it only when it refines the primary code.
    if (extended > 0 && (extended & 0xff) == (code & 0xff)) {
        return extended;
    }
    return code;
}

bool has_state_application_id(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    unsigned char bytes[4] = {};
    // The application_id is the big-endian integer at offset 68 of the header.
    const bool read = ::pread(fd, bytes, sizeof bytes, 68) == static_cast<ssize_t>(sizeof bytes);
    ::close(fd);
    const auto id = static_cast<int>((static_cast<unsigned>(bytes[0]) << 24) |
                                     (static_cast<unsigned>(bytes[1]) << 16) |
                                     (static_cast<unsigned>(bytes[2]) << 8) | bytes[3]);
    return read && id == kApplicationId;
}

bool is_damage(const SQLite::Exception& e, const std::string& path) {
    switch (primary_code(e)) {
        case SQLITE_CORRUPT:
            return true;
        case SQLITE_NOTADB:
            return has_state_application_id(path);
        case SQLITE_IOERR:
            switch (extended_code(e)) {
                case SQLITE_IOERR_READ:
                case SQLITE_IOERR_SHORT_READ:
                case SQLITE_IOERR_DATA:
                case SQLITE_IOERR_CORRUPTFS:
                    return true;
                default:
                    return false;
            }
        default:
            return false;
    }
}

std::string first_finding(const std::string& first_row) {
    std::string text = first_row;
    const std::string banner = "*** in database main ***\n";
    if (text.rfind(banner, 0) == 0) {
        text.erase(0, banner.size());
    }
    return text.substr(0, text.find('\n'));
}

SQLite::Exception with_system_error(const SQLite::Exception& e, sqlite3* db) {
    const int primary = primary_code(e);
    // SQLite records errno only for these; for others it may be a stale value.
    const int error = db != nullptr ? sqlite3_system_errno(db) : 0;
    if ((primary != SQLITE_IOERR && primary != SQLITE_CANTOPEN) || error == 0) {
        return e;
    }
    return SQLite::Exception(std::string(e.what()) + " (" + std::strerror(error) + ")",
                             extended_code(e));
}

}  // namespace salesint::store
