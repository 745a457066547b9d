#include "salesint/webhooks/payload.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "salesint/errors.hpp"
#include "salesint/util/files.hpp"

namespace salesint::webhooks {

Payload Payload::view(std::string_view bytes) {
    Payload payload;
    payload.view_ = bytes;
    payload.size_ = bytes.size();
    return payload;
}

Payload Payload::from_input(const std::string& path) {
    Payload payload;
    struct stat status {};
    if (path != "-" && ::stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode)) {
        payload.path_ = path;
        payload.size_ = static_cast<std::size_t>(status.st_size);
        if (::access(path.c_str(), R_OK) != 0) {
            throw usage_error("cannot read " + path + ": " + std::strerror(errno));
        }
        return payload;
    }
    payload.owned_ = std::make_shared<std::string>(read_input(path, kMaxHeldPayloadBytes));
    payload.view_ = *payload.owned_;
    payload.size_ = payload.view_.size();
    return payload;
}

std::size_t Payload::size() const {
    return size_;
}

bool Payload::ends_with_newline() const {
    if (size_ == 0) {
        return false;
    }
    if (path_.empty()) {
        return view_.back() == '\n';
    }
    char last = 0;
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (::pread(fd, &last, 1, static_cast<off_t>(size_ - 1)) != 1) {
            last = 0;
        }
        ::close(fd);
    }
    return last == '\n';
}

void Payload::for_each_chunk(const std::function<void(std::string_view)>& take) const {
    if (path_.empty() || owned_) {
        if (!view_.empty()) {
            take(view_);
        }
        return;
    }
    for_each_input_chunk(path_, take);
}

std::string_view Payload::bytes() const {
    if (!path_.empty() && !owned_) {
        owned_ = std::make_shared<std::string>(read_input(path_, kMaxHeldPayloadBytes));  // cached
        view_ = *owned_;
    }
    return view_;
}

}  // namespace salesint::webhooks
