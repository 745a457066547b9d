#include "pg_state.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <vector>

namespace salesint::test {

namespace {

constexpr const char* kPort = "54329";  // as in tests/support/pg_server.sh

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// The socket directory of the fixture's server, from the file SALESINT_TEST_PG names.
std::string socket_dir() {
    const char* file = std::getenv("SALESINT_TEST_PG");
    if (file == nullptr || *file == '\0') {
        throw std::runtime_error(
            "SALESINT_TEST_BACKEND=postgresql but SALESINT_TEST_PG is not set: run the "
            "test through ctest, whose fixture `postgres` starts the server");
    }
    std::ifstream in(file);
    std::string dir;
    if (!std::getline(in, dir) || dir.empty()) {
        throw std::runtime_error(std::string("no PostgreSQL test server: ") + file +
                                 " is missing or empty (did the ctest fixture postgres/start "
                                 "run and pass?)");
    }
    return dir;
}

std::string url_of(const std::string& database) {
    return "postgresql://salesint@/" + database + "?host=" + socket_dir() + "&port=" + kPort;
}

Connection connect(const std::string& url) {
    Connection conn(PQconnectdb(url.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        throw std::runtime_error("cannot connect to the PostgreSQL test server at " + url + ": " +
                                 PQerrorMessage(conn.get()));
    }
    return conn;
}

Result exec(PGconn* conn, const std::string& sql) {
    Result result(PQexec(conn, sql.c_str()), &PQclear);
    ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw std::runtime_error("PostgreSQL: " + sql + ": " + PQerrorMessage(conn));
    }
    return result;
}

std::vector<std::string> lines_of(const PGresult* result) {
    std::vector<std::string> lines;
    for (int row = 0; row < PQntuples(result); ++row) {
        std::string line;
        for (int column = 0; column < PQnfields(result); ++column) {
            line += PQgetisnull(result, row, column) ? "NULL" : PQgetvalue(result, row, column);
            line += "|";
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

std::string quoted(PGconn* conn, const std::string& identifier) {
    std::unique_ptr<char, decltype(&PQfreemem)> escaped(
        PQescapeIdentifier(conn, identifier.c_str(), identifier.size()), &PQfreemem);
    if (!escaped) {
        throw std::runtime_error(std::string("PostgreSQL: ") + PQerrorMessage(conn));
    }
    return escaped.get();
}

// The database name in a URL postgres_state_url() made.
std::string database_of(const std::string& url) {
    auto begin = url.find("@/");
    auto end = url.find('?');
    if (begin == std::string::npos || end == std::string::npos || end < begin) {
        throw std::runtime_error("not a test database URL: " + url);
    }
    return url.substr(begin + 2, end - begin - 2);
}

}  // namespace

bool postgres_backend() {
    const char* backend = std::getenv("SALESINT_TEST_BACKEND");
    return backend != nullptr && std::string(backend) == "postgresql";
}

std::string postgres_server_url() {
    return url_of("postgres");
}

std::string postgres_state_url() {
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device random;
    std::uniform_int_distribution<std::size_t> pick(0, sizeof digits - 2);
    std::string name = "t_";
    for (int i = 0; i < 12; ++i) {
        name += digits[pick(random)];
    }
    Connection conn = connect(postgres_server_url());
    exec(conn.get(), "CREATE DATABASE " + name);
    return url_of(name);
}

void drop_postgres_state(const std::string& url) {
    Connection conn = connect(postgres_server_url());
    exec(conn.get(),
         "DROP DATABASE IF EXISTS " + quoted(conn.get(), database_of(url)) + " WITH (FORCE)");
}

std::string postgres_query(const std::string& url, const std::string& sql) {
    Connection conn = connect(url);
    std::string text;
    for (const auto& line : lines_of(exec(conn.get(), sql).get())) {
        text += line + "\n";
    }
    return text;
}

std::string postgres_snapshot(const std::string& url) {
    Connection conn = connect(url);
    // The PostgreSQL store keeps its version in schema_version(version integer).
    std::string version = "0";
    if (!PQgetisnull(exec(conn.get(), "SELECT to_regclass('public.schema_version')").get(), 0, 0)) {
        Result max = exec(conn.get(), "SELECT coalesce(max(version), 0) FROM schema_version");
        version = PQgetvalue(max.get(), 0, 0);
    }
    std::string out = "schema_version=" + version + "\n";
    Result tables = exec(conn.get(),
                         "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                         "ORDER BY tablename COLLATE \"C\"");
    for (const auto& line : lines_of(tables.get())) {
        std::string table = line.substr(0, line.size() - 1);  // less the '|'
        out += "[" + table + "]\n";
        // Sorted as text: the snapshot compares content, not physical order.
        std::vector<std::string> rows =
            lines_of(exec(conn.get(), "SELECT * FROM public." + quoted(conn.get(), table)).get());
        std::sort(rows.begin(), rows.end());
        for (const auto& row : rows) {
            out += row + "\n";
        }
    }
    return out;
}

}  // namespace salesint::test
