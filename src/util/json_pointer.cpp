#include "salesint/util/json_pointer.hpp"

namespace salesint {
namespace {

// "a~1b" -> "a/b", "a~0b" -> "a~b".
std::string unescape_token(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size()) {
            out += token[i + 1] == '1' ? '/' : '~';
            ++i;
        } else {
            out += token[i];
        }
    }
    return out;
}

}  // namespace

std::vector<std::string> split_pointer(std::string_view pointer) {
    std::vector<std::string> tokens;
    std::size_t pos = 0;
    while (pos < pointer.size()) {
        std::size_t next = pointer.find('/', pos + 1);
        tokens.push_back(unescape_token(pointer.substr(pos + 1, next - pos - 1)));
        pos = next == std::string_view::npos ? pointer.size() : next;
    }
    return tokens;
}

std::string escape_token(std::string_view token) {
    std::string out;
    for (char c : token) {
        out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    }
    return out;
}

}  // namespace salesint
