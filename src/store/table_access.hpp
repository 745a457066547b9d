// Whole tables, every tenant, as text: what `state copy` moves from one
// backend to the other (state_copy.cpp). Both stores implement it; nothing
// above the store sees it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace salesint::store {

// One value: NULL, or its text (a blob column's bytes).
struct Cell {
    bool null = true;
    std::string value;
};
using Row = std::vector<Cell>;

// The columns that hold bytes rather than text.
bool is_blob_column(const std::string& table, const std::string& column);

class TableAccess {
  public:
    virtual ~TableAccess() = default;
    // The table's columns in their order.
    virtual std::vector<std::string> table_columns(const std::string& table) = 0;
    // Rows of every tenant.
    virtual std::int64_t count_all_rows(const std::string& table) = 0;
    // Runs fn with one consistent view of the whole state for its reads,
    // while other processes may keep writing.
    virtual void read_snapshot(const std::function<void()>& fn) = 0;
    // Every row of table (every tenant), in the order of its id when it has one.
    virtual void read_rows(const std::string& table, const std::vector<std::string>& columns,
                           const std::function<void(const Row&)>& fn) = 0;
    // Inserts rows as they are, ids included (inside Store::write).
    virtual void insert_rows(const std::string& table, const std::vector<std::string>& columns,
                             const std::vector<Row>& rows) = 0;
    // Once every row is in (inside the same write): a PostgreSQL state moves
    // its identities past the ids copied.
    virtual void finish_copy() {}
};

}  // namespace salesint::store
