// NDJSON input cut into whole lines as it is read, however the reads fall,
// with line numbers, and with memory bounded by the longest acceptable line:
// a longer line is reported and skipped, never held.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "salesint/util/json_text.hpp"

namespace salesint {

class LineSplitter {
  public:
    // Whole lines, each ending in '\n' but maybe the last of the input; the
    // view is valid during the call only.
    using TakeLines = std::function<void(std::string_view lines, std::size_t first_line)>;
    // A line longer than the limit: its number and length, its bytes dropped.
    using TakeOverlong = std::function<void(std::size_t line, std::size_t bytes)>;

    LineSplitter(TakeLines take_lines, TakeOverlong take_overlong,
                 std::size_t max_line_bytes = kMaxJsonBytes);

    void feed(std::string_view chunk);
    // The end of the input: a last line without '\n' is delivered now.
    void finish();

    // Lines delivered or skipped so far.
    std::size_t lines_seen() const { return next_line_ - 1; }

  private:
    void deliver(std::string_view lines);
    void append_partial(std::string_view bytes);

    TakeLines take_lines_;
    TakeOverlong take_overlong_;
    std::size_t max_line_bytes_;
    std::string partial_;             // the start of a line not yet ended
    std::size_t overlong_bytes_ = 0;  // > 0 while skipping a line that is too long
    std::size_t next_line_ = 1;
};

}  // namespace salesint
