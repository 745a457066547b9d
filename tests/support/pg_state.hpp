// Databases on the throwaway PostgreSQL server of the CTest fixture
// `postgres` (tests/support/pg_server.sh), for running tests against a
// PostgreSQL state store.
//
// The contract with tests/CMakeLists.txt: SALESINT_TEST_BACKEND=postgresql
// makes TempDir::state() a fresh database's URL instead of a file path, and
// SALESINT_TEST_PG names the file pg_server.sh start wrote, whose one line is
// the server's socket directory. The server listens on port 54329 there only.
#pragma once

#include <string>

namespace salesint::test {

// True when SALESINT_TEST_BACKEND=postgresql.
bool postgres_backend();

// Creates a fresh, empty database t_<random> on the test server and returns
// its URL: postgresql://salesint@/t_<random>?host=<socket dir>&port=54329.
// Throws with the reason when the server cannot be reached.
std::string postgres_state_url();

// DROP DATABASE ... WITH (FORCE) for a URL postgres_state_url() returned.
void drop_postgres_state(const std::string& url);

// The URL of the server's maintenance database `postgres`.
std::string postgres_server_url();

// Runs sql (one or more statements) on the database at url and returns the
// rows of the last one, one line each, every field (NULL as NULL) followed by
// '|' as in snapshot(). Throws on any error.
std::string postgres_query(const std::string& url, const std::string& sql);

// The schema version and every row of every table of schema public, as text:
// snapshot() for a postgresql:// state.
std::string postgres_snapshot(const std::string& url);

}  // namespace salesint::test
