#!/usr/bin/env python3
"""Fastbeat benchmark driver (Python 3 stdlib only). Normally run through bench/run.sh,
which stands the test bed up first and sources testbed/env.sh.

For each site (bare, then busy with the synthetic plugins active) and each scenario
(dashboard beat, post-editor beat with wp-refresh-post-lock, logged-out beat) it runs R
interleaved rounds; in each round every variant (floor, core, Fastbeat full path,
Fastbeat fast lane when available) runs in rotated order:

  wrk -t2 -c8 -d<D>   -> requests/s (and CPU per beat under load, kept in data.json)
  wrk -t1 -c1 -d<D>   -> p50 / p99 latency, server CPU per beat (php-fpm pool tree and
                         mariadbd, utime+stime from /proc), database statements per beat
                         (MariaDB global Questions / Com_* deltas)

then a separate pass per site measures peak PHP memory (fixture bench-peak-memory, which
hooks only `shutdown`), and the in-process handler micro-benchmark runs once
(bench/handler-micro.php). Writes data.json, report.md and chart.svg to --out, prints a
progress line per step, checks that every figure exists and ends with `N passed, N failed`.

Usage: bench.py --out DIR [--short] [--rounds R] [--duration S] [--busy-count N]
                [--variants core,lane] [--sites bare] [--no-memory] [--no-micro]

On a test bed variant (testbed/env.sh FASTBEAT_VARIANT) it measures what clients of that
variant reach: the TLS front FASTBEAT_PROXY_FRONT names (proxy), the site FASTBEAT_SITE_PATH
names (multisite); with the object cache (redis) server CPU also counts redis-server.
"""

import argparse
import concurrent.futures
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "parity"))
sys.path.insert(0, os.path.join(REPO, "tools"))
sys.path.insert(0, HERE)
import fbclient as fb  # noqa: E402
import report  # noqa: E402
from beat_cost import pidfile, tree_cpu_ticks  # noqa: E402  (the same /proc CPU accounting)

TICKS = os.sysconf("SC_CLK_TCK")
NONCE_LIVES = (86400,)  # the bench's beats use WordPress's default nonce life (no nonce-life fixture)
AJAX = fb.AJAX  # the site's (FASTBEAT_SITE_PATH: a network's site)
MEMORY_FIXTURE = "bench-peak-memory"
# Floor: a trivial PHP file answering a JSON literal, served by the core pool. The first
# path that answers 200 is used (testbed/floor.php when the test bed maps it, else the
# test bed probe, which is nearly as trivial: see the report's notes).
FLOOR_PATHS = ["/__fastbeat-testbed/floor.php", "/__fastbeat-testbed/probe.php"]


# --------------------------------------------------------------------------- what is measured


class Variant:
    """One column of the comparison: which php-fpm pool (test bed variant) answers, on
    which path, with which extra request headers."""

    def __init__(self, name, label, pool, path=AJAX, headers=(), floor=False, optional=False, lane=None):
        self.name, self.label, self.pool, self.path = name, label, pool, path
        self.headers = list(headers)
        self.floor = floor
        self.optional = optional  # skipped with a note when its pool is not in the test bed
        self.lane = lane  # None: no extension; False: lane vetoed; True: lane allowed


VARIANTS = [
    Variant("floor", "floor (trivial PHP)", "core", floor=True),
    Variant("core", "WordPress core", "core"),
    # The same pool twice: the extension's veto header sends a beat down the full path
    # (docs/DESIGN.md, "Fast lane"), without it an eligible beat takes the lane.
    Variant("full", "Fastbeat full path", "fastbeat", headers=[("X-Fastbeat-Lane", "off")], lane=False),
    Variant("lane", "Fastbeat fast lane", "fastbeat", lane=True),
]


class Scenario:
    def __init__(self, name, label, who, screen, interval, data, expect, owner_interval):
        self.name, self.label, self.who, self.screen = name, label, who, screen
        self.interval, self.data, self.expect = interval, data, re.compile(expect)
        self.owner_interval = owner_interval  # seconds between beats, for the site-owner table


# The deployed-lane suite's beat shape (tests/lane/deployed.py SHAPES) of each scenario.
LANE_SHAPE = {"dashboard": "nodata", "editor": "postlock", "loggedout": "nopriv"}

POST_PLACEHOLDER = "__FBPOST__"
LOCK_POSTS = 300  # posts the editor beat rotates over (bench/lock-posts.php explains why)


def scenarios(tb):
    return [
        Scenario("dashboard", "logged-in dashboard beat", "admin", "dashboard", "60", None,
                 r'^\{"wp-auth-check":true,"server_time":\d+\}$', 60),
        Scenario("editor", "post-editor beat with wp-refresh-post-lock", "admin", "post", "10",
                 {"wp-refresh-post-lock": {"post_id": POST_PLACEHOLDER, "lock": f"1700000000:{tb['users']['admin']}"}},
                 r'^\{"wp-refresh-post-lock":\{"new_lock":"\d+:1"\},"wp-auth-check":true,"server_time":\d+\}$', 10),
        Scenario("loggedout", "logged-out beat", None, "front", "60", None,
                 r'^\{"wp-auth-check":false,"server_time":\d+\}$', 60),
    ]


SITES = [("bare", "bare site (no other plugins)"), ("busy", "busy site (synthetic plugins)")]


