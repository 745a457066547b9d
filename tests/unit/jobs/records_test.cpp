// The file sources of `job import` (src/jobs/records.cpp, ndjson_source.cpp,
// json_array_source.cpp): formats by name and extension, NDJSON lines and JSON
// arrays as records with their lines, and files that cannot be read refused.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "salesint/errors.hpp"
#include "salesint/jobs/records.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using namespace salesint::jobs;
using salesint::test::TempDir;
using salesint::test::write_file;

namespace {

std::vector<SourceRecord> read_all(RecordSource& source, std::size_t batch) {
    std::vector<SourceRecord> records;
    while (true) {
        std::vector<SourceRecord> out;
        const bool more = source.next_batch(out, batch);
        CHECK(out.size() <= batch);
        records.insert(records.end(), out.begin(), out.end());
        if (!more) {
            return records;
        }
    }
}

std::vector<SourceRecord> read_file(const std::string& path, RecordFormat format,
                                    std::size_t batch = 100) {
    auto source = open_file_source(path, format);
    return read_all(*source, batch);
}

std::string message_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("record formats are named and chosen by extension", "[records]") {
    CHECK(std::string(to_string(RecordFormat::kCsv)) == "csv");
    CHECK(std::string(to_string(RecordFormat::kNdjson)) == "ndjson");
    CHECK(std::string(to_string(RecordFormat::kJson)) == "json");
    CHECK(parse_record_format("csv") == RecordFormat::kCsv);
    CHECK(parse_record_format("NDJSON") == RecordFormat::kNdjson);
    CHECK(parse_record_format("json") == RecordFormat::kJson);
    CHECK_FALSE(parse_record_format("xml").has_value());
    CHECK(format_of_path("in/leads.csv") == RecordFormat::kCsv);
    CHECK(format_of_path("LEADS.CSV") == RecordFormat::kCsv);
    CHECK(format_of_path("leads.json") == RecordFormat::kJson);
    CHECK(format_of_path("leads.ndjson") == RecordFormat::kNdjson);
    CHECK(format_of_path("leads.jsonl") == RecordFormat::kNdjson);
    CHECK(format_of_path("-") == RecordFormat::kNdjson);
}

TEST_CASE("NDJSON lines become records with their line numbers and problems", "[records]") {
    TempDir dir;
    const std::string path = dir.file("leads.ndjson");
    write_file(path,
               "\xEF\xBB\xBF{\"id\":1}\n"
               "\n"
               "  \r\n"
               "{\"id\":2}\r\n"
               "{\"id\": 3, oops}\n"
               "[1,2]\n"
               "{\"id\":4}");
    for (std::size_t batch : {1, 2, 3, 100}) {
        INFO("batches of " << batch);
        std::vector<SourceRecord> records = read_file(path, RecordFormat::kNdjson, batch);
        REQUIRE(records.size() == 5);
        CHECK(records[0].row == 1);
        CHECK(records[0].json == "{\"id\":1}");
        CHECK(records[0].problem.empty());
        CHECK(records[1].row == 4);
        CHECK(records[1].json == "{\"id\":2}");
        CHECK(records[1].raw == "{\"id\":2}");
        CHECK(records[2].row == 5);
        CHECK(records[2].json.empty());
        CHECK(records[2].raw == "{\"id\": 3, oops}");
        CHECK_THAT(records[2].problem, Catch::StartsWith("invalid JSON"));
        CHECK_THAT(records[2].problem, Catch::Contains("at column 11"));
        CHECK_THAT(records[2].problem, !Catch::Contains("leads.ndjson"));
        CHECK(records[3].row == 6);
        CHECK(records[3].problem == "not a JSON object");
        CHECK(records[3].raw == "[1,2]");
        CHECK(records[4].row == 7);
        CHECK(records[4].json == "{\"id\":4}");
    }
}

TEST_CASE("an NDJSON file larger than one read keeps every line and its number", "[records]") {
    TempDir dir;
    const std::string path = dir.file("many.ndjson");
    std::string text;
    for (int i = 1; i <= 5000; ++i) {
        text += "{\"id\":" + std::to_string(i) + ",\"pad\":\"" + std::string(40, 'x') + "\"}\n";
    }
    write_file(path, text);
    std::vector<SourceRecord> records = read_file(path, RecordFormat::kNdjson, 333);
    REQUIRE(records.size() == 5000);
    for (std::size_t i = 0; i < records.size(); ++i) {
        REQUIRE(records[i].row == static_cast<std::int64_t>(i + 1));
        REQUIRE(records[i].problem.empty());
    }
    CHECK(records[4999].json.starts_with("{\"id\":5000,"));
}

TEST_CASE("a JSON file is an array of objects, each with the line it starts on", "[records]") {
    TempDir dir;
    const std::string path = dir.file("leads.json");
    write_file(path,
               "[\n"
               "  {\"id\": 1, \"note\": \"a, [b] {c} \\\"d\\\"\"},\n"
               "  {\n"
               "    \"id\": 2,\n"
               "    \"items\": [{\"q\": 1}, {\"q\": 2}]\n"
               "  },\n"
               "  42,\n"
               "  {\"id\": 3}\n"
               "]\n");
    for (std::size_t batch : {1, 2, 10}) {
        std::vector<SourceRecord> records = read_file(path, RecordFormat::kJson, batch);
        REQUIRE(records.size() == 4);
        CHECK(records[0].row == 2);
        CHECK(records[0].json == "{\"id\": 1, \"note\": \"a, [b] {c} \\\"d\\\"\"}");
        CHECK(records[1].row == 3);
        CHECK(nlohmann::json::parse(records[1].json)["items"][1]["q"] == 2);
        CHECK(records[2].row == 7);
        CHECK(records[2].problem == "not a JSON object");
        CHECK(records[2].raw == "42");
        CHECK(records[3].row == 8);
        CHECK(records[3].json == "{\"id\": 3}");
    }
}

TEST_CASE("a JSON file of one object is one record", "[records]") {
    TempDir dir;
    write_file(dir.file("one.json"), "\n\n  {\"id\": 7}\n");
    std::vector<SourceRecord> records = read_file(dir.file("one.json"), RecordFormat::kJson);
    REQUIRE(records.size() == 1);
    CHECK(records[0].row == 3);
    CHECK(records[0].json == "{\"id\": 7}");
    write_file(dir.file("empty.json"), "[]");
    CHECK(read_file(dir.file("empty.json"), RecordFormat::kJson).empty());
}

TEST_CASE("a JSON file that is not JSON or holds no records is refused", "[records]") {
    TempDir dir;
    write_file(dir.file("bad.json"), "[\n{\"id\": 1},\n{\"id\": }\n]");
    const std::string bad =
        message_of([&] { open_file_source(dir.file("bad.json"), RecordFormat::kJson); });
    CHECK_THAT(bad, Catch::StartsWith(dir.file("bad.json") + ":3:"));
    CHECK(test::code_of([&] { open_file_source(dir.file("bad.json"), RecordFormat::kJson); }) ==
          ExitCode::kUsage);
    write_file(dir.file("number.json"), "12");
    CHECK_THAT(message_of([&] { open_file_source(dir.file("number.json"), RecordFormat::kJson); }),
               Catch::Contains("not an array of objects"));
}

TEST_CASE("a file that cannot be read is a usage error naming it", "[records]") {
    TempDir dir;
    for (RecordFormat format : {RecordFormat::kNdjson, RecordFormat::kCsv, RecordFormat::kJson}) {
        const std::string missing = dir.file("missing.txt");
        CHECK(test::code_of([&] { open_file_source(missing, format); }) == ExitCode::kUsage);
        CHECK_THAT(message_of([&] { open_file_source(missing, format); }),
                   Catch::Contains(missing) && Catch::Contains("No such file"));
        CHECK(test::code_of([&] { open_file_source(dir.path(), format); }) == ExitCode::kUsage);
        CHECK_THAT(message_of([&] { open_file_source(dir.path(), format); }),
                   Catch::Contains(dir.path()) && Catch::Contains("directory"));
    }
}

TEST_CASE("a source names its file", "[records]") {
    TempDir dir;
    write_file(dir.file("a.ndjson"), "");
    auto source = open_file_source(dir.file("a.ndjson"), RecordFormat::kNdjson);
    CHECK(source->name() == dir.file("a.ndjson"));
    CHECK(source->columns().empty());
    std::vector<SourceRecord> out;
    CHECK_FALSE(source->next_batch(out, 10));
    CHECK(out.empty());
}
