#include "salesint/execute/batch.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "salesint/util/files.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/line_splitter.hpp"

namespace salesint::execute {
namespace {

bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// A line read, parsed and prepared by the reader thread.
struct Item {
    std::size_t line = 0;
    Prepared prepared;
};

// Lines go from a reader thread (read, parse, validate, hash: no state file)
// to the thread that owns the store through a bounded queue, so that the two
// halves of the work run on two cores and memory stays flat.
// Items travel in chunks, so that the threads meet once per chunk rather
// than once per line. A chunk the store's thread is done with goes back to
// the reader, which frees its items and fills it again: memory is freed on
// the thread that allocated it, where glibc's malloc recycles it cheaply
// (freed on the other thread, it cost a third of the run in malloc's locks
// and consolidation).
using Chunk = std::vector<Item>;

class PreparedQueue {
  public:
    static constexpr std::size_t kChunkRows = 128;
    static constexpr std::size_t kCapacity = 4;  // chunks

    void push(Chunk chunk) {
        std::unique_lock<std::mutex> lock(mutex_);
        not_full_.wait(lock, [&] { return chunks_.size() < kCapacity || cancelled_; });
        if (cancelled_) {
            return;
        }
        chunks_.push_back(std::move(chunk));
        not_empty_.notify_one();
    }

    // nullopt once the reader is done and everything was taken, or once stop
    // is set while waiting for the reader.
    std::optional<Chunk> pop(const std::atomic<bool>* stop) {
        std::unique_lock<std::mutex> lock(mutex_);
        auto ready = [&] { return !chunks_.empty() || done_; };
        while (!not_empty_.wait_for(lock, std::chrono::milliseconds(100), ready)) {
            if (stop != nullptr && *stop) {
                return std::nullopt;
            }
        }
        if (chunks_.empty()) {
            if (error_) {
                std::rethrow_exception(error_);
            }
            return std::nullopt;
        }
        Chunk chunk = std::move(chunks_.front());
        chunks_.pop_front();
        not_full_.notify_one();
        return chunk;
    }

    void finish(std::exception_ptr error) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_ = true;
        error_ = std::move(error);
        not_empty_.notify_all();
    }

    // From the store's thread: a chunk whose items were all finished.
    void recycle(Chunk chunk) {
        std::lock_guard<std::mutex> lock(mutex_);
        spent_.push_back(std::move(chunk));
    }

    // For the reader: an empty chunk, a spent one when there is one.
    Chunk fresh() {
        Chunk chunk;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!spent_.empty()) {
                chunk = std::move(spent_.front());
                spent_.pop_front();
            }
        }
        chunk.clear();  // frees the items here, on the reader's thread
        chunk.reserve(kChunkRows);
        return chunk;
    }

    void cancel() {
        std::lock_guard<std::mutex> lock(mutex_);
        cancelled_ = true;
        not_full_.notify_all();
    }

    bool cancelled() const { return cancelled_; }
    // For a reader waiting on input that may never come.
    const std::atomic<bool>& cancelled_flag() const { return cancelled_; }

  private:
    std::mutex mutex_;
    std::condition_variable not_empty_;
    std::condition_variable not_full_;
    std::deque<Chunk> chunks_;
    std::deque<Chunk> spent_;
    bool done_ = false;
    std::atomic<bool> cancelled_ = false;
    std::exception_ptr error_;
};

// Whether most of the last 64 rows were replays.
class ReplayShare {
  public:
    bool add(bool replayed) {
        replays_ += replayed ? 1 : 0;
        if (++rows_ == kWindow) {
            mostly_ = 2 * replays_ >= kWindow;
            rows_ = replays_ = 0;
        }
        return mostly_;
    }

  private:
    static constexpr int kWindow = 64;
    int rows_ = 0;
    int replays_ = 0;
    bool mostly_ = false;
};

// Thrown from inside the reading loop to stop it once the batch was cancelled.
struct ReadingCancelled {};

