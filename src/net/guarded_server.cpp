#include "guarded_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace salesint::net {
namespace {

thread_local GuardedServer::Exchange* current_exchange = nullptr;

// How often the accept loop wakes up to notice a stop() that came before it
// started, which httplib's own stop() ignores.
constexpr std::chrono::milliseconds kAcceptWake{200};
// How often an idle kept-alive connection checks whether another connection
// waits for its worker.
constexpr std::chrono::milliseconds kIdleSlice{50};

// The pool runs the jobs: httplib's task queue only hands the socket over, on
// the accept loop's thread, which it must never block.
class HandOver final : public httplib::TaskQueue {
  public:
    explicit HandOver(std::function<void()> on_idle) : on_idle_(std::move(on_idle)) {}
    void enqueue(std::function<void()> job) override { job(); }
    void shutdown() override {}
    void on_idle() override { on_idle_(); }

  private:
    std::function<void()> on_idle_;
};

}  // namespace

GuardedServer::Exchange* GuardedServer::exchange() {
    return current_exchange;
}

GuardedServer::GuardedServer(ServerLimits limits, TurnAway turn_away)
    : limits_(limits),
      turn_away_(std::move(turn_away)),
      stop_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    new_task_queue = [this] {
        return new HandOver([this] {
            if (stopping_ && svr_sock_ != INVALID_SOCKET) {
                Server::stop();
            }
        });
    };
    set_idle_interval(0, static_cast<time_t>(std::chrono::microseconds(kAcceptWake).count()));
    // httplib writes these in its Keep-Alive header. The head deadline also
    // bounds the wait for a next request.
    set_keep_alive_max_count(limits_.max_requests_per_connection);
    const auto idle = std::min(limits_.idle_timeout, limits_.head_timeout);
    set_keep_alive_timeout(
        std::max<time_t>(1, std::chrono::duration_cast<std::chrono::seconds>(idle).count()));
    // An answer that ends the connection says so, whoever decided it.
    set_post_routing_handler([this](const httplib::Request&, httplib::Response& response) {
        const Exchange* current = exchange();
        if (stopping_ || (current != nullptr && (!current->head_read || current->close))) {
            response.headers.erase("Keep-Alive");
            response.headers.erase("Connection");
            response.set_header("Connection", "close");
        }
    });
}

GuardedServer::~GuardedServer() {
    if (pool_) {
        pool_->shutdown();
    }
    if (stop_fd_ >= 0) {
        ::close(stop_fd_);
    }
}

int GuardedServer::bind(const std::string& host, int port) {
    int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
    if (bound >= 0) {
        // httplib listened with a backlog of 5 (fixed when it was built);
        // listening again on the same socket raises it.
        ::listen(svr_sock_, limits_.backlog);
    }
    return bound;
}

void GuardedServer::serve() {
    pool_ = std::make_unique<ConnectionPool>(
        limits_.workers, limits_.queue,
        [this](const Accepted& connection) { serve_connection(connection); });
    listen_after_bind();
    pool_->shutdown();
}

void GuardedServer::stop() {
    stopping_ = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(stop_fd_, &one, sizeof one);
    Server::stop();
}

// On the accept loop's thread, for every accepted socket.
bool GuardedServer::process_and_close_socket(socket_t socket) {
    try {
        if (pool_->offer({socket, Clock::now()})) {
            return true;
        }
        turn_away(socket, "every worker is busy and the queue is full");
    } catch (...) {
        // Nothing may escape into httplib's accept loop.
    }
    ::close(socket);
    return true;
}

