// What the file sources of records.hpp share: the input opened once, read in
// chunks, and records queued between reads so that a batch never waits on
// more input than it needs.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "salesint/jobs/records.hpp"

namespace salesint::jobs {

// A file, or stdin for "-", open for reading. Opening fails with a usage
// Error naming the path: missing, unreadable, a directory.
class InputFile {
  public:
    explicit InputFile(const std::string& path);
    ~InputFile();
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    // Up to size bytes into buffer; 0 at the end. A usage Error when reading fails.
    std::size_t read(char* buffer, std::size_t size);
    // For messages: the path, or "stdin".
    const std::string& name() const { return name_; }

  private:
    int fd_ = -1;
    bool owned_ = false;
    std::string name_;
};

// A source that reads its input in chunks and queues the records a chunk
// completes; the queue holds at most one chunk's worth more than asked for.
class ChunkedSource : public RecordSource {
  public:
    explicit ChunkedSource(std::unique_ptr<InputFile> input) : input_(std::move(input)) {}
    bool next_batch(std::vector<SourceRecord>& out, std::size_t max) override;
    std::string name() const override { return input_->name(); }

  protected:
    // The next bytes of the input, in order.
    virtual void feed(std::string_view chunk) = 0;
    // The end of the input.
    virtual void finish() = 0;

    std::deque<SourceRecord> pending_;

  private:
    std::unique_ptr<InputFile> input_;
    std::vector<char> buffer_;
    bool ended_ = false;
};

std::unique_ptr<RecordSource> open_ndjson_source(std::unique_ptr<InputFile> input);
std::unique_ptr<RecordSource> open_csv_source(std::unique_ptr<InputFile> input);
std::unique_ptr<RecordSource> open_json_array_source(std::unique_ptr<InputFile> input);

// "invalid JSON: ... at column 7 (at /a)": a problem placed in text, which is
// one line or one element, without naming the file.
std::string problem_at_column(const std::string& message, std::size_t offset,
                              const std::string& pointer, std::string_view text);

}  // namespace salesint::jobs
