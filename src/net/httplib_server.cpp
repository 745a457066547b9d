// The cpp-httplib half of libsalesint-net.so: ServerSetup's callbacks wired to
// httplib's handlers on a GuardedServer (its deadlines, pool and keep-alive).
#include <httplib.h>

#include "backend.hpp"
#include "guarded_server.hpp"

namespace salesint::net {
namespace {

ServerRequest to_request(const httplib::Request& request) {
    ServerRequest out{request.method, request.path, {}, {}};
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
    if (auto* exchange = GuardedServer::exchange(); exchange != nullptr && !answer.note.empty()) {
        exchange->note = answer.note;
    }
}

ServerAnswer from_response(const httplib::Response& response) {
    ServerAnswer answer{response.status, {}, response.body, {}};
    for (const auto& [name, value] : response.headers) {
        answer.headers.push_back({name, value});
    }
    return answer;
}

// The answer to a request whose head or body could not be read in full.
int unread_status(int status) {
    const GuardedServer::Exchange* exchange = GuardedServer::exchange();
    if (exchange == nullptr || exchange->stream == nullptr) {
        return status;
    }
    switch (exchange->stream->read_stop()) {
        case ReadStop::kDeadline:
            return 408;
        case ReadStop::kTooLarge:
            return exchange->head_read ? 413 : 431;
        case ReadStop::kStopping:
            return 503;
        case ReadStop::kNone:
            break;
    }
    return status >= 400 && status < 500 ? status : 400;
}

class HttplibServer final : public HttpServer {
  public:
    explicit HttplibServer(ServerSetup setup)
        : setup_(std::move(setup)),
          server_(setup_.limits, [this](httplib::Response& response, const std::string& why) {
              ServerAnswer answer = setup_.refuse(response.status);
              answer.note = why;
              write(answer, response);
              setup_.log({"-", "-", {}, {}}, answer);
          }) {
        server_.set_payload_max_length(setup_.max_body);
        // Headers and body go out in separate writes: without TCP_NODELAY,
        // Nagle's algorithm and delayed ACKs stall each answer by ~40 ms.
        server_.set_tcp_nodelay(true);
        // Both run before the body is read: with Expect: 100-continue the
        // first, else the second.
        server_.set_expect_100_continue_handler(
            [this](const httplib::Request& request, httplib::Response& response) {
                return refuse_head(request, response) ? response.status : 100;
            });
        server_.set_pre_routing_handler(
            [this](const httplib::Request& request, httplib::Response& response) {
                return refuse_head(request, response) ? httplib::Server::HandlerResponse::Handled
                                                      : httplib::Server::HandlerResponse::Unhandled;
            });
        server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response,
                                  const httplib::ContentReader& read_body) {
            answer_post(request, response, read_body);
        });
        server_.set_exception_handler(
            [this](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
                close_after_answer(false);
                write(setup_.refuse(500), response);  // never httplib's EXCEPTION_WHAT header
            });
        server_.set_error_handler(httplib::Server::HandlerWithResponse(
            [this](const httplib::Request&, httplib::Response& response) {
                if (response.body.empty()) {  // not an answer of ours: httplib refused by itself
                    write(setup_.refuse(unread_status(response.status)), response);
                }
                // Handled, so that httplib sets the Content-Length of the body.
                return httplib::Server::HandlerResponse::Handled;
            }));
        server_.set_logger(
            [this](const httplib::Request& request, const httplib::Response& response) {
                ServerRequest logged = to_request(request);
                ServerAnswer answer = from_response(response);
                if (auto* exchange = GuardedServer::exchange()) {
                    logged.body = std::move(exchange->body);
                    answer.note = exchange->note;
                }
                setup_.log(logged, answer);
            });
    }

    int bind(const std::string& host, int port) override { return server_.bind(host, port); }
    void listen() override { server_.serve(); }
    void stop() override { server_.stop(); }

  private:
    static void close_after_answer(bool linger) {
        if (auto* exchange = GuardedServer::exchange()) {
            exchange->close = true;
            exchange->linger = exchange->linger || linger;
        }
    }

    bool refuse_head(const httplib::Request& request, httplib::Response& response) {
        std::optional<ServerAnswer> refusal = setup_.check_head(to_request(request));
        if (!refusal) {
            return false;
        }
        write(*refusal, response);
        close_after_answer(true);  // the body, if the client sends one, is not read
        return true;
    }

    // Reads the body through httplib (Content-Length or chunked, which
    // set_payload_max_length does not bound) up to max_body, then answers.
    void answer_post(const httplib::Request& request, httplib::Response& response,
                     const httplib::ContentReader& read_body) {
        std::string body;
        bool too_large = false;
        const bool complete = read_body([&](const char* data, std::size_t size) {
            if (size > setup_.max_body - body.size()) {
                too_large = true;
                return false;
            }
            body.append(data, size);
            return true;
        });
        if (!complete) {
            // Too large: the client is likely still sending; drain before closing.
            const GuardedServer::Exchange* exchange = GuardedServer::exchange();
            too_large = too_large || (exchange != nullptr &&
                                      exchange->stream->read_stop() == ReadStop::kTooLarge);
            close_after_answer(too_large);
            write(setup_.refuse(too_large ? 413 : unread_status(response.status)), response);
            return;
        }
        ServerRequest delivery = to_request(request);
        delivery.body = std::move(body);
        write(setup_.handle(delivery), response);
        if (auto* exchange = GuardedServer::exchange()) {
            exchange->body = std::move(delivery.body);
        }
    }

    ServerSetup setup_;
    GuardedServer server_;
};

}  // namespace

HttpResponse curl_post(const std::string& url, const HeaderList& headers, std::string_view body,
                       std::chrono::milliseconds timeout);
HttpResponse curl_get(const std::string& url, const HeaderList& headers,
                      std::chrono::milliseconds timeout);

class ModuleBackend final : public Backend {
  public:
    HttpResponse post(const std::string& url, const HeaderList& headers, std::string_view body,
                      std::chrono::milliseconds timeout) override {
        return curl_post(url, headers, body, timeout);
    }
    HttpResponse get(const std::string& url, const HeaderList& headers,
                     std::chrono::milliseconds timeout) override {
        return curl_get(url, headers, timeout);
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
