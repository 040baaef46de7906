#!/usr/bin/env bash
# The plugin's admin screens in a real browser (headless Chromium) on the test bed:
# Tools → Fastbeat, the Plugins row and Site Health, with the figures the owner's view
# shows checked against what the PHP workers counted. Screenshots go to docs/
# (FASTBEAT_UI_SHOTS to put them elsewhere). Installs Debian's chromium and, with npm,
# playwright-core (tests/ui/package-lock.json) when missing. Last line: "N passed, N failed".
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=testbed/env.sh
. "$REPO/testbed/env.sh"
export FASTBEAT_ADMIN_USER FASTBEAT_ADMIN_PASSWORD
fail() { echo "ui: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

if ! command -v chromium >/dev/null || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  policy=/usr/sbin/policy-rc.d; had=0; [ -e "$policy" ] && had=1
  [ "$had" -eq 1 ] || { printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium nodejs npm >/tmp/fastbeat-ui-apt.log 2>&1 \
    || { [ "$had" -eq 1 ] || rm -f "$policy"; tail -20 /tmp/fastbeat-ui-apt.log >&2; fail "could not install chromium/node"; }
  [ "$had" -eq 1 ] || rm -f "$policy"
fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"
fi
[ "${FASTBEAT_UI_NO_UP:-0}" = 1 ] || "$REPO/testbed/up.sh" >/dev/null || fail "testbed/up.sh failed"
shots="${FASTBEAT_UI_SHOTS:-$REPO/docs}"
mkdir -p "$shots"

# Fresh counts: reload the fastbeat pool's workers (their tallies start at zero) and
# remove the site's tally file, then send beats of every shape.
uploads="$FASTBEAT_TESTBED_DIR/wp-content/uploads/fastbeat"
rm -f "$uploads"/tally-*.json
kill -USR2 "$(cat "$FASTBEAT_TESTBED_DIR/run/php-fpm-fastbeat.pid")" 2>/dev/null || fail "no fastbeat php-fpm"
sleep 2
expected="$(cd "$REPO" && python3 - <<'PY'
import json, sys, time
sys.path.insert(0, "tests/lane"); sys.path.insert(0, "tests/parity")
sys.argv = ["x"]
import deployed as d, fbclient as fb
b = d.Beats()
for shape in ["nodata"] * 8 + ["postlock"] * 6 + ["nopriv"] * 6:
    if shape == "nopriv":
        d.vouch(b)
    b.one(shape)
# Reading each worker's status writes its pending counts to the file.
paths, workers = fb.lane_paths()
print(json.dumps({"paths": [paths["native"], paths["nopriv"], paths["full"]], "workers": workers}))
PY
)" || fail "sending beats failed"
echo "ui: the workers counted $expected"
tally="$(ls "$uploads"/tally-*.json 2>/dev/null | head -1)"
[ -n "$tally" ] || fail "no tally file in $uploads"
node "$HERE/owner-view.mjs" "$FASTBEAT_SITE_URL" "$FASTBEAT_PORT_FASTBEAT" "$tally" "$expected" "$shots"
