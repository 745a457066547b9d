// TableAccess for a PostgreSQL state: `state copy` reads and writes whole
// tables through it (state_copy.cpp).
#include <algorithm>

#include "../migrations.hpp"
#include "pg_store.hpp"

namespace salesint::store::pg {
namespace {

// Rows read per query: libpq holds a whole result in memory.
constexpr int kRowsPerPage = 5000;
// Parameters per INSERT, under PostgreSQL's limit of 65,535.
constexpr std::size_t kParametersPerInsert = 30'000;

std::string column_list(const std::vector<std::string>& columns) {
    std::string list;
    for (const std::string& column : columns) {
        list += (list.empty() ? "" : ", ") + column;
    }
    return list;
}

}  // namespace

std::vector<std::string> PgStore::table_columns(const std::string& table) {
    Statement query(db_,
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = ? ORDER BY ordinal_position");
    query.bind(1, table);
    std::vector<std::string> columns;
    while (query.executeStep()) {
        columns.push_back(query.getColumn(0).getString());
    }
    return columns;
}

std::int64_t PgStore::count_all_rows(const std::string& table) {
    Statement query(db_, "SELECT count(*) FROM " + table);
    query.executeStep();
    return query.getColumn(0).getInt64();
}

void PgStore::read_snapshot(const std::function<void()>& fn) {
    db_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
        fn();
    } catch (...) {
        try {
            db_.exec("ROLLBACK");
        } catch (const PgError&) {  // the failure being raised says more
        }
        throw;
    }
    db_.exec("COMMIT");
}

void PgStore::read_rows(const std::string& table, const std::vector<std::string>& columns,
                        const std::function<void(const Row&)>& fn) {
    const auto id = std::find(columns.begin(), columns.end(), "id");
    const bool has_id = id != columns.end();
    const std::string select = "SELECT " + column_list(columns) + " FROM " + table;
    Row row(columns.size());
    std::int64_t after = 0;
    for (;;) {
        // By pages of ids, so that a large table is never held whole.
        Statement query(
            db_, has_id ? select + " WHERE id > ? ORDER BY id LIMIT " + std::to_string(kRowsPerPage)
                        : select);
        if (has_id) {
            query.bind(1, static_cast<long long>(after));
        }
        int rows = 0;
        while (query.executeStep()) {
            ++rows;
            for (std::size_t i = 0; i < columns.size(); ++i) {
                const Column column = query.getColumn(static_cast<int>(i));
                row[i].null = column.isNull();
                row[i].value = row[i].null                         ? std::string()
                               : is_blob_column(table, columns[i]) ? column.getBlob()
                                                                   : column.getString();
            }
            if (has_id) {
                after = query.getColumn(static_cast<int>(id - columns.begin())).getInt64();
            }
            fn(row);
        }
        if (!has_id || rows < kRowsPerPage) {
            return;
        }
    }
}

void PgStore::insert_rows(const std::string& table, const std::vector<std::string>& columns,
                          const std::vector<Row>& rows) {
    const std::size_t per_statement =
        std::max<std::size_t>(1, kParametersPerInsert / columns.size());
    for (std::size_t first = 0; first < rows.size(); first += per_statement) {
        const std::size_t last = std::min(rows.size(), first + per_statement);
        std::string sql = "INSERT INTO " + table + " (" + column_list(columns) + ") VALUES ";
        int parameter = 0;
        for (std::size_t r = first; r < last; ++r) {
            sql += r == first ? "(" : ", (";
            for (std::size_t i = 0; i < columns.size(); ++i) {
                sql += (i == 0 ? "$" : ", $") + std::to_string(++parameter);
            }
            sql += ")";
        }
        Statement insert(db_, sql);
        parameter = 0;
        for (std::size_t r = first; r < last; ++r) {
            for (std::size_t i = 0; i < columns.size(); ++i) {
                const Cell& cell = rows[r][i];
                ++parameter;
                if (cell.null) {
                    insert.bind(parameter);
                } else if (is_blob_column(table, columns[i])) {
                    insert.bindBlob(parameter, cell.value.data(),
                                    static_cast<int>(cell.value.size()));
                } else {
                    // Of no stated type: the server reads the text as the column's type.
                    insert.bindUntyped(parameter, cell.value);
                }
            }
        }
        insert.exec();
    }
}

void PgStore::finish_copy() {
    // Fresh statistics: the planner would otherwise take the copied tables
    // for empty ones.
    db_.exec("ANALYZE");
    for (const char* table : tenant_tables()) {
        const std::vector<std::string> columns = table_columns(table);
        if (std::find(columns.begin(), columns.end(), "id") == columns.end()) {
            continue;
        }
        const std::string name = table;
        db_.exec("SELECT setval(pg_get_serial_sequence('" + name +
                 "', 'id'), coalesce(max(id), 0) + 1, false) FROM " + name);
    }
}

}  // namespace salesint::store::pg
