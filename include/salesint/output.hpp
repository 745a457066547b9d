// Rendering results for people (aligned text) and for scripts (json, ndjson,
// csv). Commands build rows as JSON objects and say which keys to show.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "salesint/util/json.hpp"

namespace salesint {

enum class OutputFormat { kText, kJson, kNdjson, kCsv };

std::optional<OutputFormat> parse_output_format(const std::string& text);

// A column of a listing: the key in each row object and its text header.
struct Column {
    std::string key;
    std::string header;
};

// Writes a listing row by row. text is a table with a header line (the
// columns only), json an array of full row objects, ndjson one object per
// line, csv a header of keys and one record per row (RFC 4180). json, ndjson
// and csv rows go out as they come; text keeps only its cells, for the widths.
class RowWriter {
  public:
    RowWriter(std::ostream& out, OutputFormat format, std::vector<Column> columns);
    void add(const OrderedJson& row);
    // Closes the JSON array or prints the text table; call once, at the end.
    void finish();
    std::size_t rows_written() const { return count_; }

  private:
    std::ostream& out_;
    OutputFormat format_;
    std::vector<Column> columns_;
    std::size_t count_ = 0;
    std::vector<std::vector<std::string>> text_cells_;
};

// A whole listing at once (rows is an array).
void render_rows(std::ostream& out, OutputFormat format, const std::vector<Column>& columns,
                 const OrderedJson& rows);

// One object: text is "key: value" lines, json an object, ndjson one line,
// csv a header and one record.
void render_object(std::ostream& out, OutputFormat format, const OrderedJson& object);

// One object for people, nested values included: "key: value" lines with the
// values aligned, an object or array inside as its own lines indented by two
// spaces (array items as "- item"), null as "-". Control characters escaped.
void render_summary(std::ostream& out, const OrderedJson& object);

// A cell as text shows it: strings as is, null as "-", the rest as JSON.
std::string cell_text(const OrderedJson& value);

}  // namespace salesint
