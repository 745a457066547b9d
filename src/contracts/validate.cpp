// Reading the inputs and checking their documents on every core: the main
// thread reads files in batches of whole lines, a worker per core checks
// batches, and results are delivered in input order. At most a few batches are in flight,
// so memory stays flat however many documents there are.
#include "salesint/contracts/validate.hpp"

#include <glob.h>
#include <algorithm>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "document_check.hpp"
#include "ordered_workers.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/line_splitter.hpp"

namespace salesint::contracts {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kBatchBytes = 4 << 20;
constexpr std::size_t kBatchPieces = 256;

// Part of one input: a whole document, or whole NDJSON lines, or the size
// of a document or line too large to be read.
struct Piece {
    std::string file;
    std::string text;
    std::size_t first_line = 1;
    bool lines = false;
    std::size_t oversized_bytes = 0;  // > 0: text is empty, this is all there is
};
using Batch = std::vector<Piece>;

// Batch buffers handed back by the workers for the reader to fill again: a
// fresh 4 MiB buffer costs a thousand page faults, which were a fifth of the
// time of a large NDJSON run.
class BufferPool {
  public:
    std::string take() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (free_.empty()) {
            return {};
        }
        std::string buffer = std::move(free_.back());
        free_.pop_back();
        buffer.clear();
        return buffer;
    }
    void give(std::string&& buffer) {
        std::lock_guard<std::mutex> lock(mutex_);
        free_.push_back(std::move(buffer));
    }

  private:
    std::mutex mutex_;
    std::vector<std::string> free_;
};

enum class Layout { kDocument, kLines, kSniff };

Layout layout_of(const std::string& path) {
    std::string extension = path == "-" ? "" : fs::path(path).extension().string();
    if (extension == ".ndjson" || extension == ".jsonl") {
        return Layout::kLines;
    }
    return extension == ".json" ? Layout::kDocument : Layout::kSniff;
}

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Stdin and files of other names: NDJSON when the first non-blank line is a
// JSON value of its own (a pretty-printed document's first line is not).
bool first_line_is_document(std::string_view text) {
    std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) {
        return false;
    }
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
        return false;
    }
    std::string line(text.substr(start, end - start));
    JsonDocument document;
    return !read_json_in_place(line.data(), line.size(), document);
}

bool is_pattern(const std::string& input) {
    return input.find_first_of("*?[") != std::string::npos;
}

// The paths a glob(3) pattern matches, sorted; none when it matches nothing.
std::vector<std::string> matches_of(const std::string& pattern) {
    glob_t found{};
    std::vector<std::string> paths;
    if (::glob(pattern.c_str(), 0, nullptr, &found) == 0) {
        for (std::size_t i = 0; i < found.gl_pathc; ++i) {
            paths.emplace_back(found.gl_pathv[i]);
        }
    }
    ::globfree(&found);
    return paths;
}

