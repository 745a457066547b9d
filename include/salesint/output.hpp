// Rendering results for people (aligned text) and for scripts (json, ndjson,
// csv). Commands build rows as JSON objects and say which keys to show.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace salesint {

enum class OutputFormat { kText, kJson, kNdjson, kCsv };

std::optional<OutputFormat> parse_output_format(const std::string& text);

// A column of a listing: the key in each row object and its text header.
struct Column {
    std::string key;
    std::string header;
};

// A listing: text is a table with a header line (columns only), json an array
// of full row objects, ndjson one object per line, csv a header of keys and
// one record per row (RFC 4180).
void render_rows(std::ostream& out, OutputFormat format, const std::vector<Column>& columns,
                 const nlohmann::json& rows);

// One object: text is "key: value" lines, json an object, ndjson one line,
// csv a header and one record.
void render_object(std::ostream& out, OutputFormat format, const nlohmann::json& object);

// A cell as text shows it: strings as is, null as "-", the rest as JSON.
std::string cell_text(const nlohmann::json& value);

}  // namespace salesint
