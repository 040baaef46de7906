#!/usr/bin/env bash
# Every Fastbeat test, in order: each stage prints its own closing line
# "N passed, N failed"; this script prints a table and the totals, and exits
# non-zero if any stage failed. Run as root on Debian 12 (installs what it needs).
set -uo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
LOG_DIR="${FASTBEAT_TEST_LOGS:-/tmp/fastbeat-test-logs}"
mkdir -p "$LOG_DIR"
export CARGO_TERM_COLOR=never

total_pass=0; total_fail=0; failed_stages=()
declare -a rows=()

# run_stage <name> <command...>: runs it, tees its output, takes its last
# "N passed, N failed" line (or counts the stage itself as 1 test).
run_stage() {
  local name="$1"; shift
  local log="$LOG_DIR/$name.log" start rc line p f
  start=$(date +%s)
  echo "=== stage: $name: $*"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -aE '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
  if [ -n "$line" ]; then
    p=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
    f=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\3/' <<<"$line")
  else
    p=$(( rc == 0 ? 1 : 0 )); f=$(( rc == 0 ? 0 : 1 ))
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
  [ "$f" -eq 0 ] || failed_stages+=("$name")
  rows+=("$(printf '%-18s %6s passed %4s failed %5ss' "$name" "$p" "$f" "$(( $(date +%s) - start ))")")
  echo "$name: $p passed, $f failed"
}

cargo_test_counts() {
  local out rc
  out=$(cargo test --release --locked --workspace 2>&1); rc=$?
  echo "$out"
  grep -aE '^test result:' <<<"$out" |
    awk '{ for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;/) p += $(i-1); if ($(i) ~ /^failed;/) f += $(i-1) } }
         END { printf "%d passed, %d failed\n", p, f }'
  return $rc
}

fmt_check() { cargo fmt --all --check && echo "1 passed, 0 failed"; }
clippy_check() { cargo clippy --release --locked --workspace --all-targets -- -D warnings && echo "1 passed, 0 failed"; }

ext_loads() {
  local so="$REPO/target/release/libfastbeat.so"
  php -n -d "extension=$so" --ri fastbeat && echo "1 passed, 0 failed"
}

run_stage setup bash tools/setup.sh
run_stage build cargo build --release --locked
run_stage rustfmt fmt_check
run_stage clippy clippy_check
run_stage cargo-test cargo_test_counts
run_stage ext-loads ext_loads
run_stage lane-rules bash tests/lane/rules.sh
run_stage phpt bash php-tests/run.sh
run_stage phpt-clock bash php-tests/run.sh --clock
run_stage install bash tools/test-install.sh
# Release artifacts (PIE asset names, phpize builds for PHP 8.2 and 8.4, plugin zip), then
# installed from them alone on PHP 8.2 x WordPress 6.1.9 / 7.1.4 and PHP 8.4 x 7.1.4.
run_stage dist bash tools/dist.sh
run_stage dist-install bash tests/pack/install-test.sh
run_stage dist-selftest bash tests/pack/install-test.sh --self-test
run_stage testbed bash testbed/up.sh
run_stage plugin bash wp-plugin/tests/run.sh
run_stage parity bash tests/parity/run.sh
run_stage ui bash tests/ui/run.sh
run_stage hardening bash tests/hardening/run.sh
run_stage bench-short bash bench/run.sh --short --down
[ "${FASTBEAT_KEEP_TESTBED:-0}" = 1 ] || bash testbed/down.sh >/dev/null 2>&1

echo
echo "=== summary"
printf '%s\n' "${rows[@]}"
if [ "${#failed_stages[@]}" -gt 0 ]; then echo "failed stages: ${failed_stages[*]}"; fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
