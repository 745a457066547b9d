// Where the state lives: a SQLite file's path, or the URL of a PostgreSQL
// database (README, "When one machine is not enough").
#pragma once

#include <string>
#include <string_view>

namespace salesint {

// True for postgresql:// and postgres:// URLs; anything else is a path.
bool is_database_url(std::string_view state);

// The state as output, logs and messages show it: a path as given; a URL
// without its password (user:password@ becomes user@, a password=
// parameter is left out). Prefer a ~/.pgpass file or PGPASSWORD to either.
std::string printable_state(const std::string& state);

}  // namespace salesint
