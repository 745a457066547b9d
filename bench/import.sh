#!/usr/bin/env bash
# `job import` throughput, from one run, on N generated order intakes (valid,
# varied, about 0.9 KB each, updatedAt increasing; bench/gen_orders.py writes
# them as NDJSON and the same records as CSV):
#   salesint job import --system PYXIS --entity orders --from orders.ndjson
#     into a fresh state file (connector added first): validation, one mapping
#     and one intent per record, the checkpoint, the run row
#   the same with orders.csv
#   peer: sqlite-utils insert --nl DB orders orders.ndjson (a plain table)
#   peer: the sqlite3 shell's .import --csv orders.csv orders (a plain table)
# Prints seconds, records/s and peak memory (max RSS) of each, salesint again
# at N/5 to show that memory does not grow with the number of records, the
# state file's size per record, and the targets: at least 10x sqlite-utils
# (NDJSON), within 2x of sqlite3 .import (CSV), peak under 100 MB and flat.
#
#   bench/import.sh             # N=1,000,000 (about 1.3 GB of input; needs ~5 GB in TMPDIR)
#   bench/import.sh 100000      # N from the first argument (or COUNT)
# Uses build/salesint (SALESINT overrides); needs python3; sqlite-utils and
# sqlite3 for the peers (a missing peer's row says so).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
salesint=${SALESINT:-$root/build/salesint}
count=${1:-${COUNT:-1000000}}
[[ "$count" =~ ^[1-9][0-9]*$ ]] || { echo "bench: N must be a positive integer, not '$count'" >&2; exit 2; }
[ -x "$salesint" ] || { echo "bench: build salesint first ($salesint not found)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench: needs python3" >&2; exit 2; }
small=$((count / 5 > 0 ? count / 5 : 1))

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "bench: generating $count orders (NDJSON and CSV) in $work" >&2
python3 "$root/bench/gen_orders.py" "$count" "$work/orders.ndjson" "$work/orders.csv"
python3 "$root/bench/gen_orders.py" "$small" "$work/small.ndjson" "$work/small.csv"
bytes=$(stat -c %s "$work/orders.ndjson")

# How peak memory is measured: GNU time if installed (BENCH_POLL=1: never), else
# polling VmHWM.
if [ -z "${BENCH_POLL:-}" ] && [ -x /usr/bin/time ] && /usr/bin/time -f "%e %M" -o /dev/null true 2>/dev/null; then
    timer="GNU time (/usr/bin/time, max RSS)"
else
    timer="polling VmHWM in /proc/PID/status every 20 ms"
fi

# Runs a command, its output to $work/out and $work/err; prints
# "seconds max_rss_kb". Returns the command's status.
measure() {
    local status=0
    if [ "${timer#GNU}" != "$timer" ]; then
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || status=$?
        tail -n 1 "$work/time"
    else
        local start end hwm=0 kb pid
        start=$(date +%s.%N)
        "$@" >"$work/out" 2>"$work/err" &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$kb" ] && [ "$kb" -gt "$hwm" ] && hwm=$kb
            sleep 0.02
        done
        wait "$pid" || status=$?
        end=$(date +%s.%N)
        awk -v a="$start" -v b="$end" -v kb="$hwm" 'BEGIN { printf "%.2f %d\n", b - a, kb }'
    fi
    return "$status"
}

declare -A secs rate peak
row() {  # key label records seconds rss_kb
    secs[$1]=$4
    rate[$1]=$(awk -v n="$3" -v s="$4" 'BEGIN { if (s < 0.01) s = 0.01; printf "%.0f", n / s }')
    peak[$1]=$(awk -v kb="$5" 'BEGIN { printf "%.1f", kb / 1024 }')
    printf "%-52s %9d %8.2f s %9d rec/s %7.1f MiB\n" "$2" "$3" "$4" "${rate[$1]}" "${peak[$1]}"
}
na() {  # key label why
    printf "%-52s n/a (%s)\n" "$2" "$3"
}
sql() {  # db query
    python3 - "$1" "$2" <<'PY'
import sqlite3, sys
try:
    print(sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True).execute(sys.argv[2]).fetchone()[0])
except sqlite3.Error as e:
    print("? (%s)" % e)
PY
}

expected_checkpoint=$(tail -n 1 "$work/orders.ndjson" | python3 -c 'import json, sys; print(json.load(sys.stdin)["updatedAt"])')
unavailable="salesint job import not available"
# (an unknown subcommand may print its group's help instead: look for --entity)
"$salesint" job import --help 2>&1 | grep -q -- "--entity" || available=no

# salesint job import of file into a fresh state, then checks what it wrote:
# one mapping and one intent per record, and the checkpoint.
import_run() {  # key label records file state
    local key=$1 label=$2 n=$3 file=$4 state=$5 s kb mappings intents
    if [ "${available:-yes}" = no ]; then
        na "$key" "$label" "$unavailable"
        return 0
    fi
    "$salesint" --state "$state" -q connector add PYXIS --name Pyxis >/dev/null
    if ! measure "$salesint" --state "$state" -q job import --system PYXIS --entity orders \
        --from "$file" >"$work/m"; then
        na "$key" "$label" "failed: $(head -n 1 "$work/err")"
        return 0
    fi
    read -r s kb <"$work/m"
    row "$key" "$label" "$n" "$s" "$kb"
    mappings=$(sql "$state" "SELECT count(*) FROM mappings WHERE system_code = 'PYXIS'")
    intents=$(sql "$state" "SELECT count(*) FROM outbox WHERE topic = 'sales.domain.intents.v1'")
    if [ "$mappings" != "$n" ] || [ "$intents" != "$n" ]; then
        echo "  WRONG RESULT: $mappings mappings and $intents intents for $n records" >&2
        wrong=yes
    fi
}

