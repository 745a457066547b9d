// The one reader of JSON input (src/util/json_text.cpp): the limits and rules
// of README's "Input limits", the place a problem is named at, and the cases
// the fuzzers found.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "salesint/errors.hpp"
#include "salesint/util/json_text.hpp"

using namespace salesint;

namespace {

// The problem read_json finds in text, or "" when there is none.
std::string problem_of(std::string_view text) {
    nlohmann::json document;
    auto problem = read_json(text, document);
    return problem ? describe(*problem, text, "in.json") : "";
}

// Both readers give the same verdict on text.
bool readers_agree(std::string_view text) {
    nlohmann::json document;
    std::string copy(text);
    rapidjson::Document in_place;
    return read_json(text, document).has_value() ==
           read_json_in_place(copy.data(), copy.size(), in_place).has_value();
}

}  // namespace

TEST_CASE("the reader takes ordinary JSON as nlohmann's own parser does", "[json]") {
    nlohmann::json document;
    const std::string text = R"({"b": [1, -2, 3.5, true, null], "a": {"x": "\u00e9\n"}})";
    REQUIRE_FALSE(read_json(text, document));
    CHECK(document == nlohmann::json::parse(text));
    CHECK(document.dump() == nlohmann::json::parse(text).dump());  // the canonical text too
    CHECK(document["b"][0].is_number_unsigned());                  // as nlohmann stores it
    CHECK(document["b"][1].is_number_integer());
}

TEST_CASE("the reader's limits: depth, size, duplicate keys, numbers", "[json]") {
    const std::string deep =
        std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
    CHECK_THAT(problem_of(deep), Catch::Contains("nested deeper than 64 levels"));
    const std::string at_limit = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
    CHECK(problem_of(at_limit).empty());

    CHECK(problem_of(R"({"a": {"b": 1, "b": 2}})") ==
          R"(in.json:1:16: duplicate key "b" (at /a/b))");
    std::string many = "{";
    for (int i = 0; i < 100; ++i) {
        many += "\"k" + std::to_string(i) + "\":1,";
    }
    CHECK_THAT(problem_of(many + "\"k42\":2}"), Catch::Contains("duplicate key \"k42\""));

    CHECK_THAT(problem_of(R"({"a": 18446744073709551616})"),
               Catch::Contains("integer 18446744073709551616 does not fit in 64 bits"));
    CHECK_THAT(problem_of(R"([1e400])"),
               Catch::Contains("in.json:1:2: invalid JSON: number too big"));
    CHECK_THAT(problem_of("[1.8e308]"), Catch::Contains("does not fit in a double"));

    nlohmann::json document;
    REQUIRE_FALSE(
        read_json("[18446744073709551615, -9223372036854775808, 0.0e-30, 1e-400]", document));
    CHECK(document[0].get<std::uint64_t>() == 18446744073709551615ULL);
    CHECK(document[1].get<std::int64_t>() == INT64_MIN);
    CHECK(document[2].get<double>() == 0.0);  // exactly, not RapidJSON's 1.2e-240
    CHECK(document[3].get<double>() == 0.0);  // too small for a double: zero
    REQUIRE_FALSE(read_json("[0.1, 2.5e-3, 123456789.123456789]", document));
    CHECK(document.dump() == "[0.1,0.0025,123456789.12345679]");  // correctly rounded
}

TEST_CASE("the reader is strict about UTF-8 and NUL, and skips a byte order mark", "[json]") {
    CHECK_THAT(problem_of("{\"a\": \"\xff\"}"), Catch::Contains("invalid JSON"));
    CHECK_THAT(problem_of("{\"a\": \"\xc0\xaf\"}"), Catch::Contains("invalid JSON"));  // overlong
    CHECK_THAT(problem_of(R"({"a": "\udc00"})"), Catch::Contains("surrogate"));        // lone low
    CHECK_THAT(problem_of(R"({"a": "\ud800"})"), Catch::Contains("surrogate"));        // lone high
    CHECK_THAT(problem_of(std::string("{\"a\": 1}\0", 9)), Catch::Contains("NUL byte"));
    // A text that ends inside a UTF-8 sequence (RapidJSON would read past it).
    CHECK_THAT(problem_of("\"\xe2"), Catch::Contains("ends inside a UTF-8 sequence"));
    CHECK_THAT(problem_of("\"\xe2\x82"), Catch::Contains("invalid encoding"));  // NUL ends it
    CHECK_THAT(problem_of("\"\xf0"), Catch::Contains("ends inside a UTF-8 sequence"));

    nlohmann::json document;
    REQUIRE_FALSE(read_json("\xEF\xBB\xBF{\"a\": \"x\\u0000y\"}", document));
    CHECK(document["a"].get<std::string>() == std::string("x\0y", 3));
    CHECK(problem_of("\xEF\xBB\xBF{\"a\": }") ==
          "in.json:1:7: invalid JSON: invalid value (at /a)");
}

TEST_CASE("a problem is placed by line, column and pointer", "[json]") {
    // The column is that of the first byte that cannot continue the document.
    const std::string text = "{\n  \"items\": [\n    {\"q\": 1},\n    {\"q\": tru}\n  ]\n}";
    CHECK(problem_of(text) == "in.json:4:14: invalid JSON: invalid value (at /items/1/q)");
    try {
        parse_json_text(text, "orders.ndjson", 7);  // line 7 of an NDJSON file
        FAIL("parsed invalid JSON");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        CHECK_THAT(e.what(), Catch::StartsWith("orders.ndjson:10:14: invalid JSON"));
    }
}

TEST_CASE("JSON errors name the file, line and column", "[json]") {
    try {
        parse_json_text("{\n  \"a\": 1,\n  \"b\": ]\n}", "in.json");
        FAIL("parsed invalid JSON");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        CHECK_THAT(e.what(), Catch::StartsWith("in.json:3:8: invalid JSON"));
    }
}

TEST_CASE("both readers give the same verdict", "[json]") {
    for (std::string_view text :
         {"{}", "[]", "1", "\"x\"", "", " ", "{\"a\":1,\"a\":2}", "[1e400]",
          "[18446744073709551616]", "{\"a\": \"\\udc00\"}", "\xEF\xBB\xBF[1]", "[1,]", "{\"a\" 1}",
          "nul", "[\"\xe2\x82\"]"}) {
        INFO(text);
        CHECK(readers_agree(text));
    }
}

TEST_CASE("an ordered document keeps the keys in the order of the text", "[json]") {
    nlohmann::ordered_json document;
    REQUIRE_FALSE(read_json(R"({"z":1,"a":{"y":[1,{"c":2,"b":3}],"x":null},"m":"s"})", document));
    CHECK(document.dump() == R"({"z":1,"a":{"y":[1,{"c":2,"b":3}],"x":null},"m":"s"})");
    // The same rules as the sorted reader.
    CHECK(read_json(R"({"a":1,"a":2})", document));
    nlohmann::json sorted;
    REQUIRE_FALSE(read_json(R"({"z":1,"a":2})", sorted));
    CHECK(sorted.dump() == R"({"a":2,"z":1})");
}
