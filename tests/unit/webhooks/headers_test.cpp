// HTTP headers as the webhook commands take them (src/webhooks/headers.cpp):
// "Name: value" lines from -H, raw header blocks copied out of a request log,
// and lookup by a name compared case-insensitively.
#include <catch2/catch.hpp>

#include <string>

#include "salesint/errors.hpp"
#include "salesint/webhooks/headers.hpp"

using namespace salesint;
using namespace salesint::webhooks;

namespace {

// The message of the usage Error parsing text throws, or "" when it throws none.
template <typename Parse>
std::string refusal(Parse parse) {
    try {
        parse();
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a header line is a name, a colon and a value, both trimmed", "[webhook][headers]") {
    Header header = parse_header_line("Webhook-Id: msg_1", "-H");
    CHECK(header.name == "Webhook-Id");
    CHECK(header.value == "msg_1");

    header = parse_header_line("  X-Note \t:\t a value  with spaces \t\r", "-H");
    CHECK(header.name == "X-Note");
    CHECK(header.value == "a value  with spaces");

    header = parse_header_line("X-Url:http://example.com:8080/a?b=c", "-H");  // the first colon
    CHECK(header.name == "X-Url");
    CHECK(header.value == "http://example.com:8080/a?b=c");

    header = parse_header_line("X-Empty:", "-H");
    CHECK(header.name == "X-Empty");
    CHECK(header.value.empty());

    header = parse_header_line("webhook-signature: v1,abc= v1,def=", "-H");  // kept as given
    CHECK(header.name == "webhook-signature");
    CHECK(header.value == "v1,abc= v1,def=");
}

TEST_CASE("a line without a name before a colon is refused, naming where it came from",
          "[webhook][headers]") {
    CHECK(refusal([] { parse_header_line("Webhook-Id msg_1", "-H"); }) ==
          "-H: 'Webhook-Id msg_1' is not a header line of the form 'Name: value'");
    CHECK(refusal([] { parse_header_line("  no colon at all \r", "h.txt:4"); }) ==
          "h.txt:4: 'no colon at all' is not a header line of the form 'Name: value'");
    for (const char* line : {"", ":", ": value", "  : value", "X Note: value", "Webhook Id:x"}) {
        INFO('"' << line << '"');
        CHECK_THAT(refusal([&] { parse_header_line(line, "-H"); }),
                   Catch::StartsWith("-H: '") && Catch::EndsWith("' is not a header line of the "
                                                                 "form 'Name: value'"));
    }
}

TEST_CASE("a header block: an optional request line, headers up to the first empty line",
          "[webhook][headers]") {
    const std::string crlf =
        "POST /hooks/pyxis HTTP/1.1\r\n"
        "Host: 127.0.0.1:8787\r\n"
        "webhook-id: msg_2Lx\r\n"
        "Webhook-Timestamp: 1700000000\r\n"
        "\r\n"
        "{\"note\": \"Not-A-Header: in the body\"}\r\n";
    HeaderList headers = parse_header_block(crlf, "request.txt");
    REQUIRE(headers.size() == 3);
    CHECK(headers[0].name == "Host");
    CHECK(headers[0].value == "127.0.0.1:8787");
    CHECK(headers[1].name == "webhook-id");
    CHECK(headers[1].value == "msg_2Lx");  // no '\r' left
    CHECK(headers[2].name == "Webhook-Timestamp");
    CHECK(headers[2].value == "1700000000");

    // LF alone, no request line, no empty line, no final newline.
    headers = parse_header_block("A: 1\nB: 2", "h.txt");
    REQUIRE(headers.size() == 2);
    CHECK(headers[1].name == "B");
    CHECK(headers[1].value == "2");

    // A line of blanks ends the headers too.
    headers = parse_header_block("A: 1\n \t \r\nB: 2\n", "h.txt");
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].name == "A");

    CHECK(parse_header_block("", "h.txt").empty());
    CHECK(parse_header_block("\r\nA: 1\r\n", "h.txt").empty());  // all body
    CHECK(parse_header_block("POST /hook HTTP/1.1\r\n", "h.txt").empty());
}

TEST_CASE("a header block names the line it cannot read", "[webhook][headers]") {
    CHECK(refusal([] { parse_header_block("A: 1\nB: 2\ngarbage\nC: 3\n", "h.txt"); }) ==
          "h.txt:3: 'garbage' is not a header line of the form 'Name: value'");
    // Only the first line may be a request line.
    CHECK(refusal([] { parse_header_block("A: 1\r\nGET /again HTTP/1.1\r\n", "h.txt"); }) ==
          "h.txt:2: 'GET /again HTTP/1.1' is not a header line of the form 'Name: value'");
    // A folded continuation line (obsolete in HTTP/1.1) is not taken as a header.
    CHECK_THAT(refusal([] { parse_header_block("A: 1\r\n  more\r\n", "h.txt"); }),
               Catch::StartsWith("h.txt:2: 'more'"));
    // A status line is not a request line.
    CHECK_THAT(refusal([] { parse_header_block("HTTP/1.1 200 OK\r\nA: 1\r\n", "h.txt"); }),
               Catch::StartsWith("h.txt:1: "));
}

TEST_CASE("headers are found by name in any case, the first of several", "[webhook][headers]") {
    const HeaderList headers{{"Webhook-Id", "first"},
                             {"webhook-id", "second"},
                             {"Stripe-Signature", "t=1,v1=ab"},
                             {"X-Empty", ""}};
    CHECK(find_header(headers, "webhook-id") == "first");
    CHECK(find_header(headers, "WEBHOOK-ID") == "first");
    CHECK(find_header(headers, "Webhook-Id") == "first");
    CHECK(find_header(headers, "stripe-signature") == "t=1,v1=ab");
    CHECK(find_header(headers, "X-EMPTY") == "");  // present, though empty
    CHECK_FALSE(find_header(headers, "webhook-timestamp"));
    CHECK_FALSE(find_header(headers, "webhook-i"));  // whole names only
    CHECK_FALSE(find_header(headers, ""));
    CHECK_FALSE(find_header({}, "webhook-id"));
}
