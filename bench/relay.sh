#!/usr/bin/env bash
# `outbox relay --to file:PATH --once` throughput, from one run:
#   an outbox of N envelopes (copies of the two envelopes a real order intake
#   writes, each with its own message id, over 1,000 partition keys, inserted
#   with Python's sqlite3 into a state file salesint created), relayed to an
#   NDJSON file (pages of 1,000 envelopes: one write + fsync and one
#   transaction marking them published per page), then relayed again (nothing
#   left: the cost of finding that out), beside a peer on a copy of the same
#   state file: Python's sqlite3 selecting the unpublished envelopes oldest
#   first into a file, fsync, and one UPDATE of published_at.
# Prints envelopes/s and peak memory (max RSS) for N and for N/5, to show
# that memory does not grow with the number of envelopes. Target: 100,000/s.
#
# Both sides rewrite every page of the outbox (published_at) through the WAL:
# on a slow disk the figures are the disk's; TMPDIR=/dev/shm shows the CPU's.
#
# Kafka mode: the same N envelopes relayed with `--to kafka://BROKERS --once`
# to librdkafka's mock cluster (build/tests/kafka_mock_cluster: 3 brokers, 32
# partitions per topic so that each keeps well under the mock's 5 MiB), in
# batches of 10,000 envelopes per commit; then the relayed messages are
# counted back with kcat. Target: 100,000/s.
#
# PostgreSQL mode: the same outbox copied into a PostgreSQL 15 server this
# script starts in a temporary directory (tests/support/pg_server.sh; as root
# it runs the server as user postgres) with `state copy`, then relayed from
# there to a file and to the mock cluster; and `execute --batch` of N order
# intakes (bench/make_orders.py) into a fresh database beside the same batch
# into a SQLite file. Target: 30,000 envelopes/s.
#
#   bench/relay.sh              # file and kafka; COUNT=100000, uses build/salesint; needs python3
#   bench/relay.sh file         # only the file sink and its peer
#   bench/relay.sh kafka        # only Kafka (needs kafka_mock_cluster; kcat to count back)
#   bench/relay.sh postgres     # from PostgreSQL, and execute --batch on both backends
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
salesint=${SALESINT:-$root/build/salesint}
count=${COUNT:-100000}
mode=${1:-all}
kafka_mock=${KAFKA_MOCK:-$root/build/tests/kafka_mock_cluster}
case "$mode" in all | file | kafka | postgres) ;; *) echo "bench: mode is file, kafka, postgres or nothing (file and kafka)" >&2; exit 2 ;; esac
[ -x "$salesint" ] || { echo "bench: build salesint first ($salesint not found)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench: needs python3" >&2; exit 2; }

work=$(mktemp -d)
mock_pid=
pg_server=
cleanup() {
    [ -z "$mock_pid" ] || kill "$mock_pid" 2>/dev/null || true
    [ -z "$pg_server" ] || "$root/tests/support/pg_server.sh" stop "$pg_server" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# An outbox of n envelopes in state file $1: one real execution, then copies.
make_outbox() {  # state n
    "$salesint" --state "$1" -q execute fsm.order.intake.v2 \
        --input "$root/fixtures/execute/order-intake.json" >/dev/null
    python3 - "$1" "$2" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = int(sys.argv[2])
models = [(topic, json.loads(envelope)) for topic, envelope in
          db.execute("SELECT topic, envelope FROM outbox ORDER BY id")]
db.execute("DELETE FROM outbox")
def rows():
    for i in range(n):
        topic, envelope = models[i % len(models)]
        message_id = "msg_bench_%08d" % i
        envelope["meta"]["message_id"] = message_id
        yield ("default", message_id, topic, "default:key-%d" % (i % 1000),
               json.dumps(envelope, separators=(",", ":")), "2026-11-23T10:00:00Z")
db.executemany("INSERT INTO outbox (tenant_id, message_id, topic, partition_key, envelope, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?)", rows())
db.commit()
PY
}

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
        'BEGIN { if (s < 0.01) s = 0.01;
                 printf "%-48s %9d envelopes %7.2f s %9.0f envelopes/s %7.1f MiB\n", label, rows, s, rows / s, kb / 1024 }'
}

