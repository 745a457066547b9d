// Parsing JSON that a person wrote, with errors that say where.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace salesint {

struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};

// Line and column (1-based, the column in characters) of a byte offset in text.
TextPosition position_of(std::string_view text, std::size_t offset);

// Parses text; on failure throws a usage Error "NAME:LINE:COL: invalid JSON: ...".
// first_line numbers text's first line (for one line of an NDJSON file).
nlohmann::json parse_json_text(const std::string& text, const std::string& name,
                               std::size_t first_line = 1);

}  // namespace salesint
