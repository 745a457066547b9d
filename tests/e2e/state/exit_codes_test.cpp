// state's exit codes: state check answers "no" (1) when an invariant is
// broken, and a state file newer than the binary is refused (4) untouched.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>

#include "e2e/seeded_state.hpp"

using namespace salesint::test;

TEST_CASE("state check exits 1 when an invariant is broken", "[e2e][exit_code]") {
    SeededState seeded;
    {
        SQLite::Database db(seeded.state(), SQLite::OPEN_READWRITE);
        db.exec("UPDATE checkpoints SET checkpoint_value = 'soon' WHERE system_code = 'PYXIS'");
    }
    RunResult result = seeded.run({"state", "check"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.out, Catch::Contains("checkpoint_values") && Catch::Contains("FAILED"));
}

TEST_CASE("a state file newer than the binary exits 4 naming both versions", "[e2e][exit_code]") {
    SeededState seeded;
    {
        SQLite::Database db(seeded.state(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 7");
    }
    std::string before = snapshot(seeded.state());
    RunResult result = seeded.run({"mapping", "list"});
    CHECK(result.exit_code == 4);
    CHECK_THAT(result.err, Catch::Contains("schema version 7") && Catch::Contains("(2)"));
    CHECK(snapshot(seeded.state()) == before);
}
