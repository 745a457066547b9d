// salesint outbox list | show ID | relay --to URI
#include <iostream>
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "interrupt.hpp"
#include "option_values.hpp"
#include "progress.hpp"
#include "salesint/delivery/outbox_relay.hpp"
#include "salesint/delivery/sink.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/strings.hpp"
#include "webhook_options.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes = R"(JSON shape of an outbox envelope (list: an array of them):
  {"tenant_id", "id", "message_id", "topic", "partition_key", "created_at", "status",
   "publish_attempts", "last_error", "published_at", "dead_lettered_at"}
status is pending (never tried), failed (tried, not published), published or dead_lettered
(given up on and moved to the DLQ). show adds "envelope": the stored envelope.
relay prints {"published", "failed", "dead_lettered", "stopped_keys": [partition keys],
  "failures": [{"id", "message_id", "partition_key", "error", "dead_lettered",
  "dlq_entry_id"}]}
and exits 0 when everything pending was published, 1 when an envelope failed, 5 when the
sink never answered and nothing was published. Envelopes are published oldest first, in
order per partition key, and marked published only once the sink acknowledged them: a
file: sink after fsync, an HTTP sink on a 2xx answer, a kafka:// cluster on a successful
delivery report (at-least-once).
Kafka: each envelope goes to its topic (after --topic-prefix), keyed by its partition key,
its value the envelope, with the CloudEvents headers ce_specversion, ce_id (meta.message_id),
ce_source, ce_type, ce_time, content-type and correlation_id, causation_id, tenant_id,
schema_version; sales.order.intake is keyed by orderId with the headers correlation-id,
tenant-id and idempotency-key. The producer is idempotent (acks=all), partitioner
murmur2_random, linger.ms=10, compression.type=lz4, message.timeout.ms=30000; -X sets any
librdkafka producer property over these (an unknown property or a bad value exits 2).)";

const std::vector<Column> kColumns{
    {"id", "ID"},
    {"topic", "TOPIC"},
    {"partition_key", "KEY"},
    {"message_id", "MESSAGE ID"},
    {"created_at", "CREATED"},
    {"status", "STATUS"},
    {"publish_attempts", "ATTEMPTS"},
    {"last_error", "ERROR"},
};

OrderedJson or_null(const std::string& text) {
    return text.empty() ? OrderedJson() : OrderedJson(text);
}

OrderedJson envelope_json(const OutboxMessage& message, const std::string& tenant) {
    OrderedJson object = OrderedJson::object();
    object["tenant_id"] = tenant;
    object["id"] = message.id;
    object["message_id"] = message.message_id;
    object["topic"] = message.topic;
    object["partition_key"] = message.partition_key;
    object["created_at"] = message.created_at;
    object["status"] = to_string(status_of(message));
    object["publish_attempts"] = message.publish_attempts;
    object["last_error"] = message.last_error;
    object["published_at"] = or_null(message.published_at);
    object["dead_lettered_at"] = or_null(message.dead_lettered_at);
    return object;
}

std::int64_t outbox_id(const std::string& text) {
    try {
        std::size_t used = 0;
        const long long id = std::stoll(text, &used);
        if (used == text.size() && id > 0) {
            return id;
        }
    } catch (const std::exception&) {
        // not a number: said below
    }
    throw usage_error("ID: '" + text + "' is not an outbox id (a positive number, as listed)");
}

struct RelayFlags {
    std::string to;
    int limit = 0;
    int batch = 1;
    bool batch_given = false;
    std::string topic_prefix;
    std::vector<std::string> properties;  // -X PROPERTY=VALUE
    bool once = false;
    int dead_letter_after = 0;
    std::string poll = "1s";
    int max_attempts = 5;
    std::string timeout = "30s";
    std::string backoff = "1s";
    std::string max_backoff = "30s";
    SchemeOptions scheme;
};

delivery::HttpSinkOptions http_options(const RelayFlags& flags) {
    delivery::HttpSinkOptions http;
    const bool has_secret = !flags.scheme.secrets.empty();
    if (!delivery::is_http_target(flags.to)) {
        if (!flags.scheme.scheme.empty() || has_secret) {
            throw usage_error("--scheme and secrets apply to http:// and https:// sinks only");
        }
        return http;
    }
    if (!flags.scheme.scheme.empty()) {
        http.scheme = &webhooks::scheme_named(flags.scheme.scheme);
        http.secret = flags.scheme.load_one_secret("outbox relay");
    } else if (has_secret) {
        throw usage_error("a secret signs only with --scheme (unsigned without it)");
    }
    if (flags.batch > 1000) {
        throw usage_error("--batch: at most 1000 envelopes per POST");
    }
    http.batch = flags.batch;
    http.max_attempts = flags.max_attempts;
    http.timeout = duration_option(flags.timeout, "--timeout");
    http.backoff.base = duration_option(flags.backoff, "--backoff");
    http.backoff.cap = duration_option(flags.max_backoff, "--max-backoff");
    http.on_retry = [](const std::string& message) { log::warn(message); };
    return http;
}

