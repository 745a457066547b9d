// The text helpers (util/strings.hpp): escape_control makes any bytes safe
// for a terminal cell (no C0 control byte and no DEL left, valid UTF-8, no
// C1 control either) and leaves a text without control characters as it is;
// text_problem finds nothing exactly in UTF-8 text without control
// characters (line breaks and tabs allowed only for multiline text, and
// no surrounding spaces for an identifier).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "salesint/util/strings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using salesint::TextKind;
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const std::string escaped = salesint::escape_control(text);
    for (char c : escaped) {
        const auto byte = static_cast<unsigned char>(c);
        FUZZ_CHECK(byte >= 0x20 && byte != 0x7F);
    }
    FUZZ_CHECK(salesint::is_valid_utf8(escaped));
    // C1 controls (U+0080 to U+009F) are C2 80 to C2 9F in UTF-8.
    for (std::size_t i = 0; i + 1 < escaped.size(); ++i) {
        FUZZ_CHECK(!(static_cast<unsigned char>(escaped[i]) == 0xC2 &&
                     static_cast<unsigned char>(escaped[i + 1]) <= 0x9F));
    }
    // Escaping twice changes nothing more.
    FUZZ_CHECK(salesint::escape_control(escaped) == escaped);

    const bool valid = salesint::is_valid_utf8(text);
    const bool plain = valid && escaped == text;
    FUZZ_CHECK(!salesint::text_problem(text, TextKind::kOneLine) == plain);

    // Multiline text may also hold \n, \r and \t.
    std::string without_breaks(text);
    for (char& c : without_breaks) {
        if (c == '\n' || c == '\r' || c == '\t') {
            c = ' ';
        }
    }
    const bool multiline_ok = valid && salesint::escape_control(without_breaks) == without_breaks;
    FUZZ_CHECK(!salesint::text_problem(text, TextKind::kMultiline) == multiline_ok);

    const bool spaced =
        !text.empty() &&
        (std::string_view(" \t\n\r\v\f").find(text.front()) != std::string_view::npos ||
         std::string_view(" \t\n\r\v\f").find(text.back()) != std::string_view::npos);
    FUZZ_CHECK(!salesint::text_problem(text, TextKind::kIdentifier) == (plain && !spaced));

    FUZZ_CHECK(salesint::to_lower(salesint::to_upper(text)) == salesint::to_lower(text));
    FUZZ_CHECK(salesint::to_upper(text).size() == size);
    return 0;
}
