#include "salesint/delivery/sink.hpp"

#include "file_sink.hpp"
#include "http_sink.hpp"
#include "kafka_sink.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/suggest.hpp"

namespace salesint::delivery {

bool is_http_target(const std::string& target) {
    return starts_with(target, "http://") || starts_with(target, "https://");
}

bool is_kafka_target(const std::string& target) {
    return starts_with(target, "kafka://");
}

std::unique_ptr<Sink> open_sink(const std::string& target, const HttpSinkOptions& http,
                                const KafkaSinkOptions& kafka) {
    if (starts_with(target, "file:")) {
        std::string path = target.substr(5);
        if (starts_with(path, "//")) {
            path = path.substr(2);  // file:///var/spool/out.ndjson
        }
        return std::make_unique<FileSink>(target, path);
    }
    if (is_http_target(target)) {
        return std::make_unique<HttpSink>(target, http);
    }
    if (is_kafka_target(target)) {
        return std::make_unique<KafkaSink>(target, kafka);
    }
    // "kafak://host" -> did you mean "kafka"?
    const std::string scheme = target.substr(0, target.find(':'));
    throw usage_error("unsupported target '" + target +
                      "': the sinks are file:PATH, http://HOST/PATH, https://HOST/PATH and "
                      "kafka://HOST:PORT[,HOST:PORT...]" +
                      did_you_mean(scheme, {"file", "http", "https", "kafka"}))
        .with_field("target");
}

}  // namespace salesint::delivery
