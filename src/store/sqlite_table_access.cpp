// TableAccess for the SQLite file: `state copy` reads and writes whole tables
// through it (state_copy.cpp).
#include <sqlite3.h>

#include <SQLiteCpp/Statement.h>

#include "sqlite_store.hpp"

namespace salesint::store {
namespace {

std::string column_list(const std::vector<std::string>& columns) {
    std::string list;
    for (const std::string& column : columns) {
        list += (list.empty() ? "" : ", ") + column;
    }
    return list;
}

}  // namespace

std::vector<std::string> SqliteStore::table_columns(const std::string& table) {
    SQLite::Statement query(db_, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
    query.bind(1, table);
    std::vector<std::string> columns;
    while (query.executeStep()) {
        columns.push_back(query.getColumn(0).getString());
    }
    return columns;
}

std::int64_t SqliteStore::count_all_rows(const std::string& table) {
    return db_.execAndGet("SELECT count(*) FROM " + table).getInt64();
}

void SqliteStore::read_snapshot(const std::function<void()>& fn) {
    db_.exec("BEGIN");  // deferred: the first read starts the snapshot
    try {
        db_.execAndGet("SELECT count(*) FROM sqlite_master");
        fn();
    } catch (...) {
        sqlite3_exec(db_.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    db_.exec("COMMIT");
}

void SqliteStore::read_rows(const std::string& table, const std::vector<std::string>& columns,
                            const std::function<void(const Row&)>& fn) {
    const bool has_id = std::find(columns.begin(), columns.end(), "id") != columns.end();
    SQLite::Statement query(
        db_, "SELECT " + column_list(columns) + " FROM " + table + (has_id ? " ORDER BY id" : ""));
    Row row(columns.size());
    while (query.executeStep()) {
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const SQLite::Column column = query.getColumn(static_cast<int>(i));
            row[i].null = column.isNull();
            if (row[i].null) {
                row[i].value.clear();
            } else if (is_blob_column(table, columns[i])) {
                row[i].value.assign(static_cast<const char*>(column.getBlob()),
                                    static_cast<std::size_t>(column.getBytes()));
            } else {
                row[i].value = column.getString();
            }
        }
        fn(row);
    }
}

void SqliteStore::insert_rows(const std::string& table, const std::vector<std::string>& columns,
                              const std::vector<Row>& rows) {
    std::string placeholders;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        placeholders += i == 0 ? "?" : ", ?";
    }
    // Values arrive as text: the columns' affinity turns numbers back into
    // integers, as the view outbox's trigger does for outbox_rows.
    SQLite::Statement insert(db_, "INSERT INTO " + table + " (" + column_list(columns) +
                                      ") VALUES (" + placeholders + ")");
    for (const Row& row : rows) {
        insert.reset();
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const int index = static_cast<int>(i) + 1;
            if (row[i].null) {
                insert.bind(index);
            } else if (is_blob_column(table, columns[i])) {
                insert.bind(index, row[i].value.data(), static_cast<int>(row[i].value.size()));
            } else {
                insert.bind(index, row[i].value);
            }
        }
        insert.exec();
    }
}

}  // namespace salesint::store
