// kafka://HOST:PORT[,HOST:PORT...]: each envelope produced to its topic
// (with the optional prefix), keyed by its partition key, its value the
// stored envelope, its meta fields as headers of the CloudEvents Kafka
// binding (binary mode); envelopes on sales.order.intake keyed by orderId
// with the headers order intake consumers read (README "On call: the
// outbox"). One publish call produces the whole batch, then waits for every
// delivery report: an envelope is acknowledged only by a successful one.
#include "kafka_sink.hpp"

#include "rdkafka_api.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string_view>

#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/version.hpp"

namespace salesint::delivery {
namespace {

constexpr std::string_view kScheme = "kafka://";
constexpr std::string_view kOrderIntakeTopic = "sales.order.intake";

// What salesint sets before the user's properties (README "On call: the
// outbox"): the idempotent producer (acks=all, no reordering or duplicates
// on retries within a partition), keys placed as Java producers place them,
// batches of 10 ms compressed with lz4, and a bounded message timeout so
// that an unreachable cluster fails the batch rather than hanging.
const std::vector<std::pair<std::string, std::string>> kDefaults{
    {"enable.idempotence", "true"},
    {"partitioner", "murmur2_random"},
    {"linger.ms", "10"},
    {"compression.type", "lz4"},
    {"message.timeout.ms", "30000"},
    {"log.connection.close", "false"},
    {"client.id", std::string("salesint/") + kVersion},
};

// Errors that mean the cluster did not answer at all.
bool is_unreachable(rd_kafka_resp_err_t error) {
    switch (error) {
        case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
        case RD_KAFKA_RESP_ERR__TIMED_OUT:
        case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
        case RD_KAFKA_RESP_ERR__TRANSPORT:
        case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
        case RD_KAFKA_RESP_ERR__RESOLVE:
        case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
        case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
            return true;
        default:
            return false;
    }
}

bool valid_topic_text(std::string_view text) {
    return text.size() <= 200 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
           });
}

// "h1:9092,h2:9092" from the target, each broker HOST:PORT.
std::string bootstrap_of(const std::string& target) {
    std::string servers = target.substr(kScheme.size());
    if (!servers.empty() && servers.back() == '/') {
        servers.pop_back();
    }
    auto refuse = [&](const std::string& why) {
        return usage_error("target '" + escape_control(target) + "' " + why +
                           ": give kafka://HOST:PORT[,HOST:PORT...]")
            .with_field("target");
    };
    if (servers.empty()) {
        throw refuse("names no broker");
    }
    if (servers.find_first_of("/?#@ ") != std::string::npos) {
        // Credentials go into producer properties (sasl.*), never the target.
        throw refuse("is not a list of brokers");
    }
    std::size_t start = 0;
    while (start <= servers.size()) {
        const std::size_t end = std::min(servers.find(',', start), servers.size());
        const std::string broker = servers.substr(start, end - start);
        const std::size_t colon = broker.rfind(':');
        const std::string port = colon == std::string::npos ? "" : broker.substr(colon + 1);
        if (colon == 0 || port.empty() || port.size() > 5 ||
            port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) == 0 ||
            std::stoi(port) > 65535) {
            throw refuse("has a broker without HOST:PORT");
        }
        start = end + 1;
    }
    return servers;
}

void on_log(const rd_kafka_t*, int level, const char* facility, const char* text) {
    // librdkafka's errors and warnings are mostly a broker that went away and
    // came back; what matters reaches the user through the delivery reports.
    const std::string line = std::string("kafka: ") + facility + ": " + text;
    if (level <= 4) {
        log::info(line);
    } else {
        log::debug(line);
    }
}

void on_error(rd_kafka_t* producer, int error, const char* reason, void*) {
    const std::string line = std::string("kafka: ") +
                             rdkafka().err2name(static_cast<rd_kafka_resp_err_t>(error)) + ": " +
                             reason;
    if (error == RD_KAFKA_RESP_ERR__FATAL) {
        std::array<char, 512> text{};
        rdkafka().fatal_error(producer, text.data(), text.size());
        log::warn(line + ": " + text.data());
    } else {
        log::info(line);
    }
}

