#!/usr/bin/env bash
# Runs Kiln's fuzz targets (fuzz/, the kiln-fuzz binary) on all cores: each target in turn
# for --minutes N (default 1) with one process per core, every process from its own fixed
# seed range (process j of a run starts at seed BASE + j * 1000000000; BASE is --seed, 0 by
# default), so a run is reproducible and a finding names the seed that replays it
# (`kiln-fuzz TARGET --seed S --iters 1 --in-process`). Findings are saved under
# fuzz/regressions/ (or $KILN_FUZZ_OUT). Ends with a totals line per target
# (`differential: 12345 executions, 0 findings`) and `N passed, N failed` (a target passes
# with no findings); exits 1 when a target failed.
#
# Usage: scripts/fuzz.sh [--minutes N] [--seed BASE] [--jobs N] [TARGET...]
#   targets: differential validate artifact wasi api (default: all)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

minutes=1
base=0
jobs=$(nproc)
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes="$2"; shift 2 ;;
        --seed) base="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(differential validate artifact wasi api)

# The `wasi` target compares with the wasmtime CLI.
for t in "${targets[@]}"; do
    if [ "$t" = wasi ]; then scripts/fetch-wasmtime.sh; fi
done
echo "fuzz.sh: cargo build --release -p kiln-fuzz" >&2
cargo build --release -p kiln-fuzz
bin=target/release/kiln-fuzz
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

passed=0
failed=0
summary=()
for t in "${targets[@]}"; do
    echo "fuzz.sh: $t for $minutes min on $jobs processes" >&2
    pids=()
    for j in $(seq 0 $((jobs - 1))); do
        seed=$((base + j * 1000000000))
        "$bin" "$t" --seed "$seed" --minutes "$minutes" >"$logs/$t.$j" 2>"$logs/$t.$j.err" &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || true; done
    execs=0
    finds=0
    for j in $(seq 0 $((jobs - 1))); do
        grep -h "finding at seed" "$logs/$t.$j" >&2 || true
        line=$(grep -E "^$t: [0-9]+ executions, [0-9]+ findings$" "$logs/$t.$j" | tail -1 || true)
        if [ -z "$line" ]; then
            echo "fuzz.sh: $t process $j ended without totals:" >&2
            tail -5 "$logs/$t.$j.err" >&2 || true
            finds=$((finds + 1))
            continue
        fi
        e=$(echo "$line" | sed -E 's/.*: ([0-9]+) executions.*/\1/')
        f=$(echo "$line" | sed -E 's/.*, ([0-9]+) findings/\1/')
        execs=$((execs + e))
        finds=$((finds + f))
    done
    summary+=("$t: $execs executions, $finds findings")
    if [ "$finds" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
for s in "${summary[@]}"; do echo "$s"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
