// Rendering rows (src/output/render.cpp) as aligned text tables with control
// characters escaped, CSV and NDJSON.
#include <catch2/catch.hpp>

#include <sstream>

#include "salesint/output.hpp"

using namespace salesint;

TEST_CASE("text tables align and escape control characters", "[output]") {
    nlohmann::json rows = {{{"id", "a\x1b[31m"}, {"n", 1}}, {{"id", "long value"}, {"n", nullptr}}};
    std::ostringstream text;
    render_rows(text, OutputFormat::kText, {{"id", "ID"}, {"n", "N"}}, rows);
    CHECK(text.str() ==
          "ID          N\n"
          "a\\x1b[31m   1\n"
          "long value  -\n");
}

TEST_CASE("CSV quotes what needs quoting and leaves null empty", "[output]") {
    nlohmann::json rows = {{{"id", "a,b"}, {"n", nullptr}}, {{"id", "say \"hi\""}, {"n", 2}}};
    std::ostringstream csv;
    render_rows(csv, OutputFormat::kCsv, {{"id", "ID"}, {"n", "N"}}, rows);
    CHECK(csv.str() == "id,n\r\n\"a,b\",\r\n\"say \"\"hi\"\"\",2\r\n");
}

TEST_CASE("ndjson prints one object per line", "[output]") {
    std::ostringstream out;
    render_rows(out, OutputFormat::kNdjson, {}, nlohmann::json::array({{{"a", 1}}, {{"a", 2}}}));
    CHECK(out.str() == "{\"a\":1}\n{\"a\":2}\n");
}

TEST_CASE("a summary aligns keys and indents nested objects and arrays", "[output]") {
    OrderedJson object = OrderedJson::parse(
        R"({"status":"succeeded","attempts":1,"error_code":null,"output":{"id":"X-1",)"
        R"("lines":[{"sku":"A"}],"tags":["a","b\u001b"],"empty":{}},"writes":[]})");
    std::ostringstream out;
    render_summary(out, object);
    CHECK(out.str() ==
          "status:     succeeded\n"
          "attempts:   1\n"
          "error_code: -\n"
          "output:\n"
          "  id:    X-1\n"
          "  lines:\n"
          "    -\n"
          "      sku: A\n"
          "  tags:\n"
          "    - a\n"
          "    - b\\x1b\n"
          "  empty: {}\n"
          "writes:     []\n");
}
