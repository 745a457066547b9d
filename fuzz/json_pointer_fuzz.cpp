// JSON pointer tokens (util/json_pointer.hpp): escaping each token and
// joining them with '/' gives a pointer that splits back into the same
// tokens; and whatever a text splits into, written back that way, splits the
// same again.
//
// Input: byte 0 is a separator; the rest, cut at it, are the tokens.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "salesint/util/json_pointer.hpp"

namespace {

std::string join_escaped(const std::vector<std::string>& tokens) {
    std::string pointer;
    for (const std::string& token : tokens) {
        const std::string escaped = salesint::escape_token(token);
        FUZZ_CHECK(escaped.find('/') == std::string::npos);
        FUZZ_CHECK(escaped.size() >= token.size());
        pointer += '/';
        pointer += escaped;
    }
    return pointer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    // Tokens -> pointer -> the same tokens.
    std::vector<std::string> tokens;
    if (!input.empty()) {
        const char separator = input.front();
        std::string_view rest = input.substr(1);
        while (true) {
            std::size_t end = rest.find(separator);
            tokens.emplace_back(rest.substr(0, end));
            if (end == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(end + 1);
        }
    }
    const std::string pointer = join_escaped(tokens);
    FUZZ_CHECK(salesint::split_pointer(pointer) == tokens);

    // Any text: what it splits into survives a round trip.
    const std::vector<std::string> split = salesint::split_pointer(input);
    const std::string rewritten = join_escaped(split);
    FUZZ_CHECK(salesint::split_pointer(rewritten) == split);
    if (input.empty() || input.front() == '/') {
        // A pointer whose escapes are all ~0 and ~1 is written back as it was.
        bool canonical = true;
        for (std::size_t i = 0; i < input.size(); ++i) {
            if (input[i] == '~') {
                canonical = canonical && i + 1 < input.size() &&
                            (input[i + 1] == '0' || input[i + 1] == '1');
            }
        }
        if (canonical) {
            FUZZ_CHECK(rewritten == input);
        }
    }
    return 0;
}
