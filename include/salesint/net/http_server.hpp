// An HTTP server whose handlers the core supplies: `webhook serve` decides
// what to answer; the network module (cpp-httplib) only moves the bytes,
// within the limits set here. Loaded on first use, as http_client.hpp is.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "salesint/net/http_headers.hpp"

namespace salesint::net {

struct ServerRequest {
    std::string method;
    std::string path;
    HeaderList headers;
    std::string body;
};

struct ServerAnswer {
    int status = 200;
    HeaderList headers;
    std::string body;  // JSON
    std::string note;  // for the log line only, never sent
};

// What one client may cost the server. A connection is served by one worker
// from accept to close; the deadlines bound how long a slow client holds it.
struct ServerLimits {
    // Request line and headers, counted from the accept (or from the previous
    // answer on a kept-alive connection), including any wait for a worker.
    std::chrono::milliseconds head_timeout{10'000};
    std::chrono::milliseconds body_timeout{30'000};  // counted from the end of the head
    std::chrono::milliseconds idle_timeout{5'000};   // for the next request on a kept-alive one
    std::chrono::milliseconds write_timeout{5'000};  // for each write of an answer
    // After a refusal that left a body unread: how long to drain it, so that
    // the client reads the answer rather than a connection reset.
    std::chrono::milliseconds linger{1'000};
    // The request line and headers together; httplib reads a line whole
    // before it checks its length, so this bounds what a head may cost.
    std::size_t max_head_bytes = 64 * 1024;
    std::size_t max_requests_per_connection = 100;
    std::size_t workers = 16;
    std::size_t queue = 128;  // accepted connections waiting for a worker; more get 503
    int backlog = 511;        // of the listening socket (the library's own is 5)
};

struct ServerSetup {
    std::size_t max_body = 1 << 20;
    ServerLimits limits;
    // Looks at a request before its body is read (head.body is empty): an
    // answer refuses it, and the connection is closed after the answer.
    std::function<std::optional<ServerAnswer>(const ServerRequest& head)> check_head;
    // Answers a POST.
    std::function<ServerAnswer(const ServerRequest&)> handle;
    // Answers what the server refuses by itself: 400 (not HTTP), 408 (a
    // deadline passed), 413 (a chunked body too large), 431 (a head over
    // max_head_bytes), 500, 503 (busy or stopping).
    std::function<ServerAnswer(int status)> refuse;
    // Called once per request, after the answer was written; also for a
    // connection turned away with 503 before a request was read (method "-").
    // It may be called from several threads at once.
    std::function<void(const ServerRequest&, const ServerAnswer&)> log;
};

class HttpServer {
  public:
    virtual ~HttpServer() = default;
    // Binds host:port (0: any free port); the port bound, or -1.
    virtual int bind(const std::string& host, int port) = 0;
    // Serves until stop(); stop() may be called from any thread, also a handler's.
    virtual void listen() = 0;
    virtual void stop() = 0;
};

// A server from the network module; throws an Error when the module is missing.
std::unique_ptr<HttpServer> make_server(ServerSetup setup);

}  // namespace salesint::net