Error nothing_to_check(const std::string& what) {
    return usage_error("no documents to check: " + what + ", and allow_empty is not set")
        .with_field("allow_empty");
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& given, bool allow_empty) {
    std::vector<std::string> inputs;
    for (const std::string& input : given) {
        std::error_code error;
        if (input != "-" && !fs::exists(input, error) && is_pattern(input)) {
            std::vector<std::string> matched = matches_of(input);
            if (matched.empty() && !allow_empty) {
                throw nothing_to_check(input + " matches no file");
            }
            inputs.insert(inputs.end(), matched.begin(), matched.end());
        } else {
            inputs.push_back(input);
        }
    }
    std::vector<std::string> files;
    for (const std::string& input : inputs) {
        std::error_code error;
        if (input != "-" && fs::is_directory(input, error)) {
            std::vector<std::string> found;
            for (const auto& entry : fs::recursive_directory_iterator(input)) {
                std::string extension = entry.path().extension().string();
                if (entry.is_regular_file() &&
                    (extension == ".json" || extension == ".ndjson" || extension == ".jsonl")) {
                    found.push_back(entry.path().string());
                }
            }
            if (found.empty() && !allow_empty) {
                throw nothing_to_check(input + " holds no .json, .ndjson or .jsonl files");
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (input != "-" && !fs::exists(input, error)) {
            throw usage_error("cannot read " + input + ": no such file or directory");
        } else {
            files.push_back(input);
        }
    }
    return files;
}

// Cuts an input into pieces: NDJSON lines in batches of about kBatchBytes,
// a document whole. A line or document larger than kMaxJsonBytes becomes a
// piece that only gives its size: it is never held in memory.
void read_pieces(const std::string& path, BufferPool& buffers,
                 const std::function<void(Piece&&)>& emit) {
    const std::string name = display_name(path);
    Layout layout = layout_of(path);
    // Room for a whole batch at once: growing by doubling would copy it twice.
    constexpr std::size_t kRoom = kBatchBytes + (1 << 16);
    auto fresh = [&](bool lines) {
        Piece piece{name, buffers.take(), 1, lines, 0};
        if (lines) {
            piece.text.reserve(kRoom);
        }
        return piece;
    };
    Piece piece = fresh(layout == Layout::kLines);
    auto flush_lines = [&] {
        if (!piece.text.empty()) {
            emit(std::move(piece));
            piece = fresh(true);
        }
    };
    LineSplitter splitter(
        [&](std::string_view lines, std::size_t first_line) {
            if (piece.text.empty()) {
                piece.first_line = first_line;
            }
            piece.text.append(lines);
            if (piece.text.size() >= kBatchBytes) {
                flush_lines();
            }
        },
        [&](std::size_t line, std::size_t bytes) {
            flush_lines();
            emit(Piece{name, {}, line, true, bytes});
        });
    std::size_t document_bytes = 0;
    std::string sniffed;  // the start of an input whose layout its first line tells
    auto take = [&](std::string_view chunk) {
        if (layout == Layout::kLines) {
            splitter.feed(chunk);
            return;
        }
        document_bytes += chunk.size();
        if (document_bytes <= kMaxJsonBytes) {
            piece.text.append(chunk);
        }
    };
    for_each_input_chunk(path, [&](std::string_view chunk) {
        if (layout != Layout::kSniff) {
            take(chunk);
            return;
        }
        sniffed.append(chunk);
        std::size_t start = sniffed.find_first_not_of(" \t\r\n");
        bool line_ended =
            start != std::string::npos && sniffed.find('\n', start) != std::string::npos;
        if (!line_ended && sniffed.size() <= kMaxJsonBytes) {
            return;
        }
        // A first line longer than any document is a line too long to read.
        layout =
            !line_ended || first_line_is_document(sniffed) ? Layout::kLines : Layout::kDocument;
        piece.lines = layout == Layout::kLines;
        take(sniffed);
        sniffed = std::string();
    });
    if (layout == Layout::kSniff) {  // no line ended: one document
        layout = Layout::kDocument;
        take(sniffed);
    }
    if (layout == Layout::kLines) {
        splitter.finish();
        flush_lines();
    } else if (document_bytes > kMaxJsonBytes) {
        emit(Piece{name, {}, 1, false, document_bytes});
    } else {
        emit(std::move(piece));
    }
}

// The result of a document or line too large to be read.
DocumentResult oversized(const Piece& piece) {
    DocumentResult result;
    result.file = piece.file;
    result.line = piece.first_line;
    result.parsed = false;
    result.violations.push_back({"json.parse",
                                 "",
                                 std::string(piece.lines ? "the line" : "the document") + " is " +
                                     std::to_string(piece.oversized_bytes) + " bytes; at most " +
                                     std::to_string(kMaxJsonBytes >> 20) + " MiB are read",
                                 piece.first_line,
                                 1,
                                 {}});
    return result;
}

std::vector<DocumentResult> check_batch(const DocumentChecker& checker, const Batch& batch) {
    std::vector<DocumentResult> results;
    for (const Piece& piece : batch) {
        if (piece.oversized_bytes > 0) {
            results.push_back(oversized(piece));
            continue;
        }
        std::string_view text = piece.text;
        if (!piece.lines) {
            std::size_t start = text.find_first_not_of(" \t\r\n");
            std::size_t line =
                piece.first_line +
                std::count(text.begin(), text.begin() + std::min(start, text.size()), '\n');
            results.push_back(checker.check(text, piece.file, line));
            continue;
        }
        std::size_t line = piece.first_line;
        for (std::size_t start = 0; start < text.size(); ++line) {
            std::size_t end = text.find('\n', start);
            end = end == std::string_view::npos ? text.size() : end;
            std::string_view document = text.substr(start, end - start);
            if (!is_blank(document)) {
                results.push_back(checker.check(document, piece.file, line));
            }
            start = end + 1;
        }
    }
    return results;
}

// The stream rules, over the documents in input order.
class StreamRules {
  public:
    void check(DocumentResult& document) {
        const DocumentResult::StreamKeys& keys = document.stream;
        if (!keys.message_id.empty()) {
            std::string here = document.file + ":" + std::to_string(keys.message_id_line);
            auto [seen, first] = message_ids_.try_emplace(keys.message_id, here);
            if (!first) {
                add(document, "stream.duplicate_message_id", "/meta/message_id",
                    "meta.message_id " + keys.message_id + " was seen before, at " + seen->second,
                    keys.message_id, keys.message_id_line, keys.message_id_column);
            }
        }
        if (keys.step >= 0) {
            std::string workflow = keys.tenant_id + '\n' + keys.workflow_id;
            auto [last, first] = steps_.try_emplace(
                workflow, Step{keys.step, document.file + ":" + std::to_string(keys.step_line)});
            if (!first) {
                if (keys.step < last->second.step) {
                    add(document, "stream.step_backwards", "/subject/step",
                        "step " + std::to_string(keys.step) + " of workflow " + keys.workflow_id +
                            " comes after step " + std::to_string(last->second.step) + " at " +
                            last->second.where,
                        workflow + '\n' + std::to_string(keys.step), keys.step_line,
                        keys.step_column);
                } else {
                    last->second = {keys.step,
                                    document.file + ":" + std::to_string(keys.step_line)};
                }
            }
        }
    }

  private:
    static void add(DocumentResult& document, const char* rule, const char* pointer,
                    std::string message, const std::string& key, std::size_t line,
                    std::size_t column) {
        // The fingerprint names what was repeated, not where: it survives lines moving.
        Violation violation{rule, pointer, std::move(message), line, column, {}};
        violation.fingerprint =
            sha256_hex(violation.rule + '\n' + violation.pointer + '\n' + key).substr(0, 16);
        auto at =
            std::upper_bound(document.violations.begin(), document.violations.end(), violation,
                             [](const Violation& a, const Violation& b) {
                                 return a.line != b.line ? a.line < b.line : a.column < b.column;
                             });
        document.violations.insert(at, std::move(violation));
    }

    struct Step {
        long long step;
        std::string where;
    };
    std::unordered_map<std::string, std::string> message_ids_;  // -> where first seen
    std::unordered_map<std::string, Step> steps_;               // tenant, workflow -> highest
};

}  // namespace

Summary validate_inputs(const std::vector<std::string>& inputs, const ValidateOptions& options,
                        const std::function<void(const DocumentResult&)>& on_document) {
    const std::vector<std::string> files = expand_inputs(inputs, options.allow_empty);
    const DocumentChecker checker(options.schema, options.stream_rules);
    StreamRules stream;
    const unsigned threads =
        options.threads > 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());

    Summary summary;
    BufferPool buffers;
    OrderedWorkers<Batch, std::vector<DocumentResult>> workers(threads, [&](Batch& pieces) {
        auto results = check_batch(checker, pieces);
        for (Piece& piece : pieces) {
            buffers.give(std::move(piece.text));
        }
        return results;
    });
    auto deliver_oldest = [&] {
        for (DocumentResult& result : workers.next()) {
            if (options.stream_rules) {
                stream.check(result);
            }
            if (options.suppressions != nullptr) {
                options.suppressions->apply(result);
            }
            summary.add(result);
            on_document(result);
        }
    };
    Batch batch;
    std::size_t batch_bytes = 0;
    auto dispatch = [&] {
        workers.submit(std::move(batch));
        batch = Batch();
        batch_bytes = 0;
        if (workers.pending() > 2 * threads) {
            deliver_oldest();
        }
    };
    for (const std::string& file : files) {
        read_pieces(file, buffers, [&](Piece&& piece) {
            batch_bytes += piece.text.size();
            batch.push_back(std::move(piece));
            if (batch_bytes >= kBatchBytes || batch.size() >= kBatchPieces) {
                dispatch();
            }
        });
        ++summary.files;
    }
    if (!batch.empty()) {
        dispatch();
    }
    while (workers.pending() > 0) {
        deliver_oldest();
    }
    if (summary.documents == 0 && !options.allow_empty && !files.empty()) {
        throw nothing_to_check(files.size() == 1 ? display_name(files.front()) + " is empty"
                                                 : "the inputs are empty");
    }
    return summary;
}

}  // namespace salesint::contracts
