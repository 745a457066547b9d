// file:PATH: envelopes appended as NDJSON, one stored envelope per line, in
// one write and one fsync per batch; acknowledged only once fsync returned.
#include "file_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/json.hpp"

namespace salesint::delivery {

FileSink::FileSink(std::string target, std::string path)
    : target_(std::move(target)), path_(std::move(path)) {
    if (path_.empty()) {
        throw usage_error("target '" + target_ + "' names no file: give file:PATH")
            .with_field("target");
    }
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        throw usage_error("cannot open " + path_ + " for appending: " + std::strerror(errno))
            .with_field("target");
    }
    struct stat info {};
    if (::fstat(fd_, &info) == 0 && !S_ISREG(info.st_mode)) {
        // A pipe or a device cannot be synced; what it acknowledges means nothing.
        ::close(fd_);
        fd_ = -1;
        throw usage_error(path_ + " is not a regular file").with_field("target");
    }
}

FileSink::~FileSink() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

PublishResult FileSink::publish(const std::vector<OutboxMessage>& envelopes) {
    buffer_.clear();
    for (const OutboxMessage& message : envelopes) {
        if (message.envelope_json.find('\n') == std::string::npos) {
            buffer_ += message.envelope_json;
        } else {
            // One line per envelope: a stored envelope with line breaks
            // between its tokens is written compact.
            buffer_ += OrderedJson::parse(message.envelope_json, nullptr, false).dump();
        }
        buffer_ += '\n';
    }
    const off_t before = ::lseek(fd_, 0, SEEK_END);
    std::size_t written = 0;
    while (written < buffer_.size()) {
        const ssize_t n = ::write(fd_, buffer_.data() + written, buffer_.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fail("cannot write to ", before);
        }
        written += static_cast<std::size_t>(n);
    }
    while (::fsync(fd_) != 0) {
        if (errno != EINTR) {
            fail("cannot sync ", before);
        }
    }
    PublishResult result;
    const std::string at = now_rfc3339();
    result.envelopes.resize(envelopes.size());
    for (EnvelopeResult& envelope : result.envelopes) {
        envelope.outcome = EnvelopeOutcome::kAcknowledged;
        envelope.at = at;
    }
    return result;
}

void FileSink::fail(const char* what, off_t before) {
    const int error = errno;
    if (before >= 0) {
        // No half line for the next run to append after.
        (void)::ftruncate(fd_, before);
    }
    throw Error(ExitCode::kTransient, what + path_ + ": " + std::strerror(error));
}

}  // namespace salesint::delivery
