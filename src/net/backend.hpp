// The network transport, loaded on first use from libsalesint-net.so: libcurl
// and cpp-httplib bring some thirty shared libraries, and loading them at
// every start would triple the start-up time of commands that never touch
// the network. The core decides what to send and answer; this only moves bytes.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "salesint/net/http_client.hpp"
#include "salesint/net/http_server.hpp"

namespace salesint::net {

class Backend {
  public:
    virtual ~Backend() = default;
    virtual HttpResponse post(const std::string& url, const HeaderList& headers,
                              std::string_view body, std::chrono::milliseconds timeout) = 0;
    virtual HttpResponse get(const std::string& url, const HeaderList& headers,
                             std::chrono::milliseconds timeout) = 0;
    virtual std::unique_ptr<HttpServer> make_server(ServerSetup setup) = 0;
};

// The loaded module's backend; throws an Error when the module is missing.
Backend& backend();

}  // namespace salesint::net

// The one symbol the module exports.
extern "C" salesint::net::Backend* salesint_net_backend();
