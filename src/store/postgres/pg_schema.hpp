// The schema of a PostgreSQL state: the same tables, columns and version
// numbers as the SQLite state file (src/store/migrations.cpp), written in
// PostgreSQL's dialect.
#pragma once

#include <vector>

#include "../migrations.hpp"

namespace salesint::store::pg {

// A PostgreSQL state starts at version 7, the first that this backend
// shipped with: its first migration creates the schema of version 7 whole.
// Later versions are appended to both lists.
const std::vector<Migration>& pg_migrations();

}  // namespace salesint::store::pg
