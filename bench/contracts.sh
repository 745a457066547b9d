#!/usr/bin/env bash
# `contract validate` throughput on NDJSON envelopes, from one run, beside a
# small Node script that does the same job with ajv (bench/ajv_peer.mjs: read
# the lines, JSON.parse, pick the schema by topic, validate against the
# schemas salesint ships, with ajv-formats). Both are timed as whole processes
# (start-up and schema compilation included) on the same file, and must find
# the same number of invalid documents. Prints documents/s, MB/s and peak
# memory for N and N/5 (memory must not grow with N), and N with one worker
# (-j 1). Target: at least as fast as ajv, parsing included, on one worker too.
#
#   bench/contracts.sh        # COUNT=100000 (~100 MB), uses build/salesint; needs node, npm
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
salesint=${SALESINT:-$root/build/salesint}
count=${COUNT:-100000}
[ -x "$salesint" ] || { echo "bench: build salesint first ($salesint not found)" >&2; exit 2; }
command -v node >/dev/null || { echo "bench: needs node" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# ajv, ajv-cli's version of it and ajv-formats, from the tests' lock file.
cp "$root/tests/oracle/package.json" "$root/tests/oracle/package-lock.json" "$work/"
npm ci --no-audit --no-fund --loglevel=error --prefix "$work" >/dev/null
export NODE_PATH=$work/node_modules
"$salesint" contract schemas --out "$work/schemas" >/dev/null

node "$root/bench/make_envelopes.mjs" "$count" >"$work/envelopes.ndjson"
head -n $((count / 5)) "$work/envelopes.ndjson" >"$work/small.ndjson"
bytes=$(stat -c %s "$work/envelopes.ndjson")
small_bytes=$(stat -c %s "$work/small.ndjson")

# Runs a command; prints "seconds max_rss_kb", its stdout kept in $work/out.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || [ $? -eq 1 ] || {
        cat "$work/err" >&2
        exit 1
    }
    tail -n 1 "$work/time"  # after time's "Command exited with non-zero status 1"
}

report() {  # label documents bytes seconds rss_kb
    awk -v label="$1" -v docs="$2" -v bytes="$3" -v s="$4" -v kb="$5" 'BEGIN {
        printf "%-40s %7d docs %6.1f MB %6.2f s %9.0f docs/s %6.1f MB/s %7.1f MiB\n",
               label, docs, bytes / 1e6, s, docs / s, bytes / 1e6 / s, kb / 1024 }'
}

for run in 1 2; do
    read -r s kb < <(measure "$salesint" contract validate "$work/small.ndjson")
    report "salesint contract validate (N/5)" $((count / 5)) "$small_bytes" "$s" "$kb"
    read -r s kb < <(measure "$salesint" contract validate "$work/envelopes.ndjson")
    report "salesint contract validate (N)" "$count" "$bytes" "$s" "$kb"
    ours=$(grep -o '[0-9]* invalid' "$work/out" | cut -d' ' -f1)
    read -r s kb < <(measure "$salesint" contract validate -j 1 "$work/envelopes.ndjson")
    report "salesint contract validate -j 1 (N)" "$count" "$bytes" "$s" "$kb"
    read -r s kb < <(measure node "$root/bench/ajv_peer.mjs" "$work/schemas" "$work/envelopes.ndjson")
    report "peer: node + ajv 8 (N)" "$count" "$bytes" "$s" "$kb"
    theirs=$(cut -d' ' -f2 "$work/out")
    [ "$ours" = "$theirs" ] || { echo "bench: salesint found $ours invalid, ajv $theirs" >&2; exit 1; }
done
echo "both found $ours invalid documents of $count"
