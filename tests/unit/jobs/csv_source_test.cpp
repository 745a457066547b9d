// CSV records (src/jobs/csv_source.cpp): RFC 4180 quoting, rows numbered by
// the line they start on, and the header's conventions building the object:
// dotted names nest, numeric segments are array elements, type suffixes type
// the cell, empty cells are left out.
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
using ordered_json = nlohmann::ordered_json;

namespace {

std::vector<SourceRecord> read_csv(const std::string& path, std::size_t batch = 100) {
    auto source = open_file_source(path, RecordFormat::kCsv);
    std::vector<SourceRecord> records;
    while (true) {
        std::vector<SourceRecord> out;
        const bool more = source->next_batch(out, batch);
        records.insert(records.end(), out.begin(), out.end());
        if (!more) {
            return records;
        }
    }
}

std::vector<SourceRecord> read_text(const std::string& text, std::size_t batch = 100) {
    TempDir dir;
    write_file(dir.file("in.csv"), text);
    return read_csv(dir.file("in.csv"), batch);
}

std::string error_of(const std::string& text, ExitCode* code = nullptr) {
    TempDir dir;
    write_file(dir.file("in.csv"), text);
    try {
        read_csv(dir.file("in.csv"));
    } catch (const Error& e) {
        if (code != nullptr) {
            *code = e.code();
        }
        return std::string(e.what()).substr(dir.file("").size());
    }
    return "";
}

ordered_json object_of(const SourceRecord& record) {
    INFO(record.problem);
    REQUIRE(record.problem.empty());
    return ordered_json::parse(record.json);
}

}  // namespace

TEST_CASE("CSV quoted fields keep commas, doubled quotes and line breaks", "[csv]") {
    const std::string text =
        "id,name,note\n"
        "1,\"Smith, Jane\",\"she said \"\"hi\"\"\"\n"
        "2,Bob,\"two\nlines\"\n"
        "3, spaced ,\n";
    for (std::size_t batch : {1, 2, 10}) {
        std::vector<SourceRecord> records = read_text(text, batch);
        REQUIRE(records.size() == 3);
        CHECK(records[0].row == 2);
        CHECK(object_of(records[0]) ==
              ordered_json{{"id", "1"}, {"name", "Smith, Jane"}, {"note", "she said \"hi\""}});
        CHECK(records[0].raw == "1,\"Smith, Jane\",\"she said \"\"hi\"\"\"");
        CHECK(records[1].row == 3);
        CHECK(object_of(records[1])["note"] == "two\nlines");
        CHECK(records[1].raw == "2,Bob,\"two\nlines\"");
        CHECK(records[2].row == 5);
        CHECK(object_of(records[2]) == ordered_json{{"id", "3"}, {"name", " spaced "}});
    }
}

TEST_CASE("CSV with CRLF line ends, a byte order mark and no final newline", "[csv]") {
    std::vector<SourceRecord> records =
        read_text("\xEF\xBB\xBFid,city\r\n1,Paris\r\n\r\n2,\"New\r\nYork\"\r\n3,Rome");
    REQUIRE(records.size() == 3);
    CHECK(object_of(records[0]) == ordered_json{{"id", "1"}, {"city", "Paris"}});
    CHECK(records[0].row == 2);
    CHECK(records[0].raw == "1,Paris");
    CHECK(records[1].row == 4);
    CHECK(object_of(records[1])["city"] == "New\r\nYork");
    CHECK(records[2].row == 6);
    CHECK(object_of(records[2]) == ordered_json{{"id", "3"}, {"city", "Rome"}});
    CHECK(records[2].raw == "3,Rome");
}

TEST_CASE("CSV columns() is the header as read", "[csv]") {
    TempDir dir;
    write_file(dir.file("in.csv"), "id,customer.email,qty:integer\n1,a@b.c,2\n");
    auto source = open_file_source(dir.file("in.csv"), RecordFormat::kCsv);
    std::vector<SourceRecord> out;
    CHECK_FALSE(source->next_batch(out, 10));
    CHECK(out.size() == 1);
    CHECK(source->columns() == std::vector<std::string>{"id", "customer.email", "qty:integer"});
    CHECK(source->name() == dir.file("in.csv"));
}

