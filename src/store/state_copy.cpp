// `state copy`: a whole state, every tenant, from one backend into another
// (a SQLite file into PostgreSQL when a team outgrows one machine, and back).
#include <sys/stat.h>

#include <algorithm>

#include "file_access.hpp"
#include "migrations.hpp"
#include "salesint/errors.hpp"
#include "salesint/store.hpp"
#include "salesint/util/state_location.hpp"
#include "table_access.hpp"

namespace salesint::store {
namespace {

// Rows handed to the target per insert.
constexpr std::size_t kRowsPerInsert = 1000;

TableAccess& tables_of(Store& store) {
    return dynamic_cast<TableAccess&>(store);  // both backends implement it
}

// The target's columns that the source has too, in the target's order.
std::vector<std::string> shared_columns(TableAccess& source, TableAccess& target,
                                        const std::string& table) {
    const std::vector<std::string> from = source.table_columns(table);
    std::vector<std::string> columns;
    for (const std::string& column : target.table_columns(table)) {
        if (std::find(from.begin(), from.end(), column) != from.end()) {
            columns.push_back(column);
        }
    }
    return columns;
}

void refuse_unless_empty(TableAccess& target, const std::string& shown) {
    std::int64_t rows = 0;
    for (const char* table : tenant_tables()) {
        rows += target.count_all_rows(table);
    }
    if (rows > 0) {
        throw refused(shown + " already holds " + std::to_string(rows) +
                      " rows; a state is copied only into an empty one");
    }
}

CopyReport copy_into(Store& source, Store& target, const std::string& from, const std::string& to) {
    TableAccess& reader = tables_of(source);
    TableAccess& writer = tables_of(target);
    CopyReport report;
    report.from = printable_state(from);
    report.to = printable_state(to);
    report.schema_version = current_schema_version();
    reader.read_snapshot([&] {
        target.write([&] {
            refuse_unless_empty(writer, report.to);
            report.rows = 0;
            report.tables.clear();
            for (const char* table : tenant_tables()) {
                const std::vector<std::string> columns = shared_columns(reader, writer, table);
                std::vector<Row> batch;
                std::int64_t copied = 0;
                reader.read_rows(table, columns, [&](const Row& row) {
                    batch.push_back(row);
                    if (batch.size() == kRowsPerInsert) {
                        writer.insert_rows(table, columns, batch);
                        batch.clear();
                    }
                    ++copied;
                });
                writer.insert_rows(table, columns, batch);
                report.tables.push_back({table, copied});
                report.rows += copied;
            }
            writer.finish_copy();
        });
    });
    return report;
}

}  // namespace

bool is_blob_column(const std::string& table, const std::string& column) {
    return (table == "dlq" && column == "payload") || (table == "inbox" && column == "body") ||
           (table == "job_row_errors" && column == "raw_row");
}

}  // namespace salesint::store

namespace salesint {

CopyReport copy_state(const std::string& from, const std::string& to, int lock_timeout_ms) {
    if (from == to) {
        throw usage_error("cannot copy the state " + printable_state(from) + " onto itself");
    }
    auto source = open_store({from, "default", lock_timeout_ms, false});
    struct stat existing {};
    const bool new_file = !is_database_url(to) && ::stat(to.c_str(), &existing) != 0;
    auto target = open_store({to, "default", lock_timeout_ms, true});
    try {
        return store::copy_into(*source, *target, from, to);
    } catch (...) {
        if (new_file) {
            target.reset();
            store::remove_files(store::sqlite_file_family(to));
        }
        throw;
    }
}

}  // namespace salesint
