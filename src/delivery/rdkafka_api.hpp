// librdkafka, loaded on first use: linked into salesint, it and the
// libraries it needs (SASL, compression) would be loaded by every command at
// start, Kafka or not (about 2 ms of CPU each time). The Kafka sink calls it
// through this table instead, as the network module is loaded by
// net/load_backend.cpp.
#pragma once

#include <librdkafka/rdkafka.h>

namespace salesint::delivery {

struct RdKafka {
    decltype(&::rd_kafka_conf_new) conf_new;
    decltype(&::rd_kafka_conf_set) conf_set;
    decltype(&::rd_kafka_conf_get) conf_get;
    decltype(&::rd_kafka_conf_destroy) conf_destroy;
    decltype(&::rd_kafka_conf_set_opaque) conf_set_opaque;
    decltype(&::rd_kafka_conf_set_log_cb) conf_set_log_cb;
    decltype(&::rd_kafka_conf_set_error_cb) conf_set_error_cb;
    decltype(&::rd_kafka_conf_set_dr_msg_cb) conf_set_dr_msg_cb;
    decltype(&::rd_kafka_new) create;
    decltype(&::rd_kafka_destroy) destroy;
    decltype(&::rd_kafka_poll) poll;
    decltype(&::rd_kafka_flush) flush;
    decltype(&::rd_kafka_purge) purge;
    decltype(&::rd_kafka_fatal_error) fatal_error;
    decltype(&::rd_kafka_produceva) produceva;
    decltype(&::rd_kafka_headers_new) headers_new;
    decltype(&::rd_kafka_header_add) header_add;
    decltype(&::rd_kafka_headers_destroy) headers_destroy;
    decltype(&::rd_kafka_topic_new) topic_new;
    decltype(&::rd_kafka_topic_destroy) topic_destroy;
    decltype(&::rd_kafka_metadata) metadata;
    decltype(&::rd_kafka_metadata_destroy) metadata_destroy;
    decltype(&::rd_kafka_error_code) error_code;
    decltype(&::rd_kafka_error_string) error_string;
    decltype(&::rd_kafka_error_destroy) error_destroy;
    decltype(&::rd_kafka_err2name) err2name;
    decltype(&::rd_kafka_err2str) err2str;
};

// The table, loading librdkafka.so.1 the first time; an Error naming the
// library and its Debian package when it cannot be loaded.
const RdKafka& rdkafka();

}  // namespace salesint::delivery
