#!/usr/bin/env bash
# The fast lane on the test bed variants (testbed/env.sh FASTBEAT_VARIANT): a slice of the
# suites on each, for one WordPress/PHP combination (default 7.1 on PHP 8.2), then each
# variant's test bed is stopped again (unless FASTBEAT_KEEP_TESTBED=1):
#
#   proxy      tests/lane/variants.py (and --self-test), deployed.py -k core-only
#              -k keyed-received -k unreached-hooks, parity.py through the
#              X-Forwarded-Proto front and through the CF-Visitor front
#   redis      variants.py, the same deployed.py slice, parity.py (less one case, below),
#              fallback.py
#   multisite  variants.py, the deployed.py slice and parity.py on the main site and on
#              /site2/ (FASTBEAT_SITE_PATH)
#
# Every parity run also prints which path answered its beats (lane_counts.py --since) and
# requires the lane to have answered some. FASTBEAT_VARIANTS_ONLY="redis proxy" runs a
# subset. Last line "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
export FASTBEAT_WP="${FASTBEAT_WP:-7.1}" FASTBEAT_PHP="${FASTBEAT_PHP:-8.2}" PYTHONDONTWRITEBYTECODE=1
# A shell that sourced testbed/env.sh for another test bed passes its values on.
unset FASTBEAT_SITE_PATH FASTBEAT_PROXY_FRONT

pass=0 fail=0 rc=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# step <label> <command...>: runs it (in the variant's environment), adds its closing
# "N passed, N failed" (or 1 passed / 1 failed by its exit status).
step() {
  local label="$1" out="$tmp/out" c line p f
  shift
  echo "--- variants: $label: $*"
  "$@" 2>&1 | tee "$out"
  c=${PIPESTATUS[0]}
  line="$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)"
  if [ -n "$line" ]; then
    p="${line%% passed*}"; f="${line#*, }"; f="${f%% failed}"
  else
    p=$(( c == 0 ? 1 : 0 )); f=$(( c == 0 ? 0 : 1 ))
  fi
  if [ "$c" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  pass=$((pass + p)); fail=$((fail + f))
  [ "$c" -eq 0 ] || rc=1
  echo "--- variants: $label: $p passed, $f failed"
}

# parity <label> [parity.py args...]: the parity suite, and which path answered its beats.
parity() {
  local label="$1"
  shift
  python3 "$REPO/tests/parity/lane_counts.py" --snapshot "$tmp/snap.json" >/dev/null
  step "$label" python3 "$REPO/tests/parity/parity.py" -q "$@"
  step "$label: the lane answered beats" python3 "$REPO/tests/parity/lane_counts.py" --since "$tmp/snap.json" --min 5
}

DEPLOYED=(-k core-only -k keyed-received -k unreached-hooks)

for variant in ${FASTBEAT_VARIANTS_ONLY:-proxy redis multisite}; do
  t0=$(date +%s)
  export FASTBEAT_VARIANT="$variant"
  # shellcheck source=testbed/env.sh
  . "$REPO/testbed/env.sh" || { fail=$((fail + 1)); rc=1; continue; }
  if ! "$REPO/testbed/up.sh" >"$tmp/up.log" 2>&1; then
    tail -20 "$tmp/up.log"
    echo "--- variants: $variant: testbed/up.sh failed: 0 passed, 1 failed"
    fail=$((fail + 1)); rc=1
    continue
  fi
  grep -E '^testbed: (front|up:|[a-z]+: every pool)' "$tmp/up.log"
  python3 "$REPO/tests/parity/lane_counts.py" --prime >/dev/null
  step "$variant: checks" python3 "$HERE/variants.py"
  case "$variant" in
    proxy)
      step "$variant: self-test" python3 "$HERE/variants.py" --self-test
      step "$variant: deployed slice (X-Forwarded-Proto front)" python3 "$HERE/deployed.py" "${DEPLOYED[@]}"
      parity "$variant: parity (X-Forwarded-Proto front)"
      FASTBEAT_PROXY_FRONT=cf parity "$variant: parity (CF-Visitor front)"
      ;;
    redis)
      step "$variant: deployed slice" python3 "$HERE/deployed.py" "${DEPLOYED[@]}"
      # fixture/all-hook-prev-tick lists the hooks a beat fired, `query` included: whether
      # the post it asks about was in the shared object cache yet (the first of the pair to
      # run after the cache was emptied fills it) shows there, whoever answers.
      parity "$variant: parity" -x '^fixture/all-hook-prev-tick$'
      step "$variant: fall-back" python3 "$REPO/tests/parity/fallback.py"
      ;;
    multisite)
      for site in / ${FASTBEAT_MS_SITES-/site2/}; do
        FASTBEAT_SITE_PATH="$site" step "$variant $site: deployed slice" python3 "$HERE/deployed.py" "${DEPLOYED[@]}"
        FASTBEAT_SITE_PATH="$site" parity "$variant $site: parity"
      done
      ;;
  esac
  if [ "${FASTBEAT_KEEP_TESTBED:-0}" != 1 ]; then
    "$REPO/testbed/down.sh" >/dev/null 2>&1 || { echo "--- variants: $variant: testbed/down.sh failed"; fail=$((fail + 1)); rc=1; }
  fi
  echo "--- variants: $variant: $(( $(date +%s) - t0 )) s"
done
echo "$pass passed, $fail failed"
exit "$rc"
