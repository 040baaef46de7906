#!/usr/bin/env python3
"""Faults on the real test bed: each must give exactly core's observable result (status
line, every header in order, body; only Date and clock values may differ, as in the
parity suite), and the php-fpm workers must keep serving afterwards.

For every fault the same request goes to core (:18081, the reference) and to each lane;
then a few normal beats go to every lane and must be answered normally, the lanes'
php-fpm worker pids must be unchanged (no worker died and was respawned) and the php-fpm
logs must show no crash ("exited on signal", SIGSEGV, ...).

Faults: a callback that throws, exits, calls wp_die(), raises E_USER_ERROR, exhausts
memory_limit or passes max_execution_time (fixtures throw, exit-early, fault-fatal), at
several hooks, logged in and out; the database closed, killed, down (reconnect fails:
dead_db()) or slow, before the handler and mid-beat (fixture fault-db). Then the pieces
alone: the extension without the plugin (ext-only) and the plugin without the extension
(plugin-only) must answer exactly as core for ordinary beats.

Usage (tests/hardening/run.sh sources testbed/env.sh):
  faults.py [--lanes full,fast] [-k REGEX] [-v] [--list]
Last line: "N passed, N failed".
"""

import argparse
import concurrent.futures
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import hb  # noqa: E402
from hb import fb  # noqa: E402

EMPTY = r"^$"
DB_DEAD = r"^<h1>Error reconnecting to the database</h1>"

# (name, fixture, mode, who, nonce, data, status, body regex)
FAULTS = [
    ("throw/heartbeat_received", "throw", "received", "admin", "valid", {"k": "v"}, 500, hb.CRITICAL),
    ("throw/heartbeat_send", "throw", "send", "admin", "valid", None, 500, hb.CRITICAL),
    ("throw/heartbeat_tick", "throw", "tick", "admin", "valid", None, 500, hb.CRITICAL),
    ("throw/wp_refresh_nonces", "throw", "refresh", "admin", "prev", None, 500, hb.CRITICAL),
    ("throw/heartbeat_nopriv_send", "throw", "nopriv-send", None, None, None, 500, hb.CRITICAL),
    ("throw/Error-in-send", "throw", "error", "admin", "valid", None, 500, hb.CRITICAL),
    ("exit/heartbeat_send", "exit-early", "exit@send", "admin", "valid", None, 200, EMPTY),
    ("exit/string-in-received", "exit-early", "exit-string@received", "admin", "valid", {"k": "v"}, 200,
     r"^fixture exit$"),
    ("exit/echo-then-exit", "exit-early", "echo-exit@send", "admin", "valid", None, 200, r"^partial output;$"),
    ("exit/wp_die-403-in-received", "exit-early", "wp-die-403@received", "admin", "valid", {"k": "v"}, 403,
     r"^fixture forbidden$"),
    ("exit/nopriv-tick", "exit-early", "exit-string@nopriv-tick", None, None, None, 200, r"^fixture exit$"),
    ("fatal/E_USER_ERROR-before-handler", "fault-fatal", "user-error@pre", "admin", "valid", None, 500, hb.CRITICAL),
    ("fatal/E_USER_ERROR-heartbeat_received", "fault-fatal", "user-error@received", "admin", "valid", {"k": "v"}, 500,
     hb.CRITICAL),
    ("fatal/E_USER_ERROR-heartbeat_send", "fault-fatal", "user-error@send", "admin", "valid", None, 500, hb.CRITICAL),
    ("fatal/E_USER_ERROR-heartbeat_tick", "fault-fatal", "user-error@tick", "admin", "valid", None, 500, hb.CRITICAL),
    ("fatal/E_USER_ERROR-wp_refresh_nonces", "fault-fatal", "user-error@refresh", "admin", "invalid", None, 500,
     hb.CRITICAL),
    ("fatal/E_USER_ERROR-nopriv_send", "fault-fatal", "user-error@nopriv-send", None, None, None, 500, hb.CRITICAL),
    ("fatal/memory_limit-heartbeat_send", "fault-fatal", "memory@send", "admin", "valid", None, 500, hb.CRITICAL),
    ("fatal/memory_limit-heartbeat_received", "fault-fatal", "memory@received", "admin", "valid", {"k": "v"}, 500,
     hb.CRITICAL),
    ("fatal/memory_limit-nopriv_received", "fault-fatal", "memory@nopriv-received", None, None, {"k": "v"}, 500,
     hb.CRITICAL),
    ("fatal/max_execution_time-heartbeat_send", "fault-fatal", "timeout@send", "admin", "valid", None, 500,
     hb.CRITICAL),
    ("fatal/max_execution_time-wp_refresh_nonces", "fault-fatal", "timeout@refresh", "admin", "prev", None, 500,
     hb.CRITICAL),
    ("db/closed-mid-beat", "fault-db", "close@received", "admin", "valid", {"k": "v"}, 200, r'"fx_db":"answered"'),
    ("db/connection-killed-mid-beat", "fault-db", "kill@received", "admin", "valid", {"k": "v"}, 200,
     r'"fx_db":"answered"'),
    ("db/down-before-handler", "fault-db", "down@pre", "admin", "valid", None, 200, DB_DEAD),
    ("db/down-mid-beat", "fault-db", "down@received", "admin", "valid", {"k": "v"}, 200, DB_DEAD),
    ("db/down-in-refresh", "fault-db", "down@refresh", "admin", "prev", None, 200, DB_DEAD),
    ("db/down-logged-out", "fault-db", "down@nopriv-send", None, None, None, 200, DB_DEAD),
    ("db/slow-before-handler", "fault-db", "slow@pre", "admin", "valid", None, 200, r'"fx_db":"answered"'),
    ("db/slow-mid-beat", "fault-db", "slow@send", "admin", "valid", None, 200, r'"fx_db":"answered"'),
]

