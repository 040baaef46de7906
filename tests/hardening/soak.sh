#!/usr/bin/env bash
# Soak: wrk with 16 connections on each lane, loopback only. Per lane, after a warm-up:
#   - every response must be the expected one (status 200 and the lane's body shape;
#     wrk socket errors and timeouts count too): 0 unexpected;
#   - each php-fpm worker of the lane's pool grows by less than 2 MB RSS (/proc VmRSS,
#     after the warm-up vs after the run), and no worker is replaced;
#   - the pool's php-fpm log gains no crash line ("exited on signal", SIGSEGV, ...).
#
#   tests/hardening/soak.sh [--short] [--duration SECONDS] [--lanes full,fast,logged-out]
#                           [--connections N] [--threads N] [--max-growth-kb N]
#                           [--fixtures "NAME ..."]
#
# --fixtures: fixture plugins of tests/lane/fixtures installed for the run (as a site owner
# installs them; removed again on exit), so the lane is soaked deployed among plugins.
#
# Lanes (variant, who, extra headers):
#   full        fastbeat :18082, logged in, "X-Fastbeat-Lane: off" (the full WordPress path)
#   fast        fastbeat :18082, logged in, no veto (the fast lane once it exists; until
#               then the same path as full)
#   logged-out  fastbeat :18082, no cookie (wp_ajax_nopriv_heartbeat)
#   core, core-logged-out   the reference variant, for comparison figures
# Default: 300 s per lane (--short: 10 s, for CI). Needs the test bed (testbed/up.sh).
# Last line: "N passed, N failed" (three checks per lane).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../../testbed/env.sh
. "$repo/testbed/env.sh"

duration=300
warmup=10
lanes="full,fast,logged-out"
conns=16
threads=2
max_growth_kb=2048
fixtures=""
while [ $# -gt 0 ]; do
	case "$1" in
		--short) duration=10; warmup=3 ;;
		--duration) duration="$2"; shift ;;
		--lanes) lanes="$2"; shift ;;
		--connections) conns="$2"; shift ;;
		--threads) threads="$2"; shift ;;
		--max-growth-kb) max_growth_kb="$2"; shift ;;
		--fixtures) fixtures="$2"; shift ;;
		-h|--help) sed -n '2,22p' "$0"; exit 0 ;;
		*) echo "soak: unknown argument $1" >&2; echo "0 passed, 1 failed"; exit 2 ;;
	esac
	shift
done
command -v wrk >/dev/null || { echo "soak: wrk not installed (apt-get install wrk)"; echo "0 passed, 1 failed"; exit 1; }

work="$(mktemp -d /tmp/fastbeat-soak.XXXXXX)"
cleanup() {
	if [ -n "$fixtures" ]; then
		# shellcheck disable=SC2086 # a list of names
		python3 "$repo/tests/lane/fixture_set.py" uninstall $fixtures >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
if [ -n "$fixtures" ]; then
	# shellcheck disable=SC2086 # a list of names
	python3 "$repo/tests/lane/fixture_set.py" install $fixtures >/dev/null \
		|| { echo "soak: could not install fixtures: $fixtures"; echo "0 passed, 1 failed"; exit 1; }
	echo "soak: fixtures active: $fixtures"
fi

# A real session (logged in through core) and its nonces for this tick and the next two
# (a soak of all lanes runs 16 minutes and may cross a boundary: the logged-in lanes' wrk
# scripts send the nonce of the tick current when each request is made, so the beats stay
# the state-1 beats measured); logged out again at the end.
if ! python3 - "$work/session.json" <<'PY'
import json, sys, os, time
sys.path.insert(0, os.path.join(os.environ["FASTBEAT_REPO"], "tests", "hardening", "lib"))
import hb
from hb import fb
s = hb.login("admin")
now = time.time()
nonces = {str(fb.nonce_tick(now) + k): fb.mint_nonce("heartbeat-nonce", s.uid, s.token, k, now=now) for k in range(3)}
json.dump({"cookie": s.cookie_header(), "nonce": s.mint_nonce(), "nonces": nonces, "cookies": s.cookies,
           "login": s.login, "uid": s.uid, "hash": s.cookiehash}, open(sys.argv[1], "w"))
PY
then
	echo "soak: cannot log in on the test bed (is it up? testbed/up.sh)"; echo "0 passed, 1 failed"; exit 1
fi
logout() {
	python3 - "$work/session.json" <<'PY' >/dev/null 2>&1 || true
import json, sys, os
sys.path.insert(0, os.path.join(os.environ["FASTBEAT_REPO"], "tests", "hardening", "lib"))
import hb
from hb import fb
d = json.load(open(sys.argv[1]))
s = fb.Session(d["login"], d["uid"], d["cookies"], d["nonce"], d["hash"])
fb.logout(fb.env_port("core"), s)
PY
}
cookie="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cookie"])' "$work/session.json")"
nonce="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nonce"])' "$work/session.json")"
# Lua: the request for the tick current when it is made (rebuilt when the tick changes).
tick_bodies="$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(", ".join(f"[{t}] = \"{n}\"" for t, n in sorted(d["nonces"].items())))' "$work/session.json")"

