#!/usr/bin/env bash
# Fastbeat parity suite: every case is sent to two test bed variants (default: core
# and fastbeat) and must come back identical (status line, headers incl. order, body;
# only Date and clock-derived values may differ, each within its own request's send
# window +-1 s).
#
#   tests/parity/run.sh                              # core vs fastbeat
#   tests/parity/run.sh --variants core,plugin-only  # any pair (first = reference)
#   tests/parity/run.sh --variants core,fastbeat,plugin-only,ext-only
#   tests/parity/run.sh -k '^nonce/' -k fixture/echo -q
#   tests/parity/run.sh --list | --self-test | --report out.json
#
# Starts (or refreshes) the test bed first unless FASTBEAT_PARITY_NO_UP=1.
# A default run (no arguments) also checks that the lane answered beats and runs
# fallback.py and tests/lane/deployed.py (FASTBEAT_PARITY_DEPLOYED=0: not the latter), and
# tests/lane/db_connections.py (not with FASTBEAT_VARIANT=redis).
# FASTBEAT_WP / FASTBEAT_PHP choose the test bed (testbed/env.sh).
# Last line: "N passed, N failed"; exit status non-zero on any failure.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=testbed/env.sh
. "$REPO/testbed/env.sh"

if [ "${FASTBEAT_PARITY_NO_UP:-0}" != 1 ]; then
  case " $* " in
    *" --list "*) ;;
    *) "$REPO/testbed/up.sh" >&2 ;;
  esac
fi
export PYTHONDONTWRITEBYTECODE=1
out="$(mktemp)"; trap 'rm -f "$out"' EXIT
# Prime the fast lane: a few full-path beats register it in every fastbeat worker and
# write a fresh manifest, so whether the lane answers does not depend on earlier runs.
if [ "$#" -eq 0 ]; then python3 "$HERE/lane_counts.py" --prime >/dev/null; fi
set +e
python3 "$HERE/parity.py" "$@" | tee "$out"
rc=${PIPESTATUS[0]}
line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)"
pass="$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${line:-0 passed, 1 failed}")"
fail="$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"${line:-0 passed, 1 failed}")"
# The fall-back through the manifest (stale or missing manifest, native answers
# declining, database down, ...): tests/parity/fallback.py; and the lane as deployed,
# every fixture plugin in every beat shape: tests/lane/deployed.py.
if [ "$#" -eq 0 ]; then
  scripts=("$HERE/fallback.py")
  [ "${FASTBEAT_PARITY_DEPLOYED:-1}" = 0 ] || scripts+=("$REPO/tests/lane/deployed.py")
  # How native answers reach the database: one persistent connection per worker (with a
  # persistent object cache they answer part-way through the boot, through wpdb instead).
  [ "${FASTBEAT_VARIANT:-}" = redis ] || scripts+=("$REPO/tests/lane/db_connections.py --expect persistent")
  for script in "${scripts[@]}"; do
    fout="$(mktemp)"
    # shellcheck disable=SC2086  # a script and its arguments
    python3 $script | tee "$fout"
    frc=${PIPESTATUS[0]}
    fline="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$fout" | tail -1)"
    rm -f "$fout"
    pass=$((pass + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${fline:-0 passed, 1 failed}")))
    fail=$((fail + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"${fline:-0 passed, 1 failed}")))
    if [ "$frc" -ne 0 ]; then rc=1; fi
  done
fi
# A full default run must also prove the fast lane answered beats: a suite that only
# ever took the full path would say nothing about the lane.
# Without the deployed suite the lane answers only the parity cases without fixtures and
# the fall-back's own lane cases (44 on 7.1 / PHP 8.4, against 320 with it): a lower floor.
if [ "${FASTBEAT_PARITY_DEPLOYED:-1}" = 0 ]; then min_lane_default=25; else min_lane_default=50; fi
if [ "$#" -eq 0 ]; then
  if python3 "$HERE/lane_counts.py" --min "${FASTBEAT_PARITY_MIN_LANE:-$min_lane_default}"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); rc=1
  fi
fi
echo "parity cases, the fast lane check and the fall-back:"
echo "$pass passed, $fail failed"
exit "$rc"
