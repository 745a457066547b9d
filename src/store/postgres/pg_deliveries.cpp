// Every webhook delivery attempted, for `stats`' delivery success rate.

#include "pg_store.hpp"

namespace salesint::store::pg {

void PgStore::insert_webhook_delivery(const WebhookDelivery& d) {
    Statement insert(db_,
                     "INSERT INTO webhook_deliveries (tenant_id, delivery_id, source, "
                     "target_url, scheme, outcome, attempts, http_status, duration_ms, at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, tenant_);
    insert.bind(2, d.delivery_id);
    insert.bind(3, d.source);
    insert.bind(4, d.target_url);
    insert.bind(5, d.scheme);
    insert.bind(6, d.outcome);
    insert.bind(7, d.attempts);
    if (d.http_status) {
        insert.bind(8, *d.http_status);
    } else {
        insert.bind(8);
    }
    insert.bind(9, d.duration_ms);
    insert.bind(10, d.at);
    insert.exec();
}

std::vector<WebhookDelivery> PgStore::list_webhook_deliveries(const std::string& since) {
    Statement query(db_,
                    "SELECT delivery_id, source, target_url, scheme, outcome, attempts, "
                    "http_status, duration_ms, at FROM webhook_deliveries WHERE tenant_id "
                    "= :tenant AND (:since = '' OR at >= :since) ORDER BY id");
    query.bind(":tenant", tenant_);
    query.bind(":since", since);
    std::vector<WebhookDelivery> deliveries;
    while (query.executeStep()) {
        WebhookDelivery d;
        d.delivery_id = query.getColumn(0).getString();
        d.source = query.getColumn(1).getString();
        d.target_url = query.getColumn(2).getString();
        d.scheme = query.getColumn(3).getString();
        d.outcome = query.getColumn(4).getString();
        d.attempts = query.getColumn(5).getInt();
        if (!query.getColumn(6).isNull()) {
            d.http_status = query.getColumn(6).getInt();
        }
        d.duration_ms = query.getColumn(7).getInt64();
        d.at = query.getColumn(8).getString();
        deliveries.push_back(std::move(d));
    }
    return deliveries;
}

}  // namespace salesint::store::pg
