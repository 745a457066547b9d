#!/usr/bin/env bash
# On-call throughput, from one run:
#
#   1. DLQ replay: N pending DLQ entries of order intakes (as `execute --live`
#      leaves them when the remote is down), written straight into a state
#      file, replayed with `salesint dlq replay --all --deterministic` (claim
#      under a lease, validate, run the adapter, record the execution, its
#      fact and event, write the entry back as replayed with its history
#      row), beside a peer on the same rows: Python's sqlite3 module selecting
#      each pending entry, parsing its payload and updating it to replayed in
#      transactions of 500 (a storage floor). Entries/s and peak memory (max
#      RSS) for N/5 and N, to show that memory does not grow with the number
#      of entries. Target: 20,000 entries/s.
#   2. Outbox relay: bench/relay.sh on the same N (`outbox relay --once` to a
#      file beside Python's sqlite3 selecting, fsyncing and updating the same
#      rows). Target: 100,000 envelopes/s.
#
#   bench/replay.sh            # COUNT=100000, uses build/salesint; needs python3
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
salesint=${SALESINT:-$root/build/salesint}
count=${COUNT:-100000}
[ -x "$salesint" ] || { echo "bench: build salesint first ($salesint not found)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench: needs python3" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a command; prints "seconds max_rss_kb".
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
        cat "$work/err" >&2
        exit 1
    }
    cat "$work/time"
}

report() {  # label rows seconds rss_kb
    awk -v label="$1" -v rows="$2" -v s="$3" -v kb="$4" \
        'BEGIN { printf "%-52s %9d rows %7.2f s %9.0f rows/s %7.1f MiB\n", label, rows, s, rows / s, kb / 1024 }'
}

# ---------------------------------------------------------------------------
# 1. DLQ replay
# ---------------------------------------------------------------------------

python3 "$root/bench/make_orders.py" "$count" >"$work/orders.ndjson"

# A state file at the current schema holding the first $2 orders as pending
# DLQ entries (the columns of src/store/migrations.cpp, version 4).
make_dlq_state() {  # state rows
    "$salesint" --state "$1" state init >/dev/null
    python3 - "$1" "$work/orders.ndjson" "$2" <<'PY'
import hashlib, json, sqlite3, sys

state, orders, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = sqlite3.connect(state)
attempts = json.dumps([{"attempt": n, "at": "2026-11-30T03:00:0%dZ" % n, "status": 503,
                        "error": "{\"error\":\"down\"}", "duration_ms": 12} for n in (1, 2, 3, 4)])

def entries():
    with open(orders) as lines:
        for i, line in enumerate(lines):
            if i == rows:
                return
            order = json.loads(line)
            # order intake's message id: its idempotency key
            message = hashlib.sha256(
                (order["externalOrderId"] + "-" + order["salesSystem"]).encode()).hexdigest()
            yield ("default", "bench-%07d" % i, "execute", "fsm.order.intake.v2", message,
                   message, "", order["salesSystem"], line.rstrip("\n"), "{}",
                   "SERVICE_UNAVAILABLE", "gave up after 4 attempts: HTTP 503: down", attempts,
                   "2026-11-30T03:00:01Z", "2026-11-30T03:00:04Z", "pending", 0,
                   "2026-11-30T03:00:04Z")

with db:
    db.executemany(
        "INSERT INTO dlq (tenant_id, entry_id, source, adapter_id, message_id, correlation_id, "
        "causation_id, connector_code, payload, headers, error_code, error_message, attempts, "
        "first_failed_at, last_failed_at, status, replay_count, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entries())
db.close()
PY
}

small=$((count / 5))
make_dlq_state "$work/small.db" "$small"
make_dlq_state "$work/state.db" "$count"
cp "$work/state.db" "$work/peer.db"

read -r s kb < <(measure "$salesint" --state "$work/small.db" -q dlq replay --all --deterministic)
report "salesint dlq replay --deterministic (N/5)" "$small" "$s" "$kb"
read -r s kb < <(measure "$salesint" --state "$work/state.db" -q dlq replay --all --deterministic)
report "salesint dlq replay --deterministic (N)" "$count" "$s" "$kb"
replayed=$(python3 -c '
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT count(*) FROM dlq WHERE status = '"'replayed'"'").fetchone()[0])' "$work/state.db")
[ "$replayed" -eq "$count" ] || { echo "bench: only $replayed of $count entries replayed" >&2; exit 1; }

read -r s kb < <(measure python3 -c '
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ids = [row[0] for row in db.execute(
    "SELECT entry_id FROM dlq WHERE status = '"'pending'"' ORDER BY id")]
for start in range(0, len(ids), 500):
    page = ids[start:start + 500]
    with db:
        marks = ",".join("?" * len(page))
        for entry_id, payload in db.execute(
                "SELECT entry_id, payload FROM dlq WHERE entry_id IN (%s)" % marks, page):
            json.loads(payload)
            db.execute("UPDATE dlq SET status = '"'replayed'"', replay_count = replay_count + 1 "
                       "WHERE entry_id = ?", (entry_id,))
' "$work/peer.db")
report "peer: python3 sqlite3 select, parse, update" "$count" "$s" "$kb"
echo "state file: $(du -m "$work/state.db" | cut -f1) MiB after replaying $count entries"

# 2. Outbox relay (to a file), with its own peer: bench/relay.sh.
echo
COUNT=$count SALESINT=$salesint "$root/bench/relay.sh"
