// HTTP headers as webhook commands take them: from -H 'Name: value' or from a
// raw header block copied out of a request log. Names compare case-insensitively.
#pragma once

#include <string>
#include <string_view>

#include "salesint/net/http_headers.hpp"

namespace salesint::webhooks {

using net::find_header;
using net::Header;
using net::HeaderList;

// "Name: value" -> Header; a usage Error naming `source` when there is no colon.
Header parse_header_line(std::string_view line, const std::string& source);

// A raw block: an optional request line ("POST /hook HTTP/1.1"), then
// "Name: value" lines, up to the first empty line; CRLF or LF.
HeaderList parse_header_block(std::string_view text, const std::string& source);

}  // namespace salesint::webhooks
