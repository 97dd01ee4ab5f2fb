#!/usr/bin/env bash
# Runs Kiln's whole test suite: installs the test dependencies (scripts/setup-deps.sh), checks
# formatting (`cargo fmt --all --check`, settings in rustfmt.toml) and lints (`cargo clippy
# --workspace --all-targets -- -D warnings`, lints in the workspace Cargo.toml), then
# `cargo test --workspace --release` (release, so the spec suite and the malformed-input test
# are quick). The bench and fuzz crates (wasmtime, wasmi) are linted but not built for tests. Extra
# arguments go to cargo test, e.g. `scripts/test.sh -- --nocapture`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup-deps.sh
echo "test.sh: cargo fmt --all --check" >&2
cargo fmt --all --check
echo "test.sh: cargo clippy --workspace --all-targets --release -- -D warnings" >&2
cargo clippy --workspace --all-targets --release -- -D warnings
exec cargo test --workspace --exclude kiln-bench --exclude kiln-fuzz --release "$@"
