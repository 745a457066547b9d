// The cpp-httplib half of libsalesint-net.so.
#include <httplib.h>

#include "net/backend.hpp"

namespace salesint::net {
namespace {

ServerRequest to_request(const httplib::Request& request) {
    ServerRequest out{request.method, request.path, {}, request.body};
    for (const auto& [name, value] : request.headers) {
        out.headers.push_back({name, value});
    }
    return out;
}

void write(const ServerAnswer& answer, httplib::Response& response) {
    response.status = answer.status;
    for (const auto& header : answer.headers) {
        response.set_header(header.name, header.value);
    }
    response.set_content(answer.body, "application/json");
}

ServerAnswer from_response(const httplib::Response& response) {
    ServerAnswer answer{response.status, {}, response.body};
    for (const auto& [name, value] : response.headers) {
        answer.headers.push_back({name, value});
    }
    return answer;
}

class HttplibServer final : public HttpServer {
  public:
    explicit HttplibServer(ServerSetup setup) : setup_(std::move(setup)) {
        server_.set_payload_max_length(setup_.max_body);
        // Headers and body go out in separate writes: without TCP_NODELAY,
        // Nagle's algorithm and delayed ACKs stall each answer by ~40 ms.
        server_.set_tcp_nodelay(true);
        server_.Post(R"(/.*)",
                     [this](const httplib::Request& request, httplib::Response& response) {
                         write(setup_.handle(to_request(request)), response);
                     });
        server_.set_error_handler(httplib::Server::HandlerWithResponse(
            [this](const httplib::Request&, httplib::Response& response) {
                if (!response.body.empty()) {
                    return httplib::Server::HandlerResponse::Unhandled;  // the handler's own answer
                }
                write(setup_.refuse(response.status), response);
                return httplib::Server::HandlerResponse::Handled;
            }));
        server_.set_logger(
            [this](const httplib::Request& request, const httplib::Response& response) {
                setup_.log(to_request(request), from_response(response));
            });
    }

    int bind(const std::string& host, int port) override {
        if (port == 0) {
            return server_.bind_to_any_port(host);
        }
        return server_.bind_to_port(host, port) ? port : -1;
    }
    void listen() override { server_.listen_after_bind(); }
    void stop() override { server_.stop(); }

  private:
    ServerSetup setup_;
    httplib::Server server_;
};

}  // namespace

HttpResponse curl_post(const std::string& url, const webhooks::HeaderList& headers,
                       std::string_view body, std::chrono::milliseconds timeout);

class ModuleBackend final : public Backend {
  public:
    HttpResponse post(const std::string& url, const webhooks::HeaderList& headers,
                      std::string_view body, std::chrono::milliseconds timeout) override {
        return curl_post(url, headers, body, timeout);
    }
    std::unique_ptr<HttpServer> make_server(ServerSetup setup) override {
        return std::make_unique<HttplibServer>(std::move(setup));
    }
};

}  // namespace salesint::net

extern "C" salesint::net::Backend* salesint_net_backend() {
    static salesint::net::ModuleBackend backend;
    return &backend;
}
