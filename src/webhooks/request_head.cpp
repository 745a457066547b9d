#include "salesint/webhooks/request_head.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "salesint/util/strings.hpp"

namespace salesint::webhooks {
namespace {

// RFC 9110, 5.6.2: token = 1*tchar.
bool is_token(std::string_view name) {
    static constexpr std::string_view kPunctuation = "!#$%&'*+-.^_`|~";
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               kPunctuation.find(c) != std::string_view::npos;
    });
}

std::vector<std::string> values_of(const HeaderList& headers, std::string_view name) {
    std::vector<std::string> values;
    const std::string wanted = to_lower(name);
    for (const auto& header : headers) {
        if (to_lower(header.name) == wanted) {
            values.push_back(header.value);
        }
    }
    return values;
}

HeadRefusal malformed(const std::string& message) {
    return {400, "malformed", "MALFORMED_REQUEST", message};
}

std::optional<HeadRefusal> check_fields(const HeaderList& headers) {
    for (const auto& header : headers) {
        if (!is_token(header.name)) {
            return malformed("header name '" + escape_control(header.name) +
                             "' is not an HTTP token");
        }
        // The value is not quoted back: it may be a credential.
        if (!!text_problem(header.value, TextKind::kHeaderValue)) {
            return malformed("header " + header.name + " has a control character or is not UTF-8");
        }
    }
    return std::nullopt;
}

// One way to know where the body ends, or a refusal: two lengths, or a
// length beside chunked coding, are read differently by different servers.
std::optional<HeadRefusal> check_framing(const HeaderList& headers, std::size_t max_body) {
    const auto lengths = values_of(headers, "Content-Length");
    const auto codings = values_of(headers, "Transfer-Encoding");
    if (lengths.size() > 1) {
        return malformed("more than one Content-Length");
    }
    if (!lengths.empty() && !codings.empty()) {
        return malformed("Content-Length together with Transfer-Encoding");
    }
    if (!codings.empty()) {
        if (codings.size() > 1 || to_lower(codings.front()) != "chunked") {
            return malformed("the only Transfer-Encoding taken is chunked");
        }
        return std::nullopt;
    }
    if (lengths.empty()) {
        return HeadRefusal{411, "length_required", "LENGTH_REQUIRED",
                           "send the body with a Content-Length"};
    }
    const std::string& length = lengths.front();
    if (length.empty() || length.find_first_not_of("0123456789") != std::string::npos) {
        return malformed("Content-Length is not a number");
    }
    const std::size_t first_digit = std::min(length.find_first_not_of('0'), length.size());
    const std::string_view digits = std::string_view(length).substr(first_digit);
    if (digits.size() > 18 || std::stoull(std::string(digits.empty() ? "0" : digits)) > max_body) {
        return HeadRefusal{413, "too_large", "PAYLOAD_TOO_LARGE",
                           "the body is larger than " + std::to_string(max_body) + " bytes"};
    }
    return std::nullopt;
}

}  // namespace

std::optional<HeadRefusal> check_request_head(std::string_view method, const HeaderList& headers,
                                              std::size_t max_body) {
    if (auto refusal = check_fields(headers)) {
        return refusal;
    }
    if (method != "POST") {
        return HeadRefusal{405, "not_allowed", "NOT_SUPPORTED", "POST a webhook delivery"};
    }
    return check_framing(headers, max_body);
}

}  // namespace salesint::webhooks
