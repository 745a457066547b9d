// JSON pointers (RFC 6901) as tokens: "/serviceItems/0/a~1b" is
// {"serviceItems", "0", "a/b"}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace salesint {

// The unescaped tokens of pointer; "" has none.
std::vector<std::string> split_pointer(std::string_view pointer);
// "a/b" -> "a~1b", "a~b" -> "a~0b": one token, ready to append after a '/'.
std::string escape_token(std::string_view token);

}  // namespace salesint
