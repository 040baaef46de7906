#!/usr/bin/env python3
"""Heartbeats against the install test's site (tests/pack/install-test.sh), over HTTP,
with tests/parity/fbclient.py (login through wp-login.php, heartbeatSettings nonce, raw
HTTP). Which path answered a beat is read as the parity suite reads it: Fastbeat's
responses carry core's headers and bytes, so the only witness is each php-fpm worker's
count of beats by path (fastbeat_lane_status(), through testbed/probe.php, which nginx
serves next to the site), compared before and after the beat (fbclient.lane_paths()).

  beats.py core   Fastbeat absent: a logged-in and a logged-out beat, both answered (200,
                  core's JSON); the workers do not have the extension
  beats.py lane   extension loaded and plugin active: logged-in dashboard beats until the
                  lane answers one natively, logged-out beats until the lane answers one;
                  each may first take the full path (workers learn the site, the plugin
                  records its manifest once its just-installed files are older than the
                  settle window), so each gets FASTBEAT_PACK_LANE_SECONDS (default 40)

Environment: what fbclient reads (FASTBEAT_SITE_HOST, FASTBEAT_SITE_URL, FASTBEAT_BIND,
FASTBEAT_PORT_FASTBEAT, FASTBEAT_SALT_PREFIX, FASTBEAT_FPM_WORKERS), FASTBEAT_ADMIN_USER,
FASTBEAT_ADMIN_PASSWORD, FASTBEAT_PACK_ADMIN_ID, FASTBEAT_PACK_VERSION (the extension's).
Ends with "N passed, N failed".
"""
import hashlib
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "parity"))
import fbclient as fb  # noqa: E402

PORT = fb.env_port("fastbeat")
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {what}")
    else:
        failed += 1
        print(f"FAIL {what}" + (f"\n     {detail}" if detail else ""))
    return ok


def finish():
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def probe():
    return json.loads(fb.request(PORT, "GET", "/__fastbeat-testbed/probe.php", [], b"").body)


def session():
    site = fb.env("FASTBEAT_SITE_URL")
    cookiehash = hashlib.md5(site.encode()).hexdigest()
    return fb.login(PORT, fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"),
                    int(fb.env("FASTBEAT_PACK_ADMIN_ID")), cookiehash)


def beat(sess, logged_in, extra=()):
    """A dashboard heartbeat as wp-admin's heartbeat.js sends it, logged in or (an expired
    session's tab) logged out."""
    pairs = [("interval", "60")]
    if logged_in:
        pairs.append(("_nonce", sess.mint_nonce()))
    # The shapes tests/lane/deployed.py sends ("nodata" and "nopriv").
    pairs += [("action", "heartbeat"), ("screen_id", "dashboard"), ("has_focus", "false")]
    hdrs = [("Content-Type", fb.FORM_CT), *extra]
    if logged_in:
        hdrs.append(("Cookie", sess.cookie_header()))
    return fb.request(PORT, "POST", fb.AJAX, hdrs, fb.form(pairs))


def answered(resp, logged_in):
    """Core's answer: 200, JSON with server_time; logged in, wp-auth-check true."""
    try:
        body = resp.json()
    except ValueError:
        return False, resp.text()[:200]
    ok = resp.status == 200 and "server_time" in body and (not logged_in or body.get("wp-auth-check") is True)
    return ok, f"{resp.status_line} {resp.text()[:200]}"


def core():
    p = probe()
    check(p.get("extension_loaded") is False, f"php-fpm workers run without the extension (PHP {p.get('php')})", p)
    sess = session()
    for logged_in in (True, False):
        ok, detail = answered(beat(sess, logged_in), logged_in)
        check(ok, f"{'logged-in' if logged_in else 'logged-out'} heartbeat answered by core", detail)


def lane():
    p = probe()
    want = fb.env("FASTBEAT_PACK_VERSION")
    check(p.get("extension_loaded") is True and p.get("fastbeat_version") == want,
          f"php-fpm workers loaded the extension from conf.d (fastbeat {p.get('fastbeat_version')}, PHP {p.get('php')})", p)
    if failed:
        finish()
    sess = session()
    budget = float(os.environ.get("FASTBEAT_PACK_LANE_SECONDS", "40"))
    for logged_in, lane_key in ((True, "native"), (False, "nopriv")):
        kind = "logged-in dashboard" if logged_in else "logged-out"
        seen, bad_answers = [], []
        deadline = time.monotonic() + budget
        while time.monotonic() < deadline and seen.count("lane") < 2:
            if not logged_in:
                # A logged-out beat is answered natively only after a request of this
                # worker reached the database recently: vetoed beats to every worker
                # (tests/lane/deployed.py's vouch()).
                for _ in range(2 * int(os.environ.get("FASTBEAT_FPM_WORKERS", "2"))):
                    beat(sess, False, [("X-Fastbeat-Lane", "off")])
            before = fb.lane_paths()[0]
            # The self-test's fault: every beat vetoes the lane (the full path answers).
            veto = [("X-Fastbeat-Lane", "off")] if "lane-veto" in os.environ.get("FASTBEAT_PACK_INJECT", "") else []
            resp = beat(sess, logged_in, veto)
            after = fb.lane_paths()[0]
            delta = {k: after[k] - before[k] for k in after}
            path = "lane" if delta[lane_key] > 0 else "full" if delta["full"] > 0 else "none"
            seen.append(path)
            ok, detail = answered(resp, logged_in)
            if not ok:
                bad_answers.append(detail)
            if path != "lane":
                time.sleep(1)
        print(f"     {kind} beats, in order (l = fast lane, f = full path, n = no count): "
              + "".join(s[0] for s in seen))
        check(not bad_answers, f"every {kind} beat was answered (200, core's JSON)", "; ".join(bad_answers[:3]))
        check("lane" in seen, f"the fast lane answered {kind} beats ({lane_key} path, "
              f"{seen.count('lane')} of {len(seen)} beats within {budget:.0f} s)")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "core":
        core()
    elif cmd == "lane":
        lane()
    else:
        sys.exit(__doc__)
    finish()
