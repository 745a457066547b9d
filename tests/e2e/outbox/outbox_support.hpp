// Helpers shared by the outbox end-to-end tests: an outbox filled with real
// envelopes by `salesint execute --batch`, read back from the state,
// and a local HTTP sink whose answer depends on what it receives.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run.hpp"
#include "support/state_query.hpp"
#include "support/temp_state.hpp"

namespace salesint::test {

inline constexpr const char* kRelaySecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct OutboxRow {
    long long id = 0;
    std::string message_id, topic, partition_key, envelope, published_at, dead_lettered_at,
        last_error;
    int attempts = 0;
};

inline std::vector<OutboxRow> outbox_rows(const std::string& state) {
    std::vector<OutboxRow> rows;
    for (const auto& row :
         state_query(state,
                     "SELECT id, message_id, topic, partition_key, envelope, "
                     "published_at, dead_lettered_at, last_error, publish_attempts "
                     "FROM outbox ORDER BY id")) {
        rows.push_back({std::stoll(*row[0]), text_of(row[1]), text_of(row[2]), text_of(row[3]),
                        text_of(row[4]), text_of(row[5]), text_of(row[6]), text_of(row[7]),
                        std::stoi(*row[8])});
    }
    return rows;
}

inline long long count_of(const std::string& state, const std::string& sql) {
    return state_count(state, sql);
}

// orders order intakes executed in deterministic mode (two envelopes each:
// the integration fact and the domain event), then, when keys > 0, the
// envelopes spread over partition keys key-0 .. key-(keys-1) by id, so that
// each key holds several envelopes whose order can be checked.
inline void fill_outbox(const TempDir& dir, int orders, int keys) {
    nlohmann::json order =
        nlohmann::json::parse(read_file(fixtures_dir() + "/execute/order-intake.json"));
    std::string lines;
    for (int i = 0; i < orders; ++i) {
        order["externalOrderId"] = "PX-OUTBOX-" + std::to_string(i);
        lines += order.dump() + "\n";
    }
    write_file(dir.file("orders.ndjson"), lines);
    RunResult batch = run_salesint({"--state", dir.state(), "execute", "fsm.order.intake.v2",
                                    "--batch", dir.file("orders.ndjson"), "-o", "ndjson"});
    INFO(batch.err);
    REQUIRE(batch.exit_code == 0);
    if (keys > 0) {
        state_exec(dir.state(), "UPDATE outbox SET partition_key = 'key-' || (id % " +
                                    std::to_string(keys) + ")");
    }
}

// The message ids in the lines of an NDJSON text (or in the elements of
// JSON arrays, one per line), in order.
inline std::vector<std::string> message_ids_in(const std::string& ndjson) {
    std::vector<std::string> ids;
    std::istringstream lines(ndjson);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) {
            continue;
        }
        const nlohmann::json value = nlohmann::json::parse(line);
        if (value.is_array()) {
            for (const auto& element : value) {
                ids.push_back(element["meta"]["message_id"]);
            }
        } else {
            ids.push_back(value["meta"]["message_id"]);
        }
    }
    return ids;
}

// True when, for every key, the message ids of that key appear in ids in
// the order of the outbox (repeats allowed: at-least-once, but a repeat may
// only restart from an earlier point, never skip one).
inline bool in_order_per_key(const std::vector<OutboxRow>& rows,
                             const std::vector<std::string>& ids) {
    std::map<std::string, std::string> key_of;
    std::map<std::string, std::vector<std::string>> expected;
    for (const auto& row : rows) {
        key_of[row.message_id] = row.partition_key;
        expected[row.partition_key].push_back(row.message_id);
    }
    std::map<std::string, std::size_t> next;  // per key: the position expected next at most
    for (const auto& id : ids) {
        const std::string& key = key_of.at(id);
        const auto& order = expected[key];
        const auto at =
            static_cast<std::size_t>(std::find(order.begin(), order.end(), id) - order.begin());
        if (at > next[key]) {
            return false;  // one of the key's earlier envelopes was skipped
        }
        next[key] = std::max(next[key], at + 1);
    }
    return true;
}

// A local HTTP sink: answers each POST with what decide() says (status and
// a delay), and records every request.
struct Posted {
    httplib::Headers headers;
    std::string body;
    int status = 0;
};

class SinkServer {
  public:
    using Decide = std::function<int(const std::string& body)>;

    explicit SinkServer(Decide decide) : decide_(std::move(decide)) {
        server_.Post(
            R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
                int status = 0;
                std::chrono::milliseconds delay{0};
                {
                    std::lock_guard<std::mutex> lock(mutex_);
                    status = decide_(request.body);
                    delay = delay_;
                }
                std::this_thread::sleep_for(delay);
                {
                    std::lock_guard<std::mutex> lock(mutex_);
                    posted_.push_back({request.headers, request.body, status});
                }
                response.status = status;
                response.set_content(status < 300 ? "{\"ok\":true}" : "{\"error\":\"scripted\"}",
                                     "application/json");
            });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // stop() before the accept loop runs would not end it.
        while (!server_.is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    ~SinkServer() {
        server_.stop();
        thread_.join();
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/events"; }
    void set_decide(Decide decide) {
        std::lock_guard<std::mutex> lock(mutex_);
        decide_ = std::move(decide);
    }
    void set_delay(std::chrono::milliseconds delay) {
        std::lock_guard<std::mutex> lock(mutex_);
        delay_ = delay;
    }
    std::vector<Posted> posted() {
        std::lock_guard<std::mutex> lock(mutex_);
        return posted_;
    }
    // The message ids of the envelopes answered 2xx, in the order answered.
    std::vector<std::string> acknowledged_ids() {
        std::string lines;
        for (const auto& post : posted()) {
            if (post.status >= 200 && post.status < 300) {
                lines += post.body + "\n";
            }
        }
        return message_ids_in(lines);
    }

  private:
    httplib::Server server_;
    Decide decide_;
    std::chrono::milliseconds delay_{0};
    std::vector<Posted> posted_;
    std::mutex mutex_;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace salesint::test