// The fields of an envelope its headers and key are made of, read with a
// SAX handler that stops once it has them: meta comes first in every
// envelope, and the order intake's orderId before its (large) orderData.
struct EnvelopeFields {
    std::string message_id, producer, occurred_at, correlation_id, causation_id, tenant_id,
        schema_version;
    std::string type;      // fact.type, else eventType
    std::string order_id;  // top-level orderId (order intake)
};

class FieldReader : public nlohmann::json_sax<OrderedJson> {
  public:
    FieldReader(EnvelopeFields& fields, bool wants_order_id)
        : fields_(fields), wants_order_id_(wants_order_id) {}

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool string(string_t& value) override {
        if (depth_ == 1) {
            if (top_key_ == "eventType" && fields_.type.empty()) {
                fields_.type = value;
            } else if (top_key_ == "orderId") {
                fields_.order_id = value;
            }
        } else if (depth_ == 2 && in_object_) {
            if (top_key_ == "meta") {
                meta_field(value);
            } else if (top_key_ == "fact" && inner_key_ == "type") {
                fields_.type = value;
            }
        }
        return !done();
    }
    bool start_object(std::size_t) override {
        ++depth_;
        if (depth_ == 2) {
            in_object_ = true;
            inner_key_.clear();
        }
        return true;
    }
    bool key(string_t& value) override {
        if (depth_ == 1) {
            top_key_ = value;
        } else if (depth_ == 2) {
            inner_key_ = value;
        }
        return true;
    }
    bool end_object() override {
        if (depth_ == 2 && top_key_ == "meta") {
            meta_done_ = true;
        }
        --depth_;
        return !done();
    }
    bool start_array(std::size_t) override {
        ++depth_;
        if (depth_ == 2) {
            in_object_ = false;
        }
        return true;
    }
    bool end_array() override {
        --depth_;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

  private:
    void meta_field(const std::string& value) {
        static const std::pair<const char*, std::string EnvelopeFields::*> kMeta[] = {
            {"message_id", &EnvelopeFields::message_id},
            {"producer", &EnvelopeFields::producer},
            {"occurred_at", &EnvelopeFields::occurred_at},
            {"correlation_id", &EnvelopeFields::correlation_id},
            {"causation_id", &EnvelopeFields::causation_id},
            {"tenant_id", &EnvelopeFields::tenant_id},
            {"schema_version", &EnvelopeFields::schema_version},
        };
        for (const auto& [name, member] : kMeta) {
            if (inner_key_ == name) {
                fields_.*member = value;
            }
        }
    }
    bool done() const {
        return meta_done_ && !fields_.type.empty() &&
               (!wants_order_id_ || !fields_.order_id.empty());
    }

    EnvelopeFields& fields_;
    bool wants_order_id_;
    int depth_ = 0;
    bool in_object_ = false;
    bool meta_done_ = false;
    std::string top_key_, inner_key_;
};

long long elapsed_ms(std::chrono::steady_clock::time_point from,
                     std::chrono::steady_clock::time_point to) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

EnvelopeFields fields_of(const OutboxMessage& message, bool order_intake) {
    EnvelopeFields fields;
    FieldReader reader(fields, order_intake);
    // Stopping early reads as a failed parse: what was read is kept.
    (void)OrderedJson::sax_parse(message.envelope_json, &reader,
                                 nlohmann::detail::input_format_t::json, false);
    if (fields.message_id.empty()) {
        fields.message_id = message.message_id;
    }
    if (fields.type.empty()) {
        fields.type = message.topic;
    }
    return fields;
}

}  // namespace

KafkaSink::KafkaSink(std::string target, KafkaSinkOptions options)
    : target_(std::move(target)), options_(std::move(options)) {
    bootstrap_servers_ = bootstrap_of(target_);
    if (!valid_topic_text(options_.topic_prefix)) {
        throw usage_error("topic prefix '" + escape_control(options_.topic_prefix) +
                          "' may hold only letters, digits, '.', '_' and '-'")
            .with_field("topic_prefix");
    }
    for (const auto& property : options_.properties) {
        const std::string& name = property.first;
        if (name == "bootstrap.servers" || name == "metadata.broker.list") {
            throw usage_error("Kafka producer property '" + escape_control(name) +
                              "' is not set by a property: the target names the brokers")
                .with_field("target");
        }
    }
    create_producer();  // checks the configuration now, before anything is read
}

