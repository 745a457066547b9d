#include "deadline_stream.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

namespace salesint::net {
namespace {

constexpr std::size_t kBufferSize = 4096;  // as httplib's own socket stream

using Address = int (*)(int, sockaddr*, socklen_t*);

void ip_and_port(socket_t socket, Address address, std::string& ip, int& port) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (address(socket, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
        return;
    }
    char text[INET6_ADDRSTRLEN] = "";
    if (storage.ss_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(&storage);
        inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
        port = ntohs(v4->sin_port);
    } else if (storage.ss_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&storage);
        inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
        port = ntohs(v6->sin6_port);
    }
    ip = text;
}

int milliseconds_until(Clock::time_point until) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

}  // namespace

DeadlineStream::DeadlineStream(socket_t socket, int stop_fd,
                               std::chrono::milliseconds write_timeout)
    : socket_(socket),
      stop_fd_(stop_fd),
      write_timeout_(write_timeout),
      read_deadline_(Clock::now()),
      buffer_(kBufferSize) {}

void DeadlineStream::expect(Clock::time_point deadline, std::size_t budget) {
    read_deadline_ = deadline;
    read_budget_ = budget;
    read_stop_ = ReadStop::kNone;
}

DeadlineStream::Wait DeadlineStream::wait(short events, Clock::time_point until,
                                          bool watch_stop) const {
    for (;;) {
        if (Clock::now() >= until) {
            return Wait::kTimedOut;
        }
        pollfd fds[2] = {{socket_, events, 0}, {stop_fd_, POLLIN, 0}};
        int ready = ::poll(fds, watch_stop ? 2 : 1, milliseconds_until(until));
        if (ready < 0 && errno != EINTR) {
            return Wait::kFailed;
        }
        if (ready > 0 && watch_stop && fds[1].revents != 0) {
            return Wait::kStopping;
        }
        if (ready > 0 && fds[0].revents != 0) {
            return Wait::kReady;  // or an error or hang-up, which recv or send reports
        }
    }
}

bool DeadlineStream::wait_for_data(Clock::time_point until) {
    return begin_ != end_ || wait(POLLIN, until, true) == Wait::kReady;
}

// Neither is used by httplib's server side; both answer without waiting.
bool DeadlineStream::is_readable() const {
    pollfd fd{socket_, POLLIN, 0};
    return begin_ != end_ || ::poll(&fd, 1, 0) > 0;
}

bool DeadlineStream::is_writable() const {
    pollfd fd{socket_, POLLOUT, 0};
    return ::poll(&fd, 1, 0) > 0;
}

ssize_t DeadlineStream::read(char* ptr, size_t size) {
    if (read_budget_ == 0) {
        // httplib reads a line whole before it checks its length.
        read_stop_ = ReadStop::kTooLarge;
        return -1;
    }
    while (begin_ == end_) {
        switch (wait(POLLIN, read_deadline_, true)) {
            case Wait::kReady:
                break;
            case Wait::kTimedOut:
                read_stop_ = ReadStop::kDeadline;
                return -1;
            case Wait::kStopping:
                read_stop_ = ReadStop::kStopping;
                return -1;
            case Wait::kFailed:
                return -1;
        }
        ssize_t got = ::recv(socket_, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
        if (got < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
            continue;
        }
        if (got <= 0) {
            return got;  // 0: the client closed its side
        }
        begin_ = 0;
        end_ = static_cast<std::size_t>(got);
    }
    std::size_t taken = std::min({size, end_ - begin_, read_budget_});
    std::memcpy(ptr, buffer_.data() + begin_, taken);
    begin_ += taken;
    read_budget_ -= taken;
    return static_cast<ssize_t>(taken);
}

ssize_t DeadlineStream::write(const char* ptr, size_t size) {
    const Clock::time_point until = Clock::now() + write_timeout_;
    for (;;) {
        ssize_t put = ::send(socket_, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (put >= 0) {
            return put;
        }
        if (errno == EINTR) {
            continue;
        }
        if ((errno != EAGAIN && errno != EWOULDBLOCK) ||
            wait(POLLOUT, until, false) != Wait::kReady) {
            return -1;
        }
    }
}

void DeadlineStream::get_remote_ip_and_port(std::string& ip, int& port) const {
    ip_and_port(socket_, ::getpeername, ip, port);
}

void DeadlineStream::get_local_ip_and_port(std::string& ip, int& port) const {
    ip_and_port(socket_, ::getsockname, ip, port);
}

}  // namespace salesint::net
