#include "salesint/webhooks/headers.hpp"

#include "salesint/errors.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::webhooks {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

Header parse_header_line(std::string_view line, const std::string& source) {
    auto colon = line.find(':');
    std::string_view name = colon == std::string_view::npos ? "" : trim(line.substr(0, colon));
    if (name.empty() || name.find(' ') != std::string_view::npos) {
        throw usage_error(source + ": '" + std::string(trim(line)) +
                          "' is not a header line of the form 'Name: value'");
    }
    return {std::string(name), std::string(trim(line.substr(colon + 1)))};
}

HeaderList parse_header_block(std::string_view text, const std::string& source) {
    HeaderList headers;
    std::size_t line_number = 0;
    while (!text.empty()) {
        auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        ++line_number;
        if (trim(line).empty()) {
            break;  // the body follows
        }
        if (line_number == 1 && line.find(" HTTP/") != std::string_view::npos) {
            continue;  // request line
        }
        headers.push_back(parse_header_line(line, source + ":" + std::to_string(line_number)));
    }
    return headers;
}

}  // namespace salesint::webhooks
