// Small string helpers shared by the core and the commands.
#pragma once

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

// True when text is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// The user running the command: $USER, else the password database, else the uid.
std::string current_user();

}  // namespace salesint
