#!/usr/bin/env bash
# Build, test and benchmark SoftKey for AWS.
#
#   ./build.sh [build]   build the extension into dist/ and softkey-extension.zip
#   ./build.sh test      every check and test suite, in CI order, then the build
#   ./build.sh bench     build, then benchmark native + wasm (in Chromium) + WebCrypto
#
# Every tool the project needs is installed on first use and skipped afterwards, so
# the same two commands work on a fresh machine and are fast on a warm one.
#
# dist/ layout (what the zip contains, and what Chromium loads unpacked):
#   dist/manifest.json      copied from ./manifest.json
#   dist/wasm/softkey.js    wasm-bindgen --target web glue (ES module)
#   dist/wasm/softkey_bg.wasm
#   dist/wasm/softkey_qr.js, softkey_qr_bg.wasm   the QR module (softkey-qr-wasm), the same way
#   dist/wasm/softkey_transfer.js, softkey_transfer_bg.wasm   export/import (softkey-transfer-wasm)
#   dist/extension/...      copied from ./extension/ (paths kept), so the service worker
#                           at extension/background/ imports '../../wasm/softkey.js'
#
# Environment overrides (all optional):
#   SOFTKEY_TOOLS     where wasm-bindgen-cli is installed        (default: .tools)
#   SOFTKEY_VENV      the Python venv for tests/verify           (default: .venv)
#   CARGO_TARGET_DIR  cargo's usual override                     (default: target)
#   CARGO_TEST_FLAGS  extra flags for the native `cargo test`, e.g. --release
#   HARNESS_PROFILE   debug | release: how softkey-harness is built for pytest (default: debug)
#   CHROMEDRIVER      WebDriver for the wasm browser tests       (default: /usr/bin/chromedriver)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

