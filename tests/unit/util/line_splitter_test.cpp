// NDJSON cut into bounded lines (src/util/line_splitter.cpp): lines numbered
// and whole however the reads fall, and a line over the limit reported, not
// delivered.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "salesint/util/line_splitter.hpp"

using namespace salesint;

TEST_CASE("NDJSON lines: numbered, whole, and bounded however the reads fall", "[ndjson]") {
    const std::string input = "{\"a\":1}\n\nxxxxxxxxxxxxxxxxxxxx\n{\"b\":2}\r\nlast";
    for (std::size_t chunk = 1; chunk <= input.size(); ++chunk) {
        INFO("chunks of " << chunk);
        std::vector<std::pair<std::size_t, std::string>> lines;
        std::vector<std::pair<std::size_t, std::size_t>> overlong;
        LineSplitter splitter(
            [&](std::string_view text, std::size_t first) {
                for (std::size_t start = 0; start < text.size(); ++first) {
                    std::size_t end = std::min(text.find('\n', start), text.size());
                    lines.emplace_back(first, std::string(text.substr(start, end - start)));
                    start = end + 1;
                }
            },
            [&](std::size_t line, std::size_t bytes) { overlong.emplace_back(line, bytes); }, 10);
        for (std::size_t at = 0; at < input.size(); at += chunk) {
            splitter.feed(std::string_view(input).substr(at, chunk));
        }
        splitter.finish();
        CHECK(lines == std::vector<std::pair<std::size_t, std::string>>{
                           {1, "{\"a\":1}"}, {2, ""}, {4, "{\"b\":2}\r"}, {5, "last"}});
        CHECK(overlong == std::vector<std::pair<std::size_t, std::size_t>>{{3, 20}});
        CHECK(splitter.lines_seen() == 5);
    }
}

TEST_CASE("a line of exactly the limit is a line, however it is split", "[ndjson]") {
    for (std::size_t cut = 1; cut < 10; ++cut) {
        std::vector<std::string> lines;
        std::size_t overlong = 0;
        LineSplitter splitter([&](std::string_view text, std::size_t) { lines.emplace_back(text); },
                              [&](std::size_t, std::size_t) { ++overlong; }, 10);
        const std::string input = "0123456789\n";
        splitter.feed(std::string_view(input).substr(0, cut));
        splitter.feed(std::string_view(input).substr(cut));
        splitter.finish();
        CHECK(overlong == 0);
        CHECK(lines == std::vector<std::string>{"0123456789\n"});
    }
}
