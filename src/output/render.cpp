#include <algorithm>
#include <ostream>

#include "salesint/output.hpp"
#include "salesint/util/strings.hpp"

namespace salesint {
namespace {

// Display width of UTF-8 text: one column per code point (no wide glyphs in
// our data worth a table of their own).
std::size_t display_width(const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') {
            quoted += '"';
        }
        quoted += c;
    }
    return quoted + "\"";
}

// CSV leaves null empty, unlike text's "-", so that scripts can tell them apart.
std::string csv_cell(const nlohmann::json& value) {
    return value.is_null() ? std::string() : csv_field(cell_text(value));
}

void write_csv(std::ostream& out, const std::vector<std::string>& keys,
               const nlohmann::json& rows) {
    out << join(
               [&] {
                   std::vector<std::string> header;
                   for (const auto& key : keys) {
                       header.push_back(csv_field(key));
                   }
                   return header;
               }(),
               ",")
        << "\r\n";
    for (const auto& row : rows) {
        std::vector<std::string> fields;
        for (const auto& key : keys) {
            fields.push_back(csv_cell(row.contains(key) ? row.at(key) : nlohmann::json()));
        }
        out << join(fields, ",") << "\r\n";
    }
}

}  // namespace

std::optional<OutputFormat> parse_output_format(const std::string& text) {
    if (text == "text")
        return OutputFormat::kText;
    if (text == "json")
        return OutputFormat::kJson;
    if (text == "ndjson")
        return OutputFormat::kNdjson;
    if (text == "csv")
        return OutputFormat::kCsv;
    return std::nullopt;
}

std::string cell_text(const nlohmann::json& value) {
    if (value.is_null()) {
        return "-";
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    return value.dump();
}

void render_rows(std::ostream& out, OutputFormat format, const std::vector<Column>& columns,
                 const nlohmann::json& rows) {
    switch (format) {
        case OutputFormat::kJson:
            out << rows.dump(2) << '\n';
            return;
        case OutputFormat::kNdjson:
            for (const auto& row : rows) {
                out << row.dump() << '\n';
            }
            return;
        case OutputFormat::kCsv: {
            std::vector<std::string> keys;
            for (const auto& column : columns) {
                keys.push_back(column.key);
            }
            write_csv(out, keys, rows);
            return;
        }
        case OutputFormat::kText:
            break;
    }
    std::vector<std::vector<std::string>> cells;
    std::vector<std::size_t> widths;
    std::vector<std::string> header;
    for (const auto& column : columns) {
        header.push_back(column.header);
        widths.push_back(display_width(column.header));
    }
    for (const auto& row : rows) {
        std::vector<std::string> line;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const auto& key = columns[i].key;
            line.push_back(
                escape_control(cell_text(row.contains(key) ? row.at(key) : nlohmann::json())));
            widths[i] = std::max(widths[i], display_width(line.back()));
        }
        cells.push_back(std::move(line));
    }
    auto write_line = [&](const std::vector<std::string>& line) {
        std::string text;
        for (std::size_t i = 0; i < line.size(); ++i) {
            text += line[i];
            if (i + 1 < line.size()) {
                text += std::string(widths[i] - display_width(line[i]) + 2, ' ');
            }
        }
        out << text << '\n';
    };
    write_line(header);
    for (const auto& line : cells) {
        write_line(line);
    }
}

void render_object(std::ostream& out, OutputFormat format, const nlohmann::json& object) {
    switch (format) {
        case OutputFormat::kJson:
            out << object.dump(2) << '\n';
            return;
        case OutputFormat::kNdjson:
            out << object.dump() << '\n';
            return;
        case OutputFormat::kCsv: {
            std::vector<std::string> keys;
            for (const auto& item : object.items()) {
                keys.push_back(item.key());
            }
            write_csv(out, keys, nlohmann::json::array({object}));
            return;
        }
        case OutputFormat::kText:
            break;
    }
    std::size_t width = 0;
    for (const auto& item : object.items()) {
        width = std::max(width, item.key().size());
    }
    for (const auto& item : object.items()) {
        out << item.key() << ':' << std::string(width - item.key().size() + 1, ' ')
            << escape_control(cell_text(item.value())) << '\n';
    }
}

}  // namespace salesint
