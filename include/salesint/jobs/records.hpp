// Where `job import` reads records from: a file or stdin as NDJSON, CSV or a
// JSON array, or the connector's HTTP endpoint page by page (README.md, "Import
// and export jobs"). A source hands out records in order, in batches, with
// memory bounded by one batch (and one page), whatever the size of the input.
// A record that cannot be read (a malformed line, a CSV row with the wrong
// number of cells) is handed out too, with its problem, so that one bad line
// never stops or silently shortens a run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "salesint/model.hpp"

namespace salesint::jobs {

enum class RecordFormat { kNdjson, kCsv, kJson };

const char* to_string(RecordFormat format);
std::optional<RecordFormat> parse_record_format(const std::string& text);
// By the file's extension: .csv, .json, anything else (and "-") NDJSON.
RecordFormat format_of_path(const std::string& path);

struct SourceRecord {
    // Where it starts: the line of the file (a CSV record spanning lines:
    // its first), or for pages the record's number counted from 1.
    std::int64_t row = 0;
    // The record as a JSON object's text when it could be read; for CSV, the
    // object built from the header (README.md: dotted names nest, typed
    // columns), for NDJSON the line as it was.
    std::string json;
    // What was read, as it was: the line, the CSV row's text, the page's
    // element. Kept for per-row errors so that a fixed file can be imported
    // again.
    std::string raw;
    // Why it is not a record ("invalid JSON: ... at column 7", "4 cells, the
    // header has 5"); empty when json holds it.
    std::string problem;
    // json already parsed, when the source had to parse it to tell a record
    // from a bad line (NDJSON): the import takes it instead of parsing the
    // text a second time.
    std::optional<nlohmann::json> parsed;
};

class RecordSource {
  public:
    virtual ~RecordSource() = default;
    // Appends up to max records to out; false once the source is exhausted
    // (out may still have received the last ones). Throws Error for what
    // stops the whole source: a file that cannot be read (kUsage), a remote
    // that stays unavailable (kTransient), a refusal (kRefused).
    virtual bool next_batch(std::vector<SourceRecord>& out, std::size_t max) = 0;
    // For messages and the run row: the path, "stdin", or the URL without
    // its query's secrets.
    virtual std::string name() const = 0;
    // The CSV header as read (empty for other formats), so that rows in
    // error can be exported as a CSV file that imports again.
    virtual std::vector<std::string> columns() const { return {}; }
};

// A file ("-": stdin) in the given format. Throws a usage Error naming the
// path when it cannot be opened.
std::unique_ptr<RecordSource> open_file_source(const std::string& path, RecordFormat format);

// The connector's HTTP endpoint (README.md, "Importing from a connector"):
// GET {base_url}/{entity}?limit={page_size}[&since={since}] first, then
// GET {base_url}/{entity}?limit={page_size}&cursor={next_cursor} while the
// answer's "next_cursor" is a non-empty string. An answer is a JSON object
// whose "records" member is an array of objects. Transient failures (network
// errors, timeouts, 408, 429, 5xx) are retried with full-jitter backoff and
// Retry-After; authentication is the connector's (its secret read at call
// time, never shown).
struct PageRequest {
    Connector connector;
    std::string entity_type;
    std::string since;  // the checkpoint to start after; empty: from the beginning
    std::size_t page_size = 500;
    int max_attempts = 4;  // per page
};
std::unique_ptr<RecordSource> open_connector_source(const PageRequest& request);

}  // namespace salesint::jobs
