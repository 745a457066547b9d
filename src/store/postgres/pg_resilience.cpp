// Circuit breakers and rate-limit windows: small rows read and written in
// short transactions around each live call, so that every process of the
// tenant sees the same breaker and counts against the same limit.

#include "pg_store.hpp"
#include "salesint/util/clock.hpp"

namespace salesint::store::pg {

Breaker PgStore::load_breaker(const std::string& connector_code) {
    lock_key("breaker", connector_code);
    Statement query(db_,
                    "SELECT state, window_started_ms, window_calls, window_failures, "
                    "opened_ms FROM circuit_breakers WHERE tenant_id = ? AND "
                    "connector_code = ?");
    query.bind(1, tenant_);
    query.bind(2, connector_code);
    Breaker breaker;
    breaker.connector_code = connector_code;
    if (query.executeStep()) {
        breaker.state = parse_breaker_state(query.getColumn(0).getString());
        breaker.window_started_ms = query.getColumn(1).getInt64();
        breaker.window_calls = query.getColumn(2).getInt();
        breaker.window_failures = query.getColumn(3).getInt();
        breaker.opened_ms = query.getColumn(4).isNull() ? 0 : query.getColumn(4).getInt64();
    }
    return breaker;
}

void PgStore::save_breaker(const Breaker& b) {
    Statement upsert(
        db_,
        "INSERT INTO circuit_breakers (tenant_id, connector_code, state, window_started_ms, "
        "window_calls, window_failures, opened_ms, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (tenant_id, connector_code) DO UPDATE SET state = excluded.state, "
        "window_started_ms = excluded.window_started_ms, window_calls = excluded.window_calls, "
        "window_failures = excluded.window_failures, opened_ms = excluded.opened_ms, "
        "updated_at = excluded.updated_at");
    upsert.bind(1, tenant_);
    upsert.bind(2, b.connector_code);
    upsert.bind(3, to_string(b.state));
    upsert.bind(4, b.window_started_ms);
    upsert.bind(5, b.window_calls);
    upsert.bind(6, b.window_failures);
    if (b.state == BreakerState::kClosed) {
        upsert.bind(7);
    } else {
        upsert.bind(7, b.opened_ms);
    }
    upsert.bind(8, now_rfc3339());
    upsert.exec();
}

RateWindow PgStore::load_rate_window(const std::string& scope) {
    lock_key("rate", scope);
    Statement query(db_,
                    "SELECT window_started_ms, hits, burst_started_ms FROM "
                    "rate_limit_windows WHERE tenant_id = ? AND scope = ?");
    query.bind(1, tenant_);
    query.bind(2, scope);
    RateWindow window;
    if (query.executeStep()) {
        window.started_ms = query.getColumn(0).getInt64();
        window.hits = query.getColumn(1).getInt();
        window.burst_started_ms = query.getColumn(2).isNull() ? -1 : query.getColumn(2).getInt64();
    }
    return window;
}

void PgStore::save_rate_window(const std::string& scope, const RateWindow& w) {
    Statement upsert(
        db_,
        "INSERT INTO rate_limit_windows (tenant_id, scope, window_started_ms, hits, "
        "burst_started_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, scope) DO UPDATE SET "
        "window_started_ms = excluded.window_started_ms, hits = excluded.hits, "
        "burst_started_ms = excluded.burst_started_ms");
    upsert.bind(1, tenant_);
    upsert.bind(2, scope);
    upsert.bind(3, w.started_ms);
    upsert.bind(4, w.hits);
    if (w.burst_started_ms < 0) {
        upsert.bind(5);
    } else {
        upsert.bind(5, w.burst_started_ms);
    }
    upsert.exec();
}

}  // namespace salesint::store::pg
