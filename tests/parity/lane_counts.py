#!/usr/bin/env python3
"""Sums the fast lane counters of the fastbeat variant's php-fpm workers (through the
test bed probe, which each worker answers in turn) and checks the lane answered at least
--min beats. Used after the parity run to prove the lane was exercised, not skipped."""
import argparse
import glob
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fbclient as fb  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--min", type=int, default=1)
ap.add_argument("--prime", action="store_true", help="send full-path beats to register the lane, then exit")
args = ap.parse_args()

if args.prime:
    info = json.load(open(os.path.join(fb.env("FASTBEAT_TESTBED_DIR"), "testbed.json")))
    s = fb.login(fb.env_port("core"), fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"),
                 info["users"]["admin"], info["cookiehash"])
    body = fb.form([("interval", "60"), ("_nonce", s.nonce), ("action", "heartbeat"), ("screen_id", "dashboard")])
    hdrs = [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"), ("Cookie", s.cookie_header()),
            ("X-Fastbeat-Lane", "off")]
    # A manifest is written only once watched files settled (a few seconds after the test
    # bed wrote them): keep priming until one exists, for at most 20 s.
    manifests = os.path.join(fb.env("FASTBEAT_TESTBED_DIR"), "wp-content", "uploads", "fastbeat", "lane-*.json")
    deadline = time.monotonic() + 20
    workers = int(os.environ.get("FASTBEAT_LANE_WORKERS") or os.environ.get("FASTBEAT_FPM_WORKERS", "2"))
    while True:
        for _ in range(4 * workers):
            fb.request(fb.env_port("fastbeat"), "POST", fb.AJAX, hdrs, body)
        if glob.glob(manifests) or time.monotonic() > deadline:
            break
        time.sleep(1)
    # An existing manifest may still be stale (the test bed just rewrote a watched file):
    # keep going until beats without the veto are answered by the lane, for at most 20 s.
    lane_hdrs = [h for h in hdrs if h[0] != "X-Fastbeat-Lane"]
    while time.monotonic() < deadline + 20:
        before = fb.lane_counts()[0]
        for _ in range(2 * workers):
            fb.request(fb.env_port("fastbeat"), "POST", fb.AJAX, lane_hdrs, body)
        if fb.lane_counts()[0] - before >= workers:
            break
        for _ in range(2 * workers):
            fb.request(fb.env_port("fastbeat"), "POST", fb.AJAX, hdrs, body)
        time.sleep(1)
    sys.exit(0)
lane, full, workers, native = fb.lane_counts()
print(f"fast lane: {lane} beats answered by the lane ({native} of them natively while logged in), "
      f"{full} admin-ajax.php requests on the full path, over {workers} fastbeat workers")
ok = lane >= args.min
print(f"fast lane check: {'ok' if ok else f'FAILED (expected at least {args.min})'}")
sys.exit(0 if ok else 1)