void GuardedServer::serve_connection(const Accepted& connection) {
    try {
        if (stopping_) {
            turn_away(connection.socket, "the server is stopping");
        } else if (Clock::now() >= connection.at + limits_.head_timeout) {
            // Its head deadline passed while it waited for a worker.
            turn_away(connection.socket, "no worker was free within the header deadline");
        } else {
            const int on = 1;
            ::setsockopt(connection.socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            DeadlineStream stream(connection.socket, stop_fd_, limits_.write_timeout);
            if (keep_alive(stream, connection.at)) {
                drain(stream);
            }
        }
    } catch (...) {
        // Nothing may end a worker: the connection is dropped, the pool lives on.
    }
    ::close(connection.socket);
}

bool GuardedServer::keep_alive(DeadlineStream& stream, Clock::time_point accepted_at) {
    Clock::time_point head_deadline = accepted_at + limits_.head_timeout;
    for (std::size_t served = 1;; ++served) {
        Exchange exchange;
        exchange.stream = &stream;
        current_exchange = &exchange;
        struct Leave {
            ~Leave() { current_exchange = nullptr; }
        } leave;
        stream.expect(head_deadline, limits_.max_head_bytes);
        // The last request says Connection: close; so does any while others wait.
        const bool last = served >= limits_.max_requests_per_connection || pool_->has_waiting();
        bool client_closes = false;
        const bool answered =
            process_request(stream, last, client_closes, [&](httplib::Request& request) {
                exchange.head_read = true;
                request.ranges.clear();  // an answer to a delivery is never cut into byte ranges
                stream.expect(Clock::now() + limits_.body_timeout, body_budget());
            });
        if (!answered || last || client_closes || !exchange.head_read || exchange.close ||
            stopping_) {
            // A head httplib refused (400, 414, 416, 431) may have a body
            // behind it; a client that missed a deadline gets no more time.
            const bool refused_head = answered && !exchange.head_read &&
                                      stream.read_stop() != ReadStop::kDeadline &&
                                      stream.read_stop() != ReadStop::kStopping;
            return exchange.linger || refused_head;
        }
        const Clock::time_point answered_at = Clock::now();
        head_deadline = answered_at + limits_.head_timeout;
        if (!wait_for_next_request(stream,
                                   std::min(head_deadline, answered_at + limits_.idle_timeout))) {
            return false;
        }
    }
}

// The bytes a body may take on the wire: the payload limit plus room for
// chunked framing (a sender using tiny chunks is cut off with 413).
std::size_t GuardedServer::body_budget() const {
    const std::size_t most = std::numeric_limits<std::size_t>::max();
    const std::size_t body = std::min(payload_max_length_, most / 4);
    return 2 * body + limits_.max_head_bytes;
}

bool GuardedServer::wait_for_next_request(DeadlineStream& stream, Clock::time_point until) const {
    while (!stopping_ && !pool_->has_waiting() && Clock::now() < until) {
        if (stream.wait_for_data(std::min(until, Clock::now() + kIdleSlice))) {
            return true;
        }
    }
    return false;
}

// Reads and drops what the client still sends, for at most limits.linger:
// closing a socket with unread bytes resets the connection, and the client
// could lose the answer before reading it.
void GuardedServer::drain(DeadlineStream& stream) const {
    ::shutdown(stream.socket(), SHUT_WR);
    stream.expect(Clock::now() + limits_.linger, std::numeric_limits<std::size_t>::max());
    char sink[4096];
    while (stream.read(sink, sizeof sink) > 0) {
    }
}

// A 503 written without waiting (the accept loop's thread must not block);
// the caller closes the socket.
void GuardedServer::turn_away(socket_t socket, const std::string& why) const {
    httplib::Response response;
    response.status = 503;
    turn_away_(response, why);
    std::string text = "HTTP/1.1 503 Service Unavailable\r\n";
    for (const auto& [name, value] : response.headers) {
        text += name + ": " + value + "\r\n";
    }
    text += "Content-Length: " + std::to_string(response.body.size()) +
            "\r\nConnection: close\r\n\r\n" + response.body;
    [[maybe_unused]] auto sent =
        ::send(socket, text.data(), text.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(socket, SHUT_WR);
}

}  // namespace salesint::net
