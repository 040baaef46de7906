#!/usr/bin/env python3
"""The fast lane's fall-back, proven on the test bed through its manifest.

Each step changes the real site the way a site owner would (an mu-plugin dropped in or
removed, the manifest deleted, expired or outrun by a file change, the database
stopped), then sends the same heartbeat to core (:18081) and to Fastbeat (:18082) and
checks two things: the responses are identical (parity.compare: status, headers in
order, body), and the beat took the path the step expects, read from the fastbeat
workers' lane counters (fastbeat_lane_status() through the test bed probe). No request
here carries the X-Fastbeat-Lane veto header or a fixture header: what decides is the
manifest the plugin wrote from earlier full-path beats.

Steps:
  baseline          core-only site: dashboard and logged-out beats take the lane
  native            a logged-in dashboard beat answered natively (lane/native.php), and
                    handed to the full path, still identical, when what it checked
                    changed: an option edited in the database behind WordPress's back, the
                    session logged out, a nonce from the previous tick, the password changed;
                    a post-lock beat answered natively, its lock row inserted or updated as
                    core does, and another user's live lock left to the full path; with a
                    plugin post type still native, and what it declines on the full path
  manifest-missing  manifest deleted: full path; a full-path beat writes it again
  plugin-hooks      an mu-plugin on heartbeat_send / heartbeat_nopriv_send: full path
                    (its key is in both responses)
  settle            right after the change, beats stay on the full path (a manifest is
                    never written for files changed within the settle window)
  hook-removed      the mu-plugin removed again: back on the lane once settled
  pluggable         an mu-plugin replacing wp_get_current_user(): full path; removed: lane
  stale             a watched directory touched: full path, then the lane again
  expired           manifest past its expiry: full path, then the lane again
  autosave          wp_autosave data: full path
  customizer        the customizer's changeset-lock check: full path
  database-down     MariaDB stopped: both answer with core's error (a logged-out beat takes
                    the full path once no full-path request reached the database for 2 s);
                    started again: the lane again

Plugins and themes changing what a beat depends on are tests/lane/deployed.py's.

Ends with "N passed, N failed"; exit status 1 on any failure.
"""
import glob
import json
import re
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fbclient as fb  # noqa: E402
from parity import compare  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
TB = fb.env("FASTBEAT_TESTBED_DIR")
MU_DIR = os.path.join(TB, "wp-content", "mu-plugins")
MANIFESTS = fb.manifest_glob()
WORKERS = int(os.environ.get("FASTBEAT_LANE_WORKERS") or os.environ.get("FASTBEAT_FPM_WORKERS", "2"))
CORE, FAST = fb.env_port("core"), fb.env_port("fastbeat")
# A manifest is written only once watched files have been unchanged for this long (1 s
# for mtime resolution + opcache.revalidate_freq, 2 on the test bed), plus margin.
SETTLE = 5

PLUGIN_HOOKS = """<?php
/* Plugin Name: Fastbeat fall-back probe (heartbeat hooks) */
add_filter( 'heartbeat_send', function ( $r ) { $r['fallback-probe'] = 'logged-in'; return $r; } );
add_filter( 'heartbeat_nopriv_send', function ( $r ) { $r['fallback-probe'] = 'logged-out'; return $r; } );
"""
PLUGIN_PLUGGABLE = """<?php
/* Plugin Name: Fastbeat fall-back probe (pluggable) */
function wp_get_current_user() {
	return _wp_get_current_user();
}
"""

PLUGIN_CPT = """<?php
/* Plugin Name: Fastbeat fall-back probe (post type) */
add_action( 'init', function () { register_post_type( 'fastbeat_probe', array( 'public' => false ) ); } );
"""

passed = failed = 0


def result(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name}{(': ' + detail) if detail else ''}", flush=True)


def counts():
    """(lane, full, native) summed over every fastbeat worker."""
    lane, full, _, native = fb.lane_counts(WORKERS)
    return lane, full, native


def fresh(sess):
    """The session with a nonce minted now (one minted at login turns state 2 across a
    tick boundary, which is not what most steps test)."""
    if sess is None:
        return None
    return fb.Session(sess.login, sess.uid, sess.cookies, sess.mint_nonce(), sess.cookiehash)


