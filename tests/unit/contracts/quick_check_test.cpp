// QuickCheck (src/contracts/quick_check.hpp) gives valijson's verdict
// without valijson: each shipped schema's fixture, changed one value at a
// time into every kind of JSON value, or with a member taken out or added,
// gets the same verdict from both.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "contracts/compiled_schema.hpp"
#include "contracts/quick_check.hpp"
#include "salesint/contracts/schemas.hpp"
#include "salesint/util/json_text.hpp"
#include "support/run.hpp"
#include "support/temp_state.hpp"

using namespace salesint;
using contracts::CompiledSchema;
using contracts::QuickCheck;

namespace {

// A RapidJSON document with the text it was parsed from in place.
struct Parsed {
    std::string text;
    rapidjson::Document document;
};

void parse(const std::string& json, Parsed& parsed) {
    parsed.text = json;
    REQUIRE_FALSE(read_json_in_place(parsed.text.data(), parsed.text.size(), parsed.document));
}

void collect_pointers(const nlohmann::json& value, const std::string& at,
                      std::vector<std::string>& pointers) {
    if (!at.empty()) {
        pointers.push_back(at);
    }
    if (value.is_object()) {
        for (const auto& [key, inner] : value.items()) {
            collect_pointers(inner, at + "/" + key, pointers);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            collect_pointers(value[i], at + "/" + std::to_string(i), pointers);
        }
    }
}

// The fixture, and the fixture changed in each way at each place.
std::vector<std::string> variants_of(const nlohmann::json& fixture) {
    const std::vector<nlohmann::json> replacements{nullptr,
                                                   true,
                                                   0,
                                                   1,
                                                   -1,
                                                   1.5,
                                                   1e300,
                                                   18446744073709551615ull,
                                                   "",
                                                   "x",
                                                   std::string("a\0b", 3),
                                                   "ÿÿ",
                                                   std::string(300, 'z'),
                                                   "2025-01-20",
                                                   "09:00",
                                                   "USD",
                                                   "99.99",
                                                   nlohmann::json::array(),
                                                   nlohmann::json::array({"x"}),
                                                   nlohmann::json::object(),
                                                   nlohmann::json::object({{"unexpected", 1}})};
    std::vector<std::string> pointers;
    collect_pointers(fixture, "", pointers);
    std::vector<std::string> variants{fixture.dump()};
    for (const std::string& pointer : pointers) {
        const nlohmann::json::json_pointer at(pointer);
        for (const nlohmann::json& replacement : replacements) {
            nlohmann::json changed = fixture;
            changed[at] = replacement;
            variants.push_back(changed.dump());
        }
        nlohmann::json removed = fixture;
        nlohmann::json& parent = removed[at.parent_pointer()];
        if (parent.is_object()) {
            parent.erase(at.back());
        } else {
            parent.erase(std::stoul(at.back()));
        }
        variants.push_back(removed.dump());
        if (fixture[at].is_object()) {
            nlohmann::json added = fixture;
            added[at]["zz_added"] = "x";
            variants.push_back(added.dump());
        }
    }
    return variants;
}

std::string fixture_for(std::string_view schema) {
    if (schema == "erp-create-order-request") {
        return test::fixtures_dir() + "/execute/erp-create-order.json";
    }
    if (schema == "quote-send-email-request") {
        return test::fixtures_dir() + "/execute/quote-send-email.json";
    }
    return test::fixtures_dir() + "/contracts/valid/" + std::string(schema) + ".json";
}

}  // namespace

TEST_CASE("the quick check agrees with valijson on every shipped schema", "[unit][contract]") {
    for (const contracts::ShippedSchema& shipped : contracts::shipped_schemas()) {
        const CompiledSchema schema(shipped.text, std::string(shipped.name));
        INFO(shipped.name);
        if (shipped.name == "quote-send-email-request") {
            CHECK_FALSE(schema.quick().supported());  // anyOf: valijson alone
            continue;
        }
        REQUIRE(schema.quick().supported());
        const nlohmann::json fixture =
            nlohmann::json::parse(test::read_file(fixture_for(shipped.name)));
        std::size_t accepted = 0;
        std::size_t refused = 0;
        for (const std::string& variant : variants_of(fixture)) {
            Parsed parsed;
            parse(variant, parsed);
            const bool quick = schema.quick().accepts(parsed.document);
            const bool valijson = schema.errors(parsed.document).empty();
            INFO(variant);
            REQUIRE(quick == valijson);
            (quick ? accepted : refused) += 1;
        }
        CHECK(accepted > 10);
        CHECK(refused > 10);
    }
}

TEST_CASE("the quick check reads types, lengths and extra members as valijson does",
          "[unit][contract]") {
    const std::string schema_text = R"({
        "type": "object", "required": ["n"], "additionalProperties": {"type": "string"},
        "properties": {"n": {"type": "integer", "minimum": 1},
                       "x": {"type": ["number", "null"], "maximum": 2},
                       "s": {"type": "string", "minLength": 2, "maxLength": 3},
                       "a": {"type": "array", "minItems": 1, "items": {"enum": ["p", "q"]}}}})";
    const CompiledSchema schema(schema_text, "test");
    REQUIRE(schema.quick().supported());
    struct Case {
        const char* document;
        bool accepted;
    };
    const Case cases[] = {
        {R"({"n": 1})", true},
        {R"({"n": 1.0})", false},  // a double is no integer to valijson
        {R"({"n": 0})", false},
        {R"({"n": 18446744073709551615})", false},  // past INT64_MAX: -1 to valijson
        {R"({"x": 1})", false},                     // n is required
        {R"({"n": 1, "x": null})", true},
        {R"({"n": 1, "x": 2.5})", false},
        {R"({"n": 1, "s": "éé"})", true},          // two characters, four bytes
        {R"({"n": 1, "s": "ab\u0000cd"})", true},  // counted up to the NUL, as valijson does
        {R"({"n": 1, "s": "abcd"})", false},
        {R"({"n": 1, "a": []})", false},
        {R"({"n": 1, "a": ["p", "q"]})", true},
        {R"({"n": 1, "a": ["r"]})", false},
        {R"({"n": 1, "other": "text"})", true},
        {R"({"n": 1, "other": 5})", false},
        {R"([1])", false},
    };
    for (const Case& c : cases) {
        INFO(c.document);
        Parsed parsed;
        parse(c.document, parsed);
        CHECK(schema.quick().accepts(parsed.document) == c.accepted);
        CHECK(schema.errors(parsed.document).empty() == c.accepted);
    }
}

TEST_CASE("a schema with a keyword the quick check does not know is left to valijson",
          "[unit][contract]") {
    for (const char* text :
         {R"({"anyOf": [{"type": "string"}]})", R"({"const": 1})",
          R"({"items": [{"type": "string"}]})", R"({"format": "uri"})", R"({"enum": [1, 2]})",
          R"({"multipleOf": 2})", R"({"uniqueItems": true})"}) {
        INFO(text);
        const CompiledSchema schema(text, "test");
        CHECK_FALSE(schema.quick().supported());
    }
    const CompiledSchema plain(R"({"title": "t", "description": "d", "type": "string"})", "test");
    CHECK(plain.quick().supported());
}