KafkaSink::~KafkaSink() {
    destroy_producer();
}

void KafkaSink::create_producer() {
    std::array<char, 512> error{};
    rd_kafka_conf_t* conf = rdkafka().conf_new();
    auto set = [&](const std::string& name, const std::string& value, bool user) {
        const rd_kafka_conf_res_t result =
            rdkafka().conf_set(conf, name.c_str(), value.c_str(), error.data(), error.size());
        if (result == RD_KAFKA_CONF_OK) {
            return;
        }
        rdkafka().conf_destroy(conf);
        // librdkafka's own message repeats the value, which may be a secret
        // (sasl.password): only the property is named.
        const std::string what = result == RD_KAFKA_CONF_UNKNOWN
                                     ? "unknown Kafka producer property"
                                     : "invalid value for Kafka producer property";
        if (!user) {
            throw Error(ExitCode::kNo, what + " '" + name + "' in salesint's defaults");
        }
        throw usage_error(what + " '" + escape_control(name) + "'");
    };
    set("bootstrap.servers", bootstrap_servers_, false);
    for (const auto& [name, value] : kDefaults) {
        set(name, value, false);
    }
    for (const auto& [name, value] : options_.properties) {
        set(name, value, true);
    }
    std::array<char, 32> timeout{};
    std::size_t size = timeout.size();
    if (rdkafka().conf_get(conf, "message.timeout.ms", timeout.data(), &size) == RD_KAFKA_CONF_OK) {
        message_timeout_ = std::chrono::milliseconds(std::atoll(timeout.data()));
    }
    known_topics_.clear();
    rdkafka().conf_set_opaque(conf, this);
    rdkafka().conf_set_dr_msg_cb(conf, &KafkaSink::on_delivery);
    rdkafka().conf_set_log_cb(conf, &on_log);
    rdkafka().conf_set_error_cb(conf, &on_error);
    producer_ = rdkafka().create(RD_KAFKA_PRODUCER, conf, error.data(), error.size());
    if (producer_ == nullptr) {
        rdkafka().conf_destroy(conf);
        throw usage_error("cannot create a Kafka producer: " + escape_control(error.data()));
    }
}

void KafkaSink::destroy_producer() {
    if (producer_ == nullptr) {
        return;
    }
    // Every publish call waited for its reports: nothing is left to flush
    // but what a purge gave up on.
    rdkafka().flush(producer_, 1000);
    rdkafka().destroy(producer_);
    producer_ = nullptr;
}

void KafkaSink::learn_topic(const std::string& topic) {
    // Asked once per topic before its first message: a message to a topic
    // librdkafka knows nothing of waits for its periodic topic scan (about a
    // second) before it is sent. Bounded by the message timeout: an
    // unreachable cluster fails the messages, not this.
    rd_kafka_topic_t* handle = rdkafka().topic_new(producer_, topic.c_str(), nullptr);
    if (handle == nullptr) {
        return;  // an invalid name: the produce call says why
    }
    const rd_kafka_metadata_t* metadata = nullptr;
    const int timeout_ms =
        static_cast<int>(std::min<std::chrono::milliseconds::rep>(message_timeout_.count(), 5000));
    if (rdkafka().metadata(producer_, 0, handle, &metadata, timeout_ms) ==
        RD_KAFKA_RESP_ERR_NO_ERROR) {
        rdkafka().metadata_destroy(metadata);
    }
    rdkafka().topic_destroy(handle);
}

void KafkaSink::on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto* self = static_cast<KafkaSink*>(opaque);
    const auto tag = reinterpret_cast<std::uintptr_t>(message->_private);
    const std::size_t index = static_cast<std::size_t>(tag & 0xffffffffu);
    if ((tag >> 32) != (self->generation_ & 0xffffffffu) || index >= self->pending_.size()) {
        return;  // a report of an earlier call's envelope, given up on
    }
    Pending& pending = self->pending_[index];
    if (pending.reported) {
        return;
    }
    pending.reported = true;
    pending.error = message->err;
    pending.at = now_rfc3339();
    pending.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - pending.produced)
                              .count();
    ++self->reported_;
}