relay_to_file() {
make_outbox "$work/small.db" $((count / 5))
make_outbox "$work/state.db" "$count"
cp "$work/state.db" "$work/peer.db"

read -r s kb < <(measure "$salesint" --state "$work/small.db" -q outbox relay \
    --to "file:$work/small.ndjson" --once)
report "salesint outbox relay --once (N/5)" $((count / 5)) "$s" "$kb"
read -r s kb < <(measure "$salesint" --state "$work/state.db" -q outbox relay \
    --to "file:$work/out.ndjson" --once)
report "salesint outbox relay --once (N)" "$count" "$s" "$kb"
lines=$(wc -l <"$work/out.ndjson")
[ "$lines" -eq "$count" ] || { echo "bench: $lines lines relayed, expected $count" >&2; exit 1; }
read -r s kb < <(measure "$salesint" --state "$work/state.db" -q outbox relay \
    --to "file:$work/out.ndjson" --once)
report "salesint outbox relay --once (N, nothing left)" "$count" "$s" "$kb"
read -r s kb < <(measure python3 -c '
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w") as out:
    for (envelope,) in db.execute("SELECT envelope FROM outbox WHERE published_at IS NULL "
                                  "ORDER BY id"):
        out.write(envelope)
        out.write("\n")
    out.flush()
    os.fsync(out.fileno())
db.execute("UPDATE outbox SET published_at = ? WHERE published_at IS NULL",
           ("2026-11-23T10:00:01Z",))
db.commit()' "$work/peer.db" "$work/peer.ndjson")
report "peer: python3 sqlite3 select + fsync + update" "$count" "$s" "$kb"
cmp -s "$work/out.ndjson" "$work/peer.ndjson" && echo "same NDJSON as the peer, byte for byte" ||
    echo "bench: the relay's NDJSON differs from the peer's" >&2
}

relay_to_kafka() {
    make_outbox "$work/kafka.db" "$count"
    start_mock_cluster
    read -r s kb < <(measure "$salesint" --state "$work/kafka.db" -q outbox relay \
        --to "kafka://$bootstrap" --once)
    report "salesint outbox relay --to kafka:// --once (N)" "$count" "$s" "$kb"
    published=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL").fetchone()[0])' "$work/kafka.db")
    [ "$published" -eq "$count" ] || { echo "bench: $published marked published, expected $count" >&2; exit 1; }
    if command -v kcat >/dev/null; then
        consumed=0
        for topic in sales.integration.facts.v1 sales.order.intake; do
            n=$(kcat -C -b "$bootstrap" -t "$topic" -e -q -f 'x\n' -X log_level=3 | wc -l)
            consumed=$((consumed + n))
        done
        [ "$consumed" -eq "$count" ] && echo "$consumed messages on the cluster, as many as envelopes" ||
            echo "bench: $consumed messages on the cluster, expected $count" >&2
    fi
}

# Starts the mock cluster; sets bootstrap.
start_mock_cluster() {
    [ -x "$kafka_mock" ] || { echo "bench: build the kafka_mock_cluster target first ($kafka_mock not found)" >&2; exit 2; }
    "$kafka_mock" --brokers 3 --topic sales.integration.facts.v1:32 --topic sales.order.intake:32 \
        >"$work/mock.out" 2>"$work/mock.err" &
    mock_pid=$!
    for _ in $(seq 100); do
        [ -s "$work/mock.out" ] && break
        sleep 0.1
    done
    bootstrap=$(head -n 1 "$work/mock.out")
    [ -n "$bootstrap" ] || { cat "$work/mock.err" >&2; echo "bench: the mock cluster did not start" >&2; exit 1; }
}

from_postgres() {
    pg_server="$work/pg-server"
    "$root/tests/support/pg_server.sh" start "$pg_server" >/dev/null
    socket=$(cat "$pg_server")
    new_database() {  # name -> URL
        psql -q -h "$socket" -p 54329 -U salesint -d postgres -c "CREATE DATABASE $1" >/dev/null
        echo "postgresql://salesint@/$1?host=$socket&port=54329"
    }
    make_outbox "$work/source.db" "$count"
    for sink in file kafka; do
        url=$(new_database "relay_$sink")
        "$salesint" --state "$work/source.db" -q state copy --to "$url" >/dev/null
        if [ "$sink" = file ]; then
            to="file:$work/pg.ndjson"
        else
            start_mock_cluster
            to="kafka://$bootstrap"
        fi
        read -r s kb < <(measure "$salesint" --state "$url" -q outbox relay --to "$to" --once)
        report "salesint outbox relay from PostgreSQL to $sink (N)" "$count" "$s" "$kb"
        left=$(psql -qtA -h "$socket" -p 54329 -U salesint -d "relay_$sink" \
            -c "SELECT count(*) FROM outbox WHERE published_at IS NULL")
        [ "$left" -eq 0 ] || { echo "bench: $left envelopes left unpublished" >&2; exit 1; }
    done
    python3 "$root/bench/make_orders.py" "$count" >"$work/orders.ndjson"
    read -r s kb < <(measure "$salesint" --state "$work/orders.db" -q execute fsm.order.intake.v2 \
        --batch "$work/orders.ndjson")
    report "salesint execute --batch into a SQLite file (N)" "$count" "$s" "$kb" | sed 's/envelopes/orders   /g'
    url=$(new_database execute_batch)
    read -r s kb < <(measure "$salesint" --state "$url" -q execute fsm.order.intake.v2 \
        --batch "$work/orders.ndjson")
    report "salesint execute --batch into PostgreSQL (N)" "$count" "$s" "$kb" | sed 's/envelopes/orders   /g'
}

case "$mode" in
    file) relay_to_file ;;
    kafka) relay_to_kafka ;;
    postgres) from_postgres ;;
    all) relay_to_file && relay_to_kafka ;;
esac
