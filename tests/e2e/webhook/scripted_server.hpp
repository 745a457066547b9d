// A real HTTP server on 127.0.0.1 inside the test process, answering each
// request (POST or GET, to any path) with the next status of a script (the
// last one repeats), and recording what it received.
#pragma once

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace salesint::test {

struct Step {
    int status = 200;
    std::string retry_after;             // Retry-After header, if any
    std::chrono::milliseconds delay{0};  // before answering
    std::string body;                    // empty: a small JSON object of its own
};

inline Step answer(int status, std::string retry_after = "",
                   std::chrono::milliseconds delay = std::chrono::milliseconds(0),
                   std::string body = "") {
    return {status, std::move(retry_after), delay, std::move(body)};
}

struct Received {
    httplib::Headers headers;
    std::string body;
    std::chrono::steady_clock::time_point at;
    std::string method;
    std::string target;  // the path and query as requested
};

class ScriptedServer {
  public:
    explicit ScriptedServer(std::vector<Step> script) : script_(std::move(script)) {
        auto handle = [this](const httplib::Request& request, httplib::Response& response) {
            Step step;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                received_.push_back({request.headers, request.body,
                                     std::chrono::steady_clock::now(), request.method,
                                     request.target});
                step = script_[std::min(received_.size(), script_.size()) - 1];
            }
            std::this_thread::sleep_for(step.delay);
            response.status = step.status;
            if (!step.retry_after.empty()) {
                response.set_header("Retry-After", step.retry_after);
            }
            response.set_content(!step.body.empty()  ? step.body
                                 : step.status < 300 ? "{\"ok\":true}"
                                                     : "{\"error\":\"scripted\"}",
                                 "application/json");
        };
        server_.Post(R"(/.*)", handle);
        server_.Get(R"(/.*)", handle);
        // The socket listens once bound: connections queue until the accept loop runs.
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~ScriptedServer() {
        server_.stop();
        thread_.join();
    }

    std::string url() const { return origin() + "/hooks"; }
    std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::vector<Received> received() {
        std::lock_guard<std::mutex> lock(mutex_);
        return received_;
    }

  private:
    httplib::Server server_;
    std::vector<Step> script_;
    std::vector<Received> received_;
    std::mutex mutex_;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace salesint::test