void read_and_prepare(const std::string& path, const std::string& name, const Executor& executor,
                      const std::atomic<bool>& mostly_replays, PreparedQueue& queue) {
    Chunk chunk = queue.fresh();
    auto add = [&](std::size_t line_number, std::optional<Outcome> early, Json input) {
        Item& item = chunk.emplace_back();
        item.line = line_number;
        if (early) {
            item.prepared.early = std::move(early);
        } else {
            item.prepared =
                executor.prepare(std::move(input), mostly_replays.load(std::memory_order_relaxed));
        }
        if (chunk.size() == PreparedQueue::kChunkRows) {
            queue.push(std::move(chunk));
            chunk = queue.fresh();
            if (queue.cancelled()) {
                throw ReadingCancelled{};
            }
        }
    };
    auto take_lines = [&](std::string_view lines, std::size_t line_number) {
        for (std::size_t start = 0; start < lines.size(); ++line_number) {
            std::size_t end = std::min(lines.find('\n', start), lines.size());
            std::string_view line = lines.substr(start, end - start);
            start = end + 1;
            if (is_blank(line)) {
                continue;
            }
            Json input;
            if (auto problem = read_json(line, input)) {
                add(line_number,
                    executor.unreadable(describe(*problem, line, name, line_number), line),
                    nullptr);
            } else {
                add(line_number, std::nullopt, std::move(input));
            }
        }
    };
    auto take_overlong = [&](std::size_t line_number, std::size_t bytes) {
        const std::string message = name + ":" + std::to_string(line_number) + ":1: the line is " +
                                    std::to_string(bytes) + " bytes; at most " +
                                    std::to_string(kMaxJsonBytes >> 20) + " MiB are read";
        add(line_number, executor.unreadable(message, message), nullptr);
    };
    LineSplitter lines(take_lines, take_overlong);
    try {
        for_each_input_chunk(
            path, [&](std::string_view bytes) { lines.feed(bytes); }, &queue.cancelled_flag());
        if (queue.cancelled()) {
            return;
        }
        lines.finish();
    } catch (const ReadingCancelled&) {
        return;
    }
    if (!chunk.empty()) {
        queue.push(std::move(chunk));
    }
}

}  // namespace

BatchSummary run_batch(Executor& executor, const std::string& path, const BatchOptions& options) {
    const std::string name = display_name(path);
    // Live and dry runs write row by row (or not at all); deterministic rows
    // share transactions.
    const bool grouped = !executor.options().live && !executor.options().dry_run;
    const std::size_t group_size =
        grouped ? std::max<std::size_t>(1, options.rows_per_transaction) : 1;

    PreparedQueue queue;
    // Set by this thread from the rows it finishes, read by the reader: while
    // most rows are replays, the reader only identifies inputs (a replay needs
    // no check and no run) and this thread, which has little else to do then,
    // looks them up. A first run keeps checking and running on the reader.
    std::atomic<bool> mostly_replays = false;
    ReplayShare replay_share;
    std::jthread reader([&] {
        try {
            read_and_prepare(path, name, executor, mostly_replays, queue);
            queue.finish(nullptr);
        } catch (...) {
            queue.finish(std::current_exception());
        }
    });
    struct CancelOnExit {
        PreparedQueue& queue;
        ~CancelOnExit() { queue.cancel(); }
    } cancel_on_exit{queue};

    BatchSummary summary;
    std::vector<BatchRow> rows;
    rows.reserve(group_size);
    Chunk chunk;
    std::size_t next = 0;  // in chunk
    bool more = true;
    while (more) {
        auto run_group = [&] {
            while (rows.size() < group_size) {
                if (options.stop != nullptr && *options.stop) {
                    summary.stopped = true;  // this group commits what it has; no more rows
                    more = false;
                    return;
                }
                if (next == chunk.size()) {
                    std::optional<Chunk> taken = queue.pop(options.stop);
                    if (!taken) {
                        summary.stopped = options.stop != nullptr && *options.stop;
                        more = false;
                        return;
                    }
                    queue.recycle(std::move(chunk));
                    chunk = std::move(*taken);
                    next = 0;
                }
                Item& item = chunk[next++];
                rows.push_back({item.line, executor.finish(item.prepared)});
                mostly_replays.store(replay_share.add(rows.back().outcome.replayed),
                                     std::memory_order_relaxed);
            }
        };
        if (grouped) {
            executor.store()->write(run_group);
        } else {
            run_group();
        }
        // Reported only now that their transaction has committed.
        for (BatchRow& row : rows) {
            ++summary.rows;
            ++summary.by_status[to_string(row.outcome.status)];
            summary.replayed += row.outcome.replayed ? 1 : 0;
            if (row.outcome.exit_code > summary.exit_code) {
                summary.exit_code = row.outcome.exit_code;
            }
            if (row.outcome.exit_code != ExitCode::kSuccess && summary.first_problem.empty()) {
                summary.first_problem =
                    row.outcome.status == ExecutionStatus::kInvalidJson
                        ? row.outcome.summary  // already FILE:LINE:COL
                        : name + ":" + std::to_string(row.line) + ": " + row.outcome.summary;
            }
            if (options.emit) {
                options.emit(row);
            }
        }
        rows.clear();
        if (options.progress) {
            options.progress(summary.rows);
        }
    }
    return summary;
}

}  // namespace salesint::execute
