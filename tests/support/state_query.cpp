#include "state_query.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <libpq-fe.h>

#include <memory>
#include <stdexcept>

namespace salesint::test {

namespace {

constexpr Oid kByteaOid = 17;  // pg_type.oid of bytea

bool is_postgres_url(const std::string& state) {
    return state.rfind("postgresql://", 0) == 0 || state.rfind("postgres://", 0) == 0;
}

// `?` placeholders as PostgreSQL's $1, $2, ...; those in quotes stay.
std::string numbered_placeholders(const std::string& sql) {
    std::string out;
    int next = 1;
    char quote = '\0';
    for (char c : sql) {
        if (quote != '\0') {
            quote = c == quote ? '\0' : quote;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?') {
            out += "$" + std::to_string(next++);
            continue;
        }
        out += c;
    }
    return out;
}

std::vector<Row> postgres_rows(const std::string& url, const std::string& sql,
                               const std::vector<std::string>& params) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        throw std::runtime_error("cannot connect to " + url + ": " + PQerrorMessage(conn.get()));
    }
    std::vector<const char*> values;
    for (const auto& param : params) {
        values.push_back(param.c_str());
    }
    std::unique_ptr<PGresult, decltype(&PQclear)> result(
        PQexecParams(conn.get(), numbered_placeholders(sql).c_str(),
                     static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0),
        &PQclear);
    ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw std::runtime_error("PostgreSQL: " + sql + ": " + PQerrorMessage(conn.get()));
    }
    std::vector<Row> rows;
    for (int r = 0; r < PQntuples(result.get()); ++r) {
        Row row;
        for (int c = 0; c < PQnfields(result.get()); ++c) {
            if (PQgetisnull(result.get(), r, c)) {
                row.emplace_back(std::nullopt);
                continue;
            }
            const char* text = PQgetvalue(result.get(), r, c);
            if (PQftype(result.get(), c) != kByteaOid) {
                row.emplace_back(std::string(text, PQgetlength(result.get(), r, c)));
                continue;
            }
            // bytea comes as \x<hex>: its bytes, as SQLite returns a BLOB's.
            std::size_t length = 0;
            std::unique_ptr<unsigned char, decltype(&PQfreemem)> bytes(
                PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &length), &PQfreemem);
            if (!bytes) {
                throw std::runtime_error("PQunescapeBytea failed");
            }
            row.emplace_back(std::string(reinterpret_cast<const char*>(bytes.get()), length));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<Row> sqlite_rows(const std::string& path, const std::string& sql,
                             const std::vector<std::string>& params, bool write) {
    // A busy timeout: the binary under test may hold the write lock a moment.
    SQLite::Database db(path, write ? SQLite::OPEN_READWRITE : SQLite::OPEN_READONLY, 5000);
    SQLite::Statement query(db, sql);
    for (std::size_t i = 0; i < params.size(); ++i) {
        query.bind(static_cast<int>(i + 1), params[i]);
    }
    std::vector<Row> rows;
    while (query.executeStep()) {
        Row row;
        for (int c = 0; c < query.getColumnCount(); ++c) {
            // getString() is binary-safe: a BLOB's bytes, whatever they are.
            row.emplace_back(query.getColumn(c).isNull() ? Field{}
                                                         : Field{query.getColumn(c).getString()});
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<Row> rows_of(const std::string& state, const std::string& sql,
                         const std::vector<std::string>& params, bool write) {
    return is_postgres_url(state) ? postgres_rows(state, sql, params)
                                  : sqlite_rows(state, sql, params, write);
}

}  // namespace

std::vector<Row> state_query(const std::string& state, const std::string& sql,
                             const std::vector<std::string>& params) {
    return rows_of(state, sql, params, false);
}

Field state_scalar(const std::string& state, const std::string& sql,
                   const std::vector<std::string>& params) {
    std::vector<Row> rows = state_query(state, sql, params);
    if (rows.empty() || rows.front().empty()) {
        return std::nullopt;
    }
    return rows.front().front();
}

long long state_count(const std::string& state, const std::string& sql,
                      const std::vector<std::string>& params) {
    Field value = state_scalar(state, sql, params);
    if (!value) {
        throw std::runtime_error("no number from: " + sql);
    }
    return std::stoll(*value);
}

std::vector<std::string> state_column(const std::string& state, const std::string& sql,
                                      const std::vector<std::string>& params) {
    std::vector<std::string> values;
    for (const auto& row : state_query(state, sql, params)) {
        values.push_back(row.empty() ? "" : text_of(row.front()));
    }
    return values;
}

void state_exec(const std::string& state, const std::string& sql,
                const std::vector<std::string>& params) {
    rows_of(state, sql, params, true);
}

}  // namespace salesint::test