# A peer; its row counted afterwards in table orders.
peer_run() {  # key label records db command...
    local key=$1 label=$2 n=$3 db=$4 s kb rows
    shift 4
    if ! command -v "$1" >/dev/null; then
        na "$key" "$label" "$1 not installed"
        return 0
    fi
    if ! measure "$@" >"$work/m"; then
        na "$key" "$label" "failed: $(head -n 1 "$work/err")"
        return 0
    fi
    read -r s kb <"$work/m"
    row "$key" "$label" "$n" "$s" "$kb"
    rows=$(sql "$db" "SELECT count(*) FROM orders")
    if [ "$rows" != "$n" ]; then
        echo "  WRONG RESULT: $rows rows for $n records" >&2
        wrong=yes
    fi
}

echo "import of $count order records ($((bytes / count)) bytes each as NDJSON); memory: $timer"
import_run nd_small "salesint job import NDJSON (N/5)" "$small" "$work/small.ndjson" "$work/nd_small.db"
import_run csv_small "salesint job import CSV (N/5)" "$small" "$work/small.csv" "$work/csv_small.db"
import_run nd "salesint job import NDJSON" "$count" "$work/orders.ndjson" "$work/nd.db"
import_run csv "salesint job import CSV" "$count" "$work/orders.csv" "$work/csv.db"
peer_run utils "peer: sqlite-utils insert --nl (NDJSON)" "$count" "$work/utils.db" \
    sqlite-utils insert --nl "$work/utils.db" orders "$work/orders.ndjson"
peer_run shell "peer: sqlite3 .import --csv (CSV)" "$count" "$work/shell.db" \
    sqlite3 "$work/shell.db" ".import --csv $work/orders.csv orders"

if [ -n "${secs[nd]:-}" ]; then
    checkpoint=$("$salesint" --state "$work/nd.db" -o json checkpoint get PYXIS orders 2>/dev/null |
        python3 -c 'import json, sys; print(json.load(sys.stdin).get("value", "?"))' 2>/dev/null ||
        echo "? (checkpoint get failed)")
    echo "checkpoint after the NDJSON run: $checkpoint (the last record's updatedAt: $expected_checkpoint)"
fi
size_of() {  # db: the file and its WAL, in bytes
    local total=0 f
    for f in "$1" "$1-wal"; do
        [ -f "$f" ] && total=$((total + $(stat -c %s "$f")))
    done
    echo "$total"
}
for key in nd utils shell; do
    db=$work/$key.db
    [ -f "$db" ] || continue
    [ "$key" != nd ] || [ -n "${secs[nd]:-}" ] || continue
    case $key in nd) what="salesint state file" ;; utils) what="sqlite-utils table" ;; *) what="sqlite3 table" ;; esac
    awk -v w="$what" -v b="$(size_of "$db")" -v n="$count" \
        'BEGIN { printf "%-22s %8.1f MiB, %5.0f bytes per record\n", w ":", b / 1048576, b / n }'
done

# The targets, each met, missed or n/a.
verdict() {  # label condition-or-empty
    if [ -z "$2" ]; then
        printf "  %-60s n/a\n" "$1"
    elif awk "BEGIN { exit !($2) }"; then
        printf "  %-60s met\n" "$1"
    else
        printf "  %-60s MISSED\n" "$1"
        missed=yes
    fi
}
ratio() {  # a b: a / b with two decimals, empty when either is missing
    if [ -n "$1" ] && [ -n "$2" ]; then
        awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
    fi
}
shown() {  # ratio: "Nx its rate" or n/a
    if [ -n "$1" ]; then echo "${1}x its rate"; else echo "n/a"; fi
}
echo "targets:"
r=$(ratio "${rate[nd]:-}" "${rate[utils]:-}")
verdict "NDJSON >= 10x sqlite-utils insert --nl ($(shown "$r"))" "${r:+$r >= 10}"
r=$(ratio "${rate[csv]:-}" "${rate[shell]:-}")
verdict "CSV within 2x of sqlite3 .import ($(shown "$r"))" "${r:+$r >= 0.5}"
r=$(ratio "${rate[nd]:-}" "${rate[shell]:-}")
verdict "NDJSON within 2x of sqlite3 .import ($(shown "$r"))" "${r:+$r >= 0.5}"
for key in nd csv; do
    name=NDJSON
    [ "$key" = csv ] && name=CSV
    big=${peak[$key]:-} little=${peak[${key}_small]:-}
    verdict "$name peak under 100 MB (${big:-n/a} MiB)" "${big:+$big < 100}"
    cond=""
    [ -n "$big" ] && [ -n "$little" ] && cond="$big - $little < 10"
    verdict "$name peak flat: N within 10 MiB of N/5 (${big:-n/a} vs ${little:-n/a} MiB)" "$cond"
done
[ -z "${missed:-}" ] || echo "some targets MISSED (figures above)"
[ -z "${available:-}" ] || echo "(salesint rows: $unavailable; build a binary that has it)"
[ -z "${wrong:-}" ] || { echo "bench: a run wrote the wrong number of rows (see above)" >&2; exit 1; }
