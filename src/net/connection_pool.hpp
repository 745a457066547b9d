// A fixed set of workers that serve accepted connections in the order they
// were accepted, behind a bounded queue: when the queue is full a connection
// is turned away at once instead of waiting without bound (and holding a file
// descriptor) behind slow clients.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace salesint::net {

struct Accepted {
    int socket = -1;
    std::chrono::steady_clock::time_point at;  // when it was accepted
};

class ConnectionPool {
  public:
    // serve runs on a worker and owns the socket (closes it).
    ConnectionPool(std::size_t workers, std::size_t capacity,
                   std::function<void(const Accepted&)> serve);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // Queues the connection for a worker; false when the queue is full, and
    // the socket stays the caller's.
    bool offer(const Accepted& connection);
    // True when a connection waits for a worker: kept-alive ones then close.
    bool has_waiting() const;
    // Lets the workers serve what is queued, then joins them.
    void shutdown();

  private:
    void work();

    std::function<void(const Accepted&)> serve_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Accepted> queue_;
    bool shutting_down_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace salesint::net