# lane -> variant|who|extra header lines (Lua) |body substring every response must contain
lane_spec() {
	case "$1" in
		full) echo "fastbeat|in|wrk.headers[\"X-Fastbeat-Lane\"] = \"off\"|\"wp-auth-check\":true" ;;
		fast) echo "fastbeat|in||\"wp-auth-check\":true" ;;
		logged-out) echo "fastbeat|out||{\"wp-auth-check\":false,\"server_time\":" ;;
		core) echo "core|in||\"wp-auth-check\":true" ;;
		core-logged-out) echo "core|out||{\"wp-auth-check\":false,\"server_time\":" ;;
		*) return 1 ;;
	esac
}

# /proc: "pid rss_kb" for each worker of a variant's pool.
workers() {
	local master
	master="$(cat "$FASTBEAT_TESTBED_DIR/run/php-fpm-$1.pid" 2>/dev/null)" || return 0
	for p in $(ps -o pid= --ppid "$master"); do
		echo "$p $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)"
	done
}

crash_rx='exited on signal|SIGSEGV|SIGBUS|SIGABRT|core dumped|exited with code [1-9]|execution timed out|panicked'
passed=0
failed=0
declare -a table=()
IFS=',' read -r -a lane_list <<<"$lanes"
for lane in "${lane_list[@]}"; do
	spec="$(lane_spec "$lane")" || { echo "soak: unknown lane $lane"; failed=$((failed + 1)); continue; }
	IFS='|' read -r variant who extra expect <<<"$spec"
	port="$(fastbeat_port "$variant")"
	body="interval=60&_nonce=$nonce&action=heartbeat&screen_id=dashboard&has_focus=false"
	cookie_line="wrk.headers[\"Cookie\"] = \"$cookie\""
	per_tick="local nonces = { $tick_bodies }
