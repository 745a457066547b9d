// CSV as RFC 4180 reads it, for tests that check what salesint writes.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace salesint::test {

// CSV records as RFC 4180 reads them (a quoted field may hold a line break);
// fails the test on an unbalanced quote or a record not ended by CRLF.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            record.push_back(field);
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            record.push_back(field);
            records.push_back(record);
            record.clear();
            field.clear();
            ++i;
        } else {
            field += c;
        }
    }
    REQUIRE_FALSE(quoted);
    REQUIRE(field.empty());  // every record ends with CRLF
    REQUIRE(record.empty());
    return records;
}

}  // namespace salesint::test
