// One HTTP POST through libcurl. libcurl is initialised on first use, never at
// start-up.
#pragma once

#include <chrono>
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
};

HttpResponse http_post(const std::string& url, const HeaderList& headers, std::string_view body,
                       std::chrono::milliseconds timeout);

}  // namespace salesint::net