delivery::KafkaSinkOptions kafka_options(const RelayFlags& flags) {
    delivery::KafkaSinkOptions kafka;
    if (!delivery::is_kafka_target(flags.to)) {
        if (!flags.topic_prefix.empty() || !flags.properties.empty()) {
            throw usage_error("--topic-prefix and -X apply to kafka:// sinks only");
        }
        return kafka;
    }
    kafka.topic_prefix = flags.topic_prefix;
    for (const std::string& property : flags.properties) {
        const std::size_t equals = property.find('=');
        if (equals == std::string::npos || equals == 0) {
            // The whole argument is not shown: it may be a secret given without its name.
            throw usage_error("-X takes PROPERTY=VALUE (a librdkafka producer property)");
        }
        kafka.properties.emplace_back(property.substr(0, equals), property.substr(equals + 1));
    }
    if (flags.batch_given) {
        kafka.batch = static_cast<std::size_t>(flags.batch);
    }
    return kafka;
}

ExitCode run_relay(Context& context, const RelayFlags& flags) {
    const delivery::HttpSinkOptions http = http_options(flags);
    const delivery::KafkaSinkOptions kafka = kafka_options(flags);
    const auto poll = duration_option(flags.poll, "--poll");
    Store& store = context.store();  // a bad state file fails before the sink is opened
    std::unique_ptr<delivery::Sink> sink = delivery::open_sink(flags.to, http, kafka);

    ProgressLine progress("envelopes published", context.options.quiet);
    InterruptGuard interrupt;
    delivery::RelayOptions options;
    options.target = sink->describe();
    options.limit = flags.limit;
    options.dead_letter_after = flags.dead_letter_after;
    options.follow = !flags.once;
    options.poll = poll;
    options.stop_requested = [&interrupt] { return interrupt.requested().load(); };
    options.on_progress = [&progress](std::int64_t published) {
        progress.update(static_cast<std::size_t>(published));
    };
    const delivery::RelayReport report = delivery::relay(store, *sink, options);
    progress.finish();

    const ExitCode answer = report.failed + report.dead_lettered == 0 ? ExitCode::kSuccess
                            : report.sink_unreachable                 ? ExitCode::kTransient
                                                                      : ExitCode::kNo;
    if (context.format() == OutputFormat::kText) {
        for (const delivery::RelayFailure& failure : report.failures) {
            std::cout << (failure.dead_lettered ? "dead-lettered " : "failed ") << failure.id
                      << " (" << escape_control(failure.message_id) << ", key "
                      << escape_control(failure.partition_key)
                      << "): " << escape_control(failure.error)
                      << (failure.dead_lettered ? " -> DLQ entry " + failure.dlq_entry_id : "")
                      << "\n";
        }
        std::cout << report.published << " published, " << report.failed << " failed, "
                  << report.dead_lettered << " dead-lettered to "
                  << escape_control(sink->describe());
        if (!report.stopped_keys.empty()) {
            std::cout << "; stopped keys: " << escape_control(join(report.stopped_keys, ", "));
        }
        std::cout << "\n";
        return answer;
    }
    OrderedJson failures = OrderedJson::array();
    for (const delivery::RelayFailure& failure : report.failures) {
        failures.push_back({{"id", failure.id},
                            {"message_id", failure.message_id},
                            {"partition_key", failure.partition_key},
                            {"error", failure.error},
                            {"dead_lettered", failure.dead_lettered},
                            {"dlq_entry_id", or_null(failure.dlq_entry_id)}});
    }
    OrderedJson object = OrderedJson::object();
    object["published"] = report.published;
    object["failed"] = report.failed;
    object["dead_lettered"] = report.dead_lettered;
    object["stopped_keys"] = report.stopped_keys;
    object["failures"] = std::move(failures);
    context.print_object(object);
    return answer;
}

}  // namespace

