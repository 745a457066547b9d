// inbox consume: envelopes from NDJSON into the inbox, once each by
// meta.message_id; a bad line refuses the whole file.
#include <catch2/catch.hpp>

#include "e2e/inbox/inbox_support.hpp"
#include "e2e/seeded_state.hpp"

using namespace salesint::test;

TEST_CASE("inbox consume stores new envelopes and counts duplicates", "[e2e][inbox][backends]") {
    SeededState seeded;
    const std::string file = seeded.dir().file("envelopes.ndjson");
    write_file(file, envelope_line("m-1") + "\n" + envelope_line("m-2") + "\n\n" +
                         envelope_line("m-1") + "\n");

    RunResult first = seeded.run({"inbox", "consume", "--from", file, "-o", "json"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.json()["new"] == 2);
    CHECK(first.json()["duplicate"] == 1);  // m-1 twice in the same file

    nlohmann::json listed = seeded.run({"inbox", "list", "-o", "json"}).json();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0]["delivery_id"] == "m-2");  // newest first
    CHECK(listed[0]["scheme"] == "envelope");
    CHECK(listed[0]["verdict"] == "valid");
    CHECK(listed[0]["processed_at"].is_null());
    nlohmann::json shown = seeded.run({"inbox", "show", "m-1", "-o", "json"}).json();
    CHECK(shown["body"] == envelope_line("m-1"));  // the line, without its newline
    CHECK(shown["headers"] == nlohmann::json::object());

    RunResult again = seeded.run({"inbox", "consume", "--from", file});
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Contains("0 new, 3 duplicate"));
    CHECK(seeded.run({"inbox", "list", "-o", "json"}).json().size() == 2);

    // From stdin too.
    RunResult piped = seeded.run({"inbox", "consume", "--from", "-", "-o", "json"},
                                 {envelope_line("m-3") + "\n" + envelope_line("m-2"), {}, ""});
    CHECK(piped.exit_code == 0);
    CHECK(piped.json()["new"] == 1);
    CHECK(piped.json()["duplicate"] == 1);
}

TEST_CASE("inbox consume refuses a file with a bad line and leaves the state untouched",
          "[e2e][inbox][backends]") {
    SeededState seeded;
    const std::string file = seeded.dir().file("envelopes.ndjson");
    write_file(file, envelope_line("m-0") + "\n");
    REQUIRE(seeded.run({"inbox", "consume", "--from", file}).exit_code == 0);
    const std::string before = snapshot(seeded.state());

    write_file(file, envelope_line("m-1") + "\n{\"meta\": {\"message_id\": \n" +
                         envelope_line("m-2") + "\n");
    RunResult not_json = seeded.run({"inbox", "consume", "--from", file});
    CHECK(not_json.exit_code == 2);
    CHECK_THAT(not_json.err, Catch::Contains("envelopes.ndjson:2:"));

    write_file(file, envelope_line("m-1") + "\n" + envelope_line("m-2") + "\n" +
                         R"({"meta":{"correlation_id":"c"},"fact":{}})" + "\n");
    RunResult no_id = seeded.run({"inbox", "consume", "--from", file});
    CHECK(no_id.exit_code == 2);
    CHECK_THAT(no_id.err,
               Catch::Contains("envelopes.ndjson:3:") && Catch::Contains("meta.message_id"));

    write_file(file, "[1, 2]\n");
    CHECK(seeded.run({"inbox", "consume", "--from", file}).exit_code == 2);

    CHECK(snapshot(seeded.state()) == before);
    CHECK(seeded.run({"inbox", "list", "-o", "json"}).json().size() == 1);
}
