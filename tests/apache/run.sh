#!/usr/bin/env bash
# Fastbeat on Apache 2.4 prefork with mod_php 8.2 (testbed/apache.sh): the parity suite,
# the lane as deployed and the fall-back, core's Apache against Fastbeat's, on a test bed
# of their own (FASTBEAT_WP, default 7.1).
#
#   tests/apache/run.sh           everything: request facts, parity (every case), the
#                                 deployed slice, fallback.py, the lane count check, how
#                                 native answers connect (tests/lane/db_connections.py)
#   tests/apache/run.sh --ci      the CI slice (< 3 min): request facts, a few parity cases,
#                                 the deployed slice, the lane count check, the connection
#                                 checks; then down
#   tests/apache/run.sh --down    stop the Apache pair and its test bed afterwards
#   tests/apache/run.sh --keep    leave them running (default for a full run)
#
# The deployed slice (tests/lane/deployed.py): core-only, keyed-received,
# keyed-received-declared and unreached-hooks, each beat's path read from the children's
# counts and checked (logged-in beats answered natively, logged-out ones by nopriv.php).
# Every stage prints its own "N passed, N failed"; the last line sums them. Exit status
# non-zero on any failure. Run as root.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"

ci=0 down=0
for arg in "$@"; do
  case "$arg" in
    --ci) ci=1; down=1 ;;
    --down) down=1 ;;
    --keep) down=0 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "apache tests: unknown argument $arg" >&2; exit 2 ;;
  esac
done
export FASTBEAT_WP="${FASTBEAT_WP:-7.1}" PYTHONDONTWRITEBYTECODE=1

pass=0 fail=0
# stage <name> <command...>: run it, add its last "N passed, N failed" (or 1 test).
stage() {
  local name="$1" out rc line p f
  shift
  out="$(mktemp)"
  echo "--- apache: $name"
  "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  line="$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)"
  rm -f "$out"
  if [ -n "$line" ]; then
    p="${line%% passed*}"; f="${line#*, }"; f="${f%% failed}"
  else
    p=$(( rc == 0 ? 1 : 0 )); f=$(( rc == 0 ? 0 : 1 ))
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  pass=$((pass + p)); fail=$((fail + f))
}

finish() {
  if [ "$down" = 1 ]; then bash "$REPO/testbed/apache.sh" down --bed >/dev/null 2>&1 || true; fi
  echo "apache (Apache 2.4 prefork, mod_php, WordPress $FASTBEAT_WP):"
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
}

if ! bash "$REPO/testbed/apache.sh" up; then
  fail=$((fail + 1)); finish
fi
eval "$(bash "$REPO/testbed/apache.sh" env)"

# The request as Apache passed it: the evidence's key and no "rewritten" variable.
stage request-facts python3 "$HERE/request_facts.py"
# A fresh manifest and every child registered, so that what follows does not depend on
# earlier runs.
python3 "$REPO/tests/parity/lane_counts.py" --prime >/dev/null 2>&1
before="$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import fbclient as fb; print(fb.lane_counts()[0])' "$REPO/tests/parity")"
if [ "$ci" = 1 ]; then
  stage parity python3 "$REPO/tests/parity/parity.py" -q --variants core,fastbeat \
    -k '^nopriv/' -k '^nonce/valid' -k '^lock/' -k '^cookie/'
else
  stage parity python3 "$REPO/tests/parity/parity.py" -q
fi
stage deployed python3 "$REPO/tests/lane/deployed.py" --beats 8 \
  -k core-only -k keyed-received -k unreached-hooks
if [ "$ci" = 0 ]; then
  stage fallback python3 "$REPO/tests/parity/fallback.py"
fi
# The lane answered beats during the run (natively logged in and logged out): a run
# that only ever took the full path would say nothing about it.
# shellcheck disable=SC2317  # called through stage
lane_check() {
  python3 - "$REPO/tests/parity" "$before" "${FASTBEAT_APACHE_MIN_LANE:-20}" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import fbclient as fb
paths, workers = fb.lane_paths()
lane = paths["native"] + paths["nopriv"] - int(sys.argv[2])
print(f"lane counts over {workers} children: native {paths['native']}, nopriv {paths['nopriv']}, full {paths['full']}")
ok = lane >= int(sys.argv[3]) and paths["native"] > 0 and paths["nopriv"] > 0
print(f"fast lane check: {lane} beats answered by the lane during the run: "
      f"{'ok' if ok else 'FAILED (expected at least ' + sys.argv[3] + ', native and nopriv both)'}")
sys.exit(0 if ok else 1)
EOF
}
stage lane-count lane_check
# How native answers reach the database (MariaDB's own count of connections): one
# persistent connection per child, then, on a host with mysqli.allow_persistent = Off
# (the same instance restarted with it), one connection per beat over mysqli.
stage db-persistent python3 "$REPO/tests/lane/db_connections.py" --expect persistent --beats 40
if FASTBEAT_APACHE_MYSQLI_PERSISTENT=Off bash "$REPO/testbed/apache.sh" up >/dev/null; then
  python3 "$REPO/tests/parity/lane_counts.py" --prime >/dev/null 2>&1
  stage db-per-beat python3 "$REPO/tests/lane/db_connections.py" --expect per-beat --beats 40
else
  fail=$((fail + 1))
fi
if [ "$down" = 0 ]; then bash "$REPO/testbed/apache.sh" up >/dev/null || fail=$((fail + 1)); fi
finish
