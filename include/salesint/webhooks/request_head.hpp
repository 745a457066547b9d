// What `webhook serve` checks in a request's head (request line and headers)
// before it reads the body: a header it could not store or show, framing that
// a proxy in front could read differently (request smuggling), a method it
// does not take, or a body without a length or too large. Refusing here costs
// nothing read; the connection is closed after the answer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "salesint/webhooks/headers.hpp"

namespace salesint::webhooks {

struct HeadRefusal {
    int status = 400;     // 400, 405, 411 or 413
    std::string outcome;  // X-Delivery-Outcome: malformed, not_allowed, length_required, too_large
    std::string code;     // error.code of the JSON answer
    std::string message;  // client text in it is escaped (escape_control)
};

// The first reason to refuse the request, or nothing when it may go on:
// - 400 for a header name that is not an HTTP token, a header value with a
//   control character other than tab or that is not UTF-8, more than one
//   Content-Length, a Content-Length that is not a number, Content-Length
//   together with Transfer-Encoding, or a Transfer-Encoding other than chunked;
// - 405 for a method other than POST;
// - 411 for a POST with neither Content-Length nor Transfer-Encoding;
// - 413 for a Content-Length above max_body.
std::optional<HeadRefusal> check_request_head(std::string_view method, const HeaderList& headers,
                                              std::size_t max_body);

}  // namespace salesint::webhooks
