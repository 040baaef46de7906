#!/usr/bin/env python3
"""Heartbeat cost on Apache 2.4 prefork with mod_php: WordPress core against Fastbeat, side
by side (tools/beat_cost.py's method), plus throughput. Run through bench/apache.sh, which
stands the Apache pair up (testbed/apache.sh, 8 children each, no access log) and sets the
environment (`testbed/apache.sh env`).

For each beat (logged-in dashboard; block-editor post lock, rotating over 300 posts so each
beat writes its lock as a real editor's does; logged out), R interleaved rounds; in each
round every variant runs in rotated order:

  CPU per beat  sequential beats (at least --beats, for at least --seconds), each on a fresh
                connection (as tools/beat_cost.py):
                utime+stime of the server's processes (the Apache master and its children;
                php-fpm's master and workers for --with-fpm) and of mariadbd, from /proc
  throughput    wrk -t2 -c8 -d<D> (keep-alive): requests/s, and CPU per beat under load

Before timing, a variant's answer is checked against the expected response and core's; the
fastbeat variants' share answered by the lane comes from the workers' own counts. Medians
of the rounds, min-max, ratios core / Fastbeat. Writes data.json and report.md to --out.

  bench/apache.py [--rounds 5] [--beats 100] [--seconds 4] [--duration 5] [--scenarios dashboard,postlock,loggedout]
                  [--with-fpm] [--out DIR]

Ends with "N passed, N failed" (checks: answers as expected, every figure present, no wrk
errors, the lane answered Fastbeat's beats).
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "parity"))
sys.path.insert(0, os.path.join(REPO, "tools"))
import fbclient as fb  # noqa: E402
from beat_cost import tree_cpu_ticks  # noqa: E402  (the same /proc accounting)
sys.path.insert(0, HERE)
from bench import lua_str  # noqa: E402  (wrk scripts written the same way)

TICKS = os.sysconf("SC_CLK_TCK")
AJAX = fb.AJAX
# The floor: the cheapest PHP answer (bench/floor.php, a JSON literal), no WordPress.
FLOOR = "/__fastbeat-testbed/floor.php"
LOCK_POSTS = 300
CT = "application/x-www-form-urlencoded; charset=UTF-8"


class Variant:
    def __init__(self, name, label, port, pidfile, lane, hold, path=AJAX):
        self.name, self.label, self.port, self.pidfile = name, label, port, pidfile
        self.lane = lane  # whether the extension's lane may answer (fastbeat variants)
        self.hold = hold  # prefork: probe counts over held connections
        self.path = path  # the floor answers a trivial PHP file instead of admin-ajax.php

    def server_pid(self):
        with open(self.pidfile) as f:
            return int(f.read().strip())


def variants(with_fpm):
    tb = fb.env("FASTBEAT_TESTBED_DIR")
    out = [Variant("apache-floor", "Apache + mod_php, a trivial PHP file", fb.env_port("core"),
                   fb.env("FASTBEAT_SERVER_PIDFILE_CORE"), False, True, FLOOR),
           Variant("apache-core", "Apache + mod_php, core", fb.env_port("core"),
                   fb.env("FASTBEAT_SERVER_PIDFILE_CORE"), False, True),
           Variant("apache-fastbeat", "Apache + mod_php, Fastbeat", fb.env_port("fastbeat"),
                   fb.env("FASTBEAT_SERVER_PIDFILE_FASTBEAT"), True, True)]
    if with_fpm:
        out += [Variant("fpm-core", "nginx + php-fpm, core", int(fb.env("FASTBEAT_BED_PORT_CORE")),
                        os.path.join(tb, "run", "php-fpm-core.pid"), False, False),
                Variant("fpm-fastbeat", "nginx + php-fpm, Fastbeat", int(fb.env("FASTBEAT_BED_PORT_FASTBEAT")),
                        os.path.join(tb, "run", "php-fpm-fastbeat.pid"), True, False)]
    return out


SCENARIOS = {
    "dashboard": ("logged-in dashboard beat", r'^\{"wp-auth-check":true,"server_time":\d+\}$'),
    "postlock": ("block-editor beat, wp-refresh-post-lock",
                 r'^\{"wp-refresh-post-lock":\{"new_lock":"\d+:\d+"\},"wp-auth-check":true,"server_time":\d+\}$'),
    "loggedout": ("logged-out beat", r'^\{"wp-auth-check":false,"server_time":\d+\}$'),
}


def pidfile_pid(path):
    with open(path) as f:
        return int(f.read().strip())


def wait_idle(pids, quiet=0.2, limit=5.0):
    """Until the processes used no CPU for `quiet` seconds (what was in flight finished)."""
    t0 = time.monotonic()
    last = sum(tree_cpu_ticks(p) for p in pids)
    while time.monotonic() - t0 < limit:
        time.sleep(quiet)
        now = sum(tree_cpu_ticks(p) for p in pids)
        if now == last:
            break
        last = now


def wait_quiet(max_load, limit):
    """Wait (at most `limit` s) for the 1-minute load average to drop below max_load."""
    t0 = time.monotonic()
    while os.getloadavg()[0] > max_load and time.monotonic() - t0 < limit:
        time.sleep(5)
    return os.getloadavg()[0]


class Bench:
    def __init__(self, args):
        self.args = args
        self.tb = json.load(open(os.path.join(fb.env("FASTBEAT_TESTBED_DIR"), "testbed.json")))
        self.uid = self.tb["users"]["admin"]
        # The bed's admin collects a session per login across test runs; every logged-in
        # beat reads them all (session_tokens): start from none.
        fb.db(f"DELETE FROM wp_usermeta WHERE user_id = {self.uid} AND meta_key = 'session_tokens'")
        self.sess = fb.login(fb.env_port("core"), fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"),
                             self.uid, self.tb["cookiehash"])
        self.db_pid = pidfile_pid(os.path.join(fb.env("FASTBEAT_TESTBED_DIR"), "run", "mariadb.pid"))
        r = subprocess.run(["php", "-d", "display_errors=stderr", os.path.join(HERE, "lock-posts.php"), str(LOCK_POSTS)],
                           capture_output=True, text=True, timeout=300)
        self.lock_posts = json.loads(r.stdout) if r.returncode == 0 else []
        self.checks = []
        self.next_post = 0

    def check(self, name, ok, detail=""):
        self.checks.append((name, bool(ok), detail))
        if not ok:
            print(f"  CHECK FAILED: {name}: {detail}", flush=True)

    # ------------------------------------------------------------------ requests
    def body(self, scen, post=None):
        if scen == "loggedout":
            return fb.form([("interval", "60"), ("action", "heartbeat"), ("screen_id", "front"), ("has_focus", "false")])
        pairs = [("interval", "10" if scen == "postlock" else "60"), ("_nonce", self.sess.mint_nonce()),
                 ("action", "heartbeat"), ("screen_id", "post" if scen == "postlock" else "dashboard"),
                 ("has_focus", "false")]
        if scen == "postlock":
            pairs += fb.jq_param({"wp-refresh-post-lock": {"post_id": str(post), "lock": f"1700000000:{self.uid}"}},
                                 "data")
        return fb.form(pairs)

    def headers(self, scen):
        h = [("Content-Type", CT), ("X-Requested-With", "XMLHttpRequest")]
        if scen != "loggedout":
            h.append(("Cookie", self.sess.cookie_header()))
        return h

    def post(self):
        self.next_post = (self.next_post + 1) % len(self.lock_posts)
        return self.lock_posts[self.next_post]

    def beat(self, v, scen):
        return fb.request(v.port, "POST", v.path, self.headers(scen), self.body(scen, self.post() if scen == "postlock" else None))

    def lane(self, v):
        if not v.lane:
            return None
        return fb.lane_paths(port=v.port, hold=v.hold, pidfile=v.pidfile if v.hold else None)[0]

    # ------------------------------------------------------------------ one variant, one round
    def sequential(self, v, scen):
        """beat_cost.py's measurement: N beats in a row, fresh connections; CPU per beat."""
        pids = [v.server_pid(), self.db_pid]
        wait_idle(pids)
        c0, d0, t0 = tree_cpu_ticks(pids[0]), tree_cpu_ticks(self.db_pid), time.perf_counter()
        bad = n = 0
        # At least --beats, and for at least --seconds: cheap variants get many more beats
        # (clock ticks are 10 ms; a few thousand beats make the per-beat figure exact).
        while n < self.args.beats or time.perf_counter() - t0 < self.args.seconds:
            r = self.beat(v, scen)
            bad += r.status != 200
            n += 1
        t1 = time.perf_counter()
        wait_idle(pids)
        c1, d1 = tree_cpu_ticks(pids[0]), tree_cpu_ticks(self.db_pid)
        return {"server_cpu_ms": (c1 - c0) * 1000 / TICKS / n, "db_cpu_ms": (d1 - d0) * 1000 / TICKS / n,
                "cpu_ms": ((c1 - c0) + (d1 - d0)) * 1000 / TICKS / n, "wall_ms": (t1 - t0) * 1000 / n, "non200": bad,
                "beats": n}

    def lua(self, v, scen):
        lines = ['wrk.method = "POST"', f'wrk.headers["Host"] = {lua_str(fb.env("FASTBEAT_SITE_HOST"))}']
        lines += [f"wrk.headers[{lua_str(k)}] = {lua_str(val)}" for k, val in self.headers(scen)]
        if scen == "postlock":
            marker = "__POST__"
            text = self.body(scen, marker).decode()
            prefix, suffix = text.split(marker, 1)
            ids = self.lock_posts
        else:
            prefix, suffix, ids = self.body(scen).decode(), "", []
        lines += [f"body_prefix = {lua_str(prefix)}", f"body_suffix = {lua_str(suffix)}",
                  "ids = {" + ",".join(str(i) for i in ids) + "}", WRK_LUA]
        f = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, prefix="fb-apache-bench-")
        f.write("\n".join(lines))
        f.close()
        return f.name

    def throughput(self, v, scen):
        pids = [v.server_pid(), self.db_pid]
        lua = self.lua(v, scen)
        try:
            wait_idle(pids)
            c0, d0 = tree_cpu_ticks(pids[0]), tree_cpu_ticks(self.db_pid)
            r = subprocess.run(["wrk", "-t2", "-c8", f"-d{self.args.duration}s", "--timeout", "10s", "-s", lua,
                                f"http://{fb.env('FASTBEAT_BIND', '127.0.0.1')}:{v.port}{v.path}"],
                               capture_output=True, text=True, timeout=self.args.duration + 60)
            wait_idle(pids)
            c1, d1 = tree_cpu_ticks(pids[0]), tree_cpu_ticks(self.db_pid)
        finally:
            os.unlink(lua)
        m = re.search(r"^FBJSON (\{.*\})$", r.stdout, re.M)
        res = json.loads(m.group(1)) if m else {}
        n = res.get("requests", 0)
        if not n:
            return {"rps": None, "wrk_rc": r.returncode, "wrk_stderr": r.stderr[-300:]}
        sent = max(n, res.get("sent", 0) - 1)
        return {"rps": n / (res["duration_us"] / 1e6), "requests": n,
                "errors": sum(res.get(k, 0) for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout")),
                "load_cpu_ms": ((c1 - c0) + (d1 - d0)) * 1000 / TICKS / sent,
                "p50_ms": res["p50_us"] / 1000, "p99_ms": res["p99_us"] / 1000}

    def verify(self, vs, scen):
        """Every variant answers as expected, and as core does (apart from times)."""
        rx = re.compile(SCENARIOS[scen][1])
        bodies = {}
        for v in vs:
            if v.path != AJAX:
                r = self.beat(v, scen)
                self.check(f"{scen}/{v.name}: answers 200", r.status == 200, r.status_line)
                continue
            r = self.beat(v, scen)
            text = r.text()
            self.check(f"{scen}/{v.name}: expected answer", r.status == 200 and rx.match(text),
                       f"{r.status_line} {text[:160]!r}")
            bodies[v.name] = re.sub(r"\d+", "N", text)
        self.check(f"{scen}: every variant answers alike", len(set(bodies.values())) == 1, repr(bodies))

    def run(self):
        vs = variants(self.args.with_fpm)
        scens = [s for s in self.args.scenarios.split(",") if s]
        samples = []
        t_start = time.time()
        for scen in scens:
            self.verify(vs, scen)
        for rnd in range(self.args.rounds):
            load = wait_quiet(self.args.max_load, 120)
            print(f"round {rnd + 1}/{self.args.rounds} (load {load:.2f})", flush=True)
            for scen in scens:
                order = vs if rnd % 2 == 0 else list(reversed(vs))
                for v in order:
                    # Warm: every child sees a few beats (each learns on its own first ones).
                    lua = self.lua(v, scen)
                    subprocess.run(["wrk", "-t2", "-c8", "-d1s", "-s", lua, f"http://127.0.0.1:{v.port}{v.path}"],
                                   capture_output=True, timeout=60)
                    os.unlink(lua)
                    l0 = self.lane(v)
                    s = {"round": rnd, "scenario": scen, "variant": v.name, "load1": os.getloadavg()[0]}
                    s.update(self.sequential(v, scen))
                    l1 = self.lane(v)
                    s.update(self.throughput(v, scen))
                    if l0 is not None and l1 is not None:
                        d = {k: l1[k] - l0[k] for k in l1}
                        total = sum(d.values())
                        s["lane_share"] = (d["native"] + d["nopriv"]) / total if total else None
                        s["lane_paths"] = d
                    samples.append(s)
                    share = f", lane {s['lane_share']:.0%}" if s.get("lane_share") is not None else ""
                    rps = f"{s['rps']:.0f}" if s.get("rps") else "?"
                    print(f"  {scen:<10} {v.name:<16} cpu {s['cpu_ms']:7.3f} ms/beat, {rps:>6} req/s{share}", flush=True)
        # Clean up the locks the editor beats wrote.
        if self.lock_posts:
            fb.db("DELETE FROM wp_postmeta WHERE meta_key = '_edit_lock' AND post_id IN ("
                  + ",".join(str(i) for i in self.lock_posts) + ")")
        return vs, scens, samples, time.time() - t_start


WRK_LUA = r'''
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", (#threads - 1) * 97)
end
function init(args) sent = 0 end
function request()
  sent = sent + 1
  if #ids == 0 then return wrk.format(nil, nil, nil, body_prefix) end
  return wrk.format(nil, nil, nil, body_prefix .. ids[((offset + sent) % #ids) + 1] .. body_suffix)
end
done = function(summary, latency, requests)
  local e = summary.errors
  local total_sent = 0
  for _, t in ipairs(threads) do total_sent = total_sent + t:get("sent") end
  io.write(string.format('FBJSON {"requests":%d,"sent":%d,"duration_us":%d,"err_connect":%d,"err_read":%d,' ..
    '"err_write":%d,"err_status":%d,"err_timeout":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, total_sent, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
'''


def summarize(vs, scens, samples):
    rows = {}
    for scen in scens:
        for v in vs:
            ss = [s for s in samples if s["scenario"] == scen and s["variant"] == v.name]
            cell = {}
            for key in ("cpu_ms", "server_cpu_ms", "db_cpu_ms", "wall_ms", "rps", "load_cpu_ms", "lane_share", "p50_ms"):
                vals = [s[key] for s in ss if s.get(key) is not None]
                if vals:
                    cell[key] = {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}
            cell["errors"] = sum(s.get("errors", 0) or 0 for s in ss) + sum(s.get("non200", 0) for s in ss)
            rows[(scen, v.name)] = cell
    return rows


def report(args, vs, scens, rows, seconds, checks):
    med = lambda scen, v, k: rows[(scen, v)].get(k, {}).get("median")  # noqa: E731
    pairs = [("apache-core", "apache-fastbeat", "Apache + mod_php")]
    if args.with_fpm:
        pairs.append(("fpm-core", "fpm-fastbeat", "nginx + php-fpm"))
    lines = [f"# Heartbeat cost on Apache 2.4 prefork + mod_php ({datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC)", "",
             f"WordPress {args.wp_version}, PHP {args.php}, {args.apache}, {os.cpu_count()} cores; "
             f"{args.rounds} interleaved rounds; per round and variant sequential beats on fresh connections for "
             f"{args.seconds:g} s, at least {args.beats} (server CPU per beat: the server's processes + mariadbd, utime+stime from /proc) and "
             f"`wrk -t2 -c8 -d{args.duration}s` (requests/s). Medians (min–max).", ""]
    for core, fast, label in pairs:
        lines += [f"## {label}", "",
                  "| beat | core CPU ms | Fastbeat CPU ms | core ÷ Fastbeat | req/s core → Fastbeat | ratio | "
                  "CPU ms under load core → Fastbeat | beats the lane answered |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for scen in scens:
            c, f = med(scen, core, "cpu_ms"), med(scen, fast, "cpu_ms")
            rc, rf = med(scen, core, "rps"), med(scen, fast, "rps")
            lc, lf = med(scen, core, "load_cpu_ms"), med(scen, fast, "load_cpu_ms")
            share = med(scen, fast, "lane_share")
            rng = lambda v, k: "({:.3g}–{:.3g})".format(rows[(scen, v)][k]["min"], rows[(scen, v)][k]["max"])  # noqa: E731
            lines.append(
                f"| {SCENARIOS[scen][0]} | {c:.2f} {rng(core, 'cpu_ms')} | {f:.3f} {rng(fast, 'cpu_ms')} | "
                f"**{c / f:.1f}×** | {rc:,.0f} → {rf:,.0f} | {rf / rc:.1f}× | {lc:.2f} → {lf:.3f} ({lc / lf:.1f}×) | "
                f"{share:.0%} |" if None not in (c, f, rc, rf, lc, lf, share) else f"| {scen} | missing figures | | | | | | |")
        lines.append("")
    if any(v.name == "apache-floor" for v in vs):
        lines += ["Floor (Apache + mod_php answering bench/floor.php, a JSON literal, no WordPress; "
                  "the same beats' bytes): " + ", ".join(
                      f"{scen} {med(scen, 'apache-floor', 'cpu_ms'):.3f} ms/beat, "
                      f"{med(scen, 'apache-floor', 'rps'):,.0f} req/s" for scen in scens
                      if med(scen, "apache-floor", "cpu_ms") is not None and med(scen, "apache-floor", "rps"))
                  + ". Server CPU here is the whole web server (on nginx + php-fpm: php-fpm only, nginx not counted).", ""]
    lines += ["Checks:", ""] + [f"- {'ok' if ok else 'FAILED'} {n}{': ' + d if d and not ok else ''}" for n, ok, d in checks]
    lines += ["", f"Run time {seconds:.0f} s. Load average at each round's start: see data.json."]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--beats", type=int, default=100, help="sequential beats per run, at least")
    ap.add_argument("--seconds", type=float, default=4.0, help="sequential beats per run for at least this long")
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--scenarios", default="dashboard,postlock,loggedout")
    ap.add_argument("--with-fpm", action="store_true", help="also the same site on the bed's nginx + php-fpm")
    ap.add_argument("--max-load", type=float, default=1.5, help="wait (up to 2 min) for a lower load before a round")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    for s in args.scenarios.split(","):
        if s not in SCENARIOS:
            ap.error(f"unknown scenario {s}")
    b = Bench(args)
    b.check(f"{LOCK_POSTS} posts for the post-lock beat", len(b.lock_posts) == LOCK_POSTS)
    vs, scens, samples, seconds = b.run()
    rows = summarize(vs, scens, samples)
    for scen in scens:
        for v in vs:
            cell = rows[(scen, v.name)]
            b.check(f"{scen}/{v.name}: every figure", all(k in cell for k in ("cpu_ms", "rps", "load_cpu_ms")))
            b.check(f"{scen}/{v.name}: no errors", cell["errors"] == 0, f"{cell['errors']} errors or non-200 answers")
            if v.lane:
                share = cell.get("lane_share", {}).get("median")
                b.check(f"{scen}/{v.name}: the lane answered", share is not None and share > 0.9, f"share {share}")
    args.wp_version = b.tb.get("wp_version", "?")
    args.php = subprocess.run(["php", "-r", "echo PHP_VERSION;"], capture_output=True, text=True).stdout
    args.apache = (subprocess.run(["/usr/sbin/apache2", "-v"], capture_output=True, text=True).stdout.splitlines() or ["?"])[0]
    args.apache = args.apache.replace("Server version: ", "")
    text = report(args, vs, scens, rows, seconds, b.checks)
    print(text)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "report.md"), "w") as f:
            f.write(text)
        with open(os.path.join(args.out, "data.json"), "w") as f:
            json.dump({"args": {k: v for k, v in vars(args).items()}, "host": platform.node(),
                       "samples": samples, "checks": b.checks,
                       "summary": {f"{k[0]}/{k[1]}": v for k, v in rows.items()}}, f, indent=1)
    passed = sum(1 for _, ok, _ in b.checks if ok)
    print(f"{passed} passed, {len(b.checks) - passed} failed")
    return 0 if passed == len(b.checks) else 1


if __name__ == "__main__":
    sys.exit(main())
