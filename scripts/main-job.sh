#!/usr/bin/env bash
# The main job, end to end on a real program: fetch and build the real WASI programs
# (scripts/setup-deps.sh, idempotent), build `kiln`, precompile Lua 5.4 (built from Debian's
# source package to wasm32-wasi) with `kiln compile`, then run the artifact with `kiln run`
# in a fresh process on tests/programs/bench.lua, printing its output.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup-deps.sh
cargo build --release -p kiln-cli
PROGRAMS="${KILN_PROGRAMS_DIR:-$PWD/.programs}"
KILN=target/release/kiln
OUT=target/main-job
mkdir -p "$OUT/root"
cp tests/programs/bench.lua "$OUT/root/"
echo "== kiln compile $PROGRAMS/wasm/lua.wasm -o $OUT/lua.kiln" >&2
"$KILN" compile "$PROGRAMS/wasm/lua.wasm" -o "$OUT/lua.kiln"
"$KILN" inspect "$OUT/lua.kiln" > "$OUT/lua.inspect.txt"
sed -n 1,8p "$OUT/lua.inspect.txt" >&2
echo "== kiln run --dir $OUT/root::/ $OUT/lua.kiln bench.lua" >&2
exec "$KILN" run --dir "$OUT/root::/" "$OUT/lua.kiln" bench.lua
