// NDJSON records: one JSON object a line (README.md, "Import sources").

#include <string>
#include <string_view>

#include "salesint/util/json_text.hpp"
#include "salesint/util/line_splitter.hpp"
#include "sources.hpp"

namespace salesint::jobs {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

class NdjsonSource : public ChunkedSource {
  public:
    explicit NdjsonSource(std::unique_ptr<InputFile> input)
        : ChunkedSource(std::move(input)),
          splitter_([this](std::string_view lines,
                           std::size_t first_line) { take_lines(lines, first_line); },
                    [this](std::size_t line, std::size_t bytes) { take_overlong(line, bytes); }) {}

  protected:
    void feed(std::string_view chunk) override { splitter_.feed(chunk); }
    void finish() override { splitter_.finish(); }

  private:
    void take_lines(std::string_view lines, std::size_t first_line) {
        std::size_t number = first_line;
        while (!lines.empty()) {
            const std::size_t end = lines.find('\n');
            std::string_view line = lines.substr(0, end);
            lines.remove_prefix(end == std::string_view::npos ? lines.size() : end + 1);
            take_line(line, number++);
        }
    }

    void take_line(std::string_view line, std::size_t number) {
        if (number == 1 && line.starts_with(kByteOrderMark)) {
            line.remove_prefix(kByteOrderMark.size());
        }
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (is_blank(line)) {
            return;
        }
        SourceRecord record;
        record.row = static_cast<std::int64_t>(number);
        nlohmann::json value;
        if (auto problem = read_json(line, value)) {
            record.problem =
                problem_at_column(problem->message, problem->offset, problem->pointer, line);
            record.raw = std::string(line);
        } else if (!value.is_object()) {
            record.problem = "not a JSON object";
            record.raw = std::string(line);
        } else {
            record.json = std::string(line);
            record.raw = record.json;
            record.parsed = std::move(value);
        }
        pending_.push_back(std::move(record));
    }

    void take_overlong(std::size_t line, std::size_t bytes) {
        SourceRecord record;
        record.row = static_cast<std::int64_t>(line);
        record.problem = "line " + std::to_string(line) + " is " + std::to_string(bytes) +
                         " bytes, longer than the " + std::to_string(kMaxJsonBytes >> 20) +
                         " MiB a record may be";
        pending_.push_back(std::move(record));
    }

    LineSplitter splitter_;
};

}  // namespace

std::unique_ptr<RecordSource> open_ndjson_source(std::unique_ptr<InputFile> input) {
    return std::make_unique<NdjsonSource>(std::move(input));
}

}  // namespace salesint::jobs
