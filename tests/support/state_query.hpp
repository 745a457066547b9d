// SQL on a state, a SQLite file path or a postgresql:// URL alike, for tests
// that read or adjust rows the commands do not show. Write portable SQL:
// read the outbox through `outbox` (a view in the SQLite file, a table in
// PostgreSQL). Blob columns (dlq.payload, inbox.body: BLOB in SQLite, bytea
// in PostgreSQL) come back as their bytes on both.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace salesint::test {

using Field = std::optional<std::string>;  // std::nullopt: SQL NULL
using Row = std::vector<Field>;

// The rows of one statement, every field as text. params bind to the `?`
// placeholders in order (as text; PostgreSQL casts them to the column type).
// Throws when the state cannot be opened or the statement fails.
std::vector<Row> state_query(const std::string& state, const std::string& sql,
                             const std::vector<std::string>& params = {});

// The first field of the first row; std::nullopt when there is no row or it is NULL.
Field state_scalar(const std::string& state, const std::string& sql,
                   const std::vector<std::string>& params = {});

// The first field of the first row as an integer: SELECT count(*) ...
long long state_count(const std::string& state, const std::string& sql,
                      const std::vector<std::string>& params = {});

// The first field of every row, NULL as "".
std::vector<std::string> state_column(const std::string& state, const std::string& sql,
                                      const std::vector<std::string>& params = {});

// Runs one statement that changes rows (UPDATE, DELETE, INSERT).
void state_exec(const std::string& state, const std::string& sql,
                const std::vector<std::string>& params = {});

// A field's text, NULL as "".
inline std::string text_of(const Field& field) {
    return field.value_or("");
}

}  // namespace salesint::test
