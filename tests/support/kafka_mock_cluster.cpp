// A Kafka cluster for the tests and bench/relay.sh: librdkafka's mock
// cluster (rdkafka_mock.h) hosted in a process of its own, so that the real
// salesint binary connects to it as it would to any broker.
//
//   kafka_mock_cluster [--brokers N] [--topic NAME[:PARTITIONS]]...
//                      [--produce-errors ERR[,ERR...]] [--rtt-ms MS]
//
// Prints its bootstrap servers (HOST:PORT,...) on one line to stdout, then
// pushes the produce errors given (each fails one Produce request, in order:
// NOT_ENOUGH_REPLICAS, NOT_LEADER_FOR_PARTITION, TRANSPORT for a dropped
// connection, or any other librdkafka error name) and serves until SIGTERM or
// SIGINT, or until its standard input closes when that is a pipe. The mock
// keeps at most 5 MiB per partition (older data is pruned): callers give
// topics enough partitions for what they produce.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

[[noreturn]] void usage(const std::string& why) {
    std::fprintf(stderr,
                 "kafka_mock_cluster: %s\nusage: kafka_mock_cluster [--brokers N] "
                 "[--topic NAME[:PARTITIONS]]... [--produce-errors ERR[,ERR...]] [--rtt-ms MS]\n",
                 why.c_str());
    std::exit(2);
}

rd_kafka_resp_err_t error_named(const std::string& name) {
    const rd_kafka_err_desc* descs = nullptr;
    size_t count = 0;
    rd_kafka_get_err_descs(&descs, &count);
    for (size_t i = 0; i < count; ++i) {
        if (descs[i].name == nullptr) {
            continue;
        }
        const std::string known = descs[i].name;
        if (known == name || known == "_" + name) {
            return descs[i].code;
        }
    }
    usage("unknown error name '" + name + "'");
}

int number(const std::string& text, const char* what) {
    char* end = nullptr;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || value < 0 || value > 1000000) {
        usage(std::string("bad ") + what + " '" + text + "'");
    }
    return static_cast<int>(value);
}

}  // namespace

int main(int argc, char** argv) {
    int brokers = 3;
    int rtt_ms = 0;
    std::vector<std::pair<std::string, int>> topics;
    std::vector<rd_kafka_resp_err_t> produce_errors;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage(arg + " needs a value");
            }
            return argv[++i];
        };
        if (arg == "--brokers") {
            brokers = number(value(), "broker count");
        } else if (arg == "--topic") {
            const std::string topic = value();
            const std::size_t colon = topic.find(':');
            topics.emplace_back(topic.substr(0, colon),
                                colon == std::string::npos
                                    ? 4
                                    : number(topic.substr(colon + 1), "partition count"));
        } else if (arg == "--produce-errors") {
            const std::string list = value();
            std::size_t start = 0;
            while (start <= list.size()) {
                const std::size_t end = std::min(list.find(',', start), list.size());
                produce_errors.push_back(error_named(list.substr(start, end - start)));
                start = end + 1;
            }
        } else if (arg == "--rtt-ms") {
            rtt_ms = number(value(), "rtt");
        } else {
            usage("unknown argument '" + arg + "'");
        }
    }
    if (brokers < 1) {
        usage("at least one broker");
    }

    // Blocked before librdkafka starts its threads, which inherit the mask:
    // the signals are taken only by sigtimedwait below.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error);
    rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (handle == nullptr) {
        std::fprintf(stderr, "kafka_mock_cluster: %s\n", error);
        return 1;
    }
    rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, brokers);
    if (cluster == nullptr) {
        std::fprintf(stderr, "kafka_mock_cluster: cannot start the mock cluster\n");
        return 1;
    }
    const int replicas = brokers < 3 ? brokers : 3;
    for (const auto& [name, partitions] : topics) {
        const rd_kafka_resp_err_t created =
            rd_kafka_mock_topic_create(cluster, name.c_str(), partitions, replicas);
        if (created != RD_KAFKA_RESP_ERR_NO_ERROR) {
            std::fprintf(stderr, "kafka_mock_cluster: topic %s: %s\n", name.c_str(),
                         rd_kafka_err2str(created));
            return 1;
        }
    }
    if (rtt_ms > 0) {
        rd_kafka_mock_broker_set_rtt(cluster, -1, rtt_ms);
    }
    if (!produce_errors.empty()) {
        rd_kafka_mock_push_request_errors_array(cluster, 0 /* Produce */, produce_errors.size(),
                                                produce_errors.data());
    }
    std::printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
    std::fflush(stdout);

    struct stat input {};
    const bool watch_stdin =
        ::fstat(0, &input) == 0 && (S_ISFIFO(input.st_mode) || S_ISSOCK(input.st_mode));
    while (true) {
        const timespec wait{0, 100 * 1000 * 1000};
        if (sigtimedwait(&stop_signals, nullptr, &wait) > 0) {
            break;
        }
        if (watch_stdin) {
            pollfd fd{0, POLLIN, 0};
            if (::poll(&fd, 1, 0) > 0) {
                char buffer[256];
                if (::read(0, buffer, sizeof buffer) <= 0) {
                    break;  // closed
                }
            }
        }
    }
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(handle);
    return 0;
}
