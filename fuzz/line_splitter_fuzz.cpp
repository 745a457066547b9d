// The NDJSON splitter (util/line_splitter.hpp), fed in chunks of sizes the
// input chooses, with a small line limit. Whatever the chunks, the lines it
// delivers and the overlong ones it reports, in order and with their numbers,
// are exactly the lines of the input: a line is delivered whole when it has
// at most max_line_bytes bytes (its '\n' not counted), else reported with its
// length; numbers run 1, 2, 3...; only the last line of the input may lack
// its '\n'.
//
// Input: byte 0 chooses max_line_bytes (1 to 64), bytes 1 to 8 the chunk
// sizes (0 to 255, used in turn); the rest is the stream.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "salesint/util/line_splitter.hpp"

namespace {

constexpr std::size_t kHeader = 9;

struct Line {
    std::size_t number = 0;
    bool overlong = false;
    std::string text;        // delivered: the line with its '\n', if any
    std::size_t length = 0;  // without the '\n'
    bool operator==(const Line&) const = default;
};

// The lines as the splitter should report them.
std::vector<Line> expected_lines(std::string_view stream, std::size_t max_line_bytes) {
    std::vector<Line> lines;
    std::size_t number = 1;
    while (!stream.empty()) {
        std::size_t end = stream.find('\n');
        std::size_t length = end == std::string_view::npos ? stream.size() : end;
        std::size_t taken = end == std::string_view::npos ? stream.size() : end + 1;
        Line line{number++, length > max_line_bytes, "", length};
        if (!line.overlong) {
            line.text = std::string(stream.substr(0, taken));
        }
        lines.push_back(std::move(line));
        stream.remove_prefix(taken);
    }
    return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < kHeader) {
        return 0;
    }
    const std::size_t max_line_bytes = 1 + data[0] % 64;
    const std::uint8_t* sizes = data + 1;
    const std::string_view stream(reinterpret_cast<const char*>(data + kHeader), size - kHeader);

    std::vector<Line> seen;
    bool finished = false;
    bool unterminated = false;  // a delivered line without '\n' was seen
    salesint::LineSplitter splitter(
        [&](std::string_view lines, std::size_t first_line) {
            FUZZ_CHECK(!lines.empty());
            FUZZ_CHECK(!unterminated);
            std::size_t number = first_line;
            while (!lines.empty()) {
                std::size_t end = lines.find('\n');
                if (end == std::string_view::npos) {
                    // Only the end of the input leaves a line without '\n'.
                    FUZZ_CHECK(finished);
                    unterminated = true;
                    end = lines.size();
                } else {
                    ++end;
                }
                std::string_view line = lines.substr(0, end);
                const std::size_t length = line.size() - (line.ends_with('\n') ? 1 : 0);
                FUZZ_CHECK(length <= max_line_bytes);
                seen.push_back({number++, false, std::string(line), length});
                lines.remove_prefix(end);
            }
        },
        [&](std::size_t line, std::size_t bytes) {
            FUZZ_CHECK(bytes > max_line_bytes);
            seen.push_back({line, true, "", bytes});
        },
        max_line_bytes);

    std::size_t at = 0;
    std::size_t empty_in_a_row = 0;
    for (std::size_t turn = 0; at < stream.size(); ++turn) {
        std::size_t chunk = std::min<std::size_t>(sizes[turn % 8], stream.size() - at);
        empty_in_a_row = chunk == 0 ? empty_in_a_row + 1 : 0;
        if (empty_in_a_row == 8) {
            chunk = stream.size() - at;  // every size is 0: the rest in one chunk
        }
        splitter.feed(stream.substr(at, chunk));
        at += chunk;
    }
    finished = true;
    splitter.finish();

    const std::vector<Line> expected = expected_lines(stream, max_line_bytes);
    FUZZ_CHECK(seen.size() == expected.size());
    for (std::size_t i = 0; i < seen.size(); ++i) {
        FUZZ_CHECK(seen[i].number == i + 1);  // consecutive, from 1
        FUZZ_CHECK(seen[i] == expected[i]);
    }
    FUZZ_CHECK(splitter.lines_seen() == expected.size());
    return 0;
}
