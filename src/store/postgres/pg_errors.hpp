// PostgreSQL's failures in salesint's exit codes and plain words (README,
// "Exit codes"): what a SQLite file's failures are in sqlite_errors.hpp.
#pragma once

#include "pg_connection.hpp"
#include "salesint/errors.hpp"

namespace salesint::store::pg {

// The Error for a failure of the PostgreSQL state at server (described,
// never with a password).
Error translate_pg_error(const PgError& error, const std::string& server);

}  // namespace salesint::store::pg