# --------------------------------------------------------------------------- helpers


def env(name, default=None):
    v = os.environ.get(name, default)
    if v is None:
        raise SystemExit(f"bench: {name} is not set: run through bench/run.sh (it sources testbed/env.sh)")
    return v


def pool_port(pool):
    """The port a client reaches the pool on (the variant proxy's core and fastbeat: through
    the TLS front FASTBEAT_PROXY_FRONT names, fbclient.env_port())."""
    v = os.environ.get("FASTBEAT_PORT_" + pool.upper().replace("-", "_"))
    if v and pool in ("core", "fastbeat"):
        return fb.env_port(pool)
    return int(v) if v else None


def cache_pid():
    """redis-server's pid when the test bed has the object cache (variant redis), else None:
    its CPU counts as server CPU per beat too."""
    if not os.environ.get("FASTBEAT_REDIS_SOCKET"):
        return None
    return pidfile("redis.pid")


def pool_available(pool):
    return pool in env("FASTBEAT_VARIANTS", "").split() and pool_port(pool) is not None


def wait_idle(pid, quiet=0.1, limit=5.0):
    """Wait until the php-fpm pool has used no CPU for `quiet` seconds; returns the wait."""
    t0 = time.monotonic()
    last = tree_cpu_ticks(pid)
    while time.monotonic() - t0 < limit:
        time.sleep(quiet)
        now = tree_cpu_ticks(pid)
        if now == last:
            break
        last = now
    return round(time.monotonic() - t0, 2)


DB_COUNTERS = ("Questions", "Com_select", "Com_insert", "Com_update", "Com_delete", "Com_set_option", "Connections")


def db_status():
    out = subprocess.run(
        ["mariadb", "--no-defaults", "--socket=" + env("FASTBEAT_DB_SOCKET"), "-uroot", "-N", "-B", "-e",
         "SHOW GLOBAL STATUS WHERE Variable_name IN (" + ",".join(f"'{c}'" for c in DB_COUNTERS) + ")"],
        check=True, capture_output=True, text=True).stdout
    vals = {}
    for line in out.splitlines():
        k, _, v = line.partition("\t")
        vals[k] = int(v)
    return vals


def db_sql(sql):
    return fb.db(sql)


def lua_str(s):
    out = []
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c in '\\"':
            out.append("\\" + c)
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append(f"\\{ch:03d}")
    return '"' + "".join(out) + '"'


WRK_DONE = r'''
-- Count the requests written, not only those answered: a request in flight when wrk stops
-- is still served (and costs CPU and statements), so per-beat figures divide by this
-- (less one: wrk calls request() once on thread 0 to verify the script).
-- The editor beat rotates over several posts (ids), each thread from its own offset.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", (#threads - 1) * 97)
end
function init(args) sent = 0 end
function request()
  sent = sent + 1
  if #ids == 0 then return wrk.format() end
  return wrk.format(nil, nil, nil, body_prefix .. ids[((offset + sent) % #ids) + 1] .. body_suffix)
end
done = function(summary, latency, requests)
  local e = summary.errors
  local total_sent = 0
  for _, t in ipairs(threads) do total_sent = total_sent + t:get("sent") end
  io.write(string.format('FBJSON {"requests":%d,"sent":%d,"duration_us":%d,"bytes":%d,"err_connect":%d,"err_read":%d,' ..
    '"err_write":%d,"err_status":%d,"err_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d}\n',
    summary.requests, total_sent, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
'''


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


class Progress:
    def __init__(self, total):
        self.total, self.n, self.t0 = total, 0, time.monotonic()

    def line(self, msg):
        self.n += 1
        el = int(time.monotonic() - self.t0)
        left = int(el / self.n * (self.total - self.n))
        print(f"bench: [{self.n:>3}/{self.total}] {el // 60:d}:{el % 60:02d} (~{left // 60:d}:{left % 60:02d} left) {msg}",
              flush=True)


# --------------------------------------------------------------------------- the benchmark


