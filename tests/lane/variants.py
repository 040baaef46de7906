#!/usr/bin/env python3
"""The fast lane on the test bed's variants (testbed/env.sh FASTBEAT_VARIANT): what each
variant adds to a real site, checked with real beats. Every beat goes to Fastbeat and then,
the same bytes, to core by the same route; the two answers must be identical (status,
headers in order, body: parity.compare), and the path that answered the Fastbeat beat is
read from the workers' counts (native logged in, native logged out, full) and checked
against what the step expects.

  FASTBEAT_VARIANT=proxy tests/lane/variants.py [--self-test]     (also redis, multisite)

--self-test shows the checks fail when they must, on real beats of the variant: a beat the
lane answers expected on the full path, a vetoed beat expected from the lane, and core's
answer made to differ (a fixture plugin loaded for core's request only).

proxy      through the X-Forwarded-Proto front and the CF-Visitor front: logged-in
           (dashboard, post lock) and logged-out beats answered by the lane; the auth
           cookie of the other scheme only: core's "not logged in". Straight to the origin
           from 127.0.0.2 with a forged X-Forwarded-Proto: https (which wp-config.php
           believes only from the fronts' address), and with a forged CF-Visitor: no
           cookie, the secure auth cookie (wordpress_sec_) of an https login alone and the
           plain one (wordpress_) of the same session alone: core's answer each time (the
           plain cookie logs in, the secure one does not), also after the lane learned the
           front's https.
redis      logged-in (dashboard, post lock) and logged-out beats answered by the lane
           part-way through the boot, reading through the object-cache drop-in (core
           and Fastbeat share the site and the cache); after a lane post-lock write, a full
           WordPress request (tests/lane/site-task.php post-meta, through the drop-in)
           reads the lock the database holds, not the one cached before, and the posts'
           last_changed moved as core's write moves it; Redis stopped mid-run: core's
           bytes, logged-in beats on the full path; Redis started again: the lane again.
multisite  a subdirectory network (the main site and /site2/): on each, logged-in
           (dashboard, post lock) and logged-out beats answered by the lane, each site's
           manifest in its own uploads directory (uploads/fastbeat, uploads/sites/2/fastbeat);
           a plugin network-activated with a heartbeat_send callback: both sites' logged-in
           beats on the full path, with its key; deactivated: the lane again; site 2
           archived (update_blog_status(), wp_update_site()): its beats get core's answer
           from the first one on, for a super admin, a user of the site and a visitor,
           while the main site's stay on the lane; unarchived: the lane again.

Ends with "N passed, N failed"; exit status 1 on any failure.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "parity"))
import fbclient as fb  # noqa: E402
from parity import compare  # noqa: E402

VARIANT = os.environ.get("FASTBEAT_VARIANT", "")
TB = fb.env("FASTBEAT_TESTBED_DIR")
WORKERS = int(os.environ.get("FASTBEAT_FPM_WORKERS", "2"))
# A manifest is recorded only once watched files are older than 1 s + opcache's
# revalidate_freq (2 on the test bed); plus margin.
SETTLE = 4.5
LANE = ("native", "nopriv")

passed = failed = 0


def result(name, ok, detail=""):
    global passed, failed
    passed += bool(ok)
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name}{(': ' + detail) if detail else ''}", flush=True)
    return ok


def paths():
    return fb.lane_paths(WORKERS)[0]


class Route:
    """Where a pair of beats goes: Fastbeat's and core's port, the client address, extra
    request headers (a forged proxy header; `core_headers` for core's request only: the
    self-test), and the site's admin-ajax.php (a network's site)."""

    def __init__(self, name, fast, core, source=None, headers=(), ajax=None, core_headers=()):
        self.name, self.fast, self.core, self.source, self.headers = name, fast, core, source, list(headers)
        self.ajax = ajax or fb.AJAX
        self.core_headers = list(core_headers)


def body(shape, nonce=None, post_id=None):
    pairs = [("interval", "60")]
    if nonce is not None:
        pairs.append(("_nonce", nonce))
    screen = "post" if shape == "postlock" else ("dashboard" if nonce is not None else "front")
    pairs += [("action", "heartbeat"), ("screen_id", screen), ("has_focus", "false")]
    if shape == "postlock":
        pairs += fb.jq_param({"wp-refresh-post-lock": {"post_id": str(post_id), "lock": ""}}, "data")
    return fb.form(pairs)


def send(port, route, shape, cookie=None, nonce=None, post_id=None, extra=()):
    hdrs = [("Content-Type", fb.FORM_CT), *route.headers, *extra]
    if cookie:
        hdrs.append(("Cookie", cookie))
    return fb.request(port, "POST", route.ajax, hdrs, body(shape, nonce, post_id), source=route.source)


def vouch(route):
    """Full-path beats (vetoed) just before a logged-out one: a logged-out native answer
    needs a full-path request of the same worker that reached the database within 2 s."""
    for _ in range(2 * WORKERS):
        send(route.fast, route, "nopriv", extra=[("X-Fastbeat-Lane", "off")])


def pair(route, shape, cookie=None, sess=None, post_id=None, token=None):
    """One beat to Fastbeat, then the same to core: (path, same, diff text, fastbeat's response).
    The nonce is minted with the session's token, or `token` (the nonce of a request without
    the logged-in cookie, which wp_get_session_token() reads, is made with "")."""
    nonce = sess.mint_nonce(token=token) if sess is not None else None
    if shape == "nopriv":
        vouch(route)
    before = paths()
    f = send(route.fast, route, shape, cookie, nonce, post_id)
    after = paths()
    c = send(route.core, route, shape, cookie, nonce, post_id, extra=route.core_headers)
    delta = {k: after[k] - before[k] for k in after}
    path = next((k for k in ("native", "nopriv", "full") if delta[k] > 0), "none")
    ok, rows = compare(c, f)
    diff = "; ".join(f"{r[0]}: {r[1]!r} != {r[2]!r}" for r in rows if r[3] == "DIFF")[:500]
    return path, ok, diff, f


def expect(name, route, shape, want, must=None, cookie=None, sess=None, post_id=None, beats=6, token=None):
    """`beats` pairs; every answer must be core's and match `must` (a regex on the body).
    want: "lane" (a native answer, logged in or out, among the beats after the first two),
    "native" (a logged-in native answer among them), "full" (every beat on the full path),
    "not-native" (never a logged-in native answer)."""
    seen = []
    for i in range(beats):
        path, ok, diff, f = pair(route, shape, cookie, sess, post_id, token)
        seen.append(path)
        if not ok:
            return result(name, False, f"beat {i + 1} ({path} path) differs from core: {diff}")
        if must and not re.search(must, f.body.decode("utf-8", "replace")):
            return result(name, False, f"beat {i + 1} ({path}): body {f.body[:160]!r} does not match /{must}/")
    later = seen[2:]
    good = {"lane": any(p in LANE for p in later), "native": "native" in later,
            "full": all(p == "full" for p in seen), "not-native": "native" not in seen}[want]
    return result(name, good, f"{route.name}, {shape}: paths {' '.join(seen)} (expected {want}), identical to core")


def login():
    info = fb.info()
    return fb.login(fb.env_port("core"), fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"),
                    info["users"]["admin"], info["cookiehash"]), info


OK_TRUE = r'^\{"wp-auth-check":true,"server_time":\d+\}$'
OK_FALSE = r'^\{"wp-auth-check":false,"server_time":\d+\}$'
NEW_LOCK = r'^\{"wp-refresh-post-lock":\{"new_lock":"\d+:\d+"\},"wp-auth-check":true,"server_time":\d+\}$'


# --------------------------------------------------------------------------- proxy


def proxy_steps():
    sess, info = login()
    if not sess.secure:
        return result("proxy: login over https gives a wordpress_sec_ auth cookie", False, f"cookies {sorted(sess.cookies)}")
    result("proxy: login through the front gives a wordpress_sec_ auth cookie", True)
    browser = sess.cookie_header()
    # The auth cookie alone: admin-ajax.php also logs a request in by the logged-in cookie
    # (wp_validate_logged_in_cookie(), whatever the scheme), so only requests without it
    # show which auth cookie is read. `secure` is the https login's; `plain` the same
    # session's for http (what wp_set_auth_cookie() sets on an http login), minted with the
    # test salts.
    secure = sess.cookie_header(("auth", "test"))
    frag = fb.pass_frag(fb.db(f"SELECT user_pass FROM wp_users WHERE ID = {int(info['users']['admin'])}")[0][0])
    exp = urllib.parse.unquote(sess.cookies[sess.logged_in_name]).split("|")[1]
    plain_value = urllib.parse.quote(fb.mint_auth_cookie(sess.login, frag, exp, sess.token, "auth"), safe="")
    plain = f"wordpress_{sess.cookiehash}={plain_value}; wordpress_test_cookie=WP%20Cookie%20check"
    post = info["posts"]["lock-own"]
    fronts = [Route("X-Forwarded-Proto front", int(fb.env("FASTBEAT_PORT_FASTBEAT_TLS")), int(fb.env("FASTBEAT_PORT_CORE_TLS"))),
              Route("CF-Visitor front", int(fb.env("FASTBEAT_PORT_FASTBEAT_CF")), int(fb.env("FASTBEAT_PORT_CORE_CF")))]
    for r in fronts:
        fb.db(f"DELETE FROM wp_postmeta WHERE post_id = {int(post)} AND meta_key = '_edit_lock'")
        expect(f"proxy: {r.name}: dashboard beat, a browser's cookies", r, "nodata", "native", OK_TRUE, browser, sess)
        expect(f"proxy: {r.name}: post-lock beat, a browser's cookies", r, "postlock", "native", NEW_LOCK, browser,
               sess, post_id=post)
        expect(f"proxy: {r.name}: logged-out beat", r, "nopriv", "lane", OK_FALSE)
        expect(f"proxy: {r.name}: the secure auth cookie alone (core: logged in over https)", r, "nodata",
               "native", OK_TRUE, secure, sess, token="")
        expect(f"proxy: {r.name}: the plain auth cookie alone (core: not logged in over https)", r, "nodata",
               "not-native", OK_FALSE, plain, sess, token="")
    fast, core = fb.env_port("fastbeat-origin"), fb.env_port("core-origin")
    forged = [Route("forged X-Forwarded-Proto from 127.0.0.2", fast, core, "127.0.0.2", [("X-Forwarded-Proto", "https")]),
              Route("forged CF-Visitor from 127.0.0.2", fast, core, "127.0.0.2", [("CF-Visitor", '{"scheme":"https"}')])]
    for r in forged:
        # wp-config.php believes neither header from 127.0.0.2: is_ssl() is false there, the
        # plain cookie logs in and the secure one does not.
        expect(f"proxy: {r.name}: logged-out beat", r, "nopriv", WANT_FORGED[r.name]["nopriv"], OK_FALSE)
        expect(f"proxy: {r.name}: secure cookie (core: not logged in over http)", r, "nodata", "not-native",
               OK_FALSE, secure, sess, token="")
        expect(f"proxy: {r.name}: plain cookie (core: logged in)", r, "nodata", WANT_FORGED[r.name]["nodata"],
               OK_TRUE, plain, sess, token="")
        expect(f"proxy: {r.name}: secure cookie again, after the plain cookie's answers", r, "nodata",
               "not-native", OK_FALSE, secure, sess, token="")
    # And the front's answers are still https's after the forged beats.
    expect("proxy: X-Forwarded-Proto front after the forged beats: secure cookie alone", fronts[0], "nodata",
           "native", OK_TRUE, secure, sess, token="")
    expect("proxy: X-Forwarded-Proto front after the forged beats: plain cookie alone", fronts[0], "nodata",
           "not-native", OK_FALSE, plain, sess, token="")


# What the lane does with the forged beats: each is another request key (REMOTE_ADDR and the
# proxy header as sent), learned from its own full-path beats, where is_ssl() was false, and
# answered as core answers it there. (wp-config.php drops an X-Forwarded-Proto it does not
# believe, since Debian's wp-config.php, which runs after it, believes it from anyone; no
# answer reads that header, so the lane may answer such beats.)
WANT_FORGED = {
    "forged X-Forwarded-Proto from 127.0.0.2": {"nopriv": "lane", "nodata": "native"},
    "forged CF-Visitor from 127.0.0.2": {"nopriv": "lane", "nodata": "native"},
}


# --------------------------------------------------------------------------- redis


def site_task(*args):
    """tests/lane/site-task.php (through wp-load.php, the drop-in and all): its JSON line."""
    r = subprocess.run(["php", os.path.join(HERE, "site-task.php"), *args], capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0 or not r.stdout.rstrip().endswith("ok"):
        raise RuntimeError(f"site-task {args}: {r.stdout} {r.stderr}")
    lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def redis_pid():
    with open(os.path.join(TB, "run", "redis.pid")) as f:
        return int(f.read().strip())


def redis_steps():
    sess, info = login()
    r = Route("object cache", fb.env_port("fastbeat"), fb.env_port("core"))
    browser = sess.cookie_header()
    post = info["posts"]["lock-free"]
    lock_sql = f"SELECT meta_value FROM wp_postmeta WHERE post_id = {int(post)} AND meta_key = '_edit_lock'"
    fb.db(f"DELETE FROM wp_postmeta WHERE post_id = {int(post)} AND meta_key = '_edit_lock'")
    expect("redis: dashboard beat", r, "nodata", "native", OK_TRUE, browser, sess)
    expect("redis: post-lock beat", r, "postlock", "native", NEW_LOCK, browser, sess, post_id=post)
    expect("redis: logged-out beat", r, "nopriv", "lane", OK_FALSE)

    # A lane post-lock write, then a full WordPress request reading the lock through the
    # drop-in: the lock the database holds. Before each beat, a read through the drop-in, so
    # that the cache holds the older lock when the lane writes its own (a second later).
    fb.db(f"DELETE FROM wp_postmeta WHERE post_id = {int(post)} AND meta_key = '_edit_lock'")
    send(r.core, r, "postlock", browser, sess.mint_nonce(), post)
    before = site_task("post-meta", str(post), "_edit_lock")
    held = fb.db(lock_sql)
    result("redis: core's lock, read through the drop-in, is the database's",
           before["ext_cache"] and [[before["value"]]] == held, f"{before} vs rows {held}")
    lane_lock, lc0 = None, before
    for _ in range(8):
        time.sleep(1.1)  # a new second: a new lock value
        lc0 = site_task("post-meta", str(post), "_edit_lock")
        p0 = paths()
        f = send(r.fast, r, "postlock", browser, sess.mint_nonce(), post)
        if paths()["native"] > p0["native"]:
            m = re.search(rb'"new_lock":"(\d+:\d+)"', f.body)
            lane_lock = m.group(1).decode() if m else None
            break
    after = site_task("post-meta", str(post), "_edit_lock")
    held = fb.db(lock_sql)
    result("redis: after a lane post-lock write, a full request reads the database's lock through the drop-in",
           lane_lock is not None and after["value"] == lane_lock and held == [[lane_lock]]
           and lc0["value"] != lane_lock,
           f"lane wrote {lane_lock}, the cache held {lc0['value']} before; read through the drop-in "
           f"{after['value']}, database {held}")
    result("redis: the lane's write moved the posts' last_changed, as core's does",
           lane_lock is not None and after["last_changed"] != lc0["last_changed"],
           f"{lc0['last_changed']} -> {after['last_changed']}")

    # Redis stopped mid-run: the drop-in carries on without it; every logged-in beat takes
    # the full path (nothing to read through), and answers as core answers.
    reasons0 = fb.lane_reasons(WORKERS)
    pid = redis_pid()
    os.kill(pid, 15)
    for _ in range(100):
        if not os.path.exists(f"/proc/{pid}"):
            break
        time.sleep(0.1)
    try:
        result("redis: redis-server stopped", not os.path.exists(f"/proc/{pid}"), f"pid {pid}")
        expect("redis: Redis down: dashboard beat", r, "nodata", "full", OK_TRUE, browser, sess)
        expect("redis: Redis down: post-lock beat", r, "postlock", "full", NEW_LOCK, browser, sess, post_id=post)
        expect("redis: Redis down: logged-out beat (its answer reads nothing)", r, "nopriv", "lane", OK_FALSE)
        reasons = {k: n - reasons0.get(k, 0) for k, n in fb.lane_reasons(WORKERS).items() if n != reasons0.get(k, 0)}
        result("redis: Redis down: the workers counted logged-in beats declined as not in the object cache",
               reasons.get("cache-miss", 0) > 0, f"reasons meanwhile {reasons}")
    finally:
        subprocess.run([os.path.join(REPO, "testbed", "up.sh")], check=True, stdout=subprocess.DEVNULL)
    # up.sh rewrote the test bed's mu-plugin: a new manifest waits for the settle window.
    time.sleep(SETTLE)
    expect("redis: Redis started again: dashboard beat, the lane again", r, "nodata", "native", OK_TRUE, browser, sess,
           beats=10)
    expect("redis: Redis started again: post-lock beat, the lane again", r, "postlock", "native", NEW_LOCK, browser,
           sess, post_id=post, beats=10)


# --------------------------------------------------------------------------- multisite


def site_info(path):
    slug = path.strip("/")
    with open(os.path.join(TB, f"testbed-{slug}.json" if slug else "testbed.json")) as f:
        return json.load(f)


def network_task(*args, path="/"):
    """tests/lane/site-task.php on the network's site at `path`."""
    env = dict(os.environ, FASTBEAT_SITE_PATH=path)
    r = subprocess.run(["php", os.path.join(HERE, "site-task.php"), *args], env=env, capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0 or not r.stdout.rstrip().endswith("ok"):
        raise RuntimeError(f"site-task {args} on {path}: {r.stdout} {r.stderr}")


def manifest_shapes(uploads):
    """{evidence key: refused reason code or None} of the manifests in `uploads`/fastbeat."""
    out = {}
    for m in sorted(os.listdir(os.path.join(uploads, "fastbeat"))) if os.path.isdir(os.path.join(uploads, "fastbeat")) else []:
        if m.startswith("lane-") and m.endswith(".json"):
            with open(os.path.join(uploads, "fastbeat", m)) as f:
                for k, e in json.load(f).get("shapes", {}).items():
                    out[k] = (e.get("refused") or {}).get("code")
    return out


FIXTURE_SEND = os.path.join(HERE, "fixtures", "logged-in-send.php")
NETWORK_PLUGIN = "fx-network-send/fx-network-send.php"
ARCHIVED = r"archived or suspended"


def multisite_steps():
    sess, info = login()
    sites = ["/"] + fb.env("FASTBEAT_MS_SITES").split()
    editor = fb.login(fb.env_port("core"), fb.env("FASTBEAT_EDITOR_USER"), fb.env("FASTBEAT_EDITOR_PASSWORD"),
                      info["users"]["editor"], info["cookiehash"])
    fast, core = fb.env_port("fastbeat"), fb.env_port("core")
    routes = {p: Route(f"site {p}", fast, core, ajax=p + "wp-admin/admin-ajax.php") for p in sites}
    posts = {p: site_info(p)["posts"]["lock-free"] for p in sites}
    for p in sites:
        fb.db(f"DELETE FROM {site_info(p)['prefix']}postmeta WHERE meta_key = '_edit_lock'")
    browser = sess.cookie_header()
    for p, r in routes.items():
        expect(f"multisite: {p}: dashboard beat, super admin", r, "nodata", "native", OK_TRUE, browser, sess)
        expect(f"multisite: {p}: post-lock beat, super admin", r, "postlock", "native", NEW_LOCK, browser, sess,
               post_id=posts[p])
        expect(f"multisite: {p}: dashboard beat, editor", r, "nodata", "native", OK_TRUE, editor.cookie_header(),
               editor)
        expect(f"multisite: {p}: logged-out beat", r, "nopriv", "lane", OK_FALSE)
    for p in sites:
        uploads = site_info(p)["uploads"]
        shapes = manifest_shapes(uploads)
        kinds = {k.split("@")[0].split("/")[0] for k, code in shapes.items() if code is None}
        result(f"multisite: {p}: its own manifest in {os.path.relpath(uploads, TB)}/fastbeat vouches for every shape",
               kinds == {"nodata", "postlock", "nopriv"} or kinds == {"nodata", "postlock", "nopriv", "nopriv-data"},
               f"{shapes}")
    keys = [{k.split("@")[1] for k in manifest_shapes(site_info(p)["uploads"])} for p in sites]
    result("multisite: each site's evidence under its own request key", not (keys[0] & keys[1]), f"{keys}")
    # A query string PHP parses into no $_GET entry still reaches core through REQUEST_URI:
    # a network's init callback maybe_add_existing_user_to_blog() answers /newbloguser/ with
    # wp_die() before the handler. Fastbeat must send core's answer, from the full path.
    for p in sites:
        q = Route(f"site {p} ?=/newbloguser/", fast, core, ajax=p + "wp-admin/admin-ajax.php?=/newbloguser/fastbeat")
        expect(f"multisite: {p}: ?=/newbloguser/ (no $_GET entry): logged-out beat, core's answer, full path", q,
               "nopriv", "full", beats=3)
        expect(f"multisite: {p}: ?=/newbloguser/ (no $_GET entry): dashboard beat, core's answer, full path", q,
               "nodata", "full", None, browser, sess, beats=3)

    # A plugin network-activated with a heartbeat_send callback (for logged-in users).
    d = os.path.join(TB, "wp-content", "plugins", os.path.dirname(NETWORK_PLUGIN))
    os.makedirs(d, exist_ok=True)
    with open(FIXTURE_SEND) as src, open(os.path.join(TB, "wp-content", "plugins", NETWORK_PLUGIN), "w") as dst:
        dst.write(src.read().replace("Plugin Name: Fastbeat lane fixture:", "Plugin Name: Fastbeat variants fixture (network):"))
    try:
        network_task("activate-network", NETWORK_PLUGIN)
        time.sleep(SETTLE)
        for p, r in routes.items():
            expect(f"multisite: network plugin on heartbeat_send: {p}: dashboard beat on the full path", r, "nodata",
                   "full", r'"fixture-logged-in":true', browser, sess)
            expect(f"multisite: network plugin on heartbeat_send: {p}: post-lock beat on the full path", r,
                   "postlock", "full", r'"fixture-logged-in":true', browser, sess, post_id=posts[p])
    finally:
        network_task("deactivate-network", NETWORK_PLUGIN)
        for f in os.listdir(d):
            os.unlink(os.path.join(d, f))
        os.rmdir(d)
    time.sleep(SETTLE)
    for p, r in routes.items():
        expect(f"multisite: network plugin deactivated: {p}: dashboard beat, the lane again", r, "nodata", "native",
               OK_TRUE, browser, sess)

    # Site 2 archived through WordPress: its beats get core's answer from the first one on.
    sub_site = sites[1]
    r2, r1 = routes[sub_site], routes["/"]
    for p in sites:
        expect(f"multisite: before archiving: {p}: logged-out beat on the lane", routes[p], "nopriv", "lane", OK_FALSE)
    network_task("site-status", sub_site, "archived", "1")
    try:
        expect(f"multisite: {sub_site} archived: logged-out beat (core: archived)", r2, "nopriv", "full", ARCHIVED,
               beats=3)
        expect(f"multisite: {sub_site} archived: editor's dashboard beat (core: archived)", r2, "nodata", "full",
               ARCHIVED, editor.cookie_header(), editor, beats=3)
        expect(f"multisite: {sub_site} archived: super admin's dashboard beat (core: answered)", r2, "nodata",
               "not-native", OK_TRUE, browser, sess, beats=3)
        expect(f"multisite: {sub_site} archived: the main site's dashboard beat stays on the lane", r1, "nodata",
               "native", OK_TRUE, browser, sess)
    finally:
        network_task("site-status", sub_site, "archived", "0")
    time.sleep(SETTLE)
    expect(f"multisite: {sub_site} unarchived: dashboard beat, the lane again", r2, "nodata", "native", OK_TRUE,
           browser, sess, beats=8)
    expect(f"multisite: {sub_site} unarchived: logged-out beat, the lane again", r2, "nopriv", "lane", OK_FALSE,
           beats=8)


def self_test():
    """Each check must fail here: counted as passed when it does."""
    global passed, failed
    sess, _ = login()
    browser = sess.cookie_header()
    fast, core = fb.env_port("fastbeat"), fb.env_port("core")
    cases = [
        ("a beat the lane answers, expected on the full path",
         lambda: expect("(must fail)", Route("lane", fast, core), "nodata", "full", OK_TRUE, browser, sess)),
        ("a vetoed beat, expected from the lane",
         lambda: expect("(must fail)", Route("vetoed", fast, core, headers=[("X-Fastbeat-Lane", "off")]), "nodata",
                        "native", OK_TRUE, browser, sess)),
        ("core's answer made to differ (fixture json-types for core only)",
         lambda: expect("(must fail)", Route("differ", fast, core, core_headers=[("X-Fastbeat-Fixture", "json-types")]),
                        "nodata", "native", None, browser, sess)),
    ]
    for name, check in cases:
        p0, f0 = passed, failed
        ok = check()
        passed, failed = p0, f0
        result(f"self-test: {name}: the check fails", not ok)


def main():
    steps = {"proxy": proxy_steps, "redis": redis_steps, "multisite": multisite_steps}
    if VARIANT not in steps:
        raise SystemExit(f"tests/lane/variants.py: FASTBEAT_VARIANT={VARIANT!r}: expected one of {sorted(steps)}")
    if sys.argv[1:] == ["--self-test"]:
        self_test()
    elif sys.argv[1:]:
        raise SystemExit("usage: tests/lane/variants.py [--self-test]")
    else:
        steps[VARIANT]()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
