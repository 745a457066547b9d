// JSON pointers as tokens (src/util/json_pointer.cpp, RFC 6901): "~1" is '/',
// "~0" is '~', and a pointer built from escaped tokens splits back into them.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "salesint/util/json_pointer.hpp"

using namespace salesint;

using Tokens = std::vector<std::string>;

TEST_CASE("a pointer splits into its unescaped tokens", "[json_pointer]") {
    CHECK(split_pointer("").empty());  // the whole document
    CHECK(split_pointer("/") == Tokens{""});
    CHECK(split_pointer("//") == Tokens{"", ""});
    CHECK(split_pointer("/a/") == Tokens{"a", ""});
    CHECK(split_pointer("/serviceItems/0/unitPrice") == Tokens{"serviceItems", "0", "unitPrice"});
    CHECK(split_pointer("/a~1b") == Tokens{"a/b"});
    CHECK(split_pointer("/m~0n") == Tokens{"m~n"});
    CHECK(split_pointer("/~01") == Tokens{"~1"});  // RFC 6901: "~01" is "~1", never "/"
    CHECK(split_pointer("/~10") == Tokens{"/0"});
    CHECK(split_pointer("/ /c%d/e^f/g|h/i\\j/k\"l") ==
          Tokens{" ", "c%d", "e^f", "g|h", "i\\j", "k\"l"});  // RFC 6901's examples
    CHECK(split_pointer("/caf\xc3\xa9") == Tokens{"caf\xc3\xa9"});
}

TEST_CASE("a token is escaped so that it can follow a '/'", "[json_pointer]") {
    CHECK(escape_token("").empty());
    CHECK(escape_token("plain") == "plain");
    CHECK(escape_token("a/b") == "a~1b");
    CHECK(escape_token("m~n") == "m~0n");
    CHECK(escape_token("~1") == "~01");  // '~' first, so that no "~1" appears by accident
    CHECK(escape_token("/~") == "~1~0");
    CHECK(escape_token("application/json") == "application~1json");
}

TEST_CASE("escaped tokens joined with '/' split back into the same tokens", "[json_pointer]") {
    const std::vector<Tokens> paths{
        {},
        {""},
        {"", ""},
        {"a", "0", "b"},
        {"~", "/", "~0", "~1", "/~", "~/"},
        {"properties", "content/type", "a~b~c", "x//y"},
        {"caf\xc3\xa9", " ", "%", "\\"},
    };
    for (const Tokens& tokens : paths) {
        std::string pointer;
        for (const std::string& token : tokens) {
            pointer += "/" + escape_token(token);
        }
        INFO(pointer);
        CHECK(split_pointer(pointer) == tokens);
    }
}
