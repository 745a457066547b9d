#!/usr/bin/env bash
# Builds the fuzz targets in BUILD_DIR (default build-fuzz, configured with
# clang-14 if it is new) and runs each for FUZZ_SECONDS (default 30) from its
# seed corpus (fuzz/corpus/TARGET) and the corpus it grew before
# (BUILD_DIR/fuzz-corpus/TARGET). Prints, per target, how long it ran, its
# executions per second and its coverage; exits 1 if any target found
# something (a crash, a broken invariant, a timeout, a leak, running out of
# memory), leaving the input in BUILD_DIR/fuzz-artifacts/TARGET/.
#
#   fuzz/run.sh [BUILD_DIR]
#   FUZZ_SECONDS=600 FUZZ_TARGETS="json_reader check_shipped" fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-30}
targets=(${FUZZ_TARGETS:-json_reader check_shipped line_splitter webhook_headers clock_checkpoint
                         json_pointer strings})

# The longest input each target is given, and its dictionary.
declare -A max_len=([json_reader]=65536 [check_shipped]=65536 [line_splitter]=8192
                    [webhook_headers]=8192 [clock_checkpoint]=256 [json_pointer]=1024
                    [strings]=4096)
declare -A dict=([json_reader]=fuzz/json.dict [check_shipped]=fuzz/contracts.dict)

echo "=== building the fuzz targets in $build"
build_start=$(date +%s)
if [ ! -f "$build/CMakeCache.txt" ]; then
    export CC=${CC:-clang-14} CXX=${CXX:-clang++-14}
fi
cmake -S . -B "$build" -G Ninja -DSALESINT_FUZZ=ON -DSALESINT_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target $(printf 'fuzz_%s ' "${targets[@]}")
echo "built in $(($(date +%s) - build_start)) s"

# -fno-sanitize-recover makes every UBSan finding fatal; stack traces for both.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

summary=()
failed=()
for target in "${targets[@]}"; do
    [ -n "${max_len[$target]:-}" ] || { echo "unknown fuzz target: $target" >&2; exit 2; }
    corpus="$build/fuzz-corpus/$target"
    artifacts="$build/fuzz-artifacts/$target"
    log="$build/fuzz-logs/$target.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    options=(-max_total_time="$seconds" -max_len="${max_len[$target]}" -timeout=10
             -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/")
    [ -z "${dict[$target]:-}" ] || options+=(-dict="${dict[$target]}")

    echo "=== fuzz_$target for $seconds s (-max_len=${max_len[$target]})"
    start=$(date +%s)
    status=0
    "$build/fuzz/fuzz_$target" "${options[@]}" "$corpus" "fuzz/corpus/$target" >"$log" 2>&1 ||
        status=$?
    ran=$(($(date +%s) - start))

    # libFuzzer's last status line: "#RUNS DONE cov: N ft: N corp: N/Nb ... exec/s: N rss: NMb".
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
    corp=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$last")
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
    speed=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log")
    line=$(printf '%-17s %5s s %10s runs %7s exec/s  cov %5s  ft %6s  corpus %5s' "$target" \
        "$ran" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}")
    echo "$last"
    if [ "$status" -ne 0 ]; then
        echo "fuzz_$target FAILED (exit $status); the end of $log:"
        tail -n 60 "$log"
        for input in "$artifacts"/*; do
            [ -e "$input" ] || continue
            echo "reproduce: $build/fuzz/fuzz_$target $input"
        done
        failed+=("$target")
        line+="  FAILED"
    fi
    summary+=("$line")
done

echo
echo "=== fuzzing summary"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "findings in: ${failed[*]} (inputs in $build/fuzz-artifacts/; see fuzz/README.md)" >&2
    exit 1
fi
