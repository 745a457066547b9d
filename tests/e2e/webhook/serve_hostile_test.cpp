// webhook serve against clients that are slow or malformed on purpose: raw
// TCP connections that trickle headers, conflicting lengths, bytes that are
// not UTF-8, escape sequences meant for the terminal. Short deadlines (given
// by the options) keep the suite fast.
#include <csignal>

#include <memory>
#include <thread>

#include <catch2/catch.hpp>

#include "e2e/webhook/raw_connection.hpp"
#include "e2e/webhook/webhook_support.hpp"

using namespace salesint::test;
using std::chrono::milliseconds;

namespace {

struct Serving {
    std::unique_ptr<Background> server;
    int port = 0;
};

Serving start_serve(const SeededState& seeded, const std::vector<std::string>& options) {
    std::vector<std::string> argv{salesint_binary(), "--state",  seeded.state(), "webhook",
                                  "serve",           "--scheme", "standard",     "--secret-env",
                                  "WEBHOOK_SECRET",  "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), options.begin(), options.end());
    Serving serving{std::make_unique<Background>(argv, RunOptions{"", secret_env(), ""}), 0};
    std::string line = serving.server->read_line();
    REQUIRE_THAT(line, Catch::StartsWith("listening on http://127.0.0.1:"));
    serving.port = std::stoi(line.substr(line.rfind(':') + 1));
    return serving;
}

// A delivery signed with the standard scheme, as raw bytes: headers (extra
// ones first, so that conflicting ones come before the real length) and body.
std::string signed_delivery(const SeededState& seeded, const std::string& id,
                            const std::string& extra_headers = "",
                            const std::string& path = "/hooks") {
    const std::string body_file =
        seeded.dir().file("body-" + std::to_string(std::hash<std::string>{}(id)));
    const std::string body = R"({"orderId":"PX-HOSTILE-1"})";
    write_file(body_file, body);
    std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    auto args = signed_header_args("standard", body_file, unix_now(), id);
    for (std::size_t i = 1; i < args.size(); i += 2) {
        request += args[i] + "\r\n";
    }
    return request + extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body;
}

// Sends one request on a new connection and reads until the server closes it.
std::unique_ptr<RawConnection> send_and_read(int port, const std::string& request) {
    auto connection = std::make_unique<RawConnection>(port);
    connection->send(request);
    connection->finish();
    connection->read_for(milliseconds(5000));
    return connection;
}

// Connections that send a request line, then a header line every 200 ms,
// and never finish their head. A thread trickles and notes when the server
// closes each; it gives up after `patience`, leaving the rest open.
class Tricklers {
  public:
    Tricklers(int port, int count, milliseconds patience) {
        for (int i = 0; i < count; ++i) {
            connections_.push_back(std::make_unique<RawConnection>(port));
            connections_.back()->send("POST /hooks HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        }
        thread_ = std::thread([this, until = Clock::now() + patience] {
            for (int line = 0; Clock::now() < until; ++line) {
                bool any_open = false;
                for (auto& connection : connections_) {
                    if (!connection->read_for(milliseconds(0))) {
                        any_open = true;
                        connection->send("X-Trickle-" + std::to_string(line) + ": slow\r\n");
                    }
                }
                if (!any_open) {
                    return;
                }
                std::this_thread::sleep_for(milliseconds(200));
            }
        });
    }
    ~Tricklers() { join(); }
    void join() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    const std::vector<std::unique_ptr<RawConnection>>& connections() const { return connections_; }

  private:
    std::vector<std::unique_ptr<RawConnection>> connections_;
    std::thread thread_;
};

milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

}  // namespace

TEST_CASE("a delivery is answered within the header deadline while 16 clients trickle headers",
          "[e2e][webhook][serve][hostile]") {
    SeededState seeded;
    // Fewer workers than slow clients: 4 hold workers, 12 wait in the queue.
    Serving serving = start_serve(seeded, {"--header-timeout", "2s", "--workers", "4"});
    const milliseconds deadline(2000);

    Tricklers tricklers(serving.port, 16, deadline + milliseconds(5000));
    std::this_thread::sleep_for(milliseconds(300));  // all accepted, all trickling
    const std::string delivery = signed_delivery(seeded, "msg_behind_slow_clients");
    const auto sent = Clock::now();
    auto answered = send_and_read(serving.port, delivery);
    const milliseconds took = since(sent);
    INFO("the delivery took " << took.count() << " ms; answer: " << answered->received());
    CHECK(answered->status() == 202);
    CHECK(took < deadline + milliseconds(1000));

    tricklers.join();  // once the server closed every slow connection, or it gave up
    int timed_out = 0;
    for (const auto& slow : tricklers.connections()) {
        INFO("a slow client got: " << slow->received());
        REQUIRE(slow->closed());
        // Closed by the server once its head deadline passed, not before.
        CHECK(slow->open_for() >= deadline - milliseconds(100));
        CHECK(slow->open_for() < deadline + milliseconds(1500));
        // 408 from a worker, or 503 when it waited for one past its deadline.
        CHECK((slow->status() == 408 || slow->status() == 503));
        timed_out += slow->status() == 408 ? 1 : 0;
    }
    CHECK(timed_out >= 4);

    // A stop does not wait for a slow client's deadline.
    RawConnection slow(serving.port);
    slow.send("POST /hooks HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    std::this_thread::sleep_for(milliseconds(100));
    const auto stopping = Clock::now();
    serving.server->signal(SIGTERM);
    RunResult stopped = serving.server->wait();
    CHECK(since(stopping) < milliseconds(1500));  // the slow client's deadline is 1.9 s away
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.err, Catch::Contains("202 accepted id=msg_behind_slow_clients") &&
                                Catch::Contains("408 timeout"));
    CHECK(slow.read_for(milliseconds(1000)));
    CHECK(slow.status() == 503);
}

TEST_CASE("serve refuses malformed headers and framing with 400, never 500, and keeps serving",
          "[e2e][webhook][serve][hostile]") {
    SeededState seeded;
    Serving serving = start_serve(seeded, {"--max-body", "1KiB"});
    struct Case {
        const char* what;
        std::string extra_headers;
    };
    const std::vector<Case> cases{
        {"a value that is not UTF-8 (Latin-1)", "X-Note: caf\xe9\r\n"},
        {"an overlong UTF-8 form", "X-Note: \xc0\xaf\r\n"},
        {"a control character", "X-Note: a\x01z\r\n"},
        {"a C1 control character",
         "X-Note: \xc2\x9b"
         "31m\r\n"},
        {"a header name that is not a token", "X Note: spaced\r\n"},
        {"two differing Content-Length", "Content-Length: 5\r\n"},
        {"Content-Length with Transfer-Encoding", "Transfer-Encoding: chunked\r\n"},
    };
    int n = 0;
    for (const auto& c : cases) {
        INFO(c.what);
        auto refused = send_and_read(
            serving.port, signed_delivery(seeded, "msg_bad_" + std::to_string(n), c.extra_headers));
        INFO(refused->received());
        CHECK(refused->status() == 400);
        CHECK_THAT(refused->received(), Catch::Contains("Connection: close") &&
                                            Catch::Contains("\"code\":\"MALFORMED_REQUEST\"") &&
                                            Catch::Contains("X-Delivery-Outcome: malformed"));
        CHECK(refused->closed());
        // The server keeps serving.
        auto next =
            send_and_read(serving.port, signed_delivery(seeded, "msg_after_" + std::to_string(n)));
        CHECK(next->status() == 202);
        ++n;
    }
    {
        INFO("two equal Content-Length");
        auto refused = send_and_read(
            serving.port, signed_delivery(seeded, "msg_equal", "Content-Length: 26\r\n"));
        CHECK(refused->status() == 400);
    }
    {
        INFO("what is refused before the body is read: no length, too long, not a POST");
        auto no_length = send_and_read(serving.port, "POST /hooks HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK(no_length->status() == 411);
        auto too_long = send_and_read(
            serving.port, "POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n");
        CHECK(too_long->status() == 413);
        CHECK_THAT(too_long->received(), Catch::Contains("PAYLOAD_TOO_LARGE"));
        auto get = send_and_read(serving.port, "GET /hooks HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK(get->status() == 405);
        CHECK_THAT(get->received(), Catch::Contains("Allow: POST"));
        auto other_coding = send_and_read(
            serving.port, "POST /hooks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n");
        CHECK(other_coding->status() == 400);
        auto not_http = send_and_read(serving.port, "BREW /pot HTCPCP/1.0\r\n\r\n");
        CHECK(not_http->status() == 400);
        std::string huge_head = "POST /hooks HTTP/1.1\r\nHost: x\r\n";
        for (int i = 0; i < 100; ++i) {
            huge_head += "X-Filler-" + std::to_string(i) + ": " + std::string(1000, 'f') + "\r\n";
        }
        auto too_large_head = send_and_read(serving.port, huge_head + "\r\n");
        CHECK(too_large_head->status() == 431);
    }
    {
        INFO("chunked bodies are read, and bounded by --max-body");
        std::string head = signed_delivery(seeded, "msg_chunked");
        head = head.substr(0, head.find("Content-Length:"));  // signed for the same body
        auto chunked =
            send_and_read(serving.port, head +
                                            "Transfer-Encoding: chunked\r\n\r\n"
                                            "1a\r\n{\"orderId\":\"PX-HOSTILE-1\"}\r\n0\r\n\r\n");
        CHECK(chunked->status() == 202);
        std::string big = head + "Transfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 20; ++i) {
            big += "100\r\n" + std::string(256, 'x') + "\r\n";
        }
        auto too_large = send_and_read(serving.port, big + "0\r\n\r\n");
        CHECK(too_large->status() == 413);
    }
    auto last = send_and_read(serving.port, signed_delivery(seeded, "msg_last"));
    CHECK(last->status() == 202);

    serving.server->signal(SIGTERM);
    RunResult stopped = serving.server->wait();
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.err, !Catch::Contains(" 500 "));
}

TEST_CASE("escape sequences from a client never reach serve's output raw",
          "[e2e][webhook][serve][hostile]") {
    SeededState seeded;
    Serving serving = start_serve(seeded, {});
    // The id is refused (a control character in a header); the path is logged.
    // (salesint webhook sign refuses such an id itself: it is put in by hand.)
    std::string hostile = signed_delivery(seeded, "msg_placeholder");
    const std::string placeholder = "webhook-id: msg_placeholder";
    REQUIRE(hostile.find(placeholder) != std::string::npos);
    hostile.replace(hostile.find(placeholder), placeholder.size(),
                    "webhook-id: msg_\x1b[2J\x1b[31mred");
    auto refused = send_and_read(serving.port, hostile);
    CHECK(refused->status() == 400);
    auto accepted = send_and_read(
        serving.port, signed_delivery(seeded, "msg_escaped_path", "", "/hooks%1b]0;owned%07"));
    CHECK(accepted->status() == 202);

    serving.server->signal(SIGTERM);
    RunResult stopped = serving.server->wait();
    CHECK(stopped.exit_code == 0);
    INFO("stderr: " << stopped.err);
    CHECK(stopped.err.find('\x1b') == std::string::npos);
    CHECK(stopped.err.find('\x07') == std::string::npos);
    CHECK(stopped.out.find('\x1b') == std::string::npos);
    CHECK_THAT(stopped.err, Catch::Contains("400 malformed") &&
                                Catch::Contains("header webhook-id has a control character"));
    CHECK_THAT(stopped.err,
               Catch::Contains("POST /hooks\\x1b]0;owned\\x07 202 accepted id=msg_escaped_path"));
}

TEST_CASE("serve answers 503 at once when its queue is full", "[e2e][webhook][serve][hostile]") {
    SeededState seeded;
    // One worker and 8 places in the queue: the 10th and later connections are turned away.
    Serving serving = start_serve(seeded, {"--header-timeout", "1s", "--workers", "1"});
    std::vector<std::unique_ptr<RawConnection>> connections;
    const auto opened = Clock::now();
    for (int i = 0; i < 12; ++i) {
        connections.push_back(std::make_unique<RawConnection>(serving.port));
        connections.back()->send("POST /hooks HTTP/1.1\r\n");
        std::this_thread::sleep_for(milliseconds(5));
    }
    std::this_thread::sleep_for(milliseconds(300));
    int turned_away = 0;
    for (auto& connection : connections) {
        if (connection->read_for(milliseconds(0))) {
            INFO(connection->received());
            CHECK(connection->status() == 503);
            CHECK_THAT(connection->received(),
                       Catch::Contains("Retry-After: 1") && Catch::Contains("SERVICE_UNAVAILABLE"));
            ++turned_away;
        }
    }
    CHECK(since(opened) < milliseconds(900));  // before any head deadline
    CHECK(turned_away >= 3);
    CHECK(turned_away <= 4);

    serving.server->signal(SIGTERM);
    RunResult stopped = serving.server->wait();
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.err, Catch::Contains("- - 503 unavailable bytes=0 (every worker is busy"));
}

TEST_CASE("serve answers 408 to a body slower than --body-timeout",
          "[e2e][webhook][serve][hostile]") {
    SeededState seeded;
    Serving serving = start_serve(seeded, {"--body-timeout", "1s"});
    std::string delivery = signed_delivery(seeded, "msg_slow_body");
    const auto sent = Clock::now();
    RawConnection slow(serving.port);
    slow.send(delivery.substr(0, delivery.size() - 10));  // the head and most of the body
    REQUIRE(slow.read_for(milliseconds(5000)));
    INFO(slow.received());
    CHECK(slow.status() == 408);
    CHECK_THAT(slow.received(), Catch::Contains("REQUEST_TIMEOUT"));
    CHECK(since(sent) >= milliseconds(900));
    CHECK(since(sent) < milliseconds(2500));
    CHECK(send_and_read(serving.port, signed_delivery(seeded, "msg_after_slow_body"))->status() ==
          202);
}

TEST_CASE("a kept-alive connection serves again, then closes once idle",
          "[e2e][webhook][serve][hostile]") {
    SeededState seeded;
    Serving serving = start_serve(seeded, {"--header-timeout", "1s"});
    auto keep_alive = [](std::string request) {
        return request.replace(request.find("Connection: close"), 17, "Connection: keep-alive");
    };
    const std::string first = keep_alive(signed_delivery(seeded, "msg_first"));
    const std::string second = keep_alive(signed_delivery(seeded, "msg_second"));
    RawConnection connection(serving.port);
    connection.send(first);
    REQUIRE(connection.read_answer(milliseconds(5000)));
    CHECK(connection.status() == 202);
    CHECK_THAT(connection.last_answer(), Catch::Contains("Keep-Alive: timeout=1, max=100"));
    connection.send(second);
    REQUIRE(connection.read_answer(milliseconds(5000)));
    CHECK_THAT(connection.last_answer(), Catch::StartsWith("HTTP/1.1 202") &&
                                             Catch::Contains("\"delivery_id\":\"msg_second\""));
    // Idle: closed within the header deadline, which also bounds the wait for the next request.
    const auto idle_from = Clock::now();
    CHECK(connection.read_for(milliseconds(3000)));
    CHECK(since(idle_from) < milliseconds(1500));
}

TEST_CASE("serve refuses deadlines and pool sizes outside their bounds",
          "[e2e][webhook][serve][hostile]") {
    SeededState seeded;
    for (const auto& [option, value] :
         std::vector<std::pair<std::string, std::string>>{{"--header-timeout", "50ms"},
                                                          {"--header-timeout", "6m"},
                                                          {"--header-timeout", "soon"},
                                                          {"--body-timeout", "0s"},
                                                          {"--body-timeout", "11m"},
                                                          {"--workers", "0"},
                                                          {"--workers", "65"}}) {
        RunResult result = seeded.run({"webhook", "serve", "--scheme", "standard", "--secret-env",
                                       "WEBHOOK_SECRET", "--listen", "127.0.0.1:0", option, value},
                                      {"", secret_env(), ""});
        INFO(option << " " << value << ": " << result.err);
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.err, Catch::Contains(option));
    }
}
