#!/usr/bin/env bash
# Webhook figures, from one run:
#  1. `salesint webhook verify` of a 64 MiB payload beside
#     `openssl dgst -sha256 -hmac` on the same file (target: within 1.2x);
#  2. `salesint webhook serve` throughput under wrk on loopback: requests/s
#     and p99 latency, for new deliveries (each stored in the inbox) and for
#     repeated ones (verified, recognised as duplicates, not stored).
#
#   bench/verify.sh          # uses build/salesint; needs hyperfine, openssl, wrk
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
salesint=${SALESINT:-$root/build/salesint}
runs=${RUNS:-20}
duration=${DURATION:-10s}
[ -x "$salesint" ] || { echo "bench: build salesint first ($salesint not found)" >&2; exit 2; }
for tool in hyperfine openssl wrk; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool (apt-get install hyperfine openssl wrk)" >&2; exit 2; }
done

work=$(mktemp -d)
server_pid=
cleanup() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

export BENCH_SECRET=bench-secret-not-for-production
head -c $((64 * 1024 * 1024)) /dev/urandom >"$work/payload.bin"
signature=$("$salesint" webhook sign --scheme github --secret-env BENCH_SECRET --payload "$work/payload.bin")

echo "1. HMAC-SHA256 of a 64 MiB payload, median of $runs runs"
hyperfine --shell=none --warmup 3 --runs "$runs" --style none --export-csv "$work/verify.csv" \
    -n "salesint webhook verify" \
    "$salesint webhook verify --scheme github --secret-env BENCH_SECRET --payload $work/payload.bin -H '$signature'" \
    -n "openssl dgst -sha256 -hmac" \
    "openssl dgst -sha256 -hmac $BENCH_SECRET $work/payload.bin" >/dev/null 2>"$work/hyperfine.log" ||
    { cat "$work/hyperfine.log" >&2; exit 1; }
awk -F, 'NR > 1 { name[NR] = $1; median[NR] = $4 * 1000 }
    END {
        for (i = 2; i <= NR; i++) printf "  %-30s %8.1f ms  %6.0f MiB/s\n", name[i], median[i], 64 / (median[i] / 1000)
        ratio = median[2] / median[3]
        printf "  salesint / openssl: %.2fx (target <= 1.2x) %s\n", ratio, ratio <= 1.2 ? "ok" : "MISSED"
    }' "$work/verify.csv"

echo
echo "2. webhook serve on loopback, wrk for $duration with 2 threads and 16 connections"
printf '{"event":"installation.completed","orderId":"PX-TEST-001"}' >"$work/body.json"
github_signature=$("$salesint" webhook sign --scheme github --secret-env BENCH_SECRET --payload "$work/body.json")
cat >"$work/post.lua" <<LUA
local counter = 0
wrk.method = "POST"
wrk.body = '{"event":"installation.completed","orderId":"PX-TEST-001"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Hub-Signature-256"] = "${github_signature#*: }"
request = function()
    if os.getenv("BENCH_UNIQUE") == "1" then
        counter = counter + 1
        wrk.headers["X-GitHub-Delivery"] = tostring(math.random(1, 2^30)) .. "-" .. counter
    else
        wrk.headers["X-GitHub-Delivery"] = "the-same-delivery"
    end
    return wrk.format()
end
LUA
"$salesint" --state "$work/serve.db" -q webhook serve --scheme github --secret-env BENCH_SECRET \
    --listen 127.0.0.1:0 --rate-limit 1000000000 >"$work/serve.out" &
server_pid=$!
for _ in $(seq 50); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")/hooks
for mode in unique repeated; do
    BENCH_UNIQUE=$([ "$mode" = unique ] && echo 1 || echo 0) \
        wrk -t2 -c16 -d"$duration" --latency -s "$work/post.lua" "$url" >"$work/wrk-$mode.txt"
    awk -v mode="$mode" '/Requests\/sec/ {rps = $2} /^ +99%/ {p99 = $2} /Non-2xx/ {errors = $NF}
        END { printf "  %-9s deliveries: %8.0f requests/s, p99 %s%s\n", mode, rps, p99,
              errors ? ", non-2xx: " errors : "" }' "$work/wrk-$mode.txt"
done
echo "  inbox rows stored: $("$salesint" --state "$work/serve.db" inbox list -o ndjson | wc -l)"
