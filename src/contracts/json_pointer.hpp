// Where a JSON pointer's value is written in a document's text, so that a
// violation found in the parsed document can name its line and column.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "salesint/util/json_pointer.hpp"

namespace salesint::contracts {

// The byte offset in json_text where the value at pointer starts; when it is
// not there, where its nearest present ancestor starts (the object a missing
// property belongs in). The text must be well-formed JSON.
std::size_t locate_pointer(std::string_view json_text, std::string_view pointer);

}  // namespace salesint::contracts
