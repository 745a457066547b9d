// One connection to PostgreSQL, and statements with the shape of SQLiteCpp's
// (bind by index or :name, executeStep, getColumn), so that the PostgreSQL
// store reads like the SQLite one beside it. Parameters are written as in
// SQLite (`?`, `?N`, `:name`) and become PostgreSQL's `$N`; each distinct
// statement is prepared once per connection.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "libpq_api.hpp"

namespace salesint::store::pg {

// A failure PostgreSQL or libpq reported. sqlstate is the server's code
// ("40001"), empty when the connection itself failed.
class PgError : public std::runtime_error {
  public:
    PgError(const std::string& message, std::string sqlstate, bool connection_lost)
        : std::runtime_error(message),
          sqlstate_(std::move(sqlstate)),
          connection_lost_(connection_lost) {}
    const std::string& sqlstate() const { return sqlstate_; }
    bool connection_lost() const { return connection_lost_; }
    // A serialization failure or a deadlock: the transaction may simply be
    // run again.
    bool retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }

  private:
    std::string sqlstate_;
    bool connection_lost_;
};

class Connection {
  public:
    explicit Connection(const std::string& url);  // throws PgError
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // One or more statements without parameters.
    void exec(const std::string& sql);
    // The URL without its password (printable_state), for messages.
    const std::string& server() const { return server_; }
    PGconn* handle() { return conn_; }

    // Runs sql (already in PostgreSQL's $N form) with the given parameters,
    // preparing it first if this connection has not; checks the outcome.
    PGresult* run(const std::string& sql, const std::vector<const char*>& values,
                  const std::vector<int>& lengths, const std::vector<int>& formats,
                  const std::vector<Oid>& types);
    // Throws the PgError for a failed result (and clears it); returns it when
    // it succeeded.
    PGresult* check(PGresult* result);

  private:
    PGconn* conn_ = nullptr;
    std::string server_;
    std::map<std::string, std::string> prepared_;  // sql + parameter types -> name
};

class Column {
  public:
    Column(const PGresult* result, int row, int column)
        : result_(result), row_(row), col_(column) {}
    bool isNull() const;
    const char* getText() const;  // "" for NULL
    std::string getString() const;
    int getInt() const;
    std::int64_t getInt64() const;
    double getDouble() const;
    int getBytes() const;
    // A bytea column's bytes.
    std::string getBlob() const;

  private:
    const PGresult* result_;
    int row_;
    int col_;
};

class Statement {
  public:
    Statement(Connection& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void bind(int index, const std::string& value);
    void bind(int index, const char* value);
    void bind(int index, std::string_view value);
    void bind(int index, int value);
    void bind(int index, long value);
    void bind(int index, long long value);
    void bind(int index, unsigned value);
    void bind(int index, double value);
    void bind(int index);  // NULL
    // Text of no stated type: the server reads it as whatever the statement
    // needs there (a copied row's integers, say).
    void bindUntyped(int index, const std::string& value);
    void bindBlob(int index, const void* data, int size);
    void bind(int index, const void* data, int size) { bindBlob(index, data, size); }
    template <typename... Value>
    void bind(const char* name, Value&&... value) {
        bind(index_of(name), std::forward<Value>(value)...);
    }
    void bindBlob(const char* name, const void* data, int size) {
        bindBlob(index_of(name), data, size);
    }

    // Runs the statement on the first call; true while there is a row.
    bool executeStep();
    // Runs the statement; the number of rows it changed.
    int exec();
    Column getColumn(int index) const { return Column(result_, row_, index); }
    int getColumnCount() const;
    // Forgets the result; the bindings stay.
    void reset();
    void clearBindings();

  private:
    int index_of(const char* name) const;
    void set(int index, std::string value, Oid type, int format);
    void run();

    Connection& db_;
    std::map<std::string, int, std::less<>> names_;  // before sql_, which fills it
    std::string sql_;
    std::vector<std::string> values_;
    std::vector<bool> nulls_;
    std::vector<Oid> types_;
    std::vector<int> formats_;
    PGresult* result_ = nullptr;
    int row_ = -1;
};

}  // namespace salesint::store::pg
