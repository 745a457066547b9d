#include "rdkafka_api.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "salesint/errors.hpp"

namespace salesint::delivery {
namespace {

constexpr const char* kLibrary = "librdkafka.so.1";

template <typename Function>
void bind(void* library, Function& slot, const char* name, std::string& missing) {
    slot = reinterpret_cast<Function>(::dlsym(library, name));
    if (slot == nullptr) {
        missing += std::string(missing.empty() ? "" : ", ") + name;
    }
}

RdKafka load() {
    void* library = ::dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        throw usage_error(std::string("the Kafka sink needs ") + kLibrary +
                          " (Debian package librdkafka1): " + ::dlerror());
    }
    RdKafka api{};
    std::string missing;
    bind(library, api.conf_new, "rd_kafka_conf_new", missing);
    bind(library, api.conf_set, "rd_kafka_conf_set", missing);
    bind(library, api.conf_get, "rd_kafka_conf_get", missing);
    bind(library, api.conf_destroy, "rd_kafka_conf_destroy", missing);
    bind(library, api.conf_set_opaque, "rd_kafka_conf_set_opaque", missing);
    bind(library, api.conf_set_log_cb, "rd_kafka_conf_set_log_cb", missing);
    bind(library, api.conf_set_error_cb, "rd_kafka_conf_set_error_cb", missing);
    bind(library, api.conf_set_dr_msg_cb, "rd_kafka_conf_set_dr_msg_cb", missing);
    bind(library, api.create, "rd_kafka_new", missing);
    bind(library, api.destroy, "rd_kafka_destroy", missing);
    bind(library, api.poll, "rd_kafka_poll", missing);
    bind(library, api.flush, "rd_kafka_flush", missing);
    bind(library, api.purge, "rd_kafka_purge", missing);
    bind(library, api.fatal_error, "rd_kafka_fatal_error", missing);
    bind(library, api.produceva, "rd_kafka_produceva", missing);
    bind(library, api.headers_new, "rd_kafka_headers_new", missing);
    bind(library, api.header_add, "rd_kafka_header_add", missing);
    bind(library, api.headers_destroy, "rd_kafka_headers_destroy", missing);
    bind(library, api.topic_new, "rd_kafka_topic_new", missing);
    bind(library, api.topic_destroy, "rd_kafka_topic_destroy", missing);
    bind(library, api.metadata, "rd_kafka_metadata", missing);
    bind(library, api.metadata_destroy, "rd_kafka_metadata_destroy", missing);
    bind(library, api.error_code, "rd_kafka_error_code", missing);
    bind(library, api.error_string, "rd_kafka_error_string", missing);
    bind(library, api.error_destroy, "rd_kafka_error_destroy", missing);
    bind(library, api.err2name, "rd_kafka_err2name", missing);
    bind(library, api.err2str, "rd_kafka_err2str", missing);
    if (!missing.empty()) {
        throw usage_error(std::string(kLibrary) + " lacks " + missing +
                          " (salesint needs librdkafka 2.0 or newer)");
    }
    return api;  // the library stays loaded for the life of the process
}

}  // namespace

const RdKafka& rdkafka() {
    static std::once_flag once;
    static RdKafka api;
    std::call_once(once, [] { api = load(); });
    return api;
}

}  // namespace salesint::delivery
