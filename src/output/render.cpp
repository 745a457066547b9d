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

// CSV leaves null empty, unlike text's "-", so that scripts can tell them apart.
std::string csv_cell(const OrderedJson& value) {
    return value.is_null() ? std::string() : csv_quote(cell_text(value));
}

const OrderedJson& field(const OrderedJson& row, const std::string& key) {
    static const OrderedJson kNull;
    auto found = row.find(key);
    return found == row.end() ? kNull : *found;
}

void write_csv_line(std::ostream& out, const std::vector<std::string>& fields) {
    out << join(fields, ",") << "\r\n";
}

// Indents every line of a pretty-printed row for its place inside the array.
void write_indented(std::ostream& out, const std::string& text) {
    out << "  ";
    for (char c : text) {
        out << c;
        if (c == '\n') {
            out << "  ";
        }
    }
}

// JSON text of a value. Bytes that are not UTF-8 (which salesint never
// writes, but an old or hand-edited state file may hold) come out as U+FFFD
// rather than failing the whole listing.
std::string json_of(const OrderedJson& value, int indent = -1) {
    return value.dump(indent, ' ', false, OrderedJson::error_handler_t::replace);
}

bool is_nested(const OrderedJson& value) {
    return (value.is_object() || value.is_array()) && !value.empty();
}

void write_summary(std::ostream& out, const OrderedJson& value, std::size_t indent);

// An array's items, one "- item" line each; a nested item's own lines follow,
// indented under it.
void write_items(std::ostream& out, const OrderedJson& array, std::size_t indent) {
    const std::string pad(indent, ' ');
    for (const auto& item : array) {
        if (is_nested(item)) {
            out << pad << "-\n";
            write_summary(out, item, indent + 2);
        } else {
            out << pad << "- " << escape_control(cell_text(item)) << '\n';
        }
    }
}

void write_summary(std::ostream& out, const OrderedJson& value, std::size_t indent) {
    if (value.is_array()) {
        write_items(out, value, indent);
        return;
    }
    const std::string pad(indent, ' ');
    std::size_t width = 0;
    for (const auto& item : value.items()) {
        if (!is_nested(item.value())) {
            width = std::max(width, display_width(item.key()));
        }
    }
    for (const auto& item : value.items()) {
        const std::string key = escape_control(item.key());
        if (is_nested(item.value())) {
            out << pad << key << ":\n";
            write_summary(out, item.value(), indent + 2);
        } else {
            out << pad << key << ':' << std::string(width - display_width(item.key()) + 1, ' ')
                << escape_control(cell_text(item.value())) << '\n';
        }
    }
}

}  // namespace

void render_summary(std::ostream& out, const OrderedJson& object) {
    write_summary(out, object, 0);
}

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

std::string cell_text(const OrderedJson& value) {
    if (value.is_null()) {
        return "-";
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    return json_of(value);
}

RowWriter::RowWriter(std::ostream& out, OutputFormat format, std::vector<Column> columns)
    : out_(out), format_(format), columns_(std::move(columns)) {
    if (format_ == OutputFormat::kCsv) {
        std::vector<std::string> keys;
        for (const auto& column : columns_) {
            keys.push_back(csv_quote(column.key));
        }
        write_csv_line(out_, keys);
    }
}

void RowWriter::add(const OrderedJson& row) {
    switch (format_) {
        case OutputFormat::kJson:
            out_ << (count_ == 0 ? "[\n" : ",\n");
            write_indented(out_, json_of(row, 2));
            break;
        case OutputFormat::kNdjson:
            out_ << json_of(row) << '\n';
            break;
        case OutputFormat::kCsv: {
            std::vector<std::string> fields;
            for (const auto& column : columns_) {
                fields.push_back(csv_cell(field(row, column.key)));
            }
            write_csv_line(out_, fields);
            break;
        }
        case OutputFormat::kText: {
            std::vector<std::string> cells;
            for (const auto& column : columns_) {
                cells.push_back(escape_control(cell_text(field(row, column.key))));
            }
            text_cells_.push_back(std::move(cells));
            break;
        }
    }
    ++count_;
}

void RowWriter::finish() {
    if (format_ == OutputFormat::kJson) {
        out_ << (count_ == 0 ? "[]\n" : "\n]\n");
        return;
    }
    if (format_ != OutputFormat::kText) {
        return;
    }
    std::vector<std::size_t> widths;
    std::vector<std::string> header;
    for (const auto& column : columns_) {
        header.push_back(column.header);
        widths.push_back(display_width(column.header));
    }
    for (const auto& cells : text_cells_) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            widths[i] = std::max(widths[i], display_width(cells[i]));
        }
    }
    auto write_line = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            line += cells[i];
            if (i + 1 < cells.size()) {
                line.append(widths[i] - display_width(cells[i]) + 2, ' ');
            }
        }
        line += '\n';
        out_ << line;
    };
    write_line(header);
    for (const auto& cells : text_cells_) {
        write_line(cells);
    }
}

void render_rows(std::ostream& out, OutputFormat format, const std::vector<Column>& columns,
                 const OrderedJson& rows) {
    RowWriter writer(out, format, columns);
    for (const auto& row : rows) {
        writer.add(row);
    }
    writer.finish();
}

void render_object(std::ostream& out, OutputFormat format, const OrderedJson& object) {
    switch (format) {
        case OutputFormat::kJson:
            out << json_of(object, 2) << '\n';
            return;
        case OutputFormat::kNdjson:
            out << json_of(object) << '\n';
            return;
        case OutputFormat::kCsv: {
            std::vector<Column> columns;
            for (const auto& item : object.items()) {
                columns.push_back({item.key(), item.key()});
            }
            render_rows(out, format, columns, OrderedJson::array({object}));
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
