// The rule for text that is stored or shown (src/util/strings.cpp): UTF-8
// without control characters, identifiers without surrounding spaces, and
// control characters escaped whenever text is printed.
#include <catch2/catch.hpp>

#include "salesint/errors.hpp"
#include "salesint/util/strings.hpp"

using namespace salesint;

TEST_CASE("UTF-8 is strict: no overlong forms, surrogates or code points above U+10FFFF",
          "[text]") {
    CHECK(is_valid_utf8("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"));
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong, three bytes
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // a surrogate
    CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xe2\x82"));          // cut short
    CHECK_FALSE(is_valid_utf8("\x80"));              // a continuation alone
}

TEST_CASE("text problems name what is wrong and where", "[text]") {
    CHECK_FALSE(text_problem("replay November", TextKind::kOneLine));
    CHECK(text_problem("a\x1b[31m", TextKind::kOneLine) ==
          "contains the control character \\x1b at byte 2; use printable text");
    CHECK(text_problem("\xff", TextKind::kOneLine) == "not valid UTF-8 at byte 1");
    CHECK(text_problem("a\xc2\x9b", TextKind::kOneLine));  // C1 CSI
    CHECK(text_problem("a\nb", TextKind::kOneLine));
    CHECK_FALSE(text_problem("{\n\t\"a\": 1\r\n}", TextKind::kMultiline));
    CHECK(text_problem("{\x1b}", TextKind::kMultiline));
    CHECK_FALSE(text_problem("a\tb", TextKind::kHeaderValue));
    CHECK(text_problem("a\r\nX-Injected: yes", TextKind::kHeaderValue));
    CHECK(text_problem(" acme", TextKind::kIdentifier) ==
          "\" acme\" has spaces around it; give it without them");
    CHECK_FALSE(text_problem(" acme", TextKind::kOneLine));
    CHECK_FALSE(text_problem("", TextKind::kIdentifier));  // "not given" is the caller's rule
    try {
        require_text("--reason", "\x07", TextKind::kOneLine);
        FAIL("accepted a control character");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        CHECK_THAT(e.what(), Catch::StartsWith("--reason: contains the control character \\x07"));
    }
}

TEST_CASE("escaped text carries no control character and stays UTF-8", "[text]") {
    CHECK(escape_control("plain caf\xc3\xa9") == "plain caf\xc3\xa9");
    CHECK(escape_control("a\r\nb\tc\x1b[2J\x7f") == "a\\r\\nb\\tc\\x1b[2J\\x7f");
    CHECK(escape_control("\xc2\x9b"
                         "31m") == "\\xc2\\x9b31m");  // C1 CSI
    CHECK(escape_control("\xff\xfe") == "\\xff\\xfe");
    for (std::string_view text : {"\x01\x02\x03", "\xe2\x82", "ok\xc0\xaf", "\x1b]0;title\x07"}) {
        const std::string escaped = escape_control(text);
        CHECK(is_valid_utf8(escaped));
        CHECK_FALSE(text_problem(escaped, TextKind::kOneLine));
    }
}

TEST_CASE("client text is escaped: controls shown, bytes that are not UTF-8 shown as hex",
          "[client_text]") {
    CHECK(escape_control("msg_\x1b[31mred\x07") == "msg_\\x1b[31mred\\x07");
    CHECK(escape_control("a\r\nb\tc") == "a\\r\\nb\\tc");
    CHECK(escape_control("caf\xe9 \xc2\x9b x") == "caf\\xe9 \\xc2\\x9b x");
    CHECK(escape_control("caf\xc3\xa9 \xe2\x9c\x93") == "caf\xc3\xa9 \xe2\x9c\x93");
    CHECK_FALSE(text_problem("caf\xc3\xa9\tok", TextKind::kHeaderValue));
    CHECK(text_problem("caf\xe9", TextKind::kHeaderValue));
    CHECK(text_problem("\xc2\x85", TextKind::kHeaderValue));
}
