// JsonWriter prints what nlohmann's dump() prints for the same members, so
// that envelopes written either way are the same bytes.
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "salesint/util/json_writer.hpp"

using namespace salesint;

TEST_CASE("the writer escapes every string as nlohmann's dump does", "[unit][json]") {
    std::string every_ascii;
    for (int byte = 0; byte < 128; ++byte) {
        every_ascii += static_cast<char>(byte);
    }
    for (const std::string& text : {std::string(), every_ascii, std::string("Zoë \"Q\" \\ é € 𝄞"),
                                    std::string("\x7f</"), std::string("a\0b", 3)}) {
        std::string written;
        append_json_string(written, text);
        CHECK(written == nlohmann::ordered_json(text).dump());
    }
}

TEST_CASE("the writer prints objects member by member as nlohmann's dump does", "[unit][json]") {
    nlohmann::ordered_json expected = nlohmann::ordered_json::object();
    expected["text"] = "x\ny";
    expected["empty"] = nullptr;
    expected["nested"] = {{"n", std::numeric_limits<std::int64_t>::min()}, {"t", true}};
    expected["raw"] = {{"orderId", "o-1"}};
    expected["f"] = false;
    expected["inner"] = nlohmann::ordered_json::object();

    std::string written;
    JsonWriter writer(written);
    writer.begin_object();
    writer.key("text").string("x\ny");
    writer.key("empty").string_or_null("");
    writer.key("nested").begin_object();
    writer.key("n").integer(std::numeric_limits<std::int64_t>::min());
    writer.key("t").boolean(true);
    writer.end_object();
    writer.key("raw").raw(R"({"orderId":"o-1"})");
    writer.key("f").boolean(false);
    writer.key("inner").begin_object().end_object();
    writer.end_object();
    CHECK(written == expected.dump());
}

TEST_CASE("compact_dump prints what dump() prints", "[unit][json]") {
    for (const char* text :
         {R"({"b":[1,-2,18446744073709551615,-9223372036854775808,0.1,1e300,-0.0,2.5e-7],"a":{}})",
          R"(["x\u0000y","\u001f\"\\/é",true,false,null,[],[[]],{"":{"k":"v"}}])",
          R"("just a string")", R"(42)", R"({"z":1,"A":2,"é":3,"a":4})"}) {
        INFO(text);
        const nlohmann::json value = nlohmann::json::parse(text);
        CHECK(compact_dump(value) == value.dump());
    }
}
