// The network transport, loaded on first use from libsalesint-net.so: libcurl
// and cpp-httplib bring some thirty shared libraries, and loading them at
// every start would triple the start-up time of commands that never touch
// the network. The core decides what to send and answer; this only moves bytes.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "salesint/net/http_client.hpp"
#include "salesint/webhooks/headers.hpp"

namespace salesint::net {

struct ServerRequest {
    std::string method;
    std::string path;
    webhooks::HeaderList headers;
    std::string body;
};

struct ServerAnswer {
    int status = 200;
    webhooks::HeaderList headers;
    std::string body;  // JSON
};

struct ServerSetup {
    std::size_t max_body = 1 << 20;
    // Answers a POST.
    std::function<ServerAnswer(const ServerRequest&)> handle;
    // Answers what the server refuses by itself (413 too large, 404, 405).
    std::function<ServerAnswer(int status)> refuse;
    // Called once per request, after the answer was written.
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

class Backend {
  public:
    virtual ~Backend() = default;
    virtual HttpResponse post(const std::string& url, const webhooks::HeaderList& headers,
                              std::string_view body, std::chrono::milliseconds timeout) = 0;
    virtual std::unique_ptr<HttpServer> make_server(ServerSetup setup) = 0;
};

// The loaded module's backend; throws an Error when the module is missing.
Backend& backend();

}  // namespace salesint::net

// The one symbol the module exports.
extern "C" salesint::net::Backend* salesint_net_backend();
