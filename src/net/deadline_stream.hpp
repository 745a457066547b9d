// The socket of one accepted connection as cpp-httplib reads and writes it,
// with reads that end at a deadline. httplib's own read timeout restarts at
// every recv, so a client trickling a header line a second could hold a
// worker for as long as it liked. One stream lives as long as its connection,
// so bytes of a pipelined next request stay buffered between requests.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>
#include <vector>

namespace salesint::net {

using Clock = std::chrono::steady_clock;

// Why the last read of a stream failed, when it was not the client.
enum class ReadStop { kNone, kDeadline, kTooLarge, kStopping };

class DeadlineStream final : public httplib::Stream {
  public:
    // stop_fd: readable once the server stops; reads then fail at once.
    DeadlineStream(socket_t socket, int stop_fd, std::chrono::milliseconds write_timeout);

    // Starts a part of the request (head, body): its reads fail once the
    // deadline has passed or once they took `budget` bytes. Resets read_stop().
    void expect(Clock::time_point deadline, std::size_t budget);
    ReadStop read_stop() const { return read_stop_; }
    // Waits until a byte can be read (true), or until `until` or the stop (false).
    bool wait_for_data(Clock::time_point until);

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* ptr, size_t size) override;
    ssize_t write(const char* ptr, size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return socket_; }

  private:
    enum class Wait { kReady, kTimedOut, kStopping, kFailed };
    Wait wait(short events, Clock::time_point until, bool watch_stop) const;

    socket_t socket_;
    int stop_fd_;
    std::chrono::milliseconds write_timeout_;
    Clock::time_point read_deadline_;
    std::size_t read_budget_ = 0;
    ReadStop read_stop_ = ReadStop::kNone;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
    std::size_t end_ = 0;
};

}  // namespace salesint::net
