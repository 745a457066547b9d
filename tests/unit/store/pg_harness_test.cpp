// The PostgreSQL test harness (tests/support/pg_state.hpp): under
// SALESINT_TEST_BACKEND=postgresql a TempDir's state is a fresh, empty
// database on the fixture's server, snapshot() reads it, and it is dropped
// with the TempDir. Hidden ([.]): it runs only as ctest's pg/ tests.
#include <catch2/catch.hpp>

#include "support/pg_state.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

std::string database_of(const std::string& url) {
    auto begin = url.find("@/") + 2;
    return url.substr(begin, url.find('?') - begin);
}

std::string databases_named(const std::string& name) {
    return postgres_query(postgres_server_url(),
                          "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'");
}

}  // namespace

TEST_CASE("a TempDir's PostgreSQL state is a fresh database, snapshotted, then dropped",
          "[postgres][.]") {
    REQUIRE(postgres_backend());
    std::string name;
    {
        TempDir dir;
        const std::string& url = dir.state();
        REQUIRE(url.rfind("postgresql://salesint@/t_", 0) == 0);
        name = database_of(url);
        CHECK(databases_named(name) == "1|\n");
        CHECK(snapshot(url) == "schema_version=0\n");

        postgres_query(url,
                       "CREATE TABLE things (id integer PRIMARY KEY, name text);"
                       "INSERT INTO things VALUES (2, 'b'), (1, NULL)");
        CHECK(snapshot(url) == "schema_version=0\n[things]\n1|NULL|\n2|b|\n");

        postgres_query(url,
                       "CREATE TABLE schema_version (version integer);"
                       "INSERT INTO schema_version VALUES (1), (3)");
        CHECK(snapshot(url) ==
              "schema_version=3\n[schema_version]\n1|\n3|\n[things]\n1|NULL|\n2|b|\n");
    }
    CHECK(databases_named(name) == "0|\n");
}

TEST_CASE("two TempDirs get two separate databases", "[postgres][.]") {
    REQUIRE(postgres_backend());
    TempDir first;
    TempDir second;
    REQUIRE(first.state() != second.state());
    postgres_query(first.state(), "CREATE TABLE only_here (x integer)");
    CHECK(snapshot(first.state()) == "schema_version=0\n[only_here]\n");
    CHECK(snapshot(second.state()) == "schema_version=0\n");
}
