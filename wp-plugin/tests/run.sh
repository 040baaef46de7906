#!/usr/bin/env bash
# Fastbeat plugin tests: lint, coding standards, IDE stubs, and scenarios on the
# real WordPress test bed.
#
#   wp-plugin/tests/run.sh                 # every stage
#   wp-plugin/tests/run.sh lint phpcs stub # some stages
#
# Stages (each ends with a line "N passed, N failed"):
#   lint       php -l on every PHP file of the plugin and on fastbeat.stub.php;
#              packaging checks (header, readme.txt, guards, .distignore)
#   phpcs      PHP_CodeSniffer with wp-plugin/phpcs.xml.dist, and proof that the
#              ruleset catches known violations (tests/phpcs-fixtures)
#   stub       fastbeat.stub.php against `php --re fastbeat` of the built extension
#   scenarios  throwaway single-site and multisite installs on the test bed's
#              MariaDB: wiring per state, parity with core, Site Health,
#              notices, activation / deactivation / uninstall, multisite
#   testbed    HTTP against the running test bed's four variants
#   parity     tests/parity/run.sh over core, fastbeat, plugin-only, ext-only
#
# The last line sums every stage; the exit status is non-zero if anything failed.
# Environment: FASTBEAT_EXT_SO (default target/release/libfastbeat.so),
# FASTBEAT_PLUGIN_TESTS_NO_UP=1 (do not run testbed/up.sh), FASTBEAT_TEST_KEEP=1
# (keep the throwaway installs' tables and files for debugging).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLUGIN="$(cd "$HERE/.." && pwd)"
REPO="$(cd "$PLUGIN/.." && pwd)"
# shellcheck source=../../testbed/env.sh
set -a
. "$REPO/testbed/env.sh"
set +a
PHP="${PHP:-php}"

stages=("$@")
[ "${#stages[@]}" -gt 0 ] || stages=(lint phpcs stub scenarios testbed parity)

total_passed=0
total_failed=0
results=()

# run_stage <name> <command…>: runs a stage, echoes its output, takes its
# "N passed, N failed" line; a stage that dies without one counts as 1 failure.
run_stage() {
  local name="$1" out line p f rc
  shift
  echo "=== $name"
  out="$(mktemp)"
  "$@" 2>&1 | tee "$out"
  rc="${PIPESTATUS[0]}"
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)"
  rm -f "$out"
  if [ -z "$line" ]; then
    p=0; f=1
    echo "0 passed, 1 failed"
  else
    p="${line%% passed*}"; f="${line#*, }"; f="${f%% failed}"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "($name exited $rc)"; fi
  fi
  total_passed=$((total_passed + p)); total_failed=$((total_failed + f))
  results+=("$(printf '%-10s %5d passed, %d failed' "$name" "$p" "$f")")
}

stage_lint() {
  local passed=0 failed=0 f
  while IFS= read -r -d '' f; do
    if "$PHP" -l "$f" >/dev/null 2>&1; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1)); echo "not ok - php -l ${f#"$REPO"/}"; "$PHP" -l "$f" 2>&1 | sed 's/^/  /'
    fi
  done < <(find "$PLUGIN" "$REPO/fastbeat.stub.php" -name '*.php' -type f -print0 | sort -z)
  echo "ok - php -l: $passed files pass"
  local meta p f2
  meta="$("$PHP" "$HERE/meta-check.php")"
  echo "$meta"
  p="$(tail -1 <<<"$meta" | sed -E 's/^([0-9]+) passed.*/\1/')"
  f2="$(tail -1 <<<"$meta" | sed -E 's/.*, ([0-9]+) failed$/\1/')"
  echo "$((passed + p)) passed, $((failed + f2)) failed"
  [ $((failed + f2)) -eq 0 ]
}