class Bench:
    def __init__(self, args):
        self.args = args
        self.D = env("FASTBEAT_TESTBED_DIR")
        self.tb = fb.info()  # the site's testbed.json (FASTBEAT_SITE_PATH: a network's site)
        self.host = env("FASTBEAT_SITE_HOST")
        self.scenarios = scenarios(self.tb)
        self.variants = []
        self.notes = []
        self.checks = []  # (name, ok, detail)
        self.samples = []  # one dict per wrk run
        self.memory = {}  # site -> scenario -> variant -> [bytes]
        self.bodies = {}  # site -> scenario -> variant -> masked body
        self.tmp = tempfile.mkdtemp(prefix="fastbeat-bench-")
        self.sessions = {}
        self.floor_path = None
        self.db_overhead = {}
        self.busy_plugins = []
        self.busy_active = False
        self.lock_posts = [self.tb["posts"]["lock-own"]]
        self.post_i = 0
        self.sites = [s for s in SITES if s[0] in args.sites]

    # ----- checks
    def check(self, name, ok, detail=""):
        self.checks.append({"name": name, "ok": bool(ok), "detail": detail})
        if not ok:
            print(f"bench: CHECK FAILED: {name} {detail}", flush=True)
        return ok

    # ----- requests
    def session(self, who):
        if who is None:
            return None
        if who not in self.sessions:
            users = {"admin": (env("FASTBEAT_ADMIN_USER"), env("FASTBEAT_ADMIN_PASSWORD"))}
            login, pw = users[who]
            # A user's session tokens grow with every login the test bed's suites make (and
            # the answer reads them all): measure with this one session only.
            fb.db(f"DELETE FROM wp_usermeta WHERE user_id = {int(self.tb['users'][who])} AND meta_key = 'session_tokens'")
            self.sessions[who] = fb.login(pool_port("core"), login, pw, self.tb["users"][who], self.tb["cookiehash"])
        return self.sessions[who]

    def request_parts(self, variant, scen):
        """(path, headers [(k, v)], body bytes) of one beat as a browser sends it."""
        sess = self.session(scen.who)
        pairs = []
        if scen.data is not None:
            pairs += fb.jq_param({"data": scen.data})
        # The nonce of this tick, minted for each use (a warm-up send, a wrk run's script): a
        # run of 20 minutes or more may cross a tick boundary, after which the login's nonce
        # would be answered as state 2 (refreshed nonces), not as the beat measured.
        pairs += [("interval", scen.interval), ("_nonce", sess.mint_nonce() if sess else ""), ("action", "heartbeat"),
                  ("screen_id", scen.screen), ("has_focus", "false")]
        headers = [("User-Agent", fb.UA), ("Accept", fb.ACCEPT_JSON),
                   ("Content-Type", fb.FORM_CT), ("X-Requested-With", "XMLHttpRequest")]
        if sess:
            headers.append(("Cookie", sess.cookie_header()))
        headers += variant.headers
        path = self.floor_path if variant.floor else variant.path
        return path, headers, fb.form(pairs)

    def send(self, variant, scen, extra_headers=()):
        path, headers, body = self.request_parts(variant, scen)
        body = body.replace(POST_PLACEHOLDER.encode(), str(self.next_post()).encode())
        return fb.request(pool_port(variant.pool), "POST", path, headers + list(extra_headers), body, host=self.host)

    def next_post(self):
        self.post_i = (self.post_i + 1) % len(self.lock_posts)
        return self.lock_posts[self.post_i]

    def lua(self, variant, scen):
        path, headers, body = self.request_parts(variant, scen)
        body = body.decode("ascii")
        prefix, _, suffix = body.partition(POST_PLACEHOLDER)
        ids = self.lock_posts if POST_PLACEHOLDER in body else []
        lines = ['wrk.method = "POST"', f"wrk.path = {lua_str(path)}", f"wrk.body = {lua_str(prefix if ids else body)}",
                 f"body_prefix, body_suffix = {lua_str(prefix)}, {lua_str(suffix)}",
                 "ids = {" + ",".join(str(i) for i in ids) + "}",
                 f'wrk.headers["Host"] = {lua_str(self.host)}']
        lines += [f"wrk.headers[{lua_str(k)}] = {lua_str(v)}" for k, v in headers]
        fn = os.path.join(self.tmp, f"{variant.name}-{scen.name}.lua")
        with open(fn, "w") as f:
            f.write("\n".join(lines) + "\n" + WRK_DONE)
        return fn

    # ----- set-up
    def probe(self, pool):
        r = fb.request(pool_port(pool), "GET", "/__fastbeat-testbed/probe.php?wp=1", [], host=self.host)
        return r.json() if r.status == 200 else {}

    def setup(self):
        tv = os.environ.get("FASTBEAT_VARIANT")
        if tv:
            what = {"proxy": f"beats through the TLS front `{os.environ.get('FASTBEAT_PROXY_FRONT', 'tls')}` (nginx, "
                             "proxying to the origin; its CPU is not counted)",
                    "redis": "persistent object cache (redis-server, counted in server CPU per beat)",
                    "multisite": f"subdirectory network, site `{fb.site_path()}`"}.get(tv, tv)
            self.notes.append(f"Test bed variant `{tv}`: {what}.")
        self.notes.append("The admin's session tokens are reset before the benchmark logs in (one session), so a "
                          "beat's cost does not grow with the sessions the test bed's suites left behind.")
        # Variants present in this test bed.
        for v in VARIANTS:
            if v.name not in self.args.variants:
                continue
            if pool_available(v.pool):
                self.variants.append(v)
            elif v.optional:
                self.notes.append(f"{v.label}: skipped, the test bed has no `{v.pool}` pool.")
            else:
                self.check(f"test bed has the {v.pool} pool for {v.name}", False)
        probes = {}
        for pool in sorted({v.pool for v in self.variants}):
            probes[pool] = self.probe(pool)
            self.check(f"probe of pool {pool}", probes[pool].get("variant") == pool, json.dumps(probes[pool])[:200])
        self.probes = probes
        fbp = probes.get("fastbeat", {})
        ok = bool(fbp.get("extension_loaded")) and bool(fbp.get("plugin_loaded"))
        self.check("fastbeat pool: extension loaded and plugin active", ok,
                   f"extension_loaded={fbp.get('extension_loaded')} plugin_loaded={fbp.get('plugin_loaded')}")
        if not ok:
            self.notes.append("The fastbeat pool did not have both the extension and the plugin: its figures are core code.")
        # Floor.
        for path in FLOOR_PATHS:
            r = fb.request(pool_port("core"), "POST", path, [("Content-Type", fb.FORM_CT)], b"action=heartbeat", host=self.host)
            if r.status == 200 and r.body[:1] == b"{":
                self.floor_path = path
                break
        self.check("floor endpoint answers", self.floor_path is not None)
        if self.floor_path and self.floor_path.endswith("probe.php"):
            self.notes.append("Floor: the test bed has no floor.php yet, so the floor is the test bed probe "
                              "(`/__fastbeat-testbed/probe.php` without `?wp=1`: a dozen builtin calls and "
                              "`json_encode`, no WordPress, no database). bench/floor.php is the intended file.")
        # What a status read itself adds to MariaDB's counters.
        reads = [db_status() for _ in range(4)]
        self.db_overhead = {c: median([reads[i + 1][c] - reads[i][c] for i in range(3)]) for c in DB_COUNTERS}
        # Log in once, before any concurrent sending.
        for who in sorted({sc.who for sc in self.scenarios if sc.who}):
            self.session(who)
        # Posts for the editor beat.
        r = subprocess.run(["php", "-d", "display_errors=stderr", os.path.join(HERE, "lock-posts.php"), str(LOCK_POSTS)],
                           capture_output=True, text=True)
        try:
            self.lock_posts = [int(x) for x in json.loads(r.stdout)]
        except ValueError:
            self.lock_posts = []
        self.check(f"{LOCK_POSTS} posts for the editor beat", len(self.lock_posts) == LOCK_POSTS, r.stderr[-300:])
        if not self.lock_posts:
            self.lock_posts = [self.tb["posts"]["lock-own"]]
        # Busy plugins (generated now, activated only for the busy phase).
        if "busy" in self.args.sites:
            out = subprocess.run([sys.executable, os.path.join(HERE, "busy-plugins", "gen.py"),
                                  os.path.join(self.D, "wp-content", "plugins"), "--count", str(self.args.busy_count)],
                                 check=True, capture_output=True, text=True).stdout
            self.busy_plugins = out.split()
            self.check(f"generated {self.args.busy_count} busy plugins", len(self.busy_plugins) == self.args.busy_count)
        self.busy(False)  # a previous run that died: start from the bare site

    def busy(self, on):
        cmd = ["php", "-d", "display_errors=stderr", "-d", "error_reporting=E_ALL&~E_DEPRECATED",
               os.path.join(HERE, "busy-plugins", "toggle.php")]
        cmd += ["on"] + self.busy_plugins if on else ["off"]
        self.busy_active = on
        r = subprocess.run(cmd, capture_output=True, text=True)
        try:
            n = json.loads(r.stdout.strip().splitlines()[-1])["active_busy"]
        except (ValueError, IndexError, KeyError):
            n = -1
        want = len(self.busy_plugins) if on else 0
        self.check(f"busy plugins {'activated' if on else 'deactivated'} ({n} active)", r.returncode == 0 and n == want,
                   r.stderr.strip()[-300:])
        return n

    # ----- steps
    def warm(self, site):
        """Warm every pool and worker on every scenario (opcache; the busy plugins' first-run
        writes; the lane's registration, which each worker makes on a full-path beat, and its
        manifest), then check every variant's answer against the expected shape and core's."""
        workers = int(env("FASTBEAT_FPM_WORKERS", "2"))
        for scen in self.scenarios:
            for v in self.variants:
                # Concurrent beats reach every worker of the pool (sequential ones may not).
                with concurrent.futures.ThreadPoolExecutor(max_workers=2 * workers) as ex:
                    list(ex.map(lambda _: self.send(v, scen), range(max(self.args.warm, 4 * workers))))
                # The answer checked is of one tick: sent again if a boundary passed meanwhile.
                r = fb.tick_stable(lambda: self.send(v, scen), lives=NONCE_LIVES)
                masked = re.sub(r"\d{9,}", "T", r.text())
                self.bodies.setdefault(site, {}).setdefault(scen.name, {})[v.name] = masked
                if v.floor:
                    ok = r.status == 200 and r.body[:1] == b"{"
                else:
                    ok = r.status == 200 and bool(scen.expect.search(r.text()))
                self.check(f"{site}/{scen.name}/{v.name}: answer is as expected", ok, f"{r.status_line} {r.text()[:200]}")
            core = self.bodies[site][scen.name].get("core")
            for v in self.variants:
                if not v.floor and v.name != "core":
                    got = self.bodies[site][scen.name][v.name]
                    self.check(f"{site}/{scen.name}: {v.name} body identical to core", got == core, f"{got[:120]} != {core[:120]}")

    def lane_counters(self, pool):
        """{worker pid: (lane, full)} from the probe, which the pool's workers answer in turn."""
        workers = int(env("FASTBEAT_FPM_WORKERS", "2"))
        seen = {}
        for _ in range(10 * workers):
            try:
                info = fb.request(pool_port(pool), "GET", "/__fastbeat-testbed/probe.php", [], b"", host=self.host).json()
            except (ValueError, OSError, fb.HTTPError):
                break
            lane = info.get("lane")
            if not isinstance(lane, dict) or "pid" not in info:
                return None  # no lane counters in this build or probe
            if "tally" in lane:
                # Beats by path: native logged in, native logged out, full.
                paths = [int(n) for n in lane["tally"].get("paths", [0, 0, 0])]
                seen[info["pid"]] = (paths[0] + paths[1], paths[2])
            else:
                seen[info["pid"]] = (int(lane.get("lane", 0)), int(lane.get("full", 0)))
            if len(seen) >= workers:
                break
        return seen

    def wrk(self, site, scen, variant, rnd, conns):
        threads = 1 if conns == 1 else 2
        dur = self.args.duration
        lua = self.lua(variant, scen)
        scheme = "https" if fb.tls_port(pool_port(variant.pool)) else "http"
        url = f"{scheme}://{env('FASTBEAT_BIND', '127.0.0.1')}:{pool_port(variant.pool)}{variant.path}"
        fpm_pid, db_pid, kv_pid = pidfile(f"php-fpm-{variant.pool}.pid"), pidfile("mariadb.pid"), cache_pid()
        lc0 = self.lane_counters(variant.pool) if variant.lane is not None else None
        idle0 = wait_idle(fpm_pid)  # what the previous run left in flight must not count here
        s0 = db_status()
        c0, d0 = tree_cpu_ticks(fpm_pid), tree_cpu_ticks(db_pid)
        k0 = tree_cpu_ticks(kv_pid) if kv_pid else 0
        load0 = os.getloadavg()[0]
        r = subprocess.run(["wrk", f"-t{threads}", f"-c{conns}", f"-d{dur}s", "--timeout", "10s", "-s", lua, url],
                           capture_output=True, text=True)
        idle1 = wait_idle(fpm_pid)  # requests still in flight when wrk stopped finish (and count)
        c1, d1 = tree_cpu_ticks(fpm_pid), tree_cpu_ticks(db_pid)
        k1 = tree_cpu_ticks(kv_pid) if kv_pid else 0
        s1 = db_status()
        lc1 = self.lane_counters(variant.pool) if variant.lane is not None else None
        m = re.search(r"^FBJSON (\{.*\})$", r.stdout, re.M)
        res = json.loads(m.group(1)) if m else {}
        n = res.get("requests", 0)
        sample = {"site": site, "scenario": scen.name, "variant": variant.name, "round": rnd, "conns": conns,
                  "threads": threads, "duration_s": dur, "load1": load0, "wrk": res,
                  "wrk_rc": r.returncode, "wrk_stderr": r.stderr.strip()[-300:], "idle_wait_s": [idle0, idle1]}
        # wrk calls request() once more than it sends (thread 0 verifies the script with it).
        sent = max(n, res.get("sent", 0) - 1)
        if n:
            secs = res["duration_us"] / 1e6
            errors = sum(res.get(k, 0) for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
            sample.update({
                "requests": n, "errors": errors, "rps": n / secs,
                "p50_ms": res["p50_us"] / 1000, "p90_ms": res["p90_us"] / 1000, "p99_ms": res["p99_us"] / 1000,
                "mean_ms": res["mean_us"] / 1000,
                "sent": sent,
                "fpm_cpu_ms": (c1 - c0) * 1000 / TICKS / sent, "db_cpu_ms": (d1 - d0) * 1000 / TICKS / sent,
            })
            sample["cpu_ms"] = sample["fpm_cpu_ms"] + sample["db_cpu_ms"]
            if kv_pid:
                sample["cache_cpu_ms"] = (k1 - k0) * 1000 / TICKS / sent
                sample["cpu_ms"] += sample["cache_cpu_ms"]
            for c in DB_COUNTERS:
                sample["db_" + c.lower()] = max(0, s1[c] - s0[c] - self.db_overhead[c]) / sent
        if lc0 is not None and lc1 is not None:
            common = set(lc0) & set(lc1)
            dl = sum(lc1[p][0] - lc0[p][0] for p in common)
            df = sum(lc1[p][1] - lc0[p][1] for p in common)
            sample["lane_beats"], sample["full_beats"] = dl, df
            sample["lane_share"] = dl / (dl + df) if dl + df else None
            sample["lane_workers_seen"] = len(common)
        self.samples.append(sample)
        return sample

    def memory_pass(self, site):
        log = os.path.join(self.D, "logs", "bench-peak-memory.log")
        for scen in self.scenarios:
            for v in self.variants:
                if v.floor:
                    continue
                with open(log, "w"):
                    pass
                shutil.chown(log, "www-data", "www-data")
                for _ in range(self.args.mem_requests):
                    r = self.send(v, scen, [("X-Fastbeat-Fixture", MEMORY_FIXTURE)])
                    if r.status != 200:
                        break
                with open(log) as f:
                    vals = [int(line.split("\t")[1]) for line in f if line.startswith(v.pool + "\t")]
                self.memory.setdefault(site, {}).setdefault(scen.name, {})[v.name] = vals

        os.unlink(log)

    def micro(self):
        so = env("FASTBEAT_EXT_SO")
        out = os.path.join(self.tmp, "micro.json")
        if not os.path.isfile(so):
            self.check("handler micro-benchmark (extension built)", False, f"{so} missing")
            return None
        micro = os.path.join(env("FASTBEAT_REPO", REPO), "bench", "handler-micro.php")
        r = subprocess.run(["php", "-d", f"extension={so}", micro,
                            str(self.args.micro_rounds), str(self.args.micro_calls), out],
                           capture_output=True, text=True, env=dict(os.environ, FASTBEAT_SITE_HOST=self.host))
        data = None
        if r.returncode == 0 and os.path.isfile(out):
            with open(out) as f:
                data = json.load(f)
            data["stdout"] = r.stdout
        self.check("handler micro-benchmark ran", data is not None, (r.stderr or r.stdout)[-300:])
        return data

    # ----- the run
    def plan(self):
        steps = []
        n = len(self.variants)
        for site, _ in self.sites:
            if site == "busy":
                steps.append(("busy_on", site))
            steps.append(("warm", site))
            for scen in self.scenarios:
                for rnd in range(self.args.rounds):
                    order = self.variants[rnd % n:] + self.variants[:rnd % n]
                    for v in order:
                        steps.append(("run", site, scen, v, rnd, 8))
                        steps.append(("run", site, scen, v, rnd, 1))
            if not self.args.no_memory:
                steps.append(("memory", site))
            if site == "bare" and not self.args.no_micro:
                steps.append(("micro", site))
            if site == "busy":
                steps.append(("busy_off", site))
        return steps

    def run(self):
        started = datetime.datetime.now(datetime.timezone.utc)
        t0 = time.monotonic()
        load_start = os.getloadavg()
        code0 = code_fingerprint()
        self.setup()
        steps = self.plan()
        prog = Progress(len(steps))
        micro = None
        try:
            for st in steps:
                kind, site = st[0], st[1]
                if kind == "busy_on":
                    k = self.busy(True)
                    prog.line(f"{site}: activated {k} synthetic plugins")
                elif kind == "busy_off":
                    k = self.busy(False)
                    prog.line(f"{site}: deactivated the synthetic plugins ({k} left active)")
                elif kind == "warm":
                    self.warm(site)
                    prog.line(f"{site}: warmed {len(self.variants)} variants x {len(self.scenarios)} scenarios, answers checked")
                elif kind == "memory":
                    self.memory_pass(site)
                    prog.line(f"{site}: peak-memory pass ({self.args.mem_requests} beats per variant and scenario)")
                elif kind == "micro":
                    micro = self.micro()
                    msg = "handler micro-benchmark: " + ("; ".join(
                        f"{k} {c['core_us']['median']:.2f} vs {c['fastbeat_us']['median']:.2f} us"
                        for k, c in micro["cases"].items()) if micro else "FAILED")
                    prog.line(msg)
                else:
                    _, site, scen, v, rnd, conns = st
                    for attempt in range(3):
                        t_mint = time.time()  # the wrk script's nonce is minted after this
                        s = self.wrk(site, scen, v, rnd, conns)
                        if not fb.tick_changed(t_mint, time.time(), NONCE_LIVES) or attempt == 2:
                            break
                        # Beats after the boundary were answered as state 2: not what this cell measures.
                        self.samples.remove(s)
                        print(f"bench: {site} {scen.name:<9} r{rnd + 1}/{self.args.rounds} {v.name:<5} c={conns}: "
                              "a nonce tick boundary passed during the run: running it again", flush=True)
                    if "requests" in s:
                        fig = (f"{s['rps']:8.1f} req/s" if conns == 8 else
                               f"p50 {s['p50_ms']:6.2f} ms  p99 {s['p99_ms']:6.2f} ms  CPU {s['cpu_ms']:6.2f} ms/beat  "
                               f"{s['db_questions']:5.1f} stmts"
                               + (f"  lane {s['lane_share'] * 100:3.0f}%" if s.get("lane_share") is not None else ""))
                    else:
                        fig = f"NO RESULT (wrk rc={s['wrk_rc']}: {s['wrk_stderr'][:120]})"
                    prog.line(f"{site} {scen.name:<9} r{rnd + 1}/{self.args.rounds} {v.name:<5} c={conns} "
                              f"{self.args.duration}s: {fig}")
        finally:
            if self.busy_active:
                self.busy(False)
            shutil.rmtree(self.tmp, ignore_errors=True)
        code1 = code_fingerprint()
        self.check("the code under test (wp-plugin/, the extension) did not change during the run", code0 == code1,
                   f"{code0} -> {code1}")
        finished = datetime.datetime.now(datetime.timezone.utc)
        data = {
            "schema": 1,
            "mode": "short" if self.args.short else "full",
            "command": "bench/run.sh" + (" --short" if self.args.short else ""),
            "started": started.isoformat(timespec="seconds"),
            "finished": finished.isoformat(timespec="seconds"),
            "elapsed_s": round(time.monotonic() - t0, 1),
            "load_start": load_start, "load_end": os.getloadavg(), "code_fingerprint": code0,
            "config": {"rounds": self.args.rounds, "duration_s": self.args.duration, "warm": self.args.warm,
                       "mem_requests": self.args.mem_requests, "busy_count": self.args.busy_count,
                       "micro_rounds": self.args.micro_rounds, "micro_calls": self.args.micro_calls,
                       "throughput": "wrk -t2 -c8", "latency_cpu": "wrk -t1 -c1",
                       "fixtures": os.environ.get("FASTBEAT_BENCH_FIXTURES", "").split(),
                       "floor_path": self.floor_path, "db_status_overhead": self.db_overhead, "clk_tck": TICKS},
            "machine": machine(self),
            "sites": [{"name": s, "label": lbl} for s, lbl in self.sites],
            "scenarios": [{"name": s.name, "label": s.label, "interval": s.owner_interval, "screen_id": s.screen}
                          for s in self.scenarios],
            "variants": [{"name": v.name, "label": v.label, "pool": v.pool, "floor": v.floor, "lane": v.lane,
                          "port": pool_port(v.pool), "path": self.floor_path if v.floor else v.path}
                         for v in self.variants],
            "busy_plugins": self.busy_plugins,
            "notes": self.notes,
            "samples": self.samples,
            "memory": self.memory,
            "micro": micro,
        }
        data["summary"] = report.summarize(data)
        return data

    def final_checks(self, data):
        summ = data["summary"]
        for site, _ in self.sites:
            for scen in self.scenarios:
                for v in self.variants:
                    cell = summ["cells"].get(site, {}).get(scen.name, {}).get(v.name)
                    name = f"{site}/{scen.name}/{v.name}"
                    if cell is None:
                        self.check(f"{name}: measured", False)
                        continue
                    figs = ["rps", "p50_ms", "p99_ms", "fpm_cpu_ms", "db_cpu_ms", "cpu_ms", "db_questions", "db_com_select"]
                    missing = [f for f in figs if not finite(cell.get(f, {}).get("median"))]
                    self.check(f"{name}: every figure is a number", not missing, "missing: " + ",".join(missing))
                    self.check(f"{name}: {cell['n_rounds']} rounds x 2 runs complete", cell["n_rounds"] == self.args.rounds
                               and cell["n_runs"] == 2 * self.args.rounds)
                    self.check(f"{name}: no wrk errors", cell["errors"] == 0, f"{cell['errors']} errors")
                    self.check(f"{name}: CPU per beat > 0", (cell["cpu_ms"]["median"] or 0) > 0)
                    if not v.floor and not v.lane and not self.args.no_memory:
                        self.check(f"{name}: peak memory measured", finite(cell.get("mem_mib", {}).get("median")))
        for site, _ in self.sites:
            for scen in self.scenarios:
                cs = summ["cells"].get(site, {}).get(scen.name, {})
                full = cs.get("full", {}).get("lane_share", {}).get("max")
                if "full" in cs:
                    self.check(f"{site}/{scen.name}: the full-path variant never took the lane (veto honoured)",
                               full is not None and full == 0, f"lane share up to {full}")
        shapes = os.environ.get("FASTBEAT_BENCH_LANE_SHAPES")
        if "lane" in self.args.variants and shapes is not None:
            # Fixtures installed (run.sh): each scenario's lane share is what the fixtures
            # leave to the lane (deployed.py's shape names), all or nothing.
            for site, _ in self.sites:
                for scen in self.scenarios:
                    share = summ["cells"].get(site, {}).get(scen.name, {}).get("lane", {}).get("lane_share", {})
                    if LANE_SHAPE[scen.name] in shapes.split():
                        self.check(f"{site}/{scen.name}: the lane answered (the fixtures leave this shape to it)",
                                   (share.get("min") or 0) >= 0.9, f"lane share {share.get('min')}")
                    else:
                        self.check(f"{site}/{scen.name}: the full path answered (the fixtures keep this shape off the lane)",
                                   share.get("max") == 0, f"lane share up to {share.get('max')}")
        elif "lane" in self.args.variants and "bare" in self.args.sites:
            lane = summ["cells"].get("bare", {}).get("dashboard", {}).get("lane", {}).get("lane_share", {}).get("min")
            self.check("bare/dashboard: the fast-lane variant was answered by the lane", lane is not None and lane >= 0.9,
                       f"lane share {lane}")
        if data["micro"]:
            ok = all(finite(c["core_us"]["median"]) and finite(c["fastbeat_us"]["median"]) for c in data["micro"]["cases"].values())
            self.check("micro-benchmark figures are numbers", ok and len(data["micro"]["cases"]) >= 4)
        owner = summ.get("owner", [])
        self.check("site-owner CPU-seconds/hour computed", bool(owner) and all(finite(r["core_s_per_h"]) and finite(r["fastbeat_s_per_h"]) for r in owner))


def code_fingerprint():
    """Hash of the code under test (the plugin tree the test bed links to, the extension),
    to tell whether it changed while the benchmark ran."""
    import hashlib
    h = hashlib.sha256()
    paths = []
    code = env("FASTBEAT_REPO", REPO)
    for root, dirs, files in os.walk(os.path.join(code, "wp-plugin")):
        dirs[:] = sorted(d for d in dirs if d != "tests")
        paths += [os.path.join(root, f) for f in sorted(files)]
    paths.append(env("FASTBEAT_EXT_SO", os.path.join(code, "target", "release", "libfastbeat.so")))
    for path in paths:
        try:
            with open(path, "rb") as f:
                h.update(path.encode() + b"\0" + f.read())
        except OSError:
            h.update(path.encode() + b"\0missing")
    return h.hexdigest()[:16]


def finite(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def cmd_out(cmd, stderr=False):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (r.stderr if stderr else r.stdout).strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(bench):
    info = {"nproc": os.cpu_count(), "kernel": platform.release()}
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            info["cpu_model"] = m.group(1).strip() if m else "?"
        with open("/proc/meminfo") as f:
            m = re.search(r"^MemTotal:\s*(\d+) kB", f.read(), re.M)
            info["mem_gib"] = round(int(m.group(1)) / 1048576, 1) if m else None
    except OSError:
        pass
    try:
        with open("/etc/os-release") as f:
            m = re.search(r'^PRETTY_NAME="?([^"\n]*)', f.read(), re.M)
            info["os"] = m.group(1) if m else "?"
    except OSError:
        info["os"] = "?"
    fpm = shutil.which("php-fpm8.2") or shutil.which("php-fpm") or "php-fpm8.2"
    info["php"] = (cmd_out([fpm, "-v"]).splitlines() or ["?"])[0]
    ini = cmd_out([fpm, "-i"])
    keep = ("opcache.enable", "opcache.jit", "opcache.jit_buffer_size", "opcache.memory_consumption",
            "opcache.interned_strings_buffer", "opcache.max_accelerated_files", "opcache.validate_timestamps",
            "opcache.revalidate_freq", "opcache.preload")
    op = {}
    for line in ini.splitlines():
        k, _, rest = line.partition(" => ")
        if k.strip() in keep:
            op[k.strip()] = rest.split(" => ")[-1].strip()
    info["fpm_opcache"] = op
    info["fpm_opcache_active"] = {p: pr.get("opcache") for p, pr in getattr(bench, "probes", {}).items()}
    info["fpm_workers_per_pool"] = int(env("FASTBEAT_FPM_WORKERS", "2"))
    info["fpm_pm"] = "static"
    info["fastbeat_version"] = getattr(bench, "probes", {}).get("fastbeat", {}).get("fastbeat_version")
    info["wordpress"] = bench.tb.get("wp_version")
    info["theme"] = bench.tb.get("stylesheet")
    try:
        info["mariadb"] = db_sql("SELECT VERSION()")[0][0]
    except Exception:  # noqa: BLE001
        info["mariadb"] = "?"
    info["nginx"] = cmd_out(["nginx", "-v"], stderr=True).replace("nginx version: ", "")
    info["wrk"] = (cmd_out(["wrk", "-v"]) or "?").splitlines()[0].split(" [")[0]
    info["python"] = platform.python_version()
    src = os.environ.get("FASTBEAT_BENCH_SOURCE_REPO", REPO)
    rev = cmd_out(["git", "-C", src, "rev-parse", "--short", "HEAD"])
    dirty = cmd_out(["git", "-C", src, "status", "--porcelain", "--", "wp-plugin", "src", "Cargo.toml", "Cargo.lock",
                     "build.rs", "testbed"])
    n = len(dirty.splitlines())
    info["git"] = rev + (f" with uncommitted changes in {n} files of the code under test" if n else "")
    return info


def _stop(signum, frame):
    """First SIGINT/SIGTERM: unwind (the busy plugins are restored in a finally); ignore later ones."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print(f"bench: interrupted by signal {signum}: restoring the site", flush=True)
    raise KeyboardInterrupt


def main():
    # Explicit handlers: run.sh starts this in the background, where SIGINT would be ignored.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--short", action="store_true", help="CI mode: 2 rounds of 1 s runs, small micro-benchmark")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--duration", type=int, help="seconds per wrk run")
    ap.add_argument("--busy-count", type=int, default=24)
    ap.add_argument("--variants", default=",".join(v.name for v in VARIANTS),
                    help="which of " + ",".join(v.name for v in VARIANTS) + " (default all)")
    ap.add_argument("--sites", default=",".join(s for s, _ in SITES), help="bare, busy or both (default)")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory pass")
    ap.add_argument("--no-micro", action="store_true", help="skip the handler micro-benchmark")
    args = ap.parse_args()
    args.variants = [v for v in args.variants.split(",") if v]
    args.sites = [s for s in args.sites.split(",") if s]
    unknown = set(args.variants) - {v.name for v in VARIANTS} | set(args.sites) - {s for s, _ in SITES}
    if unknown or "core" not in args.variants or not args.sites:
        raise SystemExit(f"bench: --variants must name core and any of floor,full,lane; --sites bare and/or busy ({unknown})")
    if args.short:
        defaults = dict(rounds=2, duration=1, warm=5, mem_requests=3, micro_rounds=3, micro_calls=300)
    else:
        defaults = dict(rounds=5, duration=6, warm=20, mem_requests=10, micro_rounds=15, micro_calls=2000)
    for k, v in defaults.items():
        if getattr(args, k, None) is None:
            setattr(args, k, v)
    if args.rounds < 1 or args.duration < 1:
        raise SystemExit("bench: --rounds and --duration must be >= 1")
    os.makedirs(args.out, exist_ok=True)
    b = Bench(args)
    try:
        data = b.run()
    except KeyboardInterrupt:
        print("bench: interrupted; the busy plugins were deactivated", flush=True)
        print("0 passed, 1 failed")
        return 130
    b.final_checks(data)
    # Files first (the report shows the checks), then the checks that the files are right.
    data["checks"] = b.checks
    report.write_all(data, args.out)
    b.check("data.json, report.md and chart.svg written", all(
        os.path.getsize(os.path.join(args.out, f)) > 200 for f in ("data.json", "report.md", "chart.svg")))
    import xml.etree.ElementTree as ET
    try:
        ET.parse(os.path.join(args.out, "chart.svg"))
        svg_ok = True
    except ET.ParseError:
        svg_ok = False
    b.check("chart.svg is well-formed SVG", svg_ok)
    data["checks"] = b.checks
    report.write_all(data, args.out)  # again, so the report lists every check
    report.print_headline(data)
    failed = sum(1 for c in b.checks if not c["ok"])
    print(f"bench: results in {args.out}/ (report.md, chart.svg, data.json)")
    print(f"{len(b.checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
