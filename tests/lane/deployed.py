#!/usr/bin/env python3
"""The fast lane as deployed: every fixture in tests/lane/fixtures is installed into the
real test bed site the way a site owner installs code (a must-use plugin file, a plugin
activated through WordPress, a child theme switched to, a maintenance file), then each
beat shape the lane can take is sent several times to Fastbeat (:18082) and to core
(:18081). No request carries a veto, mode or fixture header: the manifest that decides
is the one real full-path beats of that shape wrote.

For every beat it checks two things: the bytes are core's (status, headers in order,
body), and which path answered it (native logged in, native logged out, full), read from
the Fastbeat workers' tallies before and after. Each fixture's header says, per shape,
whether the lane must answer it (`lane`: at least one of the later beats) or must never
(`full`). A fixture that keeps a shape off the lane fails the suite if the lane answers
it; a core-only one fails it if the lane never does.

  tests/lane/deployed.py [-k NAME ...] [--beats N] [--json FILE] [--old-api]

Ends with "N passed, N failed"; exit status 1 on any failure.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "parity"))
import fbclient as fb  # noqa: E402
from parity import compare  # noqa: E402

SHAPES = ("nodata", "postlock", "nopriv", "nopriv-data")
TB = fb.env("FASTBEAT_TESTBED_DIR")
CONTENT = os.path.join(TB, "wp-content")
WP_DIR = fb.env("FASTBEAT_WP_DIR")
FAST, CORE = fb.env_port("fastbeat"), fb.env_port("core")
# The fastbeat variant's PHP workers, each with its own memory (php-fpm pool; Apache
# prefork children: testbed/apache.sh env sets FASTBEAT_LANE_WORKERS).
WORKERS = int(os.environ.get("FASTBEAT_LANE_WORKERS") or os.environ.get("FASTBEAT_FPM_WORKERS", "2"))
# Which of the lane's answers a shape gets: logged-in beats natively (lane/native.php),
# logged-out ones from the manifest (lane/nopriv.php).
LANE_KIND = {"nodata": "native", "postlock": "native", "nopriv": "nopriv", "nopriv-data": "nopriv"}
# A manifest is recorded only once watched files are older than 1 s + opcache's
# revalidate_freq (2 on the test bed); plus margin.
SETTLE = 4.5


def info():
    return fb.info()


def parse_fixture(path):
    text = open(path).read()
    head = {}
    for key in ("Install", "Expect", "Hole", "Rows", "Reason"):
        m = re.search(r"^\s*\*\s*" + key + r":\s*(.+)$", text, re.M)
        head[key.lower()] = m.group(1).strip() if m else ""
    expect = {}
    for pair in head["expect"].split():
        if "=" in pair:
            k, v = pair.split("=", 1)
            expect[k] = v
    return {"name": os.path.basename(path)[:-4], "path": path, "install": head["install"],
            "expect": expect, "hole": head["hole"] == "yes", "mode": head["expect"],
            "rows": head["rows"] == "compare",
            "reason": dict(p.split("=", 1) for p in head["reason"].split() if "=" in p)}


def fixtures():
    out = [{"name": "core-only", "path": None, "install": "none",
            "expect": {s: "lane" for s in SHAPES}, "hole": False, "mode": "", "rows": True}]
    for p in sorted(glob.glob(os.path.join(HERE, "fixtures", "*.php"))):
        out.append(parse_fixture(p))
    now = int(time.time())
    out.append({"name": "maintenance-fresh", "path": None, "install": "maintenance",
                "body": f"<?php $upgrading = {now + 3600}; ?>",
                "expect": {s: "full" for s in SHAPES}, "hole": True, "mode": ""})
    out.append({"name": "maintenance-stale", "path": None, "install": "maintenance",
                "body": f"<?php $upgrading = {now - 3600}; ?>",
                "expect": {s: "lane" for s in SHAPES}, "hole": False, "mode": ""})
    return out


def site_task(*args):
    env = dict(os.environ)
    # On a multisite network the site under test (FASTBEAT_SITE_PATH) is the one changed.
    r = subprocess.run(["php", os.path.join(HERE, "site-task.php"), *args], env=env,
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or "ok" not in r.stdout:
        raise RuntimeError(f"site-task {args}: {r.stdout} {r.stderr}")


def install(fx):
    kind = fx["install"]
    if kind == "mu-plugin":
        shutil.copy(fx["path"], os.path.join(CONTENT, "mu-plugins", f"fx-{fx['name']}.php"))
    elif kind == "plugin":
        d = os.path.join(CONTENT, "plugins", f"fx-{fx['name']}")
        os.makedirs(d, exist_ok=True)
        shutil.copy(fx["path"], os.path.join(d, f"fx-{fx['name']}.php"))
        site_task("activate", f"fx-{fx['name']}/fx-{fx['name']}.php")
    elif kind == "theme":
        d = os.path.join(CONTENT, "themes", "fastbeat-fixture")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "style.css"), "w") as f:
            f.write("/*\nTheme Name: Fastbeat fixture\nTemplate: twentytwentythree\n*/\n")
        shutil.copy(fx["path"], os.path.join(d, "functions.php"))
        site_task("switch-theme", "fastbeat-fixture")
    elif kind == "maintenance":
        with open(os.path.join(WP_DIR, ".maintenance"), "w") as f:
            f.write(fx["body"])


def uninstall(fx):
    kind = fx["install"]
    if kind == "mu-plugin":
        os.unlink(os.path.join(CONTENT, "mu-plugins", f"fx-{fx['name']}.php"))
    elif kind == "plugin":
        site_task("deactivate", f"fx-{fx['name']}/fx-{fx['name']}.php")
        shutil.rmtree(os.path.join(CONTENT, "plugins", f"fx-{fx['name']}"), ignore_errors=True)
    elif kind == "theme":
        site_task("switch-theme", info()["stylesheet"])
        shutil.rmtree(os.path.join(CONTENT, "themes", "fastbeat-fixture"), ignore_errors=True)
    elif kind == "maintenance":
        os.unlink(os.path.join(WP_DIR, ".maintenance"))


# The rows a beat may touch: options (less WordPress's own transients and cron, which
# its boot refreshes on its own schedule), user meta and post meta.
ROWS_SQL = ("SELECT CONCAT('o:', option_name), option_value FROM wp_options "
            "WHERE option_name NOT LIKE '%transient%' AND option_name <> 'cron' "
            "UNION ALL SELECT CONCAT('u:', user_id, ':', meta_key), meta_value FROM wp_usermeta "
            "UNION ALL SELECT CONCAT('p:', post_id, ':', meta_key), meta_value FROM wp_postmeta")


def rows_snapshot():
    return {r[0]: (r[1] if len(r) > 1 else "") for r in fb.db(ROWS_SQL)}


def touched(before, after):
    """The rows a beat added, changed or removed, by identity. Post locks aside: a lock is
    rewritten only when its second changed, so whether the second beat of a pair touches
    it depends on the clock (the parity and fall-back suites check locks themselves)."""
    keys = set(before) | set(after)
    return sorted(k for k in keys if before.get(k) != after.get(k) and not k.endswith(":_edit_lock"))


class Beats:
    def __init__(self, old_api=False):
        t = info()
        self.sess = fb.login(CORE, fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"),
                             t["users"]["admin"], t["cookiehash"])
        self.post = str(t["posts"]["lock-own"])
        self.old_api = old_api

    def send(self, port, shape, extra_headers=()):
        logged_in = shape in ("nodata", "postlock")
        pairs = [("interval", "60")]
        if logged_in:
            # A fresh nonce per beat: one minted at login turns state 2 across a tick.
            pairs.append(("_nonce", self.sess.mint_nonce()))
        screen = "post" if shape == "postlock" else "dashboard"
        pairs += [("action", "heartbeat"), ("screen_id", screen), ("has_focus", "false")]
        if shape == "postlock":
            pairs += fb.jq_param({"wp-refresh-post-lock": {"post_id": self.post, "lock": ""}}, "data")
        elif shape == "nopriv-data":
            pairs += fb.jq_param({"wp-refresh-post-lock": {"post_id": self.post}}, "data")
        hdrs = [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"), *extra_headers]
        if logged_in:
            hdrs.append(("Cookie", self.sess.cookie_header()))
        return fb.request(port, "POST", fb.AJAX, hdrs, fb.form(pairs))

    def paths(self):
        if self.old_api:
            lane, full, _, native = fb.lane_counts_old()
            return {"native": native, "nopriv": lane - native, "full": full}
        return fb.lane_paths()[0]

    def one(self, shape, extra_headers=(), rows=False):
        """A beat to Fastbeat then the same to core: (path, same bytes, differing response
        rows, the response, and with `rows` the database rows each touched)."""
        before = self.paths()
        s0 = rows_snapshot() if rows else {}
        f = self.send(FAST, shape, extra_headers)
        s1 = rows_snapshot() if rows else {}
        after = self.paths()
        c = self.send(CORE, shape, extra_headers)
        s2 = rows_snapshot() if rows else {}
        delta = {k: after[k] - before[k] for k in after}
        path = "lane" if delta["native"] + delta["nopriv"] > 0 else "full" if delta["full"] > 0 else "none"
        # Which lane answer it was (checked against the shape by run_fixture).
        self.kind = "native" if delta["native"] > 0 else "nopriv" if delta["nopriv"] > 0 else None
        ok, diff = compare(c, f)
        self.touched = (touched(s0, s1), touched(s1, s2))
        return path, ok, [r for r in diff if r[3] == "DIFF"], f


def vouch(beats):
    """Full-path beats (vetoed, so they record nothing) to every worker just before a
    logged-out beat: its native answer needs a recent request that reached the database."""
    for _ in range(max(4, 2 * WORKERS)):
        beats.send(FAST, "nopriv", [("X-Fastbeat-Lane", "off")])


def run_fixture(fx, beats, n, report):
    results = {}
    failures = []
    install(fx)
    try:
        time.sleep(SETTLE)
        for shape in SHAPES:
            want = fx["expect"].get(shape, "lane")
            seen = []
            for i in range(n):
                if shape.startswith("nopriv"):
                    vouch(beats)
                path, ok, diff, _ = beats.one(shape, rows=fx.get("rows", False))
                seen.append(path)
                if path == "lane" and beats.kind != LANE_KIND[shape]:
                    failures.append(f"{shape} beat {i + 1}: answered by the lane's {beats.kind} path, "
                                    f"expected {LANE_KIND[shape]}")
                if not ok:
                    failures.append(f"{shape} beat {i + 1} ({path}): bytes differ from core: {diff[:3]}")
                if fx.get("rows") and beats.touched[0] != beats.touched[1]:
                    failures.append(f"{shape} beat {i + 1} ({path}): database rows touched: fastbeat "
                                    f"{beats.touched[0]}, core {beats.touched[1]}")
            later = seen[2:]
            if want == "lane" and "lane" not in later:
                failures.append(f"{shape}: expected the lane to answer a later beat, paths {seen}")
            if want == "full" and "lane" in seen:
                failures.append(f"{shape}: expected the full path only, paths {seen}")
            results[shape] = seen
        # The reason the manifest gives, where the fixture names one.
        if fx.get("reason"):
            shapes = {}
            for m in glob.glob(fb.manifest_glob()):
                shapes = json.load(open(m)).get("shapes", {})
            for shape, code in fx["reason"].items():
                got = sorted({(e.get("refused") or {}).get("code") for k, e in shapes.items()
                              if k.split("@")[0].split("/")[0] == shape})
                if got != [code]:
                    failures.append(f"{shape}: the manifest's reason is {got}, expected {code}")
        if fx["name"] == "core-only":
            # One manifest holds every shape's evidence side by side: recording one shape
            # must not drop another's (the watched files do not depend on the shape).
            shapes = {}
            for m in glob.glob(fb.manifest_glob()):
                shapes = json.load(open(m)).get("shapes", {})
            # Keys are shape[/roles]@request-key.
            kinds = {k.split("@")[0].split("/")[0] for k in shapes}
            if kinds != set(SHAPES):
                failures.append(f"the manifest keeps {sorted(shapes)}, expected every shape")
    finally:
        uninstall(fx)
        time.sleep(SETTLE)
    report.append({"fixture": fx["name"], "install": fx["install"], "hole": fx["hole"],
                   "expect": fx["expect"], "paths": results, "failures": failures})
    return failures


def run_self_check(fx, beats, report):
    """A fixture whose effect depends on a request header: beats without it record
    evidence the lane then answers with; beats with it are sampled (one in three here)
    and their evidence contradicts the manifest, which suspends the shape and says why."""
    failures = []
    install(fx)
    try:
        time.sleep(SETTLE)
        plain = [beats.one("nodata")[0] for _ in range(6)]
        if "lane" not in plain[2:]:
            failures.append(f"without the trigger the lane never answered: {plain}")
        trig = [("X-Fastbeat-Fixture-Trigger", "1")]
        triggered = [beats.one("nodata", trig)[0] for _ in range(9)]
        # After the suspension: only the full path, with or without the trigger.
        after = [beats.one("nodata", trig)[0] for _ in range(3)] + [beats.one("nodata")[0] for _ in range(3)]
        if "lane" in after:
            failures.append(f"the lane still answered after the self-check: {after}")
        manifests = glob.glob(fb.manifest_glob())
        suspended = {}
        if manifests:
            suspended = json.load(open(manifests[0])).get("suspended", {})
        key = next((k for k in suspended if k.startswith("nodata/")), None)
        why = suspended.get(key, {}).get("why", "") if key else ""
        if not key or "heartbeat_send" not in why or "request-dependent" not in why:
            failures.append(f"no suspension naming heartbeat_send and the fixture: {suspended}")
        report.append({"fixture": fx["name"], "install": fx["install"], "plain": plain,
                       "triggered": triggered, "after": after, "suspended": suspended,
                       "failures": failures})
    finally:
        uninstall(fx)
        time.sleep(SETTLE)
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", action="append", default=[])
    ap.add_argument("--beats", type=int, default=6)
    ap.add_argument("--json")
    ap.add_argument("--old-api", action="store_true",
                    help="read the workers' counters as the lane before this change reported them")
    args = ap.parse_args()
    beats = Beats(args.old_api)
    report = []
    passed = failed = 0
    for fx in fixtures():
        if args.k and not any(k in fx["name"] for k in args.k):
            continue
        t0 = time.monotonic()
        if fx["mode"] == "self-check":
            fails = run_self_check(fx, beats, report)
        else:
            fails = run_fixture(fx, beats, args.beats, report)
        r = report[-1]
        summary = " ".join(f"{s}={''.join(p[0] for p in r.get('paths', {}).get(s, []))}" for s in SHAPES) \
            if "paths" in r else f"plain={r.get('plain')} triggered={r.get('triggered')} after={r.get('after')}"
        if fails:
            failed += 1
            print(f"FAIL {fx['name']} ({time.monotonic() - t0:.1f}s) {summary}")
            for f in fails:
                print(f"     {f}")
        else:
            passed += 1
            print(f"ok   {fx['name']} ({time.monotonic() - t0:.1f}s) {summary}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    print("paths: l = lane answered, f = full path (per beat, in order)")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
