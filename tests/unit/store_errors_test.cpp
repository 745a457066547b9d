// The store's words for SQLite's failures and its rules for the file on disk,
// without the binary: which failures mean a damaged file, a header damaged on
// a file that is ours, the mode rule, and a backup of every tenant.
#include <sqlite3.h>
#include <sys/stat.h>

#include <SQLiteCpp/Exception.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "salesint/domain/connectors.hpp"
#include "salesint/domain/state.hpp"
#include "salesint/errors.hpp"
#include "salesint/store.hpp"
#include "store/file_modes.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::TempDir;

namespace {

std::unique_ptr<Store> open(const std::string& path, const std::string& tenant = "default") {
    return test::open_at(path, tenant);
}

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
              "the state file " + dir.state() +
                  " is damaged (what SQLite said); run 'salesint state check' and restore from a "
                  "backup ('salesint state backup')");
    }
}

TEST_CASE("'not a database' is damage only on a file that carries our application_id",
          "[store][errors]") {
    TempDir dir;
    salesint::test::write_file(dir.file("text.db"), "some text, never a database\n");
    CHECK(translate(SQLITE_NOTADB, dir.file("text.db")).code() == ExitCode::kUsage);
    open(dir.state());
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
    open(dir.state());
    overwrite_header(dir.state());
    try {
        open(dir.state());
        FAIL("opened a state file with a damaged header");
    } catch (const StateDamaged& damaged) {
        CHECK(damaged.code() == ExitCode::kRefused);
        CHECK(damaged.detail() == "file is not a database");
    }
    std::unique_ptr<Store> store;
    auto findings = state::check([&]() -> Store& {
        store = open(dir.state());
        return *store;
    });
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].check == kIntegrityCheck);
    CHECK_FALSE(findings[0].ok);
    CHECK(findings[0].detail == "file is not a database");
}

TEST_CASE("the mode rule: ours is tightened, another user's refused unless private",
          "[store][modes]") {
    using store::mode_action;
    using store::ModeAction;
    CHECK(mode_action(1000, 1000, 0600) == ModeAction::kKeep);
    CHECK(mode_action(1000, 1000, 0400) == ModeAction::kKeep);
    CHECK(mode_action(1000, 1000, 0644) == ModeAction::kTighten);
    CHECK(mode_action(1000, 1000, 0660) == ModeAction::kTighten);
    CHECK(mode_action(1000, 1000, 0602) == ModeAction::kTighten);
    CHECK(mode_action(1001, 1000, 0644) == ModeAction::kRefuse);
    CHECK(mode_action(1001, 1000, 0620) == ModeAction::kRefuse);
    // Only root opens another user's 0600 file; it is used as it is.
    CHECK(mode_action(1001, 0, 0600) == ModeAction::kKeep);
    CHECK(mode_action(1001, 0, 0640) == ModeAction::kRefuse);
}

TEST_CASE("a backup holds every tenant, with mode 0600", "[store][backup]") {
    TempDir dir;
    Connector connector;
    connector.system_code = "PYXIS";
    connectors::add(*open(dir.state(), "acme"), connector);
    connector.system_code = "TEMPO";
    connectors::add(*open(dir.state(), "globex"), connector);

    BackupReport report = open(dir.state(), "acme")->backup_to(dir.file("copy.db"), false);
    CHECK(report.path == dir.file("copy.db"));
    CHECK(report.schema_version == current_schema_version());
    struct stat status {};
    REQUIRE(::stat(dir.file("copy.db").c_str(), &status) == 0);
    CHECK(report.bytes == status.st_size);
    CHECK((status.st_mode & 0777) == 0600);
    CHECK(open(dir.file("copy.db"), "acme")->find_connector("PYXIS"));
    CHECK(open(dir.file("copy.db"), "globex")->find_connector("TEMPO"));
    CHECK(salesint::test::snapshot(dir.file("copy.db")) == salesint::test::snapshot(dir.state()));
}
