#include "salesint/jobs/records.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "salesint/errors.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/strings.hpp"
#include "sources.hpp"

namespace salesint::jobs {

const char* to_string(RecordFormat format) {
    switch (format) {
        case RecordFormat::kNdjson:
            return "ndjson";
        case RecordFormat::kCsv:
            return "csv";
        case RecordFormat::kJson:
            return "json";
    }
    return "ndjson";
}

std::optional<RecordFormat> parse_record_format(const std::string& text) {
    const std::string name = to_lower(text);
    for (RecordFormat format : {RecordFormat::kNdjson, RecordFormat::kCsv, RecordFormat::kJson}) {
        if (name == to_string(format)) {
            return format;
        }
    }
    return std::nullopt;
}

RecordFormat format_of_path(const std::string& path) {
    const std::string name = to_lower(path);
    if (ends_with(name, ".csv")) {
        return RecordFormat::kCsv;
    }
    if (ends_with(name, ".json")) {
        return RecordFormat::kJson;
    }
    return RecordFormat::kNdjson;
}

InputFile::InputFile(const std::string& path) : name_(path == "-" ? "stdin" : path) {
    if (path == "-") {
        fd_ = STDIN_FILENO;
        return;
    }
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
        throw usage_error("cannot read " + path + ": " + std::strerror(errno));
    }
    owned_ = true;
    struct stat status {};
    if (::fstat(fd_, &status) == 0 && S_ISDIR(status.st_mode)) {
        ::close(fd_);
        throw usage_error("cannot read " + path + ": " + std::strerror(EISDIR));
    }
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

InputFile::~InputFile() {
    if (owned_) {
        ::close(fd_);
    }
}

std::size_t InputFile::read(char* buffer, std::size_t size) {
    while (true) {
        const ssize_t got = ::read(fd_, buffer, size);
        if (got >= 0) {
            return static_cast<std::size_t>(got);
        }
        if (errno != EINTR) {
            throw usage_error("cannot read " + name_ + ": " + std::strerror(errno));
        }
    }
}

bool ChunkedSource::next_batch(std::vector<SourceRecord>& out, std::size_t max) {
    buffer_.resize(std::size_t{1} << 16);
    while (pending_.size() < max && !ended_) {
        const std::size_t got = input_->read(buffer_.data(), buffer_.size());
        if (got == 0) {
            ended_ = true;
            finish();
        } else {
            feed(std::string_view(buffer_.data(), got));
        }
    }
    const std::size_t taken = std::min(max, pending_.size());
    for (std::size_t i = 0; i < taken; ++i) {
        out.push_back(std::move(pending_.front()));
        pending_.pop_front();
    }
    return !(ended_ && pending_.empty());
}

std::string problem_at_column(const std::string& message, std::size_t offset,
                              const std::string& pointer, std::string_view text) {
    std::string line = message + " at column " + std::to_string(position_of(text, offset).column);
    if (!pointer.empty()) {
        line += " (at " + pointer + ")";
    }
    return line;
}

std::unique_ptr<RecordSource> open_file_source(const std::string& path, RecordFormat format) {
    auto input = std::make_unique<InputFile>(path);
    switch (format) {
        case RecordFormat::kCsv:
            return open_csv_source(std::move(input));
        case RecordFormat::kJson:
            return open_json_array_source(std::move(input));
        case RecordFormat::kNdjson:
            break;
    }
    return open_ndjson_source(std::move(input));
}

}  // namespace salesint::jobs
