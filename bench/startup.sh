#!/usr/bin/env bash
# Start-up cost, from one run: the median wall time of `salesint --version`,
# of `salesint checkpoint list` on a state with 1,000 checkpoints, of a
# trivial program linked against the same shared libraries (the floor that
# dynamic loading sets), and of `sqlite3 --version` (a peer).
# Targets: --version within 1.5x of the floor; checkpoint list within 2x of --version.
#
#   bench/startup.sh                 # uses build/salesint
#   SALESINT=/usr/bin/salesint RUNS=500 bench/startup.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
salesint=${SALESINT:-$root/build/salesint}
runs=${RUNS:-300}
[ -x "$salesint" ] || { echo "bench: build salesint first ($salesint not found)" >&2; exit 2; }
for tool in hyperfine sqlite3 g++; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool (apt-get install hyperfine sqlite3 g++)" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A state file with 1,000 checkpoints, written in one transaction.
"$salesint" --state "$work/state.db" connector add PYXIS >/dev/null
{
    printf '['
    for i in $(seq 1 1000); do
        [ "$i" = 1 ] || printf ','
        printf '{"system_code":"PYXIS","entity_type":"entity_%04d","value":"%d"}' "$i" "$((i * 1000))"
    done
    printf ']'
} >"$work/checkpoints.json"
"$salesint" --state "$work/state.db" checkpoint set --from-json "$work/checkpoints.json" -o json >/dev/null

# The floor: an empty main() that loads every shared library salesint loads.
libraries=$(ldd "$salesint" | awk '$2 == "=>" && $3 ~ /^\// {print $3}')
echo 'int main() { return 0; }' >"$work/trivial.cpp"
# shellcheck disable=SC2086
g++ -O2 "$work/trivial.cpp" -o "$work/trivial" -Wl,--no-as-needed $libraries

hyperfine --shell=none --warmup 20 --runs "$runs" --style none --export-csv "$work/times.csv" \
    -n "salesint --version" "$salesint --version" \
    -n "salesint checkpoint list (1000)" "$salesint --state $work/state.db checkpoint list" \
    -n "trivial program (same libraries)" "$work/trivial" \
    -n "sqlite3 --version" "sqlite3 --version" >/dev/null 2>"$work/hyperfine.log" ||
    { cat "$work/hyperfine.log" >&2; exit 1; }

echo "startup, median of $runs runs ($(nproc) cores, $(ldd "$salesint" | grep -c '=>') shared libraries)"
awk -F, 'NR > 1 { name[NR] = $1; median[NR] = $4 * 1000 }
    END {
        for (i = 2; i <= NR; i++) printf "  %-34s %7.2f ms\n", name[i], median[i]
        version = median[2]; list = median[3]; floor = median[4]
        printf "\n  --version / floor:          %.2fx (target <= 1.5x) %s\n", version / floor,
               version / floor <= 1.5 ? "ok" : "MISSED"
        printf "  checkpoint list / --version: %.2fx (target <= 2x)   %s\n", list / version,
               list / version <= 2 ? "ok" : "MISSED"
    }' "$work/times.csv"