TOOLS="${SOFTKEY_TOOLS:-$ROOT/.tools}"
VENV="${SOFTKEY_VENV:-$ROOT/.venv}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
[[ "$TARGET" = /* ]] || TARGET="$ROOT/$TARGET"
CARGO_TEST_FLAGS="${CARGO_TEST_FLAGS:-}"
HARNESS_PROFILE="${HARNESS_PROFILE:-debug}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

WASM_TARGET=wasm32-unknown-unknown
WASM_CRATE=softkey-wasm
# The QR reader/writer is a module of its own, so the authenticator module does not grow.
QR_WASM_CRATE=softkey-qr-wasm
# Export and import, likewise: loaded only when the export page asks (docs/key-transfer.md).
TRANSFER_WASM_CRATE=softkey-transfer-wasm
DIST="$ROOT/dist"
ZIP="$ROOT/softkey-extension.zip"
# Build bookkeeping (stamps, install logs, test logs) lives under target/ so that it is
# git-ignored and never ends up inside dist/ or the zip.
STATE="$TARGET/softkey-build"
LOGS="$STATE/logs"
# Debian packages the tests drive: the browser, its WebDriver, and an independent TOTP.
APT_PACKAGES=(chromium chromium-driver oathtool)
# Run as these flags so a failed step is reported by name (see on_exit).
MODE="${1:-build}"
CURRENT_STEP=""

# ---------------------------------------------------------------------------- helpers

step() {
    CURRENT_STEP="$1"
    printf '\n==> %s\n' "$1"
}

# One status line for an install/ensure step.
say() { printf '    %s\n' "$*"; }

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

on_exit() {
    local rc=$?
    if [[ $rc -ne 0 && -n "$CURRENT_STEP" ]]; then
        printf '\nbuild.sh %s: FAILED at step "%s" (exit %d)\n' "$MODE" "$CURRENT_STEP" "$rc" >&2
    fi
}
trap on_exit EXIT

# quiet NAME CMD...: installs are noisy and usually succeed, so keep their output in a
# log and show it only when they fail. CMD must be an external command (errexit does
# not apply inside functions run from a condition).
quiet() {
    local log="$LOGS/$1.log"
    shift
    mkdir -p "$LOGS"
    if ! "$@" >"$log" 2>&1; then
        printf 'command failed: %s\n--- last lines of %s ---\n' "$*" "$log" >&2
        tail -n 60 "$log" >&2
        return 1
    fi
}

sha256() { sha256sum "$@" | cut -d' ' -f1; }

# Version of a package as resolved in Cargo.lock (first match).
lock_version() {
    awk -v want="name = \"$1\"" '$0 == want { getline; gsub(/^version = "|"$/, ""); print; exit }' Cargo.lock
}

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# ------------------------------------------------------------------------ installers

ensure_rust_target() {
    if rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
        say "rust target $WASM_TARGET: present"
    else
        say "rust target $WASM_TARGET: installing"
        quiet rustup-target rustup target add "$WASM_TARGET"
    fi
}

ensure_rust_components() {
    local missing=() c
    for c in rustfmt clippy; do
        rustup component list --installed 2>/dev/null | grep -q "^$c" || missing+=("$c")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        say "rust components rustfmt, clippy: present"
    else
        say "rust components: installing ${missing[*]}"
        quiet rustup-components rustup component add "${missing[@]}"
    fi
}

# wasm-bindgen's CLI and the wasm-bindgen crate must be the very same version, or the
# generated glue does not match the module; so the version comes from Cargo.lock.
ensure_wasm_bindgen() {
    local want have=""
    want="$(lock_version wasm-bindgen)"
    [[ -n "$want" ]] || die "no wasm-bindgen package in Cargo.lock"
    WASM_BINDGEN="$TOOLS/cargo/bin/wasm-bindgen"
    WASM_BINDGEN_TEST_RUNNER="$TOOLS/cargo/bin/wasm-bindgen-test-runner"
    if [[ -x "$WASM_BINDGEN" && -x "$WASM_BINDGEN_TEST_RUNNER" ]]; then
        have="$("$WASM_BINDGEN" --version 2>/dev/null | awk '{print $2}')"
    fi
    if [[ "$have" == "$want" ]]; then
        say "wasm-bindgen-cli $want: present"
        return
    fi
    say "wasm-bindgen-cli $want: installing into ${TOOLS#"$ROOT"/}/cargo (compiles; ~3 min on 2 cores)"
    # No --locked: the registry mirror here lacks one of the CLI's pinned transitive
    # versions, and an unlocked resolve builds fine (see shared/toolchain.md).
    quiet wasm-bindgen-cli cargo install wasm-bindgen-cli --version "$want" --root "$TOOLS/cargo" --force
}

# npm ci wipes node_modules, so only run it when package*.json changed since the last
# successful install (recorded inside node_modules, which npm ci recreates).
ensure_npm_deps() {
    local dir="$1" stamp want rel
    rel="${dir#"$ROOT"}"
    rel="${rel#/}"
    rel="${rel:+$rel/}package.json"
    [[ -f "$dir/package-lock.json" ]] || die "$dir/package-lock.json is missing"
    stamp="$dir/node_modules/.softkey-installed"
    want="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256) node-$(node --version)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        say "npm packages ($rel): up to date"
        return
    fi
    say "npm packages ($rel): npm ci"
    (cd "$dir" && quiet "npm-ci-$(echo "$rel" | tr / -)" npm ci --no-audit --no-fund)
    printf '%s\n' "$want" >"$stamp"
}

ensure_apt_packages() {
    local missing=() p
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        say "debian packages ${APT_PACKAGES[*]}: present"
        return
    fi
    say "debian packages: installing ${missing[*]} (apt-get update first)"
    export DEBIAN_FRONTEND=noninteractive
    quiet apt-update as_root apt-get update -q
    quiet apt-install as_root apt-get install -y -q "${missing[@]}"
}

# The venv is rebuilt-in-place only when tests/requirements.txt changes.
ensure_python_venv() {
    local req="$ROOT/tests/requirements.txt" stamp want
    stamp="$VENV/.softkey-requirements"
    want="$(sha256 "$req")"
    if [[ -x "$VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        say "python venv ${VENV#"$ROOT"/}: up to date"
        return
    fi
    say "python venv ${VENV#"$ROOT"/}: installing tests/requirements.txt"
    [[ -x "$VENV/bin/python" ]] || quiet venv python3 -m venv "$VENV"
    quiet pip-install "$VENV/bin/python" -m pip install -q -r "$req"
    printf '%s\n' "$want" >"$stamp"
}

# --------------------------------------------------------------------------- build

wasm_size() { printf '%s bytes raw, %s bytes gzip -9' "$(stat -c %s "$1")" "$(gzip -9 -c "$1" | wc -c)"; }

# bindgen_module CRATE_FILE NAME: target/.../CRATE_FILE.wasm -> dist/wasm/NAME.js + NAME_bg.wasm
# (wasm-bindgen --target web, then wasm-opt). wasm-opt on a large module takes a while, so both
# are redone only when their inputs changed.
bindgen_module() {
    local input="$TARGET/$WASM_TARGET/release/$1.wasm" name="$2"
    local out_wasm="$DIST/wasm/${name}_bg.wasm" out_js="$DIST/wasm/$name.js" stamp="$STATE/$name.wasm.stamp" key
    local opt_flags=(-Oz --converge --strip-debug --strip-producers)
    # The declarations of the authenticator and transfer modules (generated from the Rust types)
    # are what `tsc --noEmit` checks the worker's calls against; the QR module has none yet.
    local ts_flags=(--no-typescript)
    [[ "$name" == softkey_qr ]] || ts_flags=()
    key="$(sha256 "$input") $("$WASM_BINDGEN" --version) $(node_modules/.bin/wasm-opt --version) ${opt_flags[*]}"
    if [[ -f "$stamp" && -f "$out_wasm" && -f "$out_js" && ( ${#ts_flags[@]} -gt 0 || -f "$DIST/wasm/$name.d.ts" ) && "$(cat "$stamp")" == "$key $(sha256 "$out_wasm")" ]]; then
        say "$name unchanged: kept dist/wasm/$name.js, ${name}_bg.wasm"
        return
    fi
    # Its inline JS snippets live in a folder named after the crate and a hash: drop old ones.
    rm -rf "$out_wasm" "$out_js" "$DIST/wasm/snippets/${1//_/-}-"*
    "$WASM_BINDGEN" --target web "${ts_flags[@]}" --out-dir "$DIST/wasm" --out-name "$name" "$input"
    # npm's binaryen, not Debian's: Debian's wasm-opt 108 corrupts this output.
    node_modules/.bin/wasm-opt "${opt_flags[@]}" "$out_wasm" -o "$out_wasm"
    mkdir -p "$STATE"
    printf '%s\n' "$key $(sha256 "$out_wasm")" >"$stamp"
    say "dist/wasm/$name regenerated"
}

# bundle_worker: dist/extension/background/service-worker.js becomes one ES module holding every
# module it imports (esbuild, from package.json's devDependencies). A restarted worker then
# fetches and parses one script instead of 17, which is on the path of every cold sign-in
# (tests/bench/cold-start.mjs). The separate files stay in dist/ for the extension's pages.
# wasm-bindgen's glue finds its .wasm beside itself (import.meta.url), so those URLs are
# rewritten to where the modules are from the worker; the build fails if one is not found.
bundle_worker() {
    local sw="$DIST/extension/background/service-worker.js" tmp name
    tmp="$(mktemp "$STATE/sw-bundle.XXXXXX")"
    node_modules/.bin/esbuild "$sw" --bundle --format=esm --target=chrome120 --log-level=warning \
        --outfile="$tmp" --allow-overwrite
    for name in softkey softkey_qr softkey_transfer; do
        grep -q "new URL(\"${name}_bg.wasm\", import.meta.url)" "$tmp" ||
            die "bundle_worker: ${name}_bg.wasm's URL not found in the bundled worker"
        sed -i "s#new URL(\"${name}_bg.wasm\", import.meta.url)#new URL(\"../../wasm/${name}_bg.wasm\", import.meta.url)#" "$tmp"
    done
    mv "$tmp" "$sw"
    say "dist/extension/background/service-worker.js: bundled ($(stat -c %s "$sw") bytes)"
}

build_extension() {
    step "tools for the build"
    ensure_rust_target
    ensure_wasm_bindgen
    ensure_npm_deps "$ROOT"

    # Two builds: in one, cargo would unify softkey-core's features, and the sign-in module would
    # carry the transfer module's JSON reader of older vaults (`json-contents`).
    step "cargo build --release --target $WASM_TARGET -p $WASM_CRATE, then -p $QR_WASM_CRATE -p $TRANSFER_WASM_CRATE"
    cargo build --release --target "$WASM_TARGET" -p "$WASM_CRATE"
    cargo build --release --target "$WASM_TARGET" -p "$QR_WASM_CRATE" -p "$TRANSFER_WASM_CRATE"

    step "wasm-bindgen + wasm-opt -> dist/wasm"
    mkdir -p "$DIST/wasm"
    bindgen_module softkey_wasm softkey
    bindgen_module softkey_qr_wasm softkey_qr
    bindgen_module softkey_transfer_wasm softkey_transfer

    step "assemble dist/ and softkey-extension.zip"
    cp manifest.json "$DIST/manifest.json"
    rm -rf "$DIST/extension"
    cp -a extension "$DIST/extension"
    # Chrome injects a file only once per frame, whatever the world, so the MAIN-world script
    # gets its own copy of the shared message definitions in one file (see shared/messages.js).
    # The page-only WebAuthn <-> JSON conversion (content/page-json.js) ships only in it.
    cat extension/shared/sites.js extension/shared/base64url.js extension/shared/messages.js \
        extension/content/page-json.js extension/content/page.js \
        >"$DIST/extension/content/page-main.js"
    rm "$DIST/extension/content/page-json.js"
    bundle_worker
    # The zip is content-addressed: rebuilt only when some file in dist/ changed.
    local content zip_stamp="$STATE/zip.stamp"
    content="$(cd "$DIST" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256)"
    if [[ -f "$ZIP" && -f "$zip_stamp" && "$(cat "$zip_stamp")" == "$content" ]]; then
        say "dist/ unchanged: kept softkey-extension.zip"
    else
        rm -f "$ZIP.tmp"
        if command -v zip >/dev/null; then
            (cd "$DIST" && zip -q -r -X "$ZIP.tmp" .)
        else
            (cd "$DIST" && python3 -m zipfile -c "$ZIP.tmp" ./*)
        fi
        mv "$ZIP.tmp" "$ZIP"
        printf '%s\n' "$content" >"$zip_stamp"
        say "wrote softkey-extension.zip ($(stat -c %s "$ZIP") bytes)"
    fi
    local name
    for name in softkey softkey_qr softkey_transfer; do
        say "${name}_bg.wasm: $(wasm_size "$DIST/wasm/${name}_bg.wasm")"
    done
}

# ---------------------------------------------------------------------------- test

# Test counts gathered from each runner's log, for the closing summary.
SUMMARY=()
TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0

# tally LABEL KIND LOG: add a runner's counts (its own summary lines) to the totals.
tally() {
    local label="$1" kind="$2" log="$3" counts
    case "$kind" in
    cargo)
        counts="$(awk '/^test result: /{
                for (i = 1; i <= NF; i++) {
                    if ($(i+1) ~ /^passed/) p += $i
                    if ($(i+1) ~ /^failed/) f += $i
                    if ($(i+1) ~ /^ignored/) s += $i
                } }
            END { print p+0, f+0, s+0 }' "$log")" ;;
    pytest)
        counts="$(tail -n 1 "$log" | awk '{
                for (i = 1; i < NF; i++) {
                    if ($(i+1) ~ /^passed/) p += $i
                    if ($(i+1) ~ /^(failed|errors?)/) f += $i
                    if ($(i+1) ~ /^(skipped|xfailed|deselected)/) s += $i
                } }
            END { print p+0, f+0, s+0 }')" ;;
    node)
        counts="$(awk '$1 == "#" && $2 == "pass" { p = $3 } $1 == "#" && $2 == "fail" { f = $3 }
            $1 == "#" && ($2 == "skipped" || $2 == "todo") { s += $3 }
            END { print p+0, f+0, s+0 }' "$log")" ;;
    esac
    local p f s
    read -r p f s <<<"$counts"
    TOTAL_PASSED=$((TOTAL_PASSED + p))
    TOTAL_FAILED=$((TOTAL_FAILED + f))
    TOTAL_SKIPPED=$((TOTAL_SKIPPED + s))
    SUMMARY+=("$(printf '%-28s %d passed, %d failed, %d skipped' "$label" "$p" "$f" "$s")")
}

# logged NAME CMD...: run a test runner with its output both shown and kept for tally.
logged() {
    local log="$LOGS/$1.log"
    shift
    mkdir -p "$LOGS"
    "$@" 2>&1 | tee "$log"
}

run_tests() {
    local started=$SECONDS
    step "tools for the checks"
    ensure_rust_components

    step "cargo fmt --all -- --check"
    cargo fmt --all -- --check

    step "cargo clippy --workspace --all-targets -- -D warnings"
    cargo clippy --workspace --all-targets -- -D warnings

    # The bindings' wasm32-only code (getrandom backend, browser tests) is invisible to
    # the native clippy run above.
    step "cargo clippy -p $WASM_CRATE --target $WASM_TARGET --all-targets -- -D warnings"
    ensure_rust_target
    cargo clippy -p "$WASM_CRATE" --target "$WASM_TARGET" --all-targets -- -D warnings

    step "cargo test --workspace ${CARGO_TEST_FLAGS}"
    # shellcheck disable=SC2086 # CARGO_TEST_FLAGS is a list of flags
    logged cargo-test cargo test --workspace $CARGO_TEST_FLAGS
    tally "cargo test (native):" cargo "$LOGS/cargo-test.log"

    # The core as the sign-in module builds it: without the JSON reader of older vaults, which
    # the workspace run above always has (the harness turns it on).
    step "cargo clippy + test -p softkey-core --no-default-features"
    cargo clippy -p softkey-core --no-default-features --all-targets -- -D warnings
    logged cargo-test-signin cargo test -p softkey-core --no-default-features --lib --test vault_needs_migration
    tally "cargo test (core without json-contents):" cargo "$LOGS/cargo-test-signin.log"

    step "cargo build -p softkey-harness ($HARNESS_PROFILE)"
    local harness_dir=debug harness_flags=()
    if [[ "$HARNESS_PROFILE" == release ]]; then
        harness_dir=release harness_flags=(--release)
    fi
    cargo build -p softkey-harness "${harness_flags[@]}"
    export SOFTKEY_HARNESS="$TARGET/$harness_dir/softkey-harness"
    [[ -x "$SOFTKEY_HARNESS" ]] || die "harness binary not found at $SOFTKEY_HARNESS"
    say "SOFTKEY_HARNESS=$SOFTKEY_HARNESS"
    # The command-line companion, checked against oathtool in tests/verify/test_cli_oathtool.py.
    cargo build -p softkey-cli "${harness_flags[@]}"
    export SOFTKEY_CLI="$TARGET/$harness_dir/softkey"
    [[ -x "$SOFTKEY_CLI" ]] || die "softkey binary not found at $SOFTKEY_CLI"

    step "test tools (debian packages, python venv, wasm-bindgen-test-runner)"
    ensure_apt_packages
    ensure_python_venv
    ensure_wasm_bindgen

    step "pytest -q tests/verify"
    # An empty suite must fail, not pass: the independent verifiers are the point.
    if [[ -z "$(find tests/verify -name 'test_*.py' -o -name '*_test.py' 2>/dev/null | head -n 1)" ]]; then
        die "tests/verify has no test files (test_*.py)"
    fi
    # No .pytest_cache / __pycache__ litter in the work tree.
    PYTHONDONTWRITEBYTECODE=1 logged pytest "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/verify
    tally "pytest tests/verify:" pytest "$LOGS/pytest.log"

    step "cargo test -p $WASM_CRATE --target $WASM_TARGET (headless Chromium)"
    # The runner drives Chromium through $CHROMEDRIVER; it adds --headless and
    # --no-sandbox (needed as root) itself, so no webdriver.json is required.
    # --tests: doctests are host code and already ran natively.
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$WASM_BINDGEN_TEST_RUNNER" \
        logged wasm-test cargo test -p "$WASM_CRATE" --target "$WASM_TARGET" --tests
    tally "cargo test (wasm, Chromium):" cargo "$LOGS/wasm-test.log"

    build_extension

    # The worker's calls into the wasm module against the declarations wasm-bindgen generated
    # from the Rust types (tsconfig.json): a call with the wrong shape fails here.
    step "tsc --noEmit -p tsconfig.json (// @ts-check scripts vs dist/wasm/softkey.d.ts)"
    node_modules/.bin/tsc --noEmit -p tsconfig.json

    step "node --test tests/e2e/"
    if [[ -n "$(find tests/e2e -name '*.test.mjs' -not -path '*/node_modules/*' 2>/dev/null | head -n 1)" ]]; then
        # The e2e suite may carry its own npm dependencies.
        [[ ! -f tests/e2e/package-lock.json ]] || ensure_npm_deps "$ROOT/tests/e2e"
        # The fixture server needs the venv's packages (segno for its QR codes) wherever it is.
        SOFTKEY_PYTHON="$VENV/bin/python" logged e2e node --test tests/e2e/
        tally "node --test tests/e2e:" node "$LOGS/e2e.log"
    else
        say "no tests/e2e/*.test.mjs yet: skipped"
    fi

    run_fuzz_short

    CURRENT_STEP="summary"
    printf '\n==> summary (%ds)\n' "$((SECONDS - started))"
    printf '    %s\n' "${SUMMARY[@]}"
    printf 'total: %d passed, %d failed, %d skipped\n' "$TOTAL_PASSED" "$TOTAL_FAILED" "$TOTAL_SKIPPED"
    [[ $TOTAL_FAILED -eq 0 ]] || die "a runner reported failures"
    CURRENT_STEP=""
    echo "build.sh test: all steps passed"
}

# The short fuzzing step: every input of the fuzz corpora (tests/fuzz/corpus/<target>/, the seeds plus
# what the long `cargo fuzz` runs kept, minimized) goes once through its target as a plain test.
# Building the instrumented targets needs cargo-fuzz, a sanitizer and RUSTC_BOOTSTRAP, and takes
# minutes on 2 cores; the replay needs none of that (see tests/fuzz/README.md for the long runs). The
# fuzz crate is its own workspace; sharing target/ reuses the crates `cargo test` just built.
# Its lock file is its own too: after a dependency change, refresh it with
# `cargo metadata --format-version 1 --manifest-path tests/fuzz/Cargo.toml >/dev/null`.
run_fuzz_short() {
    step "fuzz corpus replay: cargo test --manifest-path tests/fuzz/Cargo.toml --no-default-features"
    local t0=$SECONDS
    CARGO_TARGET_DIR="$TARGET" logged fuzz-replay \
        cargo test --manifest-path tests/fuzz/Cargo.toml --no-default-features --locked
    tally "fuzz corpus replay:" cargo "$LOGS/fuzz-replay.log"
    say "fuzz corpus replay: $((SECONDS - t0)) s"
}

# --------------------------------------------------------------------------- bench

harness_has_bench_bin() {
    cargo metadata --no-deps --format-version 1 | node -e '
        let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
            const pkg = JSON.parse(s).packages.find((p) => p.name === "softkey-harness");
            const ok = pkg && pkg.targets.some((t) => t.name === "bench" && t.kind.includes("bin"));
            process.exit(ok ? 0 : 1);
        });'
}

run_bench() {
    build_extension
    step "bench tools"
    ensure_apt_packages

    local native="$STATE/native-bench.txt"
    : >"$native"
    if harness_has_bench_bin; then
        step "cargo run --release -p softkey-harness --bin bench"
        cargo run --release -q -p softkey-harness --bin bench >"$native"
    else
        step "native bench"
        say "softkey-harness has no 'bench' binary yet: native rows skipped"
    fi

    # The benchmark hooks (BenchSigner, totpCode) live only in a variant built with the bindings'
    # `bench` feature, kept out of dist/; the extension's own variant is rebuilt after it.
    step "softkey-wasm --features bench -> ${STATE#"$ROOT"/}/bench-dist/wasm"
    local bench_dist="$STATE/bench-dist"
    cargo build --release --target "$WASM_TARGET" -p "$WASM_CRATE" --features bench
    mkdir -p "$bench_dist/wasm"
    "$WASM_BINDGEN" --target web --no-typescript --out-dir "$bench_dist/wasm" --out-name softkey \
        "$TARGET/$WASM_TARGET/release/softkey_wasm.wasm"
    node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers \
        "$bench_dist/wasm/softkey_bg.wasm" -o "$bench_dist/wasm/softkey_bg.wasm"
    cargo build --release --target "$WASM_TARGET" -p "$WASM_CRATE"

    step "node tests/bench/wasm-bench.mjs"
    node tests/bench/wasm-bench.mjs --dist "$bench_dist" --native "$native"

    step "node tests/bench/e2e-latency.mjs"
    ensure_python_venv
    SOFTKEY_PYTHON="$VENV/bin/python" node tests/bench/e2e-latency.mjs
    step "node tests/bench/cold-start.mjs"; SOFTKEY_PYTHON="$VENV/bin/python" node tests/bench/cold-start.mjs
    step "node tests/bench/warm-trace.mjs"; SOFTKEY_PYTHON="$VENV/bin/python" node tests/bench/warm-trace.mjs
    step "node tests/bench/worker-memory.mjs"; SOFTKEY_PYTHON="$VENV/bin/python" node tests/bench/worker-memory.mjs
    CURRENT_STEP=""
}

# ---------------------------------------------------------------------------- main

case "$MODE" in
build)
    build_extension
    CURRENT_STEP=""
    printf '\nbuild.sh build: done in %ds (dist/, softkey-extension.zip)\n' "$SECONDS"
    ;;
test) run_tests ;;
bench) run_bench ;;
-h | --help | help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' ;;
*)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
