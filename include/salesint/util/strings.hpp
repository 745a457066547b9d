// Small string helpers shared by the core and the commands.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salesint {

std::string to_upper(std::string_view text);
std::string to_lower(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
bool ends_with(std::string_view text, std::string_view suffix);
std::string join(const std::vector<std::string>& parts, std::string_view separator);

// Makes text safe for one cell of a terminal table: control characters become
// visible escapes (\n, \t, \x1b), so external data cannot break the layout or
// send escape sequences to the terminal.
std::string escape_control(std::string_view text);

// A CSV field as RFC 4180 writes it: as is, or quoted (with quotes doubled)
// when it holds a comma, a quote or a line break.
std::string csv_quote(std::string_view text);

// True when text is well-formed UTF-8: no overlong forms, no surrogates,
// nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// What is wrong with a value given as text on the command line, in the
// environment or in a field that salesint stores, or nullopt when nothing:
// it must be UTF-8 without control characters (C0, DEL, C1; line breaks and
// tabs too unless multiline; an HTTP header value may hold tabs), and an
// identifier has no surrounding spaces. The reason reads after the value's
// name: "reason: " + it.
enum class TextKind { kOneLine, kIdentifier, kMultiline, kHeaderValue };
std::optional<std::string> text_problem(std::string_view text, TextKind kind);
// Throws a usage Error "FIELD: " + the problem, naming FIELD as its field, if
// there is one: for text that is about to be stored, whichever front end it
// came from.
void require_text(std::string_view field, std::string_view text, TextKind kind);

// The user running the command: $USER, else the password database, else the uid.
std::string current_user();

}  // namespace salesint
