// What webhook serve refuses from a request's head alone, before it reads a
// body (src/webhooks/request_head.cpp).
#include <catch2/catch.hpp>

#include "salesint/util/strings.hpp"
#include "salesint/webhooks/request_head.hpp"

using namespace salesint;
using namespace salesint::webhooks;

namespace {

constexpr std::size_t kMaxBody = 1024;

int refused_with(const HeaderList& headers, const std::string& method = "POST") {
    auto refusal = check_request_head(method, headers, kMaxBody);
    return refusal ? refusal->status : 0;
}

}  // namespace

TEST_CASE("a POST with one clean length goes on", "[request_head]") {
    CHECK(refused_with({{"Content-Length", "26"}, {"webhook-id", "msg_1"}}) == 0);
    CHECK(refused_with({{"Transfer-Encoding", "Chunked"}}) == 0);
    CHECK(refused_with({{"Content-Length", "1024"}, {"X-Note", "caf\xc3\xa9\tok"}}) == 0);
    CHECK(refused_with({{"Content-Length", "0001024"}}) == 0);
}

TEST_CASE("headers that cannot be stored or shown are refused with 400", "[request_head]") {
    for (std::string value : {"caf\xe9", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\x01z",
                              "a\x7fz", "\xc2\x9b", "line\r\nInjected: yes"}) {
        INFO(escape_control(value));
        CHECK(refused_with({{"Content-Length", "1"}, {"X-Note", value}}) == 400);
    }
    for (std::string name : {"X Note", "X-Note ", "", "X\x01", "X:Y", "\xc3\xa9"}) {
        INFO(escape_control(name));
        CHECK(refused_with({{"Content-Length", "1"}, {name, "v"}}) == 400);
    }
    auto refusal = check_request_head("POST", {{"X\x1b[2J", "v"}}, kMaxBody);
    REQUIRE(refusal);
    CHECK(refusal->message == "header name 'X\\x1b[2J' is not an HTTP token");
}

TEST_CASE("framing a proxy could read differently is refused with 400", "[request_head]") {
    CHECK(refused_with({{"Content-Length", "5"}, {"Content-Length", "6"}}) == 400);
    CHECK(refused_with({{"Content-Length", "5"}, {"content-length", "5"}}) == 400);
    CHECK(refused_with({{"Content-Length", "5"}, {"Transfer-Encoding", "chunked"}}) == 400);
    CHECK(refused_with({{"Transfer-Encoding", "gzip, chunked"}}) == 400);
    CHECK(refused_with({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}) ==
          400);
    CHECK(refused_with({{"Content-Length", "-1"}}) == 400);
    CHECK(refused_with({{"Content-Length", "1e3"}}) == 400);
}

TEST_CASE("no length, too large or not a POST", "[request_head]") {
    CHECK(refused_with({}) == 411);
    CHECK(refused_with({{"Content-Length", "1025"}}) == 413);
    CHECK(refused_with({{"Content-Length", "99999999999999999999999"}}) == 413);
    CHECK(refused_with({}, "GET") == 405);
    CHECK(refused_with({{"X-Note", "\x01"}}, "GET") == 400);  // the headers first
}