# Ordinary beats for the pieces alone (ext-only, plugin-only) against core.
PIECES = [
    ("valid nonce", "admin", "valid", None, 200, hb.OK_TRUE),
    ("previous-tick nonce", "admin", "prev", None, 200, r'"heartbeat_nonce":"[0-9a-f]{10}"'),
    ("invalid nonce", "admin", "invalid", None, 200, hb.EXPIRED),
    ("no nonce", "admin", "missing", None, 200, r'^\{"success":false\}'),
    ("post-screen data, refreshed nonces", "admin", "prev", {"wp-refresh-post-nonces": {"post_id": "POST"}}, 200,
     r'"wp-refresh-post-nonces":\{"replace":'),
    ("logged out", None, None, {"foo": "bar"}, 200, hb.OK_FALSE),
]


def nonce_for(sess, kind):
    if kind is None or sess is None:
        return None
    return {"valid": lambda: sess.mint_nonce(), "prev": lambda: sess.mint_nonce(tick_offset=-1),
            "invalid": lambda: "0123abcdef", "missing": lambda: None}[kind]()


def check(resp, status, rx):
    problems = []
    if resp.status != status:
        problems.append(f"status {resp.status_line} (expected {status})")
    if not re.search(rx, resp.body.decode("utf-8", "replace"), re.S):
        problems.append(f"body does not match /{rx}/: {resp.body[:200]!r}")
    return problems


