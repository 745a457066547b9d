// state backup through SQLite's online backup API (src/store/sqlite_backup.cpp):
// the whole file, every tenant, private.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "salesint/domain/connectors.hpp"
#include "salesint/store.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::open_at;
using salesint::test::TempDir;

TEST_CASE("a backup holds every tenant, with mode 0600", "[store][backup]") {
    TempDir dir;
    Connector connector;
    connector.system_code = "PYXIS";
    connectors::add(*open_at(dir.state(), "acme"), connector);
    connector.system_code = "TEMPO";
    connectors::add(*open_at(dir.state(), "globex"), connector);

    BackupReport report = open_at(dir.state(), "acme")->backup_to(dir.file("copy.db"), false);
    CHECK(report.path == dir.file("copy.db"));
    CHECK(report.schema_version == current_schema_version());
    struct stat status {};
    REQUIRE(::stat(dir.file("copy.db").c_str(), &status) == 0);
    CHECK(report.bytes == status.st_size);
    CHECK((status.st_mode & 0777) == 0600);
    CHECK(open_at(dir.file("copy.db"), "acme")->find_connector("PYXIS"));
    CHECK(open_at(dir.file("copy.db"), "globex")->find_connector("TEMPO"));
    CHECK(salesint::test::snapshot(dir.file("copy.db")) == salesint::test::snapshot(dir.state()));
}
