// The migrations (src/store/migrations.cpp) as the store applies them: from
// an empty file, once, and never to a file with a newer schema.
#include <SQLiteCpp/Database.h>

#include <catch2/catch.hpp>

#include "salesint/errors.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::open_at;
using salesint::test::TempDir;

TEST_CASE("migrations run from an empty (zero-byte) file and only once", "[store]") {
    TempDir dir;
    salesint::test::write_file(dir.state(), "");
    REQUIRE(open_at(dir.state())->applied_migrations() == std::vector<int>{1, 2, 3, 4});
    CHECK(open_at(dir.state())->applied_migrations().empty());
}

TEST_CASE("a state file with a newer schema is refused, naming both versions", "[store]") {
    TempDir dir;
    open_at(dir.state());
    {
        SQLite::Database db(dir.state(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 99");
    }
    try {
        open_at(dir.state());
        FAIL("opened a newer state file");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kRefused);
        CHECK_THAT(e.what(), Catch::Contains("99") && Catch::Contains("(4)"));
    }
}
