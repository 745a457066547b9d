#include "temp_state.hpp"

#include "pg_state.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace salesint::test {

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "salesint-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
    try {
        state_ = postgres_backend() ? postgres_state_url() : file("state.db");
    } catch (...) {
        std::filesystem::remove_all(path_);
        throw;
    }
}

namespace {
bool is_postgres_url(const std::string& state) {
    return state.rfind("postgresql://", 0) == 0;
}
}  // namespace

TempDir::~TempDir() {
    if (is_postgres_url(state_)) {
        try {
            drop_postgres_state(state_);
        } catch (const std::exception& e) {
            std::cerr << "~TempDir: " << e.what() << "\n";
        }
    }
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string snapshot(const std::string& state) {
    if (is_postgres_url(state)) {
        return postgres_snapshot(state);
    }
    SQLite::Database db(state, SQLite::OPEN_READONLY);
    std::ostringstream out;
    out << "user_version=" << db.execAndGet("PRAGMA user_version").getInt() << "\n";
    SQLite::Statement tables(db,
                             "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (tables.executeStep()) {
        std::string table = tables.getColumn(0).getString();
        out << "[" << table << "]\n";
        // Sorted as text: the snapshot compares content, not physical order.
        SQLite::Statement rows(db, "SELECT * FROM \"" + table + "\"");
        std::vector<std::string> lines;
        while (rows.executeStep()) {
            std::string line;
            for (int i = 0; i < rows.getColumnCount(); ++i) {
                line += rows.getColumn(i).isNull() ? std::string("NULL")
                                                   : rows.getColumn(i).getString();
                line += "|";
            }
            lines.push_back(std::move(line));
        }
        std::sort(lines.begin(), lines.end());
        for (const auto& line : lines) {
            out << line << "\n";
        }
    }
    return out.str();
}

void write_file(const std::string& path, const std::string& content) {
    std::ofstream file(path, std::ios::binary);
    file << content;
}

std::string read_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
}

}  // namespace salesint::test