TEST_CASE("CSV dotted and typed columns build nested objects and arrays", "[csv]") {
    std::vector<SourceRecord> records = read_text(
        "id:integer,customer.email,customer.vip:boolean,serviceItems.0.code,"
        "serviceItems.0.quantity:integer,serviceItems.1.code,serviceItems.1.quantity:integer,"
        "price:number,extra:json\n"
        "7,a@b.c,true,X1,2,Y2,3,12.5,\"{\"\"z\"\":1,\"\"a\"\":[true]}\"\n"
        "8,,false,,,Y2,1,,\n");
    REQUIRE(records.size() == 2);
    const ordered_json first = object_of(records[0]);
    CHECK(
        first.dump() ==
        R"({"id":7,"customer":{"email":"a@b.c","vip":true},"serviceItems":[{"code":"X1","quantity":2},{"code":"Y2","quantity":3}],"price":12.5,"extra":{"z":1,"a":[true]}})");
    // Empty cells are left out, and so is an element all of whose cells are empty.
    const ordered_json second = object_of(records[1]);
    CHECK(second.dump() ==
          R"({"id":8,"customer":{"vip":false},"serviceItems":[{"code":"Y2","quantity":1}]})");
}

TEST_CASE("CSV array elements follow their index, not the column order", "[csv]") {
    std::vector<SourceRecord> records = read_text("tags.10,tags.2,tags.0\nc,b,a\n");
    REQUIRE(records.size() == 1);
    CHECK(object_of(records[0]).dump() == R"({"tags":["a","b","c"]})");
}

TEST_CASE("CSV rows with the wrong number of cells are problems, and reading goes on", "[csv]") {
    std::vector<SourceRecord> records = read_text(
        "a,b,c,d,e\n"
        "1,2,3,4\n"
        "1,2,3,4,5,6\n"
        "1,2,3,4,5\n");
    REQUIRE(records.size() == 3);
    CHECK(records[0].problem == "4 cells, the header has 5");
    CHECK(records[0].raw == "1,2,3,4");
    CHECK(records[0].json.empty());
    CHECK(records[0].row == 2);
    CHECK(records[1].problem == "6 cells, the header has 5");
    CHECK(records[2].problem.empty());
    CHECK(records[2].row == 4);
}

TEST_CASE("CSV cells that do not fit their type name the column", "[csv]") {
    std::vector<SourceRecord> records = read_text(
        "id,quantity:integer,price:number,ok:boolean,extra:json\n"
        "1,abc,1,true,{}\n"
        "2,1.5,1,true,{}\n"
        "3,1,12x,true,{}\n"
        "4,1,1,yes,{}\n"
        "5,1,1,true,\"{\"\"a\"\":}\"\n"
        "6,-4,1e3,false,[1]\n");
    REQUIRE(records.size() == 6);
    CHECK(records[0].problem == "column quantity:integer: 'abc' is not an integer");
    CHECK(records[0].raw == "1,abc,1,true,{}");
    CHECK(records[1].problem == "column quantity:integer: '1.5' is not an integer");
    CHECK(records[2].problem == "column price:number: '12x' is not a number");
    CHECK_THAT(records[3].problem, Catch::StartsWith("column ok:boolean: 'yes' is not a boolean"));
    CHECK_THAT(records[4].problem, Catch::StartsWith("column extra:json: invalid JSON"));
    CHECK_THAT(records[4].problem, Catch::Contains("at column 6"));
    CHECK(records[4].raw == "5,1,1,true,\"{\"\"a\"\":}\"");
    CHECK(object_of(records[5]).dump() ==
          R"({"id":"6","quantity":-4,"price":1000.0,"ok":false,"extra":[1]})");
}

TEST_CASE("CSV rows of empty cells and blank lines are no records", "[csv]") {
    std::vector<SourceRecord> records = read_text("a,b\n\n,\n1,2\n,,\n");
    REQUIRE(records.size() == 1);
    CHECK(records[0].row == 4);
}