stage_phpcs() {
  command -v phpcs >/dev/null || { echo "not ok - phpcs not installed (apt-get install php-codesniffer)"; echo "0 passed, 1 failed"; return 1; }
  local json report passed failed
  # Paths given and stdin closed: without them phpcs lints standard input whenever it is not
  # a terminal (CI, background jobs) and reports one clean "file".
  json="$(cd "$PLUGIN" && phpcs --standard=phpcs.xml.dist --report=json -q . </dev/null 2>&1)"
  # One check per file: no errors (warnings are reported, they do not fail).
  report="$("$PHP" -r '
    $r = json_decode( stream_get_contents( STDIN ), true );
    if ( ! is_array( $r ) ) { echo "not ok - phpcs produced no report\n0 1\n"; exit; }
    $p = 0; $f = 0;
    foreach ( $r["files"] as $file => $info ) {
      $rel = preg_replace( "#^.*/wp-plugin/#", "", $file );
      if ( $info["errors"] > 0 ) { $f++; echo "not ok - phpcs $rel\n"; } else { $p++; }
      foreach ( $info["messages"] as $m ) {
        printf( "  %s:%d:%d %s %s (%s)\n", $rel, $m["line"], $m["column"], strtolower( $m["type"] ), $m["message"], $m["source"] );
      }
    }
    echo "$p $f\n";' <<<"$json")"
  sed '$d' <<<"$report"
  read -r passed failed <<<"$(tail -1 <<<"$report")"
  echo "ok - phpcs: $passed files without errors"
  # Every PHP file of the plugin (outside the excluded folders) must have been checked.
  local expected
  expected="$(cd "$PLUGIN" && find . -name '*.php' -not -path './tools/phpcs/*' -not -path './tests/phpcs-fixtures/*' -not -path './vendor/*' | wc -l)"
  if [ "$((passed + failed))" -ge "$expected" ]; then
    passed=$((passed + 1)); echo "ok - phpcs checked all $expected PHP files"
  else
    failed=$((failed + 1)); echo "not ok - phpcs checked $((passed + failed - 1)) files, expected $expected"
  fi
  # The ruleset must catch what it claims to catch.
  local tmp out code
  tmp="$(mktemp -d)"
  cp "$HERE/phpcs-fixtures/bad.php.fixture" "$tmp/bad.php"
  out="$(phpcs --standard="$PLUGIN/phpcs.xml.dist" --report=emacs -q "$tmp/bad.php" 2>&1)"
  rm -rf "$tmp"
  while IFS= read -r code; do
    [ -n "$code" ] || continue
    if grep -qF "($code)" <<<"$out"; then passed=$((passed + 1)); echo "ok - ruleset reports $code"
    else failed=$((failed + 1)); echo "not ok - ruleset reports $code"; fi
  done <"$HERE/phpcs-fixtures/bad.expected"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

stage_stub() {
  "$PHP" "$HERE/stub-check.php" "$FASTBEAT_EXT_SO" "$REPO/fastbeat.stub.php"
}

ensure_testbed() {
  [ "${FASTBEAT_PLUGIN_TESTS_NO_UP:-0}" = 1 ] && return 0
  [ -n "${_fb_testbed_up:-}" ] && return 0
  "$REPO/testbed/up.sh" >&2 || { echo "not ok - testbed/up.sh failed"; return 1; }
  _fb_testbed_up=1
}

stage_scenarios() {
  ensure_testbed || { echo "0 passed, 1 failed"; return 1; }
  "$PHP" "$HERE/scenarios.php"
}

stage_testbed() {
  ensure_testbed || { echo "0 passed, 1 failed"; return 1; }
  "$PHP" "$HERE/testbed-http.php"
}

stage_parity() {
  ensure_testbed || { echo "0 passed, 1 failed"; return 1; }
  FASTBEAT_PARITY_NO_UP=1 "$REPO/tests/parity/run.sh" --variants core,fastbeat,plugin-only,ext-only -q
}

for stage in "${stages[@]}"; do
  case "$stage" in
    lint|phpcs|stub|scenarios|testbed|parity) run_stage "$stage" "stage_$stage" ;;
    *) echo "unknown stage: $stage (lint phpcs stub scenarios testbed parity)" >&2; exit 2 ;;
  esac
done

echo "=== summary"
printf '%s\n' "${results[@]}"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
