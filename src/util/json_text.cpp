#include "salesint/util/json_text.hpp"

#include "salesint/errors.hpp"

namespace salesint {

TextPosition position_of(std::string_view text, std::size_t offset) {
    TextPosition position;
    offset = std::min(offset, text.size());
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++position.line;
            position.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++position.column;  // a character, not a UTF-8 continuation byte
        }
    }
    return position;
}

nlohmann::json parse_json_text(const std::string& text, const std::string& name,
                               std::size_t first_line) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte is 1-based and points just past the offending character.
        std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        TextPosition at = position_of(text, offset);
        std::string what = e.what();
        // nlohmann prefixes "[json.exception.parse_error.101] parse error at line 1, column 2: "
        if (auto colon = what.find(": "); colon != std::string::npos) {
            what = what.substr(colon + 2);
        }
        throw usage_error(name + ":" + std::to_string(at.line + first_line - 1) + ":" +
                          std::to_string(at.column) + ": invalid JSON: " + what);
    }
}

}  // namespace salesint
