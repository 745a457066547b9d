// JSON pointers (RFC 6901) over documents and over their text: the text side
// finds where a pointer's value is written, so that a violation found in a
// parsed document can name its line and column.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace salesint::contracts {

// "a/b" -> "a~1b", as one token of a pointer.
std::string escape_token(std::string_view token);
std::vector<std::string> split_pointer(std::string_view pointer);

// The byte offset in json_text where the value at pointer starts; when it is
// not there, where its nearest present ancestor starts (the object a missing
// property belongs in). The text must be well-formed JSON.
std::size_t locate_pointer(std::string_view json_text, std::string_view pointer);

}  // namespace salesint::contracts
