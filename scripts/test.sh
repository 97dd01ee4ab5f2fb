#!/usr/bin/env bash
# Runs Kiln's whole test suite: installs the test dependencies (scripts/setup-deps.sh),
# then `cargo test --workspace --release` (release, so the spec suite and the malformed-input
# test are quick). Extra arguments go to cargo test, e.g. `scripts/test.sh -- --nocapture`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup-deps.sh
exec cargo test --workspace --release "$@"
