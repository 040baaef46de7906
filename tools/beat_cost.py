#!/usr/bin/env python3
"""Side-by-side cost of heartbeats on the test bed: core against Fastbeat.

Logs in as a browser would, then sends interleaved rounds of sequential beats to each
variant's port and reads the CPU time of that variant's php-fpm processes (and of
MariaDB) from /proc. Prints median wall ms and CPU ms per beat and their ratios.

Usage: tools/beat_cost.py [--beats N] [--rounds R] [--variants core,fastbeat] [--json FILE]
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "parity"))
import fbclient  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_ticks(root_pid):
    """utime+stime (clock ticks) of a process and its descendants (children of every thread)."""
    total, pids, seen = 0, [root_pid], set()
    while pids:
        pid = pids.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    pids.extend(int(p) for p in f.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def pidfile(name):
    path = os.path.join(os.environ.get("FASTBEAT_TESTBED_DIR", "/tmp/fastbeat-testbed"), "run", name)
    with open(path) as f:
        return int(f.read().strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--beats", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--variants", default="core,fastbeat")
    ap.add_argument("--json", default="")
    ap.add_argument("--logged-out", action="store_true", help="beats without cookies (wp_ajax_nopriv_heartbeat)")
    args = ap.parse_args()
    variants = args.variants.split(",")
    host = os.environ.get("FASTBEAT_SITE_HOST", "127.0.0.1:18081")
    info_path = os.path.join(os.environ.get("FASTBEAT_TESTBED_DIR", "/tmp/fastbeat-testbed"), "testbed.json")
    with open(info_path) as f:
        info = json.load(f)
    cookiehash = info["cookiehash"]
    sess = fbclient.login(fbclient.env_port("core"), os.environ.get("FASTBEAT_ADMIN_USER", "admin"),
                          os.environ.get("FASTBEAT_ADMIN_PASSWORD", "admin-pass-1"), info["users"]["admin"], cookiehash)
    body = fbclient.form([("interval", "60"), ("_nonce", sess.nonce), ("action", "heartbeat"),
                          ("screen_id", "dashboard"), ("has_focus", "false")])
    headers = [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"),
               ("X-Requested-With", "XMLHttpRequest")]
    if args.logged_out:
        body = fbclient.form([("interval", "60"), ("action", "heartbeat"), ("screen_id", "front"), ("has_focus", "false")])
    else:
        headers.append(("Cookie", sess.cookie_header()))
    db_pid = pidfile("mariadb.pid")
    wall = {v: [] for v in variants}
    cpu = {v: [] for v in variants}
    db = {v: [] for v in variants}
    bodies = {}
    for r in range(args.rounds):
        order = variants if r % 2 == 0 else list(reversed(variants))
        for v in order:
            port = fbclient.env_port(v)
            vh = [("X-Fastbeat-Lane", "off")] if v == "fastbeat-full" else []
            fpm = pidfile(f"php-fpm-{'fastbeat' if v == 'fastbeat-full' else v}.pid")
            for _ in range(5):  # warm the workers
                fbclient.request(port, "POST", "/wp-admin/admin-ajax.php", headers + vh, body, host=host)
            c0, d0, t0 = tree_cpu_ticks(fpm), tree_cpu_ticks(db_pid), time.perf_counter()
            for _ in range(args.beats):
                resp = fbclient.request(port, "POST", "/wp-admin/admin-ajax.php", headers + vh, body, host=host)
            t1, c1, d1 = time.perf_counter(), tree_cpu_ticks(fpm), tree_cpu_ticks(db_pid)
            bodies[v] = (resp.status, resp.text().split('"server_time"')[0])
            wall[v].append((t1 - t0) * 1000 / args.beats)
            cpu[v].append((c1 - c0) * 1000 / TICKS / args.beats)
            db[v].append((d1 - d0) * 1000 / TICKS / args.beats)
    base = variants[0]
    print(f"{'variant':<12} {'wall ms/beat':>13} {'php-fpm CPU ms':>15} {'MariaDB CPU ms':>15} {'vs ' + base:>9}")
    report = {}
    for v in variants:
        w, c, d = (statistics.median(x[v]) for x in (wall, cpu, db))
        ratio = statistics.median(wall[base]) / w if w else 0.0
        print(f"{v:<12} {w:13.2f} {c:15.2f} {d:15.2f} {ratio:8.2f}x")
        report[v] = {"wall_ms": w, "fpm_cpu_ms": c, "db_cpu_ms": d, "speedup_vs_" + base: ratio}
    same = len({b for b in bodies.values()}) == 1
    print(f"identical responses (status and body before server_time): {'yes' if same else 'NO'}")
    print(f"{args.rounds} interleaved rounds x {args.beats} sequential beats per variant; medians")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"beats": args.beats, "rounds": args.rounds, "variants": report, "identical": same}, f, indent=2)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
