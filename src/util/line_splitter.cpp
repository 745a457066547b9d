#include "salesint/util/line_splitter.hpp"

#include <algorithm>

namespace salesint {

LineSplitter::LineSplitter(TakeLines take_lines, TakeOverlong take_overlong,
                           std::size_t max_line_bytes)
    : take_lines_(std::move(take_lines)),
      take_overlong_(std::move(take_overlong)),
      max_line_bytes_(max_line_bytes) {}

void LineSplitter::deliver(std::string_view lines) {
    take_lines_(lines, next_line_);
    next_line_ += static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n'));
}

// Keeps the start of a line, or counts it once the line is too long to keep.
void LineSplitter::append_partial(std::string_view bytes) {
    if (overlong_bytes_ == 0 && partial_.size() + bytes.size() <= max_line_bytes_) {
        partial_.append(bytes);
        return;
    }
    overlong_bytes_ += partial_.size() + bytes.size();
    partial_.clear();
    partial_.shrink_to_fit();
}

void LineSplitter::feed(std::string_view chunk) {
    if (!partial_.empty() || overlong_bytes_ > 0) {
        std::size_t end = chunk.find('\n');
        if (end == std::string_view::npos) {
            append_partial(chunk);
            return;
        }
        // The line's '\n' does not count against the limit, as for a line
        // that arrives within one chunk.
        append_partial(chunk.substr(0, end));
        chunk.remove_prefix(end + 1);
        if (overlong_bytes_ > 0) {
            take_overlong_(next_line_++, overlong_bytes_);
            overlong_bytes_ = 0;
        } else {
            partial_ += '\n';
            deliver(partial_);
            partial_.clear();
        }
    }
    std::size_t last = chunk.rfind('\n');
    if (last == std::string_view::npos) {
        append_partial(chunk);
        return;
    }
    // A line of this view is no longer than the view: only a chunk larger
    // than the limit needs its lines measured.
    std::string_view whole = chunk.substr(0, last + 1);
    std::size_t start = 0;
    while (whole.size() > max_line_bytes_ && start < whole.size()) {
        std::size_t end = whole.find('\n', start);
        if (end - start > max_line_bytes_) {
            if (start > 0) {
                deliver(whole.substr(0, start));
            }
            take_overlong_(next_line_++, end - start);
            whole.remove_prefix(end + 1);
            start = 0;
            continue;
        }
        start = end + 1;
    }
    if (!whole.empty()) {
        deliver(whole);
    }
    append_partial(chunk.substr(last + 1));
}

void LineSplitter::finish() {
    if (overlong_bytes_ > 0) {
        take_overlong_(next_line_++, overlong_bytes_);
        overlong_bytes_ = 0;
    } else if (!partial_.empty()) {
        deliver(partial_);
        ++next_line_;  // a line without '\n' counts too
        partial_.clear();
    }
}

}  // namespace salesint
