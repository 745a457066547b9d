// The Kafka sink (sink.hpp): each envelope produced to its own topic through
// librdkafka's idempotent producer, acknowledged only from its delivery
// report.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "salesint/delivery/sink.hpp"

struct rd_kafka_s;
struct rd_kafka_message_s;

namespace salesint::delivery {

class KafkaSink : public Sink {
  public:
    // Parses kafka://HOST:PORT[,HOST:PORT...] and checks the producer's
    // configuration (a usage Error naming the bad property or the target);
    // connects lazily, as librdkafka does.
    KafkaSink(std::string target, KafkaSinkOptions options);
    ~KafkaSink() override;
    KafkaSink(const KafkaSink&) = delete;
    KafkaSink& operator=(const KafkaSink&) = delete;

    PublishResult publish(const std::vector<OutboxMessage>& envelopes) override;
    std::string describe() const override { return target_; }
    std::size_t preferred_batch() const override { return options_.batch < 1 ? 1 : options_.batch; }

  private:
    struct Pending {
        bool reported = false;
        int error = 0;  // rd_kafka_resp_err_t
        std::chrono::steady_clock::time_point produced;
        std::string at;
        std::int64_t duration_ms = 0;
    };

    void create_producer();
    void destroy_producer();
    void learn_topic(const std::string& topic);
    static void on_delivery(rd_kafka_s* producer, const rd_kafka_message_s* message, void* opaque);

    std::string target_;
    std::string bootstrap_servers_;
    KafkaSinkOptions options_;
    std::chrono::milliseconds message_timeout_{30'000};
    rd_kafka_s* producer_ = nullptr;
    std::vector<Pending> pending_;  // the current publish call's envelopes
    std::size_t reported_ = 0;
    // Tells a publish call's reports from an earlier call's.
    std::uint64_t generation_ = 0;
    std::set<std::string> known_topics_;  // whose metadata was asked for
};

}  // namespace salesint::delivery
