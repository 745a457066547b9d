// What checkpoint commands print: the checkpoint shape, which set
// --from-json takes back unchanged, a reset's old and new values and its
// audit entry, and the aligned text table.
#include <catch2/catch.hpp>

#include <sstream>

#include "e2e/output_shapes.hpp"
#include "e2e/seeded_state.hpp"

using namespace salesint::test;

TEST_CASE("checkpoint get -o json round-trips through set --from-json", "[e2e][output][backends]") {
    SeededState seeded;
    RunResult got = seeded.run({"checkpoint", "get", "PYXIS", "orders", "-o", "json"});
    nlohmann::json c = got.json();
    CHECK(c["tenant_id"] == "default");
    CHECK(c["system_code"] == "PYXIS");
    CHECK(c["entity_type"] == "orders");
    CHECK(c["kind"] == "timestamp");
    CHECK(c["value"] == "2026-11-01T00:00:00Z");
    CHECK(c["status"] == "ok");
    CHECK(c["error_message"].is_null());
    CHECK(is_time(c["last_synced_at"]));
    CHECK(is_time(c["updated_at"]));

    std::string file = seeded.dir().file("orders.json");
    write_file(file, got.out);
    std::string before = snapshot(seeded.state());
    RunResult again = seeded.run({"checkpoint", "set", "--from-json", file, "-o", "json"});
    REQUIRE(again.exit_code == 0);
    nlohmann::json rows = again.json();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["outcome"] == "unchanged");
    CHECK(snapshot(seeded.state()) == before);

    // The list output of several checkpoints goes back in as is, from stdin.
    RunResult list = seeded.run({"checkpoint", "list", "-o", "json"});
    RunResult from_stdin =
        seeded.run({"checkpoint", "set", "--from-json", "-", "-o", "json"}, {list.out, {}, ""});
    REQUIRE(from_stdin.exit_code == 0);
    CHECK(from_stdin.json().size() == 2);

    RunResult advanced = seeded.run(
        {"checkpoint", "set", "--from-json", fixtures_dir() + "/checkpoints/pyxis-orders.json"});
    CHECK(advanced.exit_code == 0);
    CHECK(advanced.out == "advanced PYXIS/orders at 2026-11-05T00:00:00Z (timestamp)\n");
}

TEST_CASE("checkpoint reset prints old and new and is audited", "[e2e][output][backends]") {
    SeededState seeded;
    nlohmann::json reset = seeded
                               .run({"checkpoint", "reset", "TEMPO", "orders", "--reason",
                                     "replay last week", "--to", "1000", "-o", "json"})
                               .json();
    CHECK(reset == nlohmann::json{{"system_code", "TEMPO"},
                                  {"entity_type", "orders"},
                                  {"old_value", "1500"},
                                  {"new_value", "1000"}});
    nlohmann::json cleared =
        seeded.run({"checkpoint", "reset", "TEMPO", "orders", "--reason", "resync", "-o", "json"})
            .json();
    CHECK(cleared["new_value"].is_null());
    nlohmann::json audit =
        seeded.run({"audit", "list", "--action", "checkpoint", "-o", "json"}).json();
    REQUIRE(audit.size() == 2);
    CHECK(audit[0]["action"] == "checkpoint.reset");
    CHECK(audit[0]["old_value"] == "1500");
    CHECK(audit[0]["new_value"] == "1000");
    CHECK(audit[0]["reason"] == "replay last week");
    CHECK(audit[1]["new_value"].is_null());
    CHECK(seeded.run({"audit", "list", "--since", "2999-01-01T00:00:00Z", "-o", "json"})
              .json()
              .empty());
}

TEST_CASE("text output is an aligned table with a header", "[e2e][output][backends]") {
    SeededState seeded;
    RunResult list = seeded.run({"checkpoint", "list"});
    REQUIRE(list.exit_code == 0);
    std::istringstream lines(list.out);
    std::string header, first, second;
    std::getline(lines, header);
    std::getline(lines, first);
    std::getline(lines, second);
    CHECK_THAT(header, Catch::StartsWith("SYSTEM  ENTITY  KIND       VALUE"));
    CHECK(first.find("2026-11-01T00:00:00Z") == header.find("VALUE"));
    CHECK(second.find("1500") == header.find("VALUE"));
}
