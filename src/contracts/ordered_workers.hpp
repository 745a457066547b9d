// A fixed set of worker threads that run jobs in parallel and hand back their
// results in the order the jobs were submitted. Fixed, rather than a thread
// per job, so that glibc keeps one malloc arena per worker instead of growing
// new ones as threads come and go.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace salesint::contracts {

template <typename Job, typename Result>
class OrderedWorkers {
  public:
    OrderedWorkers(unsigned threads, std::function<Result(Job&)> work) : work_(std::move(work)) {
        for (unsigned i = 0; i < threads; ++i) {
            threads_.emplace_back([this] { serve(); });
        }
    }
    ~OrderedWorkers() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        wake_workers_.notify_all();
        for (std::thread& thread : threads_) {
            thread.join();
        }
    }
    OrderedWorkers(const OrderedWorkers&) = delete;
    OrderedWorkers& operator=(const OrderedWorkers&) = delete;

    void submit(Job job) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            jobs_.emplace_back(submitted_++, std::move(job));
        }
        wake_workers_.notify_one();
    }

    // Jobs submitted whose results have not been taken.
    std::size_t pending() const { return submitted_ - taken_; }

    // The result of the oldest job not taken yet, waiting for it. A job that
    // threw rethrows here.
    Result next() {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_taker_.wait(lock, [this] { return done_.count(taken_) > 0; });
        auto found = done_.find(taken_++);
        Outcome outcome = std::move(found->second);
        done_.erase(found);
        lock.unlock();
        if (outcome.error) {
            std::rethrow_exception(outcome.error);
        }
        return std::move(outcome.result);
    }

  private:
    struct Outcome {
        Result result;
        std::exception_ptr error;
    };

    void serve() {
        while (true) {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_workers_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) {
                return;  // stopping, and nothing left
            }
            auto [sequence, job] = std::move(jobs_.front());
            jobs_.pop_front();
            lock.unlock();
            Outcome outcome;
            try {
                outcome.result = work_(job);
            } catch (...) {
                outcome.error = std::current_exception();
            }
            lock.lock();
            done_.emplace(sequence, std::move(outcome));
            lock.unlock();
            wake_taker_.notify_one();
        }
    }

    std::function<Result(Job&)> work_;
    std::mutex mutex_;
    std::condition_variable wake_workers_;
    std::condition_variable wake_taker_;
    std::deque<std::pair<std::size_t, Job>> jobs_;
    std::map<std::size_t, Outcome> done_;
    std::size_t submitted_ = 0;
    std::size_t taken_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace salesint::contracts
