// `webhook serve`: a local receiver. Each delivery is rate-limited, verified,
// checked for staleness and repetition (replay protection), stored in the
// inbox once, optionally forwarded, and logged in one line. A refused
// delivery (malformed, stale, a bad signature) is stored too, as rejected with
// its reason, so that it can be explained later; it is never forwarded.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "salesint/store.hpp"
#include "salesint/webhooks/rate_limiter.hpp"
#include "salesint/webhooks/scheme.hpp"

namespace salesint::net {
class HttpServer;
}

namespace salesint::webhooks {

// Runs fn with the store to itself (the receiver's threads share one store).
using WithStore = std::function<void(const std::function<void(Store&)>&)>;

// Sends on a delivery that was just stored (with its inbox id), before the
// answer; it writes what became of it through with_store.
using ForwardStored = std::function<void(const InboxEntry& stored, const WithStore& with_store)>;

// Rejected deliveries stored a minute at most, beyond the rate limit: a flood
// of bad requests cannot fill the state file faster than this.
inline constexpr int kMaxRejectedStoredPerMinute = 60;

// Headers that describe the hop, not the delivery: neither stored nor forwarded.
bool is_hop_header(const std::string& name);

// The inbox id of a rejected delivery, which may carry no id of its own (and
// must not take the id of a valid one that follows): "r_" and 32 hex digits
// of SHA-256 over its stored headers and body, so a repeated request is
// stored once.
std::string rejected_delivery_id(const std::string& headers_json, const std::string& body);

struct ReceiverOptions {
    const Scheme* scheme = nullptr;
    std::vector<Secret> secrets;
    std::string host = "127.0.0.1";
    int port = 8787;  // 0: any free port
    std::size_t max_body = 1 << 20;
    std::int64_t tolerance = 300;
    ForwardStored forward;          // empty: deliveries are only stored
    std::int64_t max_requests = 0;  // 0: until stopped
    RateLimit rate_limit;
    // What a slow or hostile client may cost (README, "Webhooks"): the head
    // of a request is due within header_timeout of the connection's accept
    // (or of the previous answer on a kept-alive connection), the body within
    // body_timeout of the head. `workers` connections are served at once,
    // 8 per worker may wait for one, and more are answered 503.
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::milliseconds body_timeout{30'000};
    std::size_t workers = 16;
};

// What the receiver answered to one delivery.
struct Answer {
    int status = 0;
    std::string outcome;  // accepted, duplicate, malformed, invalid_signature, stale, rate_limited
    std::string body;     // JSON
    HeaderList headers;
    std::string delivery_id;
};

class Receiver {
  public:
    Receiver(Store& store, ReceiverOptions options);
    ~Receiver();

    // Decides one delivery; thread-safe. now_ms is unix milliseconds.
    Answer handle(const HeaderList& headers, const std::string& body, std::int64_t now_ms);

    // Binds, calls on_listening(host, port), and serves until stop() or
    // max_requests. Throws a usage Error when the address cannot be bound.
    void serve(const std::function<void(const std::string&, int)>& on_listening);
    void stop();

  private:
    Store& store_;
    ReceiverOptions options_;
    RateLimiter limiter_;
    std::mutex store_mutex_;
    std::atomic<std::int64_t> handled_{0};
    std::int64_t rejected_minute_ = 0;  // under store_mutex_
    int rejected_in_minute_ = 0;

    void store_rejected(const HeaderList& headers, const std::string& body, const Answer& answer,
                        std::int64_t now_ms);
    std::unique_ptr<net::HttpServer> server_;
};

}  // namespace salesint::webhooks
