// Helpers shared by the inbox end-to-end tests: envelopes as NDJSON lines,
// and the rows of the state that the commands do not print.
#pragma once

#include <string>
#include <vector>

#include "support/state_query.hpp"

namespace salesint::test {

// One envelope on one line, as `inbox consume` reads them.
inline std::string envelope_line(const std::string& message_id) {
    return R"({"meta":{"message_id":")" + message_id + R"(","correlation_id":"corr-)" + message_id +
           R"("},"fact":{"type":"OrderIntakeReceived","orderId":"PX-)" + message_id + R"("}})";
}

struct DeliveryRow {
    std::string delivery_id, source, target_url, scheme, outcome;
    int attempts = 0;
    int http_status = 0;  // 0: none
};

inline std::vector<DeliveryRow> delivery_rows(const std::string& state) {
    std::vector<DeliveryRow> rows;
    for (const auto& row :
         state_query(state,
                     "SELECT delivery_id, source, target_url, scheme, outcome, attempts, "
                     "COALESCE(http_status, 0) FROM webhook_deliveries ORDER BY id")) {
        rows.push_back({text_of(row[0]), text_of(row[1]), text_of(row[2]), text_of(row[3]),
                        text_of(row[4]), std::stoi(*row[5]), std::stoi(*row[6])});
    }
    return rows;
}

struct InboxDlqRow {
    std::string source, adapter_id, message_id, target_url, payload, headers, error_code;
};

// payload as its bytes on both backends (a BLOB, or bytea).
inline std::vector<InboxDlqRow> dlq_rows(const std::string& state) {
    std::vector<InboxDlqRow> rows;
    for (const auto& row :
         state_query(state,
                     "SELECT source, adapter_id, message_id, target_url, payload, headers, "
                     "error_code FROM dlq ORDER BY id")) {
        rows.push_back({text_of(row[0]), text_of(row[1]), text_of(row[2]), text_of(row[3]),
                        text_of(row[4]), text_of(row[5]), text_of(row[6])});
    }
    return rows;
}

}  // namespace salesint::test
