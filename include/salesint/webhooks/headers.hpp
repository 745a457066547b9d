// HTTP headers as webhook commands take them: from -H 'Name: value' or from a
// raw header block copied out of a request log. Names compare case-insensitively.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salesint::webhooks {

struct Header {
    std::string name;
    std::string value;
};
using HeaderList = std::vector<Header>;

// The first header of that name, compared case-insensitively.
std::optional<std::string> find_header(const HeaderList& headers, std::string_view name);

// "Name: value" -> Header; a usage Error naming `source` when there is no colon.
Header parse_header_line(std::string_view line, const std::string& source);

// A raw block: an optional request line ("POST /hook HTTP/1.1"), then
// "Name: value" lines, up to the first empty line; CRLF or LF.
HeaderList parse_header_block(std::string_view text, const std::string& source);

}  // namespace salesint::webhooks
