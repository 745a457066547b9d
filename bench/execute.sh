#!/usr/bin/env bash
# `execute --batch` throughput, from one run:
#   salesint execute fsm.order.intake.v2 --batch of N order intakes
#   (deterministic mode: validate, derive ids, record the execution, the
#   integration fact and the OrderIntakeReceived event), then the same file
#   again (every line a replay), beside two peers on the same file:
#   `jq -c .` (parse and print each line: a JSON floor) and Python's sqlite3
#   module inserting the raw lines into a WAL table in one transaction (a
#   storage floor: one row of ~0.8 KB per input, where salesint writes three).
# Prints inputs/s, user CPU and peak memory (max RSS) for N and for N/5, to
# show that memory does not grow with the number of inputs, and the state
# file's bytes per execution. Targets: 50,000/s on 2 cores, replays
# 100,000/s, under 64 MiB, at most 2 KB per execution.
#
#   bench/execute.sh            # COUNT=100000, uses build/salesint; needs python3, jq
#   BEFORE=old/salesint bench/execute.sh   # adds another build's lines, for a before/after
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
salesint=${SALESINT:-$root/build/salesint}
count=${COUNT:-100000}
[ -x "$salesint" ] || { echo "bench: build salesint first ($salesint not found)" >&2; exit 2; }
for tool in python3 jq; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$root/bench/make_orders.py" "$count" >"$work/orders.ndjson"
head -n $((count / 5)) "$work/orders.ndjson" >"$work/small.ndjson"

# Runs a command; prints "seconds user_seconds max_rss_kb".
measure() {
    /usr/bin/time -f "%e %U %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
        cat "$work/err" >&2
        exit 1
    }
    cat "$work/time"
}

report() {  # label rows seconds user_seconds rss_kb
    awk -v label="$1" -v rows="$2" -v s="$3" -v user="$4" -v kb="$5" \
        'BEGIN { printf "%-44s %7d rows %6.2f s %8.0f rows/s %6.2f s user %6.1f MiB\n",
                 label, rows, s, rows / s, user, kb / 1024 }'
}

# batch LABEL BINARY STATE INPUT ROWS: one `execute --batch`, reported.
batch() {
    read -r s user kb < <(measure "$2" --state "$3" -q execute fsm.order.intake.v2 --batch "$4")
    report "$1" "$5" "$s" "$user" "$kb"
}

# bytes_each LABEL STATE: the state file's size per execution.
bytes_each() {
    awk -v label="$1" -v bytes="$(stat -c %s "$2")" -v count="$count" \
        'BEGIN { printf "%s: %.1f MiB for %d executions, %.0f bytes each\n", label, bytes / 1048576, count, bytes / count }'
}

batch "salesint execute --batch (N/5)" "$salesint" "$work/small.db" "$work/small.ndjson" $((count / 5))
batch "salesint execute --batch (N, first run)" "$salesint" "$work/state.db" "$work/orders.ndjson" "$count"
batch "salesint execute --batch (N, all replays)" "$salesint" "$work/state.db" "$work/orders.ndjson" "$count"
if [ -n "${BEFORE:-}" ]; then
    batch "BEFORE execute --batch (N, first run)" "$BEFORE" "$work/before.db" "$work/orders.ndjson" "$count"
    batch "BEFORE execute --batch (N, all replays)" "$BEFORE" "$work/before.db" "$work/orders.ndjson" "$count"
fi
read -r s user kb < <(measure jq -c . "$work/orders.ndjson")
report "peer: jq -c . (parse + print)" "$count" "$s" "$user" "$kb"
read -r s user kb < <(measure python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE lines (doc TEXT)")
with open(sys.argv[2]) as lines:
    db.executemany("INSERT INTO lines VALUES (?)", ((line,) for line in lines))
db.commit()' "$work/peer.db" "$work/orders.ndjson")
report "peer: python3 sqlite3 insert of the raw lines" "$count" "$s" "$user" "$kb"
bytes_each "state file" "$work/state.db"
if [ -n "${BEFORE:-}" ]; then
    bytes_each "BEFORE state file" "$work/before.db"
fi
