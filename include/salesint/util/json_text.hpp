// The one reader of JSON that comes from outside: files, stdin, NDJSON lines,
// option values, HTTP bodies. Every JSON input is held to the same rules
// (README, "Input limits"):
//
//   - at most kMaxJsonBytes bytes and kMaxJsonDepth levels of nesting, so
//     that no input can exhaust memory or the stack of code that walks it;
//   - strict UTF-8 in strings, no NUL bytes, no duplicate keys in an object;
//   - integers that fit in 64 bits and numbers that fit in a double, never
//     silently rounded or turned into infinity;
//   - a UTF-8 byte order mark at the start is skipped.
//
// A problem names the byte offset and the JSON pointer where it was found.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/fwd.h>
#include <nlohmann/json.hpp>

namespace salesint {

inline constexpr std::size_t kMaxJsonDepth = 64;
inline constexpr std::size_t kMaxJsonBytes = std::size_t{16} << 20;

struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};

// Line and column (1-based, the column in characters) of a byte offset in text.
TextPosition position_of(std::string_view text, std::size_t offset);

// Why a text is not a JSON document salesint accepts, and where.
struct JsonProblem {
    std::string message;     // "invalid JSON: ...", "nested deeper than 64 levels", ...
    std::size_t offset = 0;  // bytes into the text
    std::string pointer;     // of the value being read; "" for the document itself
};

// Reads text into out; a problem leaves out unspecified. An ordered_json keeps
// the keys in the order of the text, as most parsers do.
std::optional<JsonProblem> read_json(std::string_view text, nlohmann::json& out);
std::optional<JsonProblem> read_json(std::string_view text, nlohmann::ordered_json& out);

// The same rules, parsing text in place into a RapidJSON document whose
// strings point into text (which is modified and must stay alive, and must
// have a NUL at text[size]).
std::optional<JsonProblem> read_json_in_place(char* text, std::size_t size,
                                              rapidjson::Document& out);

// "NAME:LINE:COL: MESSAGE (at POINTER)": the problem placed in text, whose
// first line is line first_line of the file NAME (for a line of NDJSON).
std::string describe(const JsonProblem& problem, std::string_view text, const std::string& name,
                     std::size_t first_line = 1);

// Reads text or throws a usage Error with describe()'s line.
nlohmann::json parse_json_text(std::string_view text, const std::string& name,
                               std::size_t first_line = 1);

// The bytes of the JSON file at path ("-": stdin), read no further than one
// document may be; a usage Error naming the file otherwise.
std::string read_json_bytes(const std::string& path);

// Reads the JSON file at path ("-": stdin) or throws a usage Error naming it.
nlohmann::json read_json_file(const std::string& path);

}  // namespace salesint
