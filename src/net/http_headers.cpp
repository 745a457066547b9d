#include "salesint/net/http_headers.hpp"

#include "salesint/util/strings.hpp"

namespace salesint::net {

std::optional<std::string> find_header(const HeaderList& headers, std::string_view name) {
    const std::string wanted = to_lower(name);
    for (const auto& header : headers) {
        if (to_lower(header.name) == wanted) {
            return header.value;
        }
    }
    return std::nullopt;
}

}  // namespace salesint::net