PublishResult KafkaSink::publish(const std::vector<OutboxMessage>& envelopes) {
    if (producer_ == nullptr) {
        create_producer();
    }
    const auto started = std::chrono::steady_clock::now();
    ++generation_;
    pending_.assign(envelopes.size(), Pending{});
    reported_ = 0;
    PublishResult published;
    published.envelopes.resize(envelopes.size());
    std::vector<bool> produced(envelopes.size(), false);
    std::set<std::string> refused_keys;  // a produce call refused: the key's later ones wait
    std::size_t in_flight = 0;
    std::string topic;
    std::vector<rd_kafka_vu_t> values;
    std::vector<std::pair<const char*, std::string>> headers;

    for (std::size_t i = 0; i < envelopes.size(); ++i) {
        const OutboxMessage& message = envelopes[i];
        if (refused_keys.count(message.partition_key) > 0) {
            continue;
        }
        const bool order_intake = message.topic == kOrderIntakeTopic;
        const EnvelopeFields fields = fields_of(message, order_intake);
        topic = options_.topic_prefix + message.topic;
        if (known_topics_.insert(topic).second) {
            learn_topic(topic);
        }
        const std::string& key =
            order_intake && !fields.order_id.empty() ? fields.order_id : message.partition_key;
        headers.clear();
        if (order_intake) {
            // The executed message id of an order intake is its idempotency
            // key (README "Execute"), and it caused this event.
            headers = {{"correlation-id", fields.correlation_id},
                       {"tenant-id", fields.tenant_id},
                       {"idempotency-key", fields.causation_id}};
        } else {
            headers = {{"ce_specversion", "1.0"},
                       {"ce_id", fields.message_id},
                       {"ce_source", fields.producer},
                       {"ce_type", fields.type},
                       {"ce_time", fields.occurred_at},
                       {"content-type", "application/json"},
                       {"correlation_id", fields.correlation_id},
                       {"causation_id", fields.causation_id},
                       {"tenant_id", fields.tenant_id},
                       {"schema_version", fields.schema_version}};
        }
        values.clear();
        rd_kafka_vu_t value{};
        value.vtype = RD_KAFKA_VTYPE_TOPIC;
        value.u.cstr = topic.c_str();
        values.push_back(value);
        value.vtype = RD_KAFKA_VTYPE_KEY;
        value.u.mem.ptr = const_cast<char*>(key.data());
        value.u.mem.size = key.size();
        values.push_back(value);
        value.vtype = RD_KAFKA_VTYPE_VALUE;
        value.u.mem.ptr = const_cast<char*>(message.envelope_json.data());
        value.u.mem.size = message.envelope_json.size();
        values.push_back(value);
        value.vtype = RD_KAFKA_VTYPE_MSGFLAGS;
        value.u.i = RD_KAFKA_MSG_F_COPY;
        values.push_back(value);
        value.vtype = RD_KAFKA_VTYPE_OPAQUE;
        value.u.ptr = reinterpret_cast<void*>(((generation_ & 0xffffffffu) << 32) | i);
        values.push_back(value);
        // A header list of our own (VTYPE_HEADERS), not one header at a time
        // (VTYPE_HEADER): librdkafka 2.0 frees the list it built twice when
        // a produce call fails in its partitioner (its issue 4627). Ours
        // stays ours when the call fails, and is librdkafka's once it worked.
        rd_kafka_headers_t* header_list = rdkafka().headers_new(headers.size());
        for (const auto& [name, text] : headers) {
            if (!text.empty()) {
                rdkafka().header_add(header_list, name, -1, text.data(),
                                     static_cast<ssize_t>(text.size()));
            }
        }
        value.vtype = RD_KAFKA_VTYPE_HEADERS;
        value.u.headers = header_list;
        values.push_back(value);
        pending_[i].produced = std::chrono::steady_clock::now();
        while (true) {
            rd_kafka_error_t* error = rdkafka().produceva(producer_, values.data(), values.size());
            if (error == nullptr) {
                produced[i] = true;
                ++in_flight;
                break;
            }
            const rd_kafka_resp_err_t code = rdkafka().error_code(error);
            if (code == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                // Back-pressure: serve delivery reports until there is room.
                rdkafka().error_destroy(error);
                rdkafka().poll(producer_, 100);
                continue;
            }
            rdkafka().headers_destroy(header_list);
            EnvelopeResult& result = published.envelopes[i];
            result.outcome = EnvelopeOutcome::kFailed;
            result.error = "not produced to " + topic + ": " + rdkafka().error_string(error);
            result.error_code = rdkafka().err2name(code);
            result.unreachable = is_unreachable(code);
            result.at = now_rfc3339();
            rdkafka().error_destroy(error);
            refused_keys.insert(message.partition_key);
            break;
        }
        if (i % 1000 == 999) {
            rdkafka().poll(producer_, 0);
        }
    }

    const auto all_produced = std::chrono::steady_clock::now();
    // Every report, within the message timeout (librdkafka reports a
    // message it could not deliver by then) and a margin.
    const auto deadline =
        std::chrono::steady_clock::now() + message_timeout_ + std::chrono::seconds(5);
    // A flush that does not wait sends what lingers at once; polling then
    // returns as reports arrive (a waiting flush also waits for librdkafka's
    // other events, in whole timeouts).
    rdkafka().flush(producer_, 0);
    while (reported_ < in_flight && std::chrono::steady_clock::now() < deadline) {
        rdkafka().poll(producer_, 50);
    }
    if (reported_ < in_flight) {
        // Given up: what is still queued or in flight is reported as purged.
        rdkafka().purge(producer_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        const auto purged = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (reported_ < in_flight && std::chrono::steady_clock::now() < purged) {
            rdkafka().poll(producer_, 100);
        }
    }

    for (std::size_t i = 0; i < envelopes.size(); ++i) {
        if (!produced[i]) {
            continue;
        }
        const Pending& pending = pending_[i];
        EnvelopeResult& result = published.envelopes[i];
        result.at = pending.reported ? pending.at : now_rfc3339();
        result.duration_ms = pending.duration_ms;
        if (pending.reported && pending.error == RD_KAFKA_RESP_ERR_NO_ERROR) {
            result.outcome = EnvelopeOutcome::kAcknowledged;
            continue;
        }
        const auto code = pending.reported ? static_cast<rd_kafka_resp_err_t>(pending.error)
                                           : RD_KAFKA_RESP_ERR__TIMED_OUT;
        result.outcome = EnvelopeOutcome::kFailed;
        result.error_code = rdkafka().err2name(code);
        result.error = "not delivered to " + options_.topic_prefix + envelopes[i].topic + ": " +
                       (pending.reported ? rdkafka().err2str(code) : "no delivery report");
        result.unreachable = is_unreachable(code);
    }

    log::debug("kafka: " + std::to_string(in_flight) + " envelopes produced in " +
               std::to_string(elapsed_ms(started, all_produced)) + " ms, reported in " +
               std::to_string(elapsed_ms(all_produced, std::chrono::steady_clock::now())) + " ms");

    // Per key, nothing after a failure counts: an envelope of the key that
    // was delivered after it is sent again later (at-least-once).
    std::set<std::string> failed_keys;
    for (std::size_t i = 0; i < envelopes.size(); ++i) {
        EnvelopeResult& result = published.envelopes[i];
        if (failed_keys.count(envelopes[i].partition_key) > 0) {
            result = EnvelopeResult{};
            result.outcome = EnvelopeOutcome::kNotSent;
        } else if (result.outcome == EnvelopeOutcome::kFailed) {
            failed_keys.insert(envelopes[i].partition_key);
        }
    }

    std::array<char, 512> fatal{};
    if (rdkafka().fatal_error(producer_, fatal.data(), fatal.size()) !=
        RD_KAFKA_RESP_ERR_NO_ERROR) {
        // The idempotent producer cannot go on: the next call starts another.
        log::warn(std::string("kafka: the producer stopped (") + fatal.data() +
                  "): starting a new one");
        destroy_producer();
    }
    return published;
}

}  // namespace salesint::delivery
