#!/usr/bin/env bash
# Fastbeat's main job, end to end: install what is missing, build the extension,
# stand up a real WordPress on 127.0.0.1 with Fastbeat active, and show beats being
# served by Fastbeat next to core, with a side-by-side cost figure. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cargo build --release --locked
php -n -d "extension=$PWD/target/release/libfastbeat.so" --ri fastbeat
bash testbed/up.sh
. testbed/env.sh

echo
echo "WordPress is up on 127.0.0.1 (same site and database behind every port):"
echo "  core (no extension):         http://127.0.0.1:$FASTBEAT_PORT_CORE/wp-admin/"
echo "  Fastbeat (extension+plugin): http://127.0.0.1:$FASTBEAT_PORT_FASTBEAT/wp-admin/"
echo "  logins: $FASTBEAT_ADMIN_USER / $FASTBEAT_ADMIN_PASSWORD, $FASTBEAT_EDITOR_USER / $FASTBEAT_EDITOR_PASSWORD, $FASTBEAT_SUBSCRIBER_USER / $FASTBEAT_SUBSCRIBER_PASSWORD"
echo "  (send 'Host: $FASTBEAT_SITE_HOST' when browsing another port, or use the core port)"
echo
echo "Who answers on each port:"
for v in core fastbeat; do
  printf '  %-9s ' "$v"
  curl -s -H "Host: $FASTBEAT_SITE_HOST" "http://127.0.0.1:$(fastbeat_port "$v")/__fastbeat-testbed/probe.php?wp=1"
  echo
done
echo
echo "One logged-in heartbeat to each (status line and body):"
python3 - <<'PY'
import json, os, sys
sys.path.insert(0, "tests/parity")
import fbclient
info = json.load(open(os.path.join(os.environ["FASTBEAT_TESTBED_DIR"], "testbed.json")))
s = fbclient.login(fbclient.env_port("core"), os.environ["FASTBEAT_ADMIN_USER"], os.environ["FASTBEAT_ADMIN_PASSWORD"], info["users"]["admin"], info["cookiehash"])
body = fbclient.form([("interval", "60"), ("_nonce", s.nonce), ("action", "heartbeat"), ("screen_id", "dashboard"), ("has_focus", "false")])
hdrs = [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"), ("X-Requested-With", "XMLHttpRequest"), ("Cookie", s.cookie_header())]
for v in ("core", "fastbeat"):
    r = fbclient.request(fbclient.env_port(v), "POST", "/wp-admin/admin-ajax.php", hdrs, body, host=os.environ["FASTBEAT_SITE_HOST"])
    print(f"  {v:<9} {r.status_line}  {r.text()}")
PY
echo
echo "Side by side, logged in (fastbeat-full = same port with the fast lane vetoed):"
python3 tools/beat_cost.py --beats "${FASTBEAT_DEMO_BEATS:-100}" --rounds 3 --variants core,fastbeat-full,fastbeat
echo
echo "Side by side, logged out:"
python3 tools/beat_cost.py --logged-out --beats "${FASTBEAT_DEMO_BEATS:-100}" --rounds 3 --variants core,fastbeat-full,fastbeat
echo
echo "Fast lane counters of the Fastbeat workers:"
python3 tests/parity/lane_counts.py --min 1
echo
echo "The test bed keeps running; stop it with: bash testbed/down.sh"