local cur_tick, cur_req
function request()
  local t = math.ceil(os.time() / 43200)
  if t ~= cur_tick then
    cur_tick = t
    cur_req = wrk.format(nil, nil, nil, nonces[t] and string.gsub(wrk.body, \"_nonce=[^&]*\", \"_nonce=\" .. nonces[t]) or wrk.body)
  end
  return cur_req
end"
	if [ "$who" = out ]; then
		body="interval=60&action=heartbeat&screen_id=front&has_focus=false"
		cookie_line=""
		per_tick=""
	fi
	lua="$work/$lane.lua"
	cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Host"] = "$FASTBEAT_SITE_HOST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=UTF-8"
wrk.headers["X-Requested-With"] = "XMLHttpRequest"
wrk.headers["Accept"] = "application/json, text/javascript, */*; q=0.01"
$cookie_line
$extra
$per_tick
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; bad_status = 0; bad_body = 0; sample = "" end
function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
    if sample == "" then sample = status .. " " .. string.sub(body, 1, 160) end
  elseif not string.find(body, '$expect', 1, true) then
    bad_body = bad_body + 1
    if sample == "" then sample = status .. " " .. string.sub(body, 1, 160) end
  else
    ok = ok + 1
  end
end
function done(summary, latency, requests)
  local o, s, b, smp = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); s = s + t:get("bad_status"); b = b + t:get("bad_body")
    if smp == "" then smp = t:get("sample") end
  end
  local e = summary.errors
  io.write(string.format("SOAK ok=%d bad_status=%d bad_body=%d sock=%d timeout=%d requests=%d p50_ms=%.2f p99_ms=%.2f sample=%s\n",
    o, s, b, e.connect + e.read + e.write, e.timeout, summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, smp))
end
LUA
	url="http://127.0.0.1:$port/wp-admin/admin-ajax.php"
	# Warm-up (opcache, allocator arenas), then the baseline.
	wrk -t"$threads" -c"$conns" -d"${warmup}s" -s "$lua" "$url" >"$work/$lane.warmup" 2>&1
	before="$(workers "$variant")"
	log="$FASTBEAT_TESTBED_DIR/logs/php-fpm-$variant.log"
	log_off="$(stat -c %s "$log" 2>/dev/null || echo 0)"
	start=$(date +%s)
	wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 30s --latency -s "$lua" "$url" >"$work/$lane.out" 2>&1
	secs=$(( $(date +%s) - start ))
	after="$(workers "$variant")"
	res="$(grep '^SOAK ' "$work/$lane.out" | tail -1)"
	rps="$(awk '/^Requests\/sec:/ {print $2}' "$work/$lane.out")"
	get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$res"; }
	ok_n="$(get ok)"; bs="$(get bad_status)"; bb="$(get bad_body)"; sock="$(get sock)"; to="$(get timeout)"
	unexpected=$(( ${bs:-1} + ${bb:-1} + ${sock:-1} + ${to:-1} ))
	# Growth per worker present before and after.
	growth_report=""
	max_growth=0
	replaced=0
	while read -r pid rss; do
		[ -n "$pid" ] || continue
		rss2="$(awk -v p="$pid" '$1 == p {print $2}' <<<"$after")"
		if [ -z "$rss2" ]; then replaced=1; growth_report+="$pid:gone "; continue; fi
		g=$(( rss2 - rss ))
		[ $g -gt $max_growth ] && max_growth=$g
		growth_report+="$pid:${rss}->${rss2}kB "
	done <<<"$before"
	[ "$(wc -l <<<"$after")" -eq "$(wc -l <<<"$before")" ] || replaced=1
	crashes="$(tail -c +"$((log_off + 1))" "$log" 2>/dev/null | grep -Ec "$crash_rx")"

	c1=$([ "$unexpected" -eq 0 ] && [ "${ok_n:-0}" -gt 0 ] && echo ok || echo FAIL)
	c2=$([ "$max_growth" -lt "$max_growth_kb" ] && [ $replaced -eq 0 ] && echo ok || echo FAIL)
	c3=$([ "$crashes" -eq 0 ] && echo ok || echo FAIL)
	for c in "$c1" "$c2" "$c3"; do
		if [ "$c" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	done
	echo "soak $lane ($variant :$port, ${secs}s, ${conns} conns): ${ok_n:-0} expected responses, $unexpected unexpected" \
		"(status $bs, body $bb, socket $sock, timeout $to), ${rps:-?} req/s, p50 $(get p50_ms) ms, p99 $(get p99_ms) ms"
	echo "  [$c1] 0 unexpected   [$c2] RSS growth max ${max_growth} kB (< ${max_growth_kb}; $growth_report)   [$c3] fpm log crash lines: $crashes"
	[ "$c1" = ok ] || echo "  first unexpected: $(get sample)  (wrk: $(tr '\n' ' ' <"$work/$lane.out" | cut -c1-400))"
	table+=("| $lane | ${secs} | ${ok_n:-0} | $unexpected | ${rps:-?} | ${max_growth} | $crashes |")
done
logout

echo "| lane | seconds | expected responses | unexpected | req/s | max worker RSS growth (kB) | crash lines |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${table[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