void install_outbox(Command group) {
    Context& context = group.context();
    group.footer(kShapes);

    struct ListFlags {
        std::string topic, status, since;
        int limit = 0;
    };
    auto list_flags = std::make_shared<ListFlags>();
    Command list = group.add("list", "List envelopes, oldest first", [=, &context] {
        OutboxFilter filter;
        filter.topic = list_flags->topic;
        if (!list_flags->status.empty()) {
            filter.status = parse_outbox_status(list_flags->status);
        }
        filter.since = time_bound_option(list_flags->since, "--since");
        filter.limit = list_flags->limit;
        context.print_each(kColumns, context.store().list_outbox(filter), envelope_json);
    });
    list.option("--topic", list_flags->topic, "Only this topic").type_name("TOPIC");
    list.choice("--status", list_flags->status, {"pending", "published", "failed", "dead_lettered"},
                "Only envelopes with this status");
    list.option("--since", list_flags->since, "Created at or after this time (RFC 3339, or 1h, 7d)")
        .type_name("TIME");
    list.option("--limit", list_flags->limit, "At most N envelopes")
        .type_name("N")
        .range(1, 100000000);

    auto show_id = std::make_shared<std::string>();
    group
        .add("show", "Show one envelope and its publish status",
             [=, &context] {
                 Store& store = context.store();
                 const std::int64_t id = outbox_id(*show_id);
                 auto found = store.find_outbox(id);
                 if (!found) {
                     throw not_found("no envelope " + *show_id + " in the outbox of tenant '" +
                                     store.tenant() + "'");
                 }
                 OrderedJson object = envelope_json(*found, store.tenant());
                 object["envelope"] = OrderedJson::parse(found->envelope_json, nullptr, false);
                 if (context.format() == OutputFormat::kText) {
                     for (const auto& [key, value] : object.items()) {
                         if (key == "envelope") {
                             std::cout << "envelope:\n" << value.dump(2) << "\n";
                         } else {
                             std::cout
                                 << key << ": "
                                 << escape_control(value.is_null()     ? std::string("-")
                                                   : value.is_string() ? value.get<std::string>()
                                                                       : value.dump())
                                 << "\n";
                         }
                     }
                 } else {
                     context.print_object(object);
                 }
             })
        .positional("ID", *show_id, "Outbox id (as listed)")
        .required();

    auto flags = std::make_shared<RelayFlags>();
    auto batch_option = std::make_shared<Option>(nullptr);
    Command relay = group.add(
        "relay", "Publish pending envelopes to a sink, in order per partition key, at-least-once",
        [=, &context] {
            flags->batch_given = batch_option->given();
            return run_relay(context, *flags);
        });
    relay
        .option("--to", flags->to,
                "The sink: file:PATH (NDJSON appended, fsync'd), an http(s):// URL or "
                "kafka://HOST:PORT[,HOST:PORT...]")
        .type_name("URI")
        .required();
    relay.option("--limit", flags->limit, "Publish at most N envelopes")
        .type_name("N")
        .range(1, 100000000);
    *batch_option =
        relay
            .option("--batch", flags->batch,
                    "HTTP: envelopes per POST, sent as a JSON array when above 1 (at most "
                    "1000); Kafka: envelopes produced per commit (default 10000)")
            .type_name("N")
            .range(1, 100000);
    relay
        .option("--topic-prefix", flags->topic_prefix,
                "Kafka: put before each envelope's topic (staging. + sales.order.intake)")
        .type_name("PREFIX");
    relay
        .option("-X", flags->properties,
                "Kafka: a librdkafka producer property over salesint's (repeatable: "
                "-X linger.ms=50 -X security.protocol=ssl)")
        .type_name("PROPERTY=VALUE");
    relay.flag("--once", flags->once,
               "Drain what is pending and exit (default: follow new envelopes)");
    relay
        .option("--dead-letter-after", flags->dead_letter_after,
                "Move an envelope that failed N times to the DLQ so that its key goes on")
        .type_name("N")
        .range(1, 1000);
    relay.option("--poll", flags->poll, "When following: how often to look for new envelopes")
        .type_name("DURATION");
    relay.choice("--scheme", flags->scheme.scheme, {"fsm", "standard", "stripe", "github"},
                 "HTTP: sign each POST with this webhook scheme (default: unsigned)");
    flags->scheme.add_secret_options(relay);
    relay
        .option("--max-attempts", flags->max_attempts,
                "HTTP: attempts of one POST before giving up")
        .type_name("N")
        .range(1, 100);
    relay.option("--timeout", flags->timeout, "HTTP: time limit of one attempt")
        .type_name("DURATION");
    relay.option("--backoff", flags->backoff, "HTTP: base of the exponential backoff (full jitter)")
        .type_name("DURATION");
    relay.option("--max-backoff", flags->max_backoff, "HTTP: longest wait between attempts")
        .type_name("DURATION");
}

}  // namespace salesint::cli