TEST_CASE("CSV malformed quoting is a problem for its row, and the next line is read", "[csv]") {
    std::vector<SourceRecord> records = read_text("a,b\n1,x\"y\n2,\"ok\"z\n3,fine\n");
    REQUIRE(records.size() == 3);
    CHECK(records[0].row == 2);
    CHECK_THAT(records[0].problem, Catch::StartsWith("malformed quoting on line 2"));
    CHECK(records[0].raw == "1,x\"y");
    CHECK(records[1].row == 3);
    CHECK(records[1].raw == "2,\"ok\"z");
    CHECK_FALSE(records[1].problem.empty());
    CHECK(records[2].row == 4);
    CHECK(object_of(records[2]) == ordered_json{{"a", "3"}, {"b", "fine"}});
}

TEST_CASE("CSV a quote never closed stops the file naming the line it opened on", "[csv]") {
    ExitCode code = ExitCode::kSuccess;
    const std::string message = error_of("a,b\n1,2\n3,\"open\n4,5\n", &code);
    CHECK(code == ExitCode::kUsage);
    CHECK_THAT(message, Catch::StartsWith("in.csv:3:") && Catch::Contains("not closed"));
}

TEST_CASE("CSV headers with duplicate, empty, conflicting or badly typed names are refused",
          "[csv]") {
    ExitCode code = ExitCode::kSuccess;
    CHECK_THAT(error_of("id,name,id\n1,2,3\n", &code), Catch::Contains("names column 'id' twice"));
    CHECK(code == ExitCode::kUsage);
    CHECK_THAT(error_of("id,,name\n"), Catch::Contains("column 2 has no name"));
    CHECK_THAT(error_of("id,a..b\n"), Catch::Contains("'a..b'"));
    CHECK_THAT(error_of("id,qty:integer,qty\n"), Catch::Contains("'qty'"));
    CHECK_THAT(error_of("c,c.email\n"), Catch::Contains("'c.email'"));
    CHECK_THAT(error_of("x.0,x.name\n"), Catch::Contains("mixes array elements"));
    CHECK_THAT(error_of("when:date\n"), Catch::Contains("unknown type 'date'"));
    CHECK_THAT(error_of("id,n\xFFme\n"), Catch::Contains("not valid UTF-8"));
    CHECK_THAT(error_of(""), Catch::StartsWith("in.csv: empty"));
    CHECK(error_of("id,name\n").empty());
}

TEST_CASE("CSV cells that are not UTF-8 are a problem for their row", "[csv]") {
    std::vector<SourceRecord> records = read_text("id,name\n1,n\xFFme\n2,ok\n");
    REQUIRE(records.size() == 2);
    CHECK(records[0].problem == "column name: not valid UTF-8");
    CHECK(records[1].problem.empty());
}

TEST_CASE("CSV larger than one read: records across reads keep their rows and text", "[csv]") {
    // Every fourth record spans two lines, so records cross the 64 KiB reads
    // in every position.
    std::string text = "id:integer,note\n";
    std::vector<std::int64_t> rows;
    std::int64_t line = 2;
    for (int i = 1; i <= 6000; ++i) {
        rows.push_back(line);
        if (i % 4 == 0) {
            text += std::to_string(i) + ",\"first " +
                    std::string(static_cast<std::size_t>(i % 37), 'y') +
                    "\nsecond, \"\"quoted\"\"\"\r\n";
            line += 2;
        } else {
            text += std::to_string(i) + ",plain " +
                    std::string(static_cast<std::size_t>(i % 41), 'x') + "\n";
            line += 1;
        }
    }
    std::vector<SourceRecord> records = read_text(text, 250);
    REQUIRE(records.size() == 6000);
    for (std::size_t i = 0; i < records.size(); ++i) {
        INFO("record " << i + 1);
        REQUIRE(records[i].row == rows[i]);
        const ordered_json value = object_of(records[i]);
        REQUIRE(value["id"] == i + 1);
        if ((i + 1) % 4 == 0) {
            REQUIRE(value["note"].get<std::string>().ends_with("\nsecond, \"quoted\""));
            REQUIRE(records[i].raw.ends_with("\nsecond, \"\"quoted\"\"\""));
        }
    }
}