def normal_beats(lanes, sess, n=3):
    """n normal logged-in beats per lane (the pool has 2 workers): all must be served. Each
    beat is minted and sent in one nonce tick (sent again if a boundary passed: a beat
    answered as state 2 after one is normal too, but not the answer checked here)."""
    problems = []
    for lane in lanes:
        for _ in range(n):
            r = fb.tick_stable(lambda: hb.send(lane, hb.beat_headers(sess.cookie_header()),
                                               hb.beat_body(sess.mint_nonce())), lives=hb.LIVES)
            problems += [f"after: {lane}: {p}" for p in check(r, 200, hb.OK_TRUE)]
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lanes", default=os.environ.get("FASTBEAT_HARDENING_LANES", "full,fast"),
                    help="lanes compared with core for the faults (default full,fast)")
    ap.add_argument("-k", "--filter", action="append", default=[], help="only cases matching this regex")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    lanes = [x for x in hb.parse_lanes(args.lanes) if x != "core"]
    variants = sorted({hb.LANES[x][0] for x in lanes} | {"core", "ext-only", "plugin-only"})

    faults = [f for f in FAULTS if not args.filter or any(re.search(p, f[0]) for p in args.filter)]
    pieces = [p for p in PIECES if not args.filter or any(re.search(x, "pieces/" + p[0]) for x in args.filter)]
    if args.list:
        for f in faults:
            print(f[0])
        for p in pieces:
            print("pieces/" + p[0])
        return 0

    sess = hb.login("admin")
    pids = {v: hb.fpm_workers(v) for v in variants}
    print(f"faults: {len(faults)} faults, core vs {', '.join(lanes)}; workers: "
          + ", ".join(f"{v} {sorted(p)}" for v, p in pids.items()))
    passed = failed = 0
    started = time.time()

    def run_fault(name, fixture, mode, who, nonce, data, status, rx, pids, watch):
        s = sess if who else None
        headers = hb.beat_headers(s.cookie_header() if s else None, [fixture], mode)
        body = hb.beat_body(nonce_for(s, nonce), data, screen="dashboard" if s else "front")
        t0 = time.time()
        problems = []
        # Core and every lane at once, so slow faults end within the clock tolerance.
        with concurrent.futures.ThreadPoolExecutor(len(lanes) + 1) as pool:
            futures = {lane: pool.submit(hb.send, lane, headers, body) for lane in ["core"] + lanes}
            got = {lane: f.result() for lane, f in futures.items()}
        ref = got["core"]
        problems += [f"core: {p}" for p in check(ref, status, rx)]
        rows_by_lane = {}
        for lane in lanes:
            r = got[lane]
            same, rows = hb.compare(ref, r)
            rows_by_lane[lane] = rows
            if not same:
                problems.append(f"{lane} differs from core")
            problems += [f"{lane}: {p}" for p in check(r, status, rx)]
        problems += normal_beats(lanes, sess)
        now_pids = {v: hb.fpm_workers(v) for v in variants}
        for v in variants:
            if sorted(now_pids[v]) != sorted(pids[v]):
                problems.append(f"{v} workers changed: {sorted(pids[v])} -> {sorted(now_pids[v])}")
        problems += [f"fpm log {f}: {line}" for f, line in watch.new_crashes()]
        return problems, ref, rows_by_lane, time.time() - t0

    for name, fixture, mode, who, nonce, data, status, rx in faults:
        for attempt in range(3):
            masters = {v: hb.fpm_master(v) for v in variants}
            pids = {v: hb.fpm_workers(v) for v in variants}
            watch = hb.LogWatch(variants)
            problems, ref, rows_by_lane, secs = run_fault(name, fixture, mode, who, nonce, data, status, rx,
                                                          pids, watch)
            restarted = [v for v in variants if hb.fpm_master(v) != masters[v]]
            if not restarted:
                break
            # Someone ran testbed/up.sh (a rebuilt extension restarts the pools): not a crash.
            print(f"  ...  {name}: php-fpm {', '.join(restarted)} restarted by the test bed meanwhile; again")
            time.sleep(3)
        ok = not problems
        passed += ok
        failed += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {name:<46} {ref.status_line[9:]:<26} "
              f"{ref.body[:44].decode('utf-8', 'replace')!r:<50} {secs:4.1f} s")
        for p in problems:
            print(f"       !! {p}")
        if (not ok or args.verbose) and rows_by_lane:
            hb.print_table(["core"] + lanes, rows_by_lane, args.verbose)

    # The pieces alone: core must answer, byte for byte.
    probes = {}
    for v in ("ext-only", "plugin-only"):
        r = fb.request(fb.env_port(v), "GET", "/__fastbeat-testbed/probe.php?wp=1")
        try:
            probes[v] = r.json()
        except ValueError:
            probes[v] = {}
    expect_probe = {"ext-only": (True, False), "plugin-only": (False, True)}
    for v, (ext, plugin) in expect_probe.items():
        got = (bool(probes[v].get("extension_loaded")), bool(probes[v].get("plugin_active")))
        ok = got == (ext, plugin)
        passed += ok
        failed += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} pieces/{v}: extension loaded {got[0]}, plugin active {got[1]}")
    post_id = str(hb.testbed()["posts"]["lock-free"])
    def run_piece(who, nonce, data, status, rx):
        s = sess if who else None
        if data and "wp-refresh-post-nonces" in data:
            data = {"wp-refresh-post-nonces": {"post_id": post_id}}
        headers = hb.beat_headers(s.cookie_header() if s else None)
        body = hb.beat_body(nonce_for(s, nonce), data, screen="post" if data and who else "dashboard")
        problems = []
        ref = hb.send("core", headers, body)
        problems += [f"core: {p}" for p in check(ref, status, rx)]
        rows_by_lane = {}
        for lane in ("ext-only", "plugin-only"):
            r = hb.send(lane, headers, body)
            same, rows_by_lane[lane] = hb.compare(ref, r)
            if not same:
                problems.append(f"{lane} differs from core")
        return problems, ref, rows_by_lane

    for label, who, nonce, data, status, rx in pieces:
        # The nonce is minted, and core and both pieces answer, in one tick (again if not).
        problems, ref, rows_by_lane = fb.tick_stable(lambda: run_piece(who, nonce, data, status, rx),
                                                     lives=hb.LIVES)
        ok = not problems
        passed += ok
        failed += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} pieces/{label:<40} {ref.status_line[9:]:<26} "
              f"{ref.body[:44].decode('utf-8', 'replace')!r}")
        for p in problems:
            print(f"       !! {p}")
        if not ok or args.verbose:
            hb.print_table(["core", "ext-only", "plugin-only"], rows_by_lane, args.verbose)

    try:
        fb.logout(fb.env_port("core"), sess)
    except Exception as e:  # never mask the result
        print(f"faults: logout failed: {e!r}")
    print(f"faults: {time.time() - started:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
