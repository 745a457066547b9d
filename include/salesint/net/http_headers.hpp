// HTTP headers as a list of name and value, in the order they came. Names
// compare case-insensitively; the same name may appear more than once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salesint::net {

struct Header {
    std::string name;
    std::string value;
};
using HeaderList = std::vector<Header>;

// The first header of that name, compared case-insensitively.
std::optional<std::string> find_header(const HeaderList& headers, std::string_view name);

}  // namespace salesint::net
