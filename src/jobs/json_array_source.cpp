// A JSON file of records: an array of objects, or one object (README.md,
// "Import sources"). The file is read whole, so it is held to the size of one
// JSON document; each element's row is the line where it starts.

#include <string>
#include <string_view>
#include <vector>

#include "salesint/errors.hpp"
#include "salesint/util/json_text.hpp"
#include "sources.hpp"

namespace salesint::jobs {
namespace {

struct Element {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t line = 1;
    bool is_object = false;
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Where each element of the top-level array starts and ends, and its line.
// The text is known to be valid JSON, so brackets and quotes are enough.
std::vector<Element> locate_elements(std::string_view text, std::size_t from) {
    std::vector<Element> elements;
    std::size_t line = 1;
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    bool expecting = false;
    std::size_t last_end = from;
    for (std::size_t i = from; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            last_end = i + 1;
            continue;
        }
        if (c == '\n') {
            ++line;
        }
        if (is_space(c)) {
            continue;
        }
        if (depth == 1 && expecting && c != ']') {
            elements.push_back({i, 0, line, false});
            expecting = false;
        }
        switch (c) {
            case '"':
                in_string = true;
                break;
            case '[':
            case '{':
                if (++depth == 1) {
                    expecting = true;
                }
                break;
            case ']':
            case '}':
                if (depth == 1 && !elements.empty() && elements.back().end == 0) {
                    elements.back().end = last_end;
                }
                --depth;
                break;
            case ',':
                if (depth == 1) {
                    elements.back().end = last_end;
                    expecting = true;
                }
                break;
            default:
                break;
        }
        last_end = i + 1;
    }
    return elements;
}

class JsonArraySource : public RecordSource {
  public:
    explicit JsonArraySource(std::unique_ptr<InputFile> input) : name_(input->name()) {
        read_all(*input);
        nlohmann::json document;
        if (auto problem = read_json(text_, document)) {
            throw usage_error(describe(*problem, text_, name_));
        }
        std::size_t from = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;
        while (from < text_.size() && is_space(text_[from])) {
            from += 1;
        }
        if (document.is_object()) {
            elements_.push_back(
                {from, text_.find_last_of('}') + 1, position_of(text_, from).line, true});
        } else if (document.is_array()) {
            elements_ = locate_elements(text_, from);
            for (std::size_t i = 0; i < elements_.size() && i < document.size(); ++i) {
                elements_[i].is_object = document[i].is_object();
            }
        } else {
            throw usage_error(name_ + ": holds " + std::string(document.type_name()) +
                              ", not an array of objects or an object");
        }
    }

    bool next_batch(std::vector<SourceRecord>& out, std::size_t max) override {
        for (std::size_t taken = 0; taken < max && next_ < elements_.size(); ++taken) {
            const Element& element = elements_[next_++];
            SourceRecord record;
            record.row = static_cast<std::int64_t>(element.line);
            record.raw = text_.substr(element.begin, element.end - element.begin);
            if (element.is_object) {
                record.json = record.raw;
            } else {
                record.problem = "not a JSON object";
            }
            out.push_back(std::move(record));
        }
        return next_ < elements_.size();
    }

    std::string name() const override { return name_; }

  private:
    void read_all(InputFile& input) {
        char buffer[1 << 16];
        while (std::size_t got = input.read(buffer, sizeof buffer)) {
            if (got > kMaxJsonBytes - text_.size()) {
                throw usage_error(name_ + ": larger than the " +
                                  std::to_string(kMaxJsonBytes >> 20) +
                                  " MiB a JSON file of records may be; give that many records "
                                  "as NDJSON, one object a line");
            }
            text_.append(buffer, got);
        }
    }

    std::string name_;
    std::string text_;
    std::vector<Element> elements_;
    std::size_t next_ = 0;
};

}  // namespace

std::unique_ptr<RecordSource> open_json_array_source(std::unique_ptr<InputFile> input) {
    return std::make_unique<JsonArraySource>(std::move(input));
}

}  // namespace salesint::jobs