def beat(port, sess, data=None, screen="dashboard"):
    pairs = [("interval", "60")]
    if sess is not None:
        pairs.append(("_nonce", sess.nonce))
    pairs += [("action", "heartbeat"), ("screen_id", screen), ("has_focus", "false")]
    if data:
        pairs += fb.jq_param(data, "data")
    hdrs = [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")]
    if sess is not None:
        hdrs.append(("Cookie", sess.cookie_header()))
    return fb.request(port, "POST", fb.AJAX, hdrs, fb.form(pairs))


def one(sess, data=None, screen="dashboard", keep_nonce=False):
    """One beat to Fastbeat (path from the counters: "native" is a logged-in beat
    answered by lane/native.php, "lane" a logged-out one answered natively), then the same
    to core."""
    if not keep_nonce:
        sess = fresh(sess)
    l0, f0, n0 = counts()
    fast = beat(FAST, sess, data, screen)
    l1, f1, n1 = counts()
    core = beat(CORE, sess, data, screen)
    path = "native" if n1 > n0 else "lane" if l1 > l0 else "full" if f1 > f0 else "none"
    ok, rows = compare(core, fast)
    diff = "; ".join(f"{r[0]}: {r[1]!r} != {r[2]!r}" for r in rows if r[3] == "DIFF")[:400]
    return path, ok, diff, core


def expect(name, sess, want, data=None, screen="dashboard", tries=1, wait=0.0, must=None, keep_nonce=False):
    """Full path: every one of `tries` beats takes it. Lane (any native answer) or native
    (logged in): some beat within `tries` does (a worker that has not registered the site
    or learned it yet, or a manifest not yet rewritten, sends a beat the full path first).
    Every response must match core's."""
    paths = []
    for i in range(tries):
        path, ok, diff, core = one(sess, data, screen, keep_nonce)
        paths.append(path)
        if not ok:
            result(name, False, f"differs from core ({path} path): {diff}")
            return False
        if must is not None and must not in core.body:
            result(name, False, f"core's response lacks {must!r}: is the probe plugin loaded? {core.body[:200]!r}")
            return False
        if (want == "lane" and path in ("native", "lane")) or (want == "native" and path == "native"):
            result(name, True, f"identical; {want} after {i + 1} beat(s)")
            return True
        if want == "full" and path != want:
            result(name, False, f"beat {i + 1} took the {path} path, expected the {want} path")
            return False
        if wait:
            time.sleep(wait)
    if want == "full":
        result(name, True, f"identical; {tries} beat(s), all on the {want} path")
        return True
    result(name, False, f"no beat took the {want} path in {tries} ({paths})")
    return False


def mu_plugin(name, text):
    path = os.path.join(MU_DIR, name)
    if text is None:
        if os.path.exists(path):
            os.unlink(path)
        return
    with open(path, "w") as f:
        f.write(text)


def manifests():
    return glob.glob(MANIFESTS)


def mariadb(stop):
    pidfile = os.path.join(TB, "run", "mariadb.pid")
    if stop:
        with open(pidfile) as f:
            pid = int(f.read().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(300):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        raise SystemExit("fallback: MariaDB did not stop within 30 s")
    # The test bed's own up.sh, or what serves it otherwise (testbed/apache.sh env sets
    # FASTBEAT_TESTBED_UP: up.sh must not run with the Apache pair's ports in the environment).
    up = os.environ.get("FASTBEAT_TESTBED_UP")
    cmd = ["bash", "-c", up] if up else [os.path.join(REPO, "testbed", "up.sh")]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def settle():
    time.sleep(SETTLE)


def warm(name, sess, data=None, screen="dashboard"):
    """Beats of one shape until every fastbeat worker answered one natively. Each worker
    learns on its own first full-path beats; one that has not yet would record its evidence
    during a later step's change (an option edited in the database) and suspend the shape.
    With a pool of two that rarely happens by chance; with Apache's prefork children it
    does unless every child is known to have learned first."""
    def natives():
        return {pid: int((lane.get("tally") or {}).get("paths", [0])[0]) for pid, lane in fb.worker_lanes().items()}
    start = natives()
    paths = []
    for i in range(12 * WORKERS):
        path, ok, diff, _ = one(sess, data, screen)
        paths.append(path)
        if not ok:
            result(name, False, f"differs from core ({path} path): {diff}")
            return False
        now = natives()
        if all(n > start.get(pid, 0) for pid, n in now.items()):
            result(name, True, f"every one of {len(now)} workers answered natively ({i + 1} beats)")
            return True
        time.sleep(0.2)
    result(name, False, f"some workers never answered natively in {len(paths)} beats ({paths})")
    return False


def native_steps(info):
    """Native answers to logged-in beats, and the hand-over to the full path whenever
    something they check is not as the worker learned it or as a valid beat needs."""
    admin = (fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"), info["users"]["admin"],
             info["cookiehash"])
    sess = fb.login(CORE, *admin)
    expect("native: dashboard beat answered natively", sess, "native", tries=12, wait=0.5)
    warm("native: every worker answers dashboard beats natively", sess)

    # Changed in the database without any hook running: the manifest still vouches, the
    # option reads do not match what the workers learned.
    charset = fb.db("SELECT option_value FROM wp_options WHERE option_name = 'blog_charset'")[0][0]
    fb.db("UPDATE wp_options SET option_value = 'ISO-8859-1' WHERE option_name = 'blog_charset'")
    try:
        # Workers re-learn from these full-path beats; the manifest's facts (from the old
        # values) still keep them off the native answer until it is rewritten.
        expect("native: blog_charset edited in the database, full path", sess, "full", tries=3, wait=0.3)
    finally:
        fb.db(f"UPDATE wp_options SET option_value = {fb.sql_str(charset)} WHERE option_name = 'blog_charset'")
    expect("native: blog_charset restored, native again", sess, "native", tries=12, wait=0.5)

    stale = fb.Session(sess.login, sess.uid, sess.cookies, sess.mint_nonce(tick_offset=-1), sess.cookiehash)
    expect("native: nonce from the previous tick (refreshed), full path", stale, "full", tries=2,
           must=b'"heartbeat_nonce"', keep_nonce=True)

    gone = fb.login(CORE, *admin)
    expect("native: a second session answered natively", gone, "native", tries=4)
    fb.logout(CORE, gone)
    expect("native: session logged out, full path (core: not logged in)", gone, "full", tries=2,
           must=b'"wp-auth-check":false')

    password = fb.db("SELECT user_pass FROM wp_users WHERE ID = %d" % info["users"]["admin"])[0][0]
    fb.db("UPDATE wp_users SET user_pass = '$P$BFastbeatChangedPassword.0000000' WHERE ID = %d" % info["users"]["admin"])
    try:
        expect("native: password changed in the database, full path (core: not logged in)", sess, "full",
               tries=2, must=b'"wp-auth-check":false')
    finally:
        fb.db(f"UPDATE wp_users SET user_pass = {fb.sql_str(password)} WHERE ID = %d" % info["users"]["admin"])
    expect("native: password restored, native again", sess, "native", tries=12, wait=0.5)

    # Post-lock beats: the lock written exactly as core writes it, or the full path.
    pid, uid = info["posts"]["lock-free"], info["users"]["admin"]
    data = {"wp-refresh-post-lock": {"post_id": str(pid), "lock": f"1700000000:{uid}"}}
    expect("native: post-lock beat answered natively", sess, "native", data=data, screen="post", tries=8,
           wait=0.5, must=b'"new_lock"')
    warm("native: every worker answers post-lock beats natively", sess, data, "post")
    lock_sql = f"SELECT meta_value FROM wp_postmeta WHERE post_id = {pid} AND meta_key = '_edit_lock'"
    for step, setup in (("no lock yet (insert)", f"DELETE FROM wp_postmeta WHERE post_id = {pid} AND meta_key = '_edit_lock'"),
                        ("an old lock of its own (update)", f"UPDATE wp_postmeta SET meta_value = '1700000000:{uid}' "
                                                            f"WHERE post_id = {pid} AND meta_key = '_edit_lock'")):
        fb.db(setup)
        fb.warm_object_cache(sess, [pid])  # (variant redis: the write emptied the cache)
        n0 = counts()[2]
        resp = beat(FAST, fresh(sess), data, "post")
        native = counts()[2] > n0
        m = re.search(rb'"new_lock":"(\d+:\d+)"', resp.body)
        rows = fb.db(lock_sql)
        result(f"native: {step}: the lock row is what core writes", native and bool(m) and
               rows == [[m.group(1).decode()]], f"native={native} body={resp.body[:120]!r} rows={rows}")
    fb.db(f"UPDATE wp_postmeta SET meta_value = '{int(time.time())}:{info['users']['editor']}' "
          f"WHERE post_id = {pid} AND meta_key = '_edit_lock'")
    expect("native: another user's live lock, full path (lock_error)", sess, "full", data=data, screen="post",
           tries=2, must=b'"lock_error"')
    fb.db(f"DELETE FROM wp_postmeta WHERE post_id = {pid} AND meta_key = '_edit_lock'")

    # A plugin post type: native post-lock answers still serve core's `post` type, and what
    # they decline takes the full path.
    mu_plugin("fastbeat-fallback-cpt.php", PLUGIN_CPT)
    try:
        settle()
        expect("native: plugin post type, post-lock beat answered natively", sess, "native", data=data,
               screen="post", tries=12, wait=0.5, must=b'"new_lock"')
        shapes = {}
        for m in manifests():
            with open(m) as f:
                shapes = json.load(f).get("shapes", {})
        # Keys are shape[/roles]@request-key (one request key here).
        entry = next((e for k, e in shapes.items() if k.startswith("postlock/administrator@")), {})
        result("native: plugin post type, manifest: post locks recorded and allowed",
               bool(entry) and entry.get("refused") is None, repr(entry.get("refused")))
        fb.db(f"DELETE FROM wp_postmeta WHERE post_id = {pid} AND meta_key = '_edit_lock'")
        fb.db(f"INSERT INTO wp_postmeta (post_id, meta_key, meta_value) VALUES ({pid}, '_edit_lock', "
              f"'{int(time.time())}:{info['users']['editor']}')")
        expect("native: plugin post type, another user's live lock, full path (lock_error)", sess, "full",
               data=data, screen="post", tries=2, must=b'"lock_error"')
    finally:
        mu_plugin("fastbeat-fallback-cpt.php", None)
        fb.db(f"DELETE FROM wp_postmeta WHERE post_id = {pid} AND meta_key = '_edit_lock'")
    settle()


def main():
    info = fb.info()
    sess = fb.login(CORE, fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"),
                    info["users"]["admin"], info["cookiehash"])
    for name in ("fastbeat-fallback-hooks.php", "fastbeat-fallback-pluggable.php", "fastbeat-fallback-cpt.php"):
        mu_plugin(name, None)
    settle()
    try:
        # Lane beats need a worker that registered the lane and a current manifest:
        # earlier full-path beats give both.
        expect("baseline: dashboard beat", sess, "lane", tries=12, wait=0.5)
        expect("baseline: logged-out beat", None, "lane", screen="front", tries=12, wait=0.5)
        native_steps(info)

        for m in manifests():
            os.unlink(m)
        result("manifest-missing: manifest deleted", not manifests())
        expect("manifest-missing: full path", sess, "full")
        result("manifest-missing: a full-path beat wrote it again", bool(manifests()))
        expect("manifest-missing: lane again", sess, "lane", tries=12, wait=0.5)

        mu_plugin("fastbeat-fallback-hooks.php", PLUGIN_HOOKS)
        expect("plugin-hooks: dashboard beat on the full path", sess, "full", tries=3,
               must=b'"fallback-probe":"logged-in"')
        expect("plugin-hooks: logged-out beat on the full path", None, "full", screen="front", tries=3,
               must=b'"fallback-probe":"logged-out"')
        settle()
        expect("plugin-hooks: still the full path once settled (manifest says no)", sess, "full", tries=4,
               must=b'"fallback-probe":"logged-in"')

        mu_plugin("fastbeat-fallback-hooks.php", None)
        expect("settle: full path right after the plugin is removed", sess, "full", tries=3)
        settle()
        expect("hook-removed: lane again", sess, "lane", tries=12, wait=0.5)
        expect("hook-removed: logged-out lane again", None, "lane", screen="front", tries=12, wait=0.5)

        mu_plugin("fastbeat-fallback-pluggable.php", PLUGIN_PLUGGABLE)
        settle()
        expect("pluggable: replaced wp_get_current_user(), full path", sess, "full", tries=4)
        mu_plugin("fastbeat-fallback-pluggable.php", None)
        settle()
        expect("pluggable: removed, lane again", sess, "lane", tries=12, wait=0.5)

        os.utime(MU_DIR)
        expect("stale: watched directory touched, full path", sess, "full", tries=2)
        settle()
        expect("stale: lane again", sess, "lane", tries=12, wait=0.5)

        time.sleep(1.1)  # a rewrite in a new second, as an edit by hand would be
        for m in manifests():
            with open(m) as f:
                doc = json.load(f)
            doc["site"]["expires"] = int(time.time()) - 1
            with open(m, "w") as f:
                json.dump(doc, f)
        expect("expired: full path", sess, "full")
        expect("expired: lane again", sess, "lane", tries=12, wait=0.5)

        expect("autosave: full path", sess, "full", tries=2, screen="post",
               data={"wp_autosave": {"post_id": "0", "_wpnonce": "0123456789", "post_title": "x"}})
        expect("customizer: full path", sess, "full", tries=2, screen="customize",
               data={"check_changeset_lock": "true"})

        mariadb(stop=True)
        try:
            # A logged-out beat is answered without the database only while a full-path
            # request reached it within the last 2 s (src/lane/entry.rs).
            time.sleep(2.5)
            for who, s, screen, want in (("logged-in", sess, "dashboard", ("full",)),
                                         ("logged-out", None, "front", ("full",))):
                path, ok, diff, core = one(s, None, screen)
                down = b"database connection" in core.body
                result(f"database-down: {who} beat identical, {path} path", ok and down and path in want,
                       f"{core.status_line} {core.body[:80]!r}" + (f"; {diff}" if diff else ""))
        finally:
            mariadb(stop=False)
        # testbed/up.sh (which started it) rewrites the test bed's mu-plugin: a watched
        # directory changed, so a new manifest waits for the settle window.
        settle()
        expect("database-down: started again, lane again", sess, "lane", tries=12, wait=0.5)
    finally:
        for name in ("fastbeat-fallback-hooks.php", "fastbeat-fallback-pluggable.php"):
            mu_plugin(name, None)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
