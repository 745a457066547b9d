// One HTTP POST or GET through libcurl, with the same protections: headers
// with control characters are never sent, http and https only, redirects are
// not followed, the whole exchange has a time limit and the response a size
// limit. libcurl is initialised on first use, never at start-up.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "salesint/net/http_headers.hpp"

namespace salesint::net {

struct HttpResponse {
    long status = 0;     // 0 when no response arrived
    HeaderList headers;  // of the response
    std::string body;
    std::string error;  // libcurl's message when status is 0
    bool timed_out = false;
    std::int64_t elapsed_ms = 0;  // the exchange alone, from resolving the host to its end
};

HttpResponse http_post(const std::string& url, const HeaderList& headers, std::string_view body,
                       std::chrono::milliseconds timeout);
HttpResponse http_get(const std::string& url, const HeaderList& headers,
                      std::chrono::milliseconds timeout);

}  // namespace salesint::net
