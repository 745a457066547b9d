// Text that came from a client of `webhook serve` (header values, paths,
// delivery ids): whether it may be stored, and how to show it in logs and on a
// terminal without letting it send escape sequences or break a log line.
#pragma once

#include <string>
#include <string_view>

namespace salesint::webhooks {

// True when text is well-formed UTF-8 (no overlong forms, surrogates or code
// points past U+10FFFF) and holds no control character (C0, DEL, C1) but tabs.
bool is_clean_field_value(std::string_view text);

// text for one log line: control characters escaped as escape_control does
// (\n, \t, \x1b), C1 controls as \u0085, and bytes that are not UTF-8 as \xff.
std::string printable(std::string_view text);

}  // namespace salesint::webhooks
