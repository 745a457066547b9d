// Helpers shared by the inbox end-to-end tests: envelopes as NDJSON lines,
// and the rows of the state file that the commands do not print.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <string>
#include <vector>

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
    SQLite::Database db(state, SQLite::OPEN_READONLY);
    SQLite::Statement query(db,
                            "SELECT delivery_id, source, target_url, scheme, outcome, attempts, "
                            "COALESCE(http_status, 0) FROM webhook_deliveries ORDER BY id");
    std::vector<DeliveryRow> rows;
    while (query.executeStep()) {
        rows.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                        query.getColumn(2).getString(), query.getColumn(3).getString(),
                        query.getColumn(4).getString(), query.getColumn(5).getInt(),
                        query.getColumn(6).getInt()});
    }
    return rows;
}

struct InboxDlqRow {
    std::string source, adapter_id, message_id, target_url, payload, headers, error_code;
};

inline std::vector<InboxDlqRow> dlq_rows(const std::string& state) {
    SQLite::Database db(state, SQLite::OPEN_READONLY);
    SQLite::Statement query(db,
                            "SELECT source, adapter_id, message_id, target_url, payload, headers, "
                            "error_code FROM dlq ORDER BY id");
    std::vector<InboxDlqRow> rows;
    while (query.executeStep()) {
        rows.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                        query.getColumn(2).getString(), query.getColumn(3).getString(),
                        query.getColumn(4).getString(), query.getColumn(5).getString(),
                        query.getColumn(6).getString()});
    }
    return rows;
}

}  // namespace salesint::test
