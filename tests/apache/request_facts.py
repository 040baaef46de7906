#!/usr/bin/env python3
"""The fast lane reads the request as Apache/mod_php passed it.

After full-path beats of every shape (logged in with and without post-lock data, logged
out), the manifest those beats wrote must key their evidence on the request as the web
server passed it: the label is http://<Host>/wp-admin/admin-ajax.php (Host and the
REQUEST_URI path read through sapi_getenv()), and no shape may be refused because a
server variable WordPress saw differs from the raw request ("request-rewritten"): on this
site nothing rewrites one. Before the lane read server variables by a NUL-terminated name,
mod_php's getenv (apr_table_get) found none of them: the label was "http://" and every
shape was refused for $_SERVER[REQUEST_METHOD].

Environment: `eval "$(testbed/apache.sh env)"`. Ends with "N passed, N failed".
"""
import glob
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "parity"))
import fbclient as fb  # noqa: E402

TB = fb.env("FASTBEAT_TESTBED_DIR")
MANIFESTS = os.path.join(TB, "wp-content", "uploads", "fastbeat", "lane-*.json")
WORKERS = int(os.environ.get("FASTBEAT_LANE_WORKERS") or os.environ.get("FASTBEAT_FPM_WORKERS", "2"))

passed = failed = 0


def result(name, ok, detail=""):
    global passed, failed
    passed, failed = passed + ok, failed + (not ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}{(': ' + detail) if detail else ''}", flush=True)


def beat(sess, data=None, screen="dashboard"):
    pairs = [("interval", "60")]
    if sess is not None:
        pairs.append(("_nonce", sess.mint_nonce()))
    pairs += [("action", "heartbeat"), ("screen_id", screen), ("has_focus", "false")]
    if data:
        pairs += fb.jq_param(data, "data")
    hdrs = [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")]
    if sess is not None:
        hdrs.append(("Cookie", sess.cookie_header()))
    return fb.request(fb.env_port("fastbeat"), "POST", fb.AJAX, hdrs, fb.form(pairs))


def shapes():
    out = {}
    for m in glob.glob(MANIFESTS):
        with open(m) as f:
            out.update(json.load(f).get("shapes", {}))
    return out


def main():
    info = json.load(open(os.path.join(TB, "testbed.json")))
    sess = fb.login(fb.env_port("core"), fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"),
                    info["users"]["admin"], info["cookiehash"])
    lock = {"wp-refresh-post-lock": {"post_id": str(info["posts"]["lock-free"]), "lock": f"1700000000:{sess.uid}"}}
    want = {"nodata", "postlock", "nopriv"}
    # Every child records its own evidence on its first beats of a shape: a few rounds of
    # each, until the manifest holds every shape (it is written once watched files settled).
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        for _ in range(WORKERS):
            beat(sess)
            beat(sess, lock, "post")
            beat(None, None, "front")
        if want <= {k.split("@")[0].split("/")[0] for k in shapes()}:
            break
        time.sleep(1)
    fb.db(f"DELETE FROM wp_postmeta WHERE post_id = {info['posts']['lock-free']} AND meta_key = '_edit_lock'")
    got = shapes()
    kinds = {k.split("@")[0].split("/")[0] for k in got}
    result("the manifest holds evidence of every shape", want <= kinds, f"shapes {sorted(got)}")
    label = f"http://{fb.env('FASTBEAT_SITE_HOST')}{fb.AJAX}"
    for key, entry in sorted(got.items()):
        seen = (entry.get("evidence") or {}).get("request_label")
        result(f"{key}: keyed on the request as Apache passed it", seen == label, f"label {seen!r}, expected {label!r}")
        refused = entry.get("refused") or {}
        result(f"{key}: no server variable reads as rewritten", refused.get("code") != "request-rewritten",
               refused.get("text", "allowed"))
    lasts = {pid: lane.get("last", "") for pid, lane in fb.worker_lanes().items()}
    bad = {pid: last for pid, last in lasts.items() if "rewritten" in last}
    result(f"no child's last decision is a rewritten request ({len(lasts)} children)", not bad, repr(bad))
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
