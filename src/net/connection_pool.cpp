#include "connection_pool.hpp"

namespace salesint::net {

ConnectionPool::ConnectionPool(std::size_t workers, std::size_t capacity,
                               std::function<void(const Accepted&)> serve)
    : serve_(std::move(serve)), capacity_(capacity) {
    workers_.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i) {
        workers_.emplace_back([this] { work(); });
    }
}

ConnectionPool::~ConnectionPool() {
    shutdown();
}

bool ConnectionPool::offer(const Accepted& connection) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (shutting_down_ || queue_.size() >= capacity_) {
            return false;
        }
        queue_.push_back(connection);
    }
    ready_.notify_one();
    return true;
}

bool ConnectionPool::has_waiting() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return !queue_.empty();
}

void ConnectionPool::shutdown() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        shutting_down_ = true;
    }
    ready_.notify_all();
    for (auto& worker : workers_) {
        if (worker.joinable()) {
            worker.join();
        }
    }
}

void ConnectionPool::work() {
    for (;;) {
        Accepted next;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            ready_.wait(lock, [this] { return shutting_down_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // shutting down, nothing left
            }
            next = queue_.front();
            queue_.pop_front();
        }
        serve_(next);
    }
}

}  // namespace salesint::net
