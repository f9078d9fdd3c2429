#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each, one after another, at low priority,
# and prints a line of counts per target from libFuzzer's final stats. Logs: tests/fuzz/logs/<target>.log.
#
#   tests/fuzz/run-all.sh 600                  # ten minutes each
#   tests/fuzz/run-all.sh 30 otpauth u2f_raw   # two targets, 30 s each
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and, on a stable toolchain, RUSTC_BOOTSTRAP=1
# (set here) for the sanitizer flags. `--fuzz-dir .`: cargo fuzz otherwise looks for a `fuzz/`
# folder at the top of the repository, where this crate no longer is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds="${1:?usage: run-all.sh SECONDS [TARGET...]}"
shift
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <(ls fuzz_targets | sed 's/\.rs$//')
fi
export RUSTC_BOOTSTRAP=1
mkdir -p logs
for t in "${targets[@]}"; do
    log="logs/$t.log"
    nice -n 15 cargo fuzz run --fuzz-dir . -O "$t" -- -max_total_time="$seconds" -print_final_stats=1 \
        -timeout=10 -rss_limit_mb=2048 >"$log" 2>&1 || echo "$t: FAILED (see $log)"
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
    printf '%-22s %ss  runs %s  cov %s  ft %s  corpus %s\n' "$t" "$seconds" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}"
done
