#!/usr/bin/env python3
"""Sums the fast lane counters of the fastbeat variant's php-fpm workers (through the
test bed probe, which each worker answers in turn) and checks the lane answered at least
--min beats. Used after the parity run to prove the lane was exercised, not skipped.

  --snapshot FILE   write the counts (paths and reasons) to FILE, then exit
  --since FILE      print which path answered the beats since that snapshot (the full
                    path less the beats vetoed on purpose, e.g. parity's fastbeat-full),
                    and check the lane answered at least --min of them"""
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
ap.add_argument("--snapshot", metavar="FILE", help="write the workers' counts to FILE, then exit")
ap.add_argument("--since", metavar="FILE", help="the beats since --snapshot FILE, by path")
args = ap.parse_args()

if args.snapshot:
    with open(args.snapshot, "w") as f:
        json.dump({"paths": fb.lane_paths()[0], "reasons": fb.lane_reasons()}, f)
    sys.exit(0)

if args.since:
    with open(args.since) as f:
        then = json.load(f)
    now_paths, now_reasons = fb.lane_paths()[0], fb.lane_reasons()
    d = {k: now_paths[k] - then["paths"].get(k, 0) for k in now_paths}
    vetoed = now_reasons.get("vetoed", 0) - then["reasons"].get("vetoed", 0)
    full = d["full"] - vetoed
    total = d["native"] + d["nopriv"] + full
    share = (lambda n: f"{100 * n / total:.0f} %") if total else (lambda n: "-")
    print(f"paths since the snapshot: {total} beats (less {vetoed} vetoed on purpose): lane logged in "
          f"{d['native']} ({share(d['native'])}), lane logged out {d['nopriv']} ({share(d['nopriv'])}), "
          f"full path {full} ({share(full)})")
    why = {k: n - then["reasons"].get(k, 0) for k, n in now_reasons.items() if k != "vetoed"}
    why = sorted(((n, k) for k, n in why.items() if n > 0), reverse=True)
    print("full path, why: " + (", ".join(f"{k} {n}" for n, k in why) or "-"))
    ok = d["native"] + d["nopriv"] >= args.min
    print(f"fast lane check: {'ok' if ok else f'FAILED (expected at least {args.min})'}")
    sys.exit(0 if ok else 1)

if args.prime:
    info = fb.info()
    s = fb.login(fb.env_port("core"), fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"),
                 info["users"]["admin"], info["cookiehash"])
    body = fb.form([("interval", "60"), ("_nonce", s.nonce), ("action", "heartbeat"), ("screen_id", "dashboard")])
    hdrs = [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"), ("Cookie", s.cookie_header()),
            ("X-Fastbeat-Lane", "off")]
    # A manifest is written only once watched files settled (a few seconds after the test
    # bed wrote them): keep priming until one exists, for at most 20 s.
    manifests = fb.manifest_glob()
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
