// cpp-httplib's server held to ServerLimits. httplib still parses, routes and
// writes every request and answer; what changes is the life of an accepted
// socket. httplib's accept loop hands each socket to the virtual
// process_and_close_socket, which here only queues it on a bounded
// ConnectionPool. A worker then runs its own keep-alive loop over a
// DeadlineStream and calls httplib's protected process_request once per
// request: the head must arrive within head_timeout of the accept (or of the
// previous answer), the body within body_timeout of the head.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "backend.hpp"
#include "connection_pool.hpp"
#include "deadline_stream.hpp"

namespace salesint::net {

class GuardedServer final : public httplib::Server {
  public:
    // One request and its answer, as the worker serving it knows them; the
    // handlers, which httplib gives only the request, reach it by exchange().
    struct Exchange {
        const DeadlineStream* stream = nullptr;
        bool head_read = false;  // httplib parsed the head: the body deadline runs
        bool close = false;      // no further request on this connection
        bool linger = false;     // the client may still be sending a body we did not read
        std::string body;        // the body the handler read, for the log line
        std::string note;        // for the log line
    };
    // The exchange of the calling thread; nullptr outside a worker's request.
    static Exchange* exchange();

    // Fills in the 503 for a connection turned away before a request was read
    // (why: for the log line), and logs it.
    using TurnAway = std::function<void(httplib::Response&, const std::string& why)>;

    GuardedServer(ServerLimits limits, TurnAway turn_away);
    ~GuardedServer() override;

    // Binds and listens with limits.backlog; the port bound, or -1.
    int bind(const std::string& host, int port);
    // Accepts and serves until stop().
    void serve();
    // From any thread: stops accepting, fails pending reads at once (a request
    // cut short is answered 503), lets the workers finish and close.
    void stop();

  private:
    bool process_and_close_socket(socket_t socket) override;
    void serve_connection(const Accepted& connection);
    // Serves requests until the connection should close; true when the client
    // may still be sending a body we did not read.
    bool keep_alive(DeadlineStream& stream, Clock::time_point accepted_at);
    std::size_t body_budget() const;
    bool wait_for_next_request(DeadlineStream& stream, Clock::time_point until) const;
    void drain(DeadlineStream& stream) const;
    void turn_away(socket_t socket, const std::string& why) const;

    ServerLimits limits_;
    TurnAway turn_away_;
    int stop_fd_ = -1;
    std::atomic<bool> stopping_{false};
    std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace salesint::net
