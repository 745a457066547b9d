// The JSON reader (util/json_text.hpp): read_json (nlohmann) and
// read_json_in_place (RapidJSON) share one grammar and one set of limits, so
// they must agree on every text: the same problem at the same offset and
// pointer, or the same document, which nlohmann's own parser reads alike. An
// accepted document dumped and read again is the same document; a problem
// lies within the text and describe() can place it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "fuzz_check.hpp"
#include "salesint/util/json_text.hpp"

namespace {

// The RapidJSON document as nlohmann, numbers kept as the reader typed them.
nlohmann::json to_nlohmann(const rapidjson::Value& value) {
    switch (value.GetType()) {
        case rapidjson::kNullType:
            return nullptr;
        case rapidjson::kFalseType:
            return false;
        case rapidjson::kTrueType:
            return true;
        case rapidjson::kStringType:
            return std::string(value.GetString(), value.GetStringLength());
        case rapidjson::kNumberType:
            if (value.IsDouble()) {
                return value.GetDouble();
            }
            if (value.IsInt64()) {
                return value.GetInt64();
            }
            return value.GetUint64();
        case rapidjson::kArrayType: {
            nlohmann::json array = nlohmann::json::array();
            for (const auto& element : value.GetArray()) {
                array.push_back(to_nlohmann(element));
            }
            return array;
        }
        case rapidjson::kObjectType: {
            nlohmann::json object = nlohmann::json::object();
            for (const auto& member : value.GetObject()) {
                std::string key(member.name.GetString(), member.name.GetStringLength());
                FUZZ_CHECK(!object.contains(key));  // duplicates are refused
                object[key] = to_nlohmann(member.value);
            }
            return object;
        }
    }
    FUZZ_CHECK(false);
    return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    nlohmann::json document;
    const auto problem = salesint::read_json(text, document);

    // In place: a buffer of exactly size + 1 bytes, so that AddressSanitizer
    // sees any read past the NUL.
    std::vector<char> buffer(size + 1, '\0');
    std::copy(text.begin(), text.end(), buffer.begin());
    rapidjson::Document in_place;
    const auto in_place_problem = salesint::read_json_in_place(buffer.data(), size, in_place);

    FUZZ_CHECK(problem.has_value() == in_place_problem.has_value());
    if (problem) {
        FUZZ_CHECK(problem->message == in_place_problem->message);
        FUZZ_CHECK(problem->offset == in_place_problem->offset);
        FUZZ_CHECK(problem->pointer == in_place_problem->pointer);
        FUZZ_CHECK(!problem->message.empty());
        FUZZ_CHECK(problem->offset <= size);
        FUZZ_CHECK(problem->pointer.empty() || problem->pointer.front() == '/');
        const std::string line = salesint::describe(*problem, text, "input.ndjson", 7);
        FUZZ_CHECK(line.starts_with("input.ndjson:"));
        const salesint::TextPosition at = salesint::position_of(text, problem->offset);
        FUZZ_CHECK(at.line >= 1 && at.column >= 1 && at.line <= size + 1 && at.column <= size + 1);
        return 0;
    }

    FUZZ_CHECK(to_nlohmann(in_place) == document);
    // nlohmann's own parser (strtod for numbers) reads an accepted text to
    // the same values: no number rounded otherwise, no string decoded otherwise.
    const nlohmann::json reference = nlohmann::json::parse(text, nullptr, false);
    FUZZ_CHECK(!reference.is_discarded());
    FUZZ_CHECK(reference == document);
    // What salesint writes, it reads back unchanged.
    const std::string dumped = document.dump();
    nlohmann::json again;
    const auto again_problem = salesint::read_json(dumped, again);
    FUZZ_CHECK(!again_problem);
    FUZZ_CHECK(again == document);
    FUZZ_CHECK(again.dump() == dumped);
    return 0;
}
