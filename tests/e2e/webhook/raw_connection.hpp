// A raw TCP connection to a local server, for requests no HTTP client would
// send: headers trickled a line at a time, conflicting lengths, bytes that are
// not UTF-8. It records when it was opened and when the server closed it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace salesint::test {

using Clock = std::chrono::steady_clock;

class RawConnection {
  public:
    explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
        }
        opened_at_ = Clock::now();
    }
    ~RawConnection() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // False once the server no longer takes bytes.
    bool send(std::string_view data) {
        return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) ==
               static_cast<ssize_t>(data.size());
    }

    // Tells the server that nothing more comes (a half close).
    void finish() { ::shutdown(fd_, SHUT_WR); }

    // Reads what arrives within timeout (0: only what is there); true once
    // the server closed the connection (EOF or reset).
    bool read_for(std::chrono::milliseconds timeout) {
        const auto until = Clock::now() + timeout;
        while (!closed()) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
            pollfd fd{fd_, POLLIN, 0};
            if (::poll(&fd, 1, static_cast<int>(std::max<long long>(left.count(), 0))) <= 0) {
                return false;
            }
            char buffer[4096];
            ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
            if (got <= 0) {
                closed_at_ = Clock::now();
            } else {
                received_.append(buffer, static_cast<std::size_t>(got));
            }
        }
        return true;
    }

    // Reads until the next whole answer (head and Content-Length bytes)
    // arrived; it is then last_answer().
    bool read_answer(std::chrono::milliseconds timeout) {
        const auto until = Clock::now() + timeout;
        std::size_t length = 0;
        while ((length = whole_answer_length()) == 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
            if (closed() || left.count() <= 0) {
                return false;
            }
            read_for(std::min(left, std::chrono::milliseconds(20)));
        }
        last_answer_ = received_.substr(answered_, length);
        answered_ += length;
        return true;
    }
    const std::string& last_answer() const { return last_answer_; }

    bool closed() const { return closed_at_ != Clock::time_point{}; }
    // From the connect to the server's close.
    std::chrono::milliseconds open_for() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(closed_at_ - opened_at_);
    }
    const std::string& received() const { return received_; }
    // The status of the first answer received; 0 if none.
    int status() const {
        if (received_.rfind("HTTP/1.1 ", 0) != 0 || received_.size() < 12) {
            return 0;
        }
        return std::atoi(received_.substr(9, 3).c_str());
    }

  private:
    // The length of the answer that starts after those already read; 0 while incomplete.
    std::size_t whole_answer_length() const {
        auto end = received_.find("\r\n\r\n", answered_);
        if (end == std::string::npos) {
            return 0;
        }
        auto length = received_.find("Content-Length: ", answered_);
        std::size_t body = length < end ? std::stoul(received_.substr(length + 16)) : 0;
        std::size_t whole = end + 4 + body - answered_;
        return received_.size() >= answered_ + whole ? whole : 0;
    }

    int fd_;
    Clock::time_point opened_at_;
    Clock::time_point closed_at_{};
    std::string received_;
    std::size_t answered_ = 0;  // bytes of received_ that read_answer() already returned
    std::string last_answer_;
};

}  // namespace salesint::test
