// The store's words for SQLite's failures (src/store/sqlite_errors.cpp and
// translate_store_exception): which failures mean a damaged file, a header
// damaged on a file that is ours, and the exit codes of the others.
#include <sqlite3.h>

#include <SQLiteCpp/Exception.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "salesint/domain/state.hpp"
#include "salesint/errors.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::open_at;
using salesint::test::TempDir;

namespace {

Error translate(int code, const std::string& path) {
    auto translated = translate_store_exception(SQLite::Exception("what SQLite said", code), path);
    REQUIRE(translated);
    return *translated;
}

void overwrite_header(const std::string& path) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.write("not SQLite, no!", 15);
    REQUIRE(file.good());
}

}  // namespace

TEST_CASE("corrupt pages and failed page reads mean a damaged state file", "[store][errors]") {
    TempDir dir;
    for (int code :
         {SQLITE_CORRUPT, SQLITE_CORRUPT_INDEX, SQLITE_IOERR_READ, SQLITE_IOERR_SHORT_READ}) {
        INFO("SQLite code " << code);
        Error error = translate(code, dir.state());
        CHECK(error.code() == ExitCode::kRefused);
        CHECK(std::string(error.what()) ==
              "the state file " + dir.state() + " is damaged (what SQLite said)");
    }
}

TEST_CASE("'not a database' is damage only on a file that carries our application_id",
          "[store][errors]") {
    TempDir dir;
    salesint::test::write_file(dir.file("text.db"), "some text, never a database\n");
    CHECK(translate(SQLITE_NOTADB, dir.file("text.db")).code() == ExitCode::kUsage);
    open_at(dir.state());
    CHECK(translate(SQLITE_NOTADB, dir.state()).code() == ExitCode::kRefused);
}

TEST_CASE("failures to write, locks and refusals keep their own exit codes", "[store][errors]") {
    TempDir dir;
    CHECK(translate(SQLITE_IOERR_WRITE, dir.state()).code() == ExitCode::kTransient);
    CHECK(translate(SQLITE_FULL, dir.state()).code() == ExitCode::kTransient);
    CHECK(translate(SQLITE_BUSY, dir.state()).code() == ExitCode::kTransient);
    CHECK(translate(SQLITE_CONSTRAINT_UNIQUE, dir.state()).code() == ExitCode::kRefused);
    CHECK(translate(SQLITE_READONLY, dir.state()).code() == ExitCode::kUsage);
    CHECK_FALSE(translate_store_exception(std::runtime_error("not SQLite"), dir.state()));
}

TEST_CASE("a state file with a damaged header is damaged, and a failed check", "[store][errors]") {
    TempDir dir;
    open_at(dir.state());
    overwrite_header(dir.state());
    try {
        open_at(dir.state());
        FAIL("opened a state file with a damaged header");
    } catch (const StateDamaged& damaged) {
        CHECK(damaged.code() == ExitCode::kRefused);
        CHECK(damaged.detail() == "file is not a database");
    }
    std::unique_ptr<Store> store;
    auto findings = state::check([&]() -> Store& {
        store = open_at(dir.state());
        return *store;
    });
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].check == kIntegrityCheck);
    CHECK_FALSE(findings[0].ok);
    CHECK(findings[0].detail == "file is not a database");
}
