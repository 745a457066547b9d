#!/usr/bin/env bash
# `execute --batch` throughput, from one run:
#   salesint execute fsm.order.intake.v2 --batch of N order intakes
#   (deterministic mode: validate, derive ids, record the execution, the
#   integration fact and the OrderIntakeReceived event), then the same file
#   again (every line a replay), beside two peers on the same file:
#   `jq -c .` (parse and print each line: a JSON floor) and Python's sqlite3
#   module inserting the raw lines into a WAL table in one transaction (a
#   storage floor: one row of ~0.8 KB per input, where salesint writes three).
# Prints inputs/s and peak memory (max RSS) for N and for N/5, to show that
# memory does not grow with the number of inputs. Target: 50,000/s on 2 cores.
#
#   bench/execute.sh            # COUNT=100000, uses build/salesint; needs python3, jq
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
        'BEGIN { printf "%-44s %9d rows %7.2f s %9.0f rows/s %7.1f MiB\n", label, rows, s, rows / s, kb / 1024 }'
}

read -r s kb < <(measure "$salesint" --state "$work/small.db" -q execute fsm.order.intake.v2 \
    --batch "$work/small.ndjson")
report "salesint execute --batch (N/5)" $((count / 5)) "$s" "$kb"
read -r s kb < <(measure "$salesint" --state "$work/state.db" -q execute fsm.order.intake.v2 \
    --batch "$work/orders.ndjson")
report "salesint execute --batch (N, first run)" "$count" "$s" "$kb"
read -r s kb < <(measure "$salesint" --state "$work/state.db" -q execute fsm.order.intake.v2 \
    --batch "$work/orders.ndjson")
report "salesint execute --batch (N, all replays)" "$count" "$s" "$kb"
read -r s kb < <(measure jq -c . "$work/orders.ndjson")
report "peer: jq -c . (parse + print)" "$count" "$s" "$kb"
read -r s kb < <(measure python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE lines (doc TEXT)")
with open(sys.argv[2]) as lines:
    db.executemany("INSERT INTO lines VALUES (?)", ((line,) for line in lines))
db.commit()' "$work/peer.db" "$work/orders.ndjson")
report "peer: python3 sqlite3 insert of the raw lines" "$count" "$s" "$kb"
echo "state file: $(du -m "$work/state.db" | cut -f1) MiB for $count executions"
