#!/usr/bin/env bash
# Every Fastbeat test, in order: each stage prints its own closing line
# "N passed, N failed"; this script prints a table and the totals, and exits
# non-zero if any stage failed. Run as root on Debian 12 (installs what it needs).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
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

# Sums the "N passed, N failed" lines of several commands into one, last; non-zero
# status if any command failed. sum_counts <label> -- <cmd...> [-- <cmd...>]...
sum_counts() {
  local p=0 f=0 rc=0 label="$1" out line c
  shift
  while [ $# -gt 0 ]; do
    [ "$1" = -- ] && shift
    local cmd=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do cmd+=("$1"); shift; done
    out="$(mktemp)"
    echo "--- $label: ${cmd[*]}"
    "${cmd[@]}" 2>&1 | tee "$out"
    c=${PIPESTATUS[0]}
    line="$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)"
    rm -f "$out"
    if [ -n "$line" ]; then
      p=$((p + ${line%% passed*})); line="${line#*, }"; f=$((f + ${line%% failed}))
    else
      p=$((p + (c == 0 ? 1 : 0))); f=$((f + (c == 0 ? 0 : 1)))
    fi
    [ "$c" -eq 0 ] || rc=1
  done
  echo "$p passed, $f failed"
  return $rc
}

# Another WordPress release line on the host's PHP 8.2, a test bed of its own (its own
# directory and ports, testbed/env.sh): phpt against that tree's core files, then the
# parity suite with the fall-back and the deployed lane suite (tests/parity/run.sh).
wp_line() { # wp_line <6.8|7.1>
  sum_counts "wp$1" \
    -- env FASTBEAT_WP="$1" FASTBEAT_PHP=8.2 bash php-tests/run.sh \
    -- env FASTBEAT_WP="$1" FASTBEAT_PHP=8.2 bash tests/parity/run.sh
}

# PHP 8.4 in a Debian trixie root (tools/trixie-root.sh; the host's Rust toolchain bound in
# by tools/in-trixie.sh): the extension built for 8.4 into target/php8.4, phpt on 8.4
# against 6.1.9 (bookworm's package, fetched) and 7.1, and WordPress 7.1 served by
# php-fpm8.4, MariaDB and nginx of the root: parity and the fall-back (the deployed lane
# suite runs on 7.1 in wp71 already; here it would add 4 minutes).
php84_env() { # php84_env <wp line> <variable>: a value testbed/env.sh derives for <line> on PHP 8.4
  (unset FASTBEAT_ENV_FOR; FASTBEAT_WP="$1" FASTBEAT_PHP=8.4; . testbed/env.sh >/dev/null && eval "echo \"\$$2\"")
}
php84_build() {
  local target
  target="$(php84_env 7.1 FASTBEAT_CARGO_TARGET_DIR)" || return 1
  bash tools/trixie-root.sh &&
    FASTBEAT_TRIXIE_PIDNS=1 tools/in-trixie.sh env CARGO_TARGET_DIR="$target" cargo build --release --locked &&
    FASTBEAT_TRIXIE_PIDNS=1 tools/in-trixie.sh php8.4 -n -d "extension=$target/release/libfastbeat.so" --ri fastbeat
}
php84_phpt() { # php84_phpt <wp line>: phpt with php8.4/php-cgi8.4 of the root on that tree
  local dir
  dir="$(php84_env "$1" FASTBEAT_WP_DIR)" || return 1
  [ -f "$dir/wp-settings.php" ] || bash tools/wp-fetch.sh "$(php84_env "$1" FASTBEAT_WP_SUITE)" >/dev/null || return 1
  FASTBEAT_TRIXIE_PIDNS=1 FASTBEAT_TRIXIE_BIND="${FASTBEAT_WP_ROOT:-/var/cache/fastbeat/wp}" \
    tools/in-trixie.sh env FB_WP_DIR="$dir" PHP=php8.4 PHP_CGI=php-cgi8.4 \
    FASTBEAT_EXT="$(php84_env "$1" FASTBEAT_EXT_SO)" bash php-tests/run.sh
}
php84() {
  sum_counts php84 \
    -- php84_build \
    -- php84_phpt 6.1 \
    -- php84_phpt 7.1 \
    -- env FASTBEAT_WP=7.1 FASTBEAT_PHP=8.4 FASTBEAT_PARITY_DEPLOYED=0 bash tests/parity/run.sh
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
# The other release lines and PHP 8.4 (issue 17), after the 6.1 stages.
run_stage wp68 wp_line 6.8
run_stage wp71 wp_line 7.1
run_stage php84 php84
# Apache 2.4 prefork with mod_php 8.2 (testbed/apache.sh, WordPress 7.1 on a test bed of its
# own): request facts, a parity slice, the deployed slice with native logged-in and
# logged-out answers asserted from the children's counts, the lane count; then down.
apache_ci() {
  if [ "${FASTBEAT_KEEP_TESTBED:-0}" = 1 ]; then bash tests/apache/run.sh --ci --keep; else bash tests/apache/run.sh --ci; fi
}
run_stage apache apache_ci
# The lane on real-site conditions (issue 18), WordPress 7.1 on PHP 8.2: HTTPS behind TLS
# fronts (X-Forwarded-Proto, CF-Visitor) and a forged header from 127.0.0.2, Redis's
# object cache (redis-server stopped mid-run), a subdirectory network's main site and
# /site2/: each variant's own checks, a deployed-lane slice and parity with the path of
# every beat asserted (tests/lane/variants.sh); each variant's test bed stopped after.
run_stage variants bash tests/lane/variants.sh
if [ "${FASTBEAT_KEEP_TESTBED:-0}" != 1 ]; then
  bash testbed/down.sh >/dev/null 2>&1
  for combo in 6.8/8.2 7.1/8.2 7.1/8.4; do
    FASTBEAT_WP="${combo%/*}" FASTBEAT_PHP="${combo#*/}" bash testbed/down.sh >/dev/null 2>&1
  done
fi

echo
echo "=== summary"
printf '%s\n' "${rows[@]}"
if [ "${#failed_stages[@]}" -gt 0 ]; then echo "failed stages: ${failed_stages[*]}"; fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
