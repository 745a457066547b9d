// CSV records (RFC 4180) through libcsv's streaming parser: the first row is
// the header, and each later row becomes a JSON object built as the header
// says (README.md, "Import sources": dotted names nest, a numeric segment is
// an array element, a type suffix types the cell, an empty cell is left out).

#include <csv.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "salesint/errors.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/strings.hpp"
#include "sources.hpp"

namespace salesint::jobs {
namespace {

using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
// libcsv's parser states (csv.h keeps them private): no row under way.
constexpr int kRowNotBegun = 0;

enum class CellType { kString, kNumber, kInteger, kBoolean, kJson };

struct CellTypeName {
    CellType type;
    const char* name;
};
constexpr CellTypeName kCellTypes[] = {{CellType::kString, "string"},
                                       {CellType::kNumber, "number"},
                                       {CellType::kInteger, "integer"},
                                       {CellType::kBoolean, "boolean"},
                                       {CellType::kJson, "json"}};

// A part of the object a row becomes: a member, or an element of an array.
struct Node {
    std::string key;
    bool is_index = false;
    std::size_t index = 0;
    std::optional<std::size_t> column;  // a leaf: the cell it takes
    CellType type = CellType::kString;
    std::vector<Node> children;
};

// A cell that does not fit its column: "column quantity:integer: 'abc' is not an integer".
struct CellProblem {
    std::string message;
};

bool is_index_segment(std::string_view segment) {
    return !segment.empty() && segment.size() <= 9 &&
           std::all_of(segment.begin(), segment.end(),
                       [](char c) { return c >= '0' && c <= '9'; }) &&
           (segment.size() == 1 || segment.front() != '0');
}

// A cell in a message: quoted, and cut when long.
std::string shown(std::string_view cell) {
    constexpr std::size_t kMost = 40;
    if (cell.size() <= kMost) {
        return "'" + std::string(cell) + "'";
    }
    std::size_t cut = kMost;
    while (cut > 0 && (static_cast<unsigned char>(cell[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    return "'" + std::string(cell.substr(0, cut)) + "...'";
}

// A row as CSV text again: cells that need it quoted, quotes doubled.
std::string row_text(const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) {
            text += ',';
        }
        text += csv_quote(cells[i]);
    }
    return text;
}

std::string without_line_end(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

class CsvSource : public ChunkedSource {
  public:
    explicit CsvSource(std::unique_ptr<InputFile> input) : ChunkedSource(std::move(input)) {
        start_parser();
    }
    ~CsvSource() override { csv_free(&parser_); }
    CsvSource(const CsvSource&) = delete;
    CsvSource& operator=(const CsvSource&) = delete;

    std::vector<std::string> columns() const override { return header_; }

  protected:
    void feed(std::string_view chunk) override {
        if (first_chunk_) {
            first_chunk_ = false;
            if (chunk.starts_with(kByteOrderMark)) {
                chunk.remove_prefix(kByteOrderMark.size());
            }
        }
        while (!chunk.empty()) {
            const std::size_t end = chunk.find('\n');
            const std::size_t size = end == std::string_view::npos ? chunk.size() : end + 1;
            feed_segment(chunk.substr(0, size));
            chunk.remove_prefix(size);
        }
    }

    void finish() override {
        if (skipping_) {
            finish_broken_row();
        }
        completed_.clear();
        if (csv_fini(&parser_, &CsvSource::on_field, &CsvSource::on_row, this) != 0) {
            throw usage_error(name() + ":" + std::to_string(row_start_.value_or(line_)) +
                              ": a quoted field is not closed before the end of the file");
        }
        take_completed(true);
        if (!header_read_) {
            throw usage_error(name() + ": empty; a CSV file of records starts with its header row");
        }
    }

  private:
    struct Row {
        std::vector<std::string> cells;
        std::size_t line = 1;
    };

    void start_parser() {
        csv_init(&parser_, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI);
        // RFC 4180: spaces are part of a field.
        csv_set_space_func(&parser_, [](unsigned char) { return 0; });
    }

    static void on_field(void* field, std::size_t size, void* data) {
        auto* self = static_cast<CsvSource*>(data);
        self->cells_.emplace_back(static_cast<const char*>(field), size);
    }

    static void on_row(int, void* data) {
        auto* self = static_cast<CsvSource*>(data);
        self->completed_.push_back(
            {std::move(self->cells_), self->row_start_.value_or(self->line_)});
        self->cells_.clear();
        self->row_start_.reset();
    }

    // One line, or the part of one a chunk holds: libcsv reports rows as it
    // parses, so a row's first line is the segment it began in.
    void feed_segment(std::string_view segment) {
        const bool ends_line = segment.back() == '\n';
        if (skipping_) {
            broken_.raw += segment;
            if (ends_line) {
                finish_broken_row();
                ++line_;
            }
            return;
        }
        if (parser_.pstate == kRowNotBegun) {
            raw_.clear();
            raw_exact_ = true;
        }
        if (segment.size() > kMaxJsonBytes - raw_.size()) {
            throw usage_error(name() + ":" + std::to_string(row_start_.value_or(line_)) +
                              ": a row longer than " + std::to_string(kMaxJsonBytes >> 20) +
                              " MiB (is a quote not closed?)");
        }
        raw_ += segment;
        completed_.clear();
        const std::size_t parsed = csv_parse(&parser_, segment.data(), segment.size(),
                                             &CsvSource::on_field, &CsvSource::on_row, this);
        if (parsed < segment.size()) {
            take_completed(false);
            start_broken_row();
            if (ends_line) {
                finish_broken_row();
            } else {
                skipping_ = true;
            }
        } else {
            take_completed(parser_.pstate == kRowNotBegun);
            if (parser_.pstate != kRowNotBegun && !row_start_) {
                row_start_ = line_;
            }
        }
        if (ends_line) {
            ++line_;
        }
    }

    // Malformed quoting: the row so far is a problem; the parser starts over
    // on the next line.
    void start_broken_row() {
        broken_ = SourceRecord{};
        broken_.row = static_cast<std::int64_t>(row_start_.value_or(line_));
        broken_.raw = raw_;
        broken_.problem = "malformed quoting on line " + std::to_string(line_) +
                          ": a quote inside an unquoted field, or text after a closing quote";
        csv_free(&parser_);
        start_parser();
        cells_.clear();
        row_start_.reset();
        raw_.clear();
    }

    void finish_broken_row() {
        skipping_ = false;
        broken_.raw = without_line_end(std::move(broken_.raw));
        if (!header_read_) {
            throw usage_error(name() + ":" + std::to_string(broken_.row) +
                              ": the header row: " + broken_.problem);
        }
        pending_.push_back(std::move(broken_));
    }

    // The rows libcsv completed during the last parse; their text is the
    // bytes fed since the row began when one row ended there, at its line's end.
    void take_completed(bool ended_here) {
        const bool exact = ended_here && raw_exact_ && completed_.size() == 1;
        if (!completed_.empty() && !ended_here) {
            raw_exact_ = false;
        }
        for (Row& row : completed_) {
            take_row(row, exact ? without_line_end(raw_) : row_text(row.cells));
        }
        completed_.clear();
    }

    void take_row(const Row& row, std::string raw) {
        if (!header_read_) {
            read_header(row);
            return;
        }
        const std::vector<std::string>& cells = row.cells;
        if (cells.empty() || (std::all_of(cells.begin(), cells.end(),
                                          [](const std::string& cell) {
                                              return cell.find_first_not_of(" \t") ==
                                                     std::string::npos;
                                          }) &&
                              (header_.size() > 1 || cells.front().empty()))) {
            return;  // a blank line, or a row of empty cells
        }
        SourceRecord record;
        record.row = static_cast<std::int64_t>(row.line);
        record.raw = std::move(raw);
        if (cells.size() != header_.size()) {
            record.problem = std::to_string(cells.size()) +
                             (cells.size() == 1 ? " cell" : " cells") + ", the header has " +
                             std::to_string(header_.size());
        } else {
            try {
                std::optional<ordered_json> value = build(root_, cells);
                record.json = value ? value->dump() : "{}";
            } catch (const CellProblem& problem) {
                record.problem = problem.message;
            }
        }
        pending_.push_back(std::move(record));
    }

    void read_header(const Row& row) {
        const std::string at = name() + ":" + std::to_string(row.line) + ": ";
        for (std::size_t i = 0; i < row.cells.size(); ++i) {
            const std::string& column = row.cells[i];
            if (!is_valid_utf8(column)) {
                throw usage_error(at + "the header's column " + std::to_string(i + 1) +
                                  " is not valid UTF-8");
            }
            if (std::find(header_.begin(), header_.end(), column) != header_.end()) {
                throw usage_error(at + "the header names column '" + column + "' twice");
            }
            header_.push_back(column);
            add_column(at, i, column);
        }
        header_read_ = true;
    }

    void add_column(const std::string& at, std::size_t index, const std::string& column) {
        std::string_view path = column;
        CellType type = CellType::kString;
        if (const std::size_t colon = path.rfind(':'); colon != std::string_view::npos) {
            const std::string_view suffix = path.substr(colon + 1);
            const auto* known =
                std::find_if(std::begin(kCellTypes), std::end(kCellTypes),
                             [&](const CellTypeName& t) { return suffix == t.name; });
            if (known == std::end(kCellTypes)) {
                throw usage_error(at + "column '" + column + "' of the header: unknown type '" +
                                  std::string(suffix) +
                                  "' (string, number, integer, boolean or json)");
            }
            type = known->type;
            path = path.substr(0, colon);
        }
        if (path.empty()) {
            throw usage_error(at + "the header's column " + std::to_string(index + 1) +
                              " has no name");
        }
        Node* node = &root_;
        bool first = true;
        while (true) {
            const std::size_t dot = path.find('.');
            const std::string_view segment = path.substr(0, dot);
            if (segment.empty()) {
                throw usage_error(at + "column '" + column +
                                  "' of the header: an empty name between dots");
            }
            if (node->column) {
                throw usage_error(at + "column '" + column + "' of the header: a value and an " +
                                  "object or array at once (another column names it whole)");
            }
            const bool as_index = !first && is_index_segment(segment);
            if (!node->children.empty() && node->children.front().is_index != as_index) {
                throw usage_error(at + "column '" + column + "' of the header: '" +
                                  std::string(segment) +
                                  "' mixes array elements and named members at one level");
            }
            auto child = std::find_if(node->children.begin(), node->children.end(),
                                      [&](const Node& n) { return n.key == segment; });
            const bool last = dot == std::string_view::npos;
            if (child == node->children.end()) {
                Node created;
                created.key = std::string(segment);
                created.is_index = as_index;
                created.index = as_index ? std::stoul(created.key) : 0;
                node->children.push_back(std::move(created));
                if (as_index) {
                    std::stable_sort(
                        node->children.begin(), node->children.end(),
                        [](const Node& a, const Node& b) { return a.index < b.index; });
                    child = std::find_if(node->children.begin(), node->children.end(),
                                         [&](const Node& n) { return n.key == segment; });
                } else {
                    child = node->children.end() - 1;
                }
            } else if (last) {
                throw usage_error(at + "column '" + column + "' of the header: another column " +
                                  "gives the same field, or fields inside it");
            }
            node = &*child;
            if (last) {
                node->column = index;
                node->type = type;
                return;
            }
            path.remove_prefix(dot + 1);
            first = false;
        }
    }

    std::optional<ordered_json> build(const Node& node,
                                      const std::vector<std::string>& cells) const {
        if (node.column) {
            return cell_value(*node.column, node.type, cells[*node.column]);
        }
        const bool array = !node.children.empty() && node.children.front().is_index;
        ordered_json value = array ? ordered_json::array() : ordered_json::object();
        for (const Node& child : node.children) {
            if (std::optional<ordered_json> member = build(child, cells)) {
                if (array) {
                    value.push_back(std::move(*member));
                } else {
                    value[child.key] = std::move(*member);
                }
            }
        }
        if (value.empty()) {
            return std::nullopt;
        }
        return value;
    }

    std::optional<ordered_json> cell_value(std::size_t column, CellType type,
                                           const std::string& cell) const {
        if (cell.empty()) {
            return std::nullopt;
        }
        const std::string where = "column " + header_[column] + ": ";
        if (!is_valid_utf8(cell)) {
            throw CellProblem{where + "not valid UTF-8"};
        }
        switch (type) {
            case CellType::kString:
                return ordered_json(cell);
            case CellType::kBoolean:
                if (cell == "true" || cell == "false") {
                    return ordered_json(cell == "true");
                }
                throw CellProblem{where + shown(cell) + " is not a boolean (true or false)"};
            case CellType::kNumber:
            case CellType::kInteger:
            case CellType::kJson:
                break;
        }
        nlohmann::json value;
        std::optional<JsonProblem> problem = read_json(cell, value);
        if (type == CellType::kJson) {
            if (problem) {
                throw CellProblem{where + problem_at_column(problem->message, problem->offset,
                                                            problem->pointer, cell)};
            }
            return ordered_json::parse(cell);  // as read, members in their order
        }
        const bool plain = cell.find_first_of(" \t\r\n") == std::string::npos;
        if (type == CellType::kInteger) {
            if (problem || !plain || !value.is_number_integer()) {
                throw CellProblem{where + shown(cell) + " is not an integer"};
            }
        } else if (problem || !plain || !value.is_number()) {
            throw CellProblem{where + shown(cell) + " is not a number"};
        }
        return ordered_json(value);
    }

    csv_parser parser_{};
    bool first_chunk_ = true;
    bool header_read_ = false;
    std::vector<std::string> header_;
    Node root_;
    std::vector<std::string> cells_;        // of the row under way
    std::vector<Row> completed_;            // by the last parse
    std::optional<std::size_t> row_start_;  // the line the row under way began on
    std::size_t line_ = 1;                  // of the segment being parsed
    std::string raw_;                       // the bytes of the row under way
    bool raw_exact_ = true;                 // raw_ holds that row's bytes alone
    bool skipping_ = false;                 // to the end of a line with malformed quoting
    SourceRecord broken_;
};

}  // namespace

std::unique_ptr<RecordSource> open_csv_source(std::unique_ptr<InputFile> input) {
    return std::make_unique<CsvSource>(std::move(input));
}

}  // namespace salesint::jobs
