#!/usr/bin/env python3
"""Fastbeat benchmark report: summary figures, report.md and chart.svg from data.json.

bench/bench.py calls it at the end of a run; it can also regenerate a report from a
stored run (Python 3 stdlib only):

    python3 bench/report.py bench/results/<name>        # rewrites report.md and chart.svg
"""

import json
import math
import os
import statistics
import sys
from xml.sax.saxutils import escape

OWNER_TABS = (1, 10, 50)
# Where the site-owner table takes its beat cost from, and at which interval (core's defaults).
OWNER_ROWS = (("dashboard", 60, "dashboard tab (60 s)"), ("editor", 10, "block editor tab (10 s, WordPress 6.7+)"))
COLORS = {"floor": "#9a9a9a", "core": "#c8414b", "full": "#2f7fb0", "lane": "#2d9a4a"}


# --------------------------------------------------------------------------- figures


def mmm(values):
    vals = [v for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if not vals:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def best_fastbeat(variants):
    """The Fastbeat variant a site owner would run: the fast lane when measured, else the full path."""
    names = [v["name"] for v in variants]
    return "lane" if "lane" in names else ("full" if "full" in names else None)


def summarize(data):
    cells = {}
    for s in data["samples"]:
        cell = cells.setdefault(s["site"], {}).setdefault(s["scenario"], {}).setdefault(
            s["variant"], {"c8": [], "c1": [], "errors": 0, "rounds": set()})
        cell["c8" if s["conns"] > 1 else "c1"].append(s)
        cell["errors"] += s.get("errors", 0) if "requests" in s else 1
        cell["rounds"].add(s["round"])
    out = {}
    for site, scens in cells.items():
        for scen, vs in scens.items():
            for v, c in vs.items():
                ok8 = [s for s in c["c8"] if "requests" in s]
                ok1 = [s for s in c["c1"] if "requests" in s]
                r = {
                    "n_rounds": len(c["rounds"]), "n_runs": len(ok8) + len(ok1), "errors": c["errors"],
                    "rps": mmm(s["rps"] for s in ok8),
                    "cpu_ms_c8": mmm(s["cpu_ms"] for s in ok8),
                    "requests_c8": sum(s["requests"] for s in ok8), "requests_c1": sum(s["requests"] for s in ok1),
                }
                r["lane_share"] = mmm(s.get("lane_share") for s in ok8 + ok1)
                for k in ("p50_ms", "p90_ms", "p99_ms", "fpm_cpu_ms", "db_cpu_ms", "cpu_ms", "db_questions",
                          "db_com_select", "db_connections"):
                    r[k] = mmm(s[k] for s in ok1)
                r["db_writes"] = mmm(s["db_com_insert"] + s["db_com_update"] + s["db_com_delete"] for s in ok1)
                mem = data.get("memory", {}).get(site, {}).get(scen, {}).get(v)
                r["mem_mib"] = mmm(x / 1048576 for x in mem) if mem else mmm([])
                # The memory fixture runs only where WordPress loads mu-plugins, i.e. on the full
                # path: where the lane answered the timed beats, a figure would be the full path's.
                if v == "lane" and (r["lane_share"]["max"] or 0) > 0:
                    r["mem_mib"] = mmm([])
                    r["mem_na"] = "lane"
                out.setdefault(site, {}).setdefault(scen, {})[v] = r
    # Ratios of medians against core and against the floor.
    for site, scens in out.items():
        for scen, vs in scens.items():
            core, floor = vs.get("core"), vs.get("floor")
            for v, r in vs.items():
                r["ratios"] = {}
                for key in ("rps", "p50_ms", "cpu_ms", "fpm_cpu_ms"):
                    r["ratios"][key + "_vs_core"] = ratio(r[key]["median"], core[key]["median"]) if core else None
                    r["ratios"][key + "_vs_floor"] = ratio(r[key]["median"], floor[key]["median"]) if floor else None
    fb = best_fastbeat(data["variants"])
    owner = []
    for site in [s["name"] for s in data["sites"]]:
        for scen, interval, label in OWNER_ROWS:
            cs = out.get(site, {}).get(scen, {})
            core = cs.get("core", {}).get("cpu_ms", {}).get("median")
            fast = cs.get(fb, {}).get("cpu_ms", {}).get("median") if fb else None
            for n in OWNER_TABS:
                per_h = 3600 / interval * n / 1000
                owner.append({
                    "site": site, "scenario": scen, "label": label, "interval_s": interval, "tabs": n,
                    "fastbeat_variant": fb,
                    "core_s_per_h": core * per_h if core is not None else None,
                    "fastbeat_s_per_h": fast * per_h if fast is not None else None,
                })
    for row in owner:
        c, f = row["core_s_per_h"], row["fastbeat_s_per_h"]
        row["saved_s_per_h"] = c - f if c is not None and f is not None else None
    return {"cells": out, "owner": owner, "fastbeat_variant": fb}


# --------------------------------------------------------------------------- formatting


def fmt(x, unit=""):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    a = abs(x)
    if a >= 1000:
        s = f"{x:,.0f}".replace(",", " ")
    elif a >= 100:
        s = f"{x:.0f}"
    elif a >= 10:
        s = f"{x:.1f}"
    elif a >= 1:
        s = f"{x:.2f}"
    elif a == 0:
        s = "0"
    else:
        s = f"{x:.3f}"
    return s + unit


def fmt_mmm(m, unit=""):
    if not m or m.get("median") is None:
        return "n/a"
    if m.get("n", 2) <= 1 or m.get("min") is None or m["min"] == m["max"]:
        return fmt(m["median"], unit)
    return f"{fmt(m['median'], unit)} <sub>{fmt(m['min'])}–{fmt(m['max'])}</sub>"


def fmt_ratio(x):
    if x is None:
        return "n/a"
    if x >= 100:
        return f"{x:.0f}×"
    if x >= 10:
        return f"{x:.1f}×"
    if x >= 0.1:
        return f"{x:.2f}×"
    return f"{x:.2g}×"


def label_of(data, kind, name):
    for x in data[kind]:
        if x["name"] == name:
            return x["label"]
    return name


def machine_lines(data):
    m = data["machine"]
    op = m.get("fpm_opcache", {})
    active = m.get("fpm_opcache_active", {})
    opc = (f"opcache.enable={op.get('opcache.enable', '?')} (active in every pool: "
           f"{'yes' if active and all(active.values()) else 'no'}), JIT "
           f"{'off' if op.get('opcache.jit_buffer_size', '0') in ('0', '') else op.get('opcache.jit', '?')}, "
           f"memory_consumption={op.get('opcache.memory_consumption', '?')} MB, "
           f"validate_timestamps={op.get('opcache.validate_timestamps', '?')}, "
           f"revalidate_freq={op.get('opcache.revalidate_freq', '?')}")
    return [
        f"CPU: {m.get('nproc')} × {m.get('cpu_model', '?')}; memory {m.get('mem_gib')} GiB; {m.get('os', '?')}, Linux {m.get('kernel')}",
        f"PHP: {m.get('php')}; php-fpm pm={m.get('fpm_pm')}, {m.get('fpm_workers_per_pool')} workers per pool",
        f"opcache (php-fpm): {opc}",
        f"WordPress {m.get('wordpress')} (Debian package, theme {m.get('theme')}), MariaDB {m.get('mariadb')} "
        f"(unix socket), {m.get('nginx')}, {m.get('wrk')}, Python {m.get('python')}",
        f"Fastbeat extension {m.get('fastbeat_version') or 'not loaded'}, repository at {m.get('git')} "
        f"(code under test fingerprint {data.get('code_fingerprint', '?')}, unchanged during the run unless a check below says so)",
        f"Load average (1 min) at start {data['load_start'][0]:.2f}, at end {data['load_end'][0]:.2f}; "
        f"run took {data['elapsed_s'] / 60:.1f} min",
    ]


# --------------------------------------------------------------------------- markdown


def headline_rows(data):
    summ = data["summary"]
    fb = summ["fastbeat_variant"]
    rows = []
    for site in data["sites"]:
        for scen in data["scenarios"]:
            cs = summ["cells"].get(site["name"], {}).get(scen["name"], {})
            core, fast, floor, full = cs.get("core"), cs.get(fb) if fb else None, cs.get("floor"), cs.get("full")
            if not core or not fast:
                continue
            rows.append({
                "site": site["name"], "scenario": scen["name"],
                "core_cpu": core["cpu_ms"]["median"], "fast_cpu": fast["cpu_ms"]["median"],
                "full_cpu": full["cpu_ms"]["median"] if full else None,
                "floor_cpu": floor["cpu_ms"]["median"] if floor else None,
                "cpu_x": ratio(core["cpu_ms"]["median"], fast["cpu_ms"]["median"]),
                "full_x": ratio(core["cpu_ms"]["median"], full["cpu_ms"]["median"]) if full else None,
                "core_rps": core["rps"]["median"], "fast_rps": fast["rps"]["median"],
                "rps_x": ratio(fast["rps"]["median"], core["rps"]["median"]),
                "core_p50": core["p50_ms"]["median"], "fast_p50": fast["p50_ms"]["median"],
                "lane_share": fast.get("lane_share", {}).get("median"),
                "core_stmts": core["db_questions"]["median"], "fast_stmts": fast["db_questions"]["median"],
            })
    return rows


def fmt_share(m):
    if not m or m.get("median") is None:
        return "–"
    lo, hi = m["min"], m["max"]
    if round(lo * 100) == round(hi * 100):
        return f"{hi * 100:.0f} %"
    return f"{m['median'] * 100:.0f} % <sub>{lo * 100:.0f}–{hi * 100:.0f}</sub>"


def markdown(data):
    summ = data["summary"]
    fb = summ["fastbeat_variant"]
    fb_label = label_of(data, "variants", fb) if fb else "Fastbeat"
    cfg = data["config"]
    L = []
    L.append(f"# Fastbeat benchmark: {data['mode']} run of {data['started'][:16].replace('T', ' ')} UTC")
    L.append("")
    L.append(f"Generated by `bench/report.py` from the measured data in `data.json` (`{data['command']}`). "
             f"{cfg['rounds']} interleaved rounds per scenario; in each round every variant runs, in rotated order, "
             f"`{cfg['throughput']} -d{cfg['duration_s']}s` (requests/s) then `{cfg['latency_cpu']} -d{cfg['duration_s']}s` "
             "(latency, CPU and database statements per beat). Figures are medians over rounds with "
             "<sub>min–max</sub>; ratios are ratios of medians.")
    L.append("")
    L.append("## Headline")
    L.append("")
    L.append("Server CPU per beat (php-fpm + MariaDB) and database statements per beat, WordPress core against "
             "Fastbeat. The fast lane answers a beat only when it can prove the answer is core's; other beats take the "
             "full path, so the lane column is what a site gets (the share of beats the lane answered is shown).")
    L.append("")
    L.append("| site | beat | core CPU ms | full path CPU ms | fast lane CPU ms | core ÷ fast lane | answered by the lane | "
             "floor CPU ms | DB statements core → lane | req/s core → lane | p50 ms core → lane |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in headline_rows(data):
        share = "–" if r["lane_share"] is None else f"{r['lane_share'] * 100:.0f} %"
        L.append(f"| {r['site']} | {r['scenario']} | {fmt(r['core_cpu'])} | {fmt(r['full_cpu'])} | {fmt(r['fast_cpu'])} | "
                 f"**{fmt_ratio(r['cpu_x'])}** | {share} | {fmt(r['floor_cpu'])} | {fmt(r['core_stmts'])} → {fmt(r['fast_stmts'])} | "
                 f"{fmt(r['core_rps'])} → {fmt(r['fast_rps'])} | {fmt(r['core_p50'])} → {fmt(r['fast_p50'])} |")
    L.append("")
    L.append("![Server CPU per heartbeat](chart.svg)")
    L.append("")
    L.append("## Machine")
    L.append("")
    L += [f"- {x}" for x in machine_lines(data)]
    if data["config"].get("fixtures"):
        L.append("- Plugins installed for the whole run (tests/lane/fixtures): "
                 + ", ".join(f"`{n}`" for n in data["config"]["fixtures"]))
    L.append("- Everything on one machine over loopback: wrk, nginx, the php-fpm pools and MariaDB share the cores, "
             "and other work on the machine adds noise; compare ratios measured in one run.")
    L.append("")
    L.append("## Variants")
    L.append("")
    for v in data["variants"]:
        L.append(f"- **{v['name']}** — {v['label']}: pool `{v['pool']}` on port {v['port']}, `{v['path']}`")
    for n in data["notes"]:
        L.append(f"- Note: {n}")
    no_mem = [f"{site}/{scen}" for site, scens in summ["cells"].items() for scen, vs in scens.items()
              if vs.get("lane", {}).get("mem_na")]
    if no_mem:
        L.append("- Note: no peak-memory figure for the fast lane where it answered (" + ", ".join(no_mem) + "): the "
                 "fixture that records `memory_get_peak_usage()` is loaded through the test bed's mu-plugin, which the "
                 "lane never loads.")
    L.append("")
    for site in data["sites"]:
        L.append(f"## Results: {site['label']}")
        L.append("")
        if site["name"] == "busy":
            L.append(f"{len(data['busy_plugins'])} synthetic plugins (`bench/busy-plugins/gen.py`) active: each registers a "
                     "post type, a taxonomy and post meta on `init`, reads its options, checks a cron event, and does "
                     "typical `admin_init` work (settings registration, capability checks, transients, user meta); "
                     "some register a block or scripts. None touches heartbeat.")
            L.append("")
        for scen in data["scenarios"]:
            cs = summ["cells"].get(site["name"], {}).get(scen["name"], {})
            L.append(f"### {scen['label']} (`screen_id={scen['screen_id']}`)")
            L.append("")
            L.append("| variant | req/s (c=8) | p50 ms | p99 ms | php-fpm CPU ms/beat | MariaDB CPU ms/beat | "
                     "CPU ms/beat | CPU ÷ core | CPU ÷ floor | DB statements/beat | SELECT | writes | peak PHP MiB | lane |")
            L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for v in data["variants"]:
                c = cs.get(v["name"])
                if not c:
                    L.append(f"| {v['label']} | not measured |||||||||||||")
                    continue
                L.append(f"| {v['label']} | {fmt_mmm(c['rps'])} | {fmt_mmm(c['p50_ms'])} | {fmt_mmm(c['p99_ms'])} | "
                         f"{fmt_mmm(c['fpm_cpu_ms'])} | {fmt_mmm(c['db_cpu_ms'])} | **{fmt(c['cpu_ms']['median'])}** | "
                         f"{fmt_ratio(c['ratios']['cpu_ms_vs_core'])} | {fmt_ratio(c['ratios']['cpu_ms_vs_floor'])} | "
                         f"{fmt_mmm(c['db_questions'])} | {fmt_mmm(c['db_com_select'])} | {fmt_mmm(c['db_writes'])} | "
                         f"{'n/a' if c.get('mem_na') else fmt_mmm(c['mem_mib'])} | {fmt_share(c.get('lane_share'))} |")
            L.append("")
    L.append("## Ratios")
    L.append("")
    L.append("Ratios of medians, per variant: CPU per beat and requests/s against core and against the floor, "
             "p50 latency against core.")
    L.append("")
    L.append("| site | beat | variant | CPU ÷ core | CPU ÷ floor | req/s ÷ core | req/s ÷ floor | p50 ÷ core |")
    L.append("|---|---|---|---:|---:|---:|---:|---:|")
    for site in data["sites"]:
        for scen in data["scenarios"]:
            for v in data["variants"]:
                c = summ["cells"].get(site["name"], {}).get(scen["name"], {}).get(v["name"])
                if not c:
                    continue
                q = c["ratios"]
                L.append(f"| {site['name']} | {scen['name']} | {v['name']} | {fmt_ratio(q['cpu_ms_vs_core'])} | "
                         f"{fmt_ratio(q['cpu_ms_vs_floor'])} | {fmt_ratio(q['rps_vs_core'])} | {fmt_ratio(q['rps_vs_floor'])} | "
                         f"{fmt_ratio(q['p50_ms_vs_core'])} |")
    L.append("")
    L.append("## What it means for a site owner")
    L.append("")
    L.append(f"CPU-seconds per hour spent answering heartbeats for N open admin tabs at core's default intervals "
             f"(CPU ms per beat × beats per hour × N ÷ 1000), WordPress core against {fb_label}. "
             "One core-hour is 3 600 CPU-seconds.")
    L.append("")
    L.append("| site | tab | open tabs | core CPU-s/h | " + fb_label + " CPU-s/h | saved CPU-s/h | core, % of one core |")
    L.append("|---|---|---:|---:|---:|---:|---:|")
    for r in summ["owner"]:
        pct = r["core_s_per_h"] / 36 if r["core_s_per_h"] is not None else None
        L.append(f"| {r['site']} | {r['label']} | {r['tabs']} | {fmt(r['core_s_per_h'])} | {fmt(r['fastbeat_s_per_h'])} | "
                 f"{fmt(r['saved_s_per_h'])} | {fmt(pct, ' %')} |")
    L.append("")
    L.append("WordPress 6.1.9 (the test bed) runs the block editor's heartbeat at 15 s by default; "
             "6.7 and later use 10 s, which is the figure used here. The cost per beat is the post-editor beat "
             "with `wp-refresh-post-lock` measured above.")
    L.append("")
    micro = data.get("micro")
    L.append("## In-process handler micro-benchmark")
    L.append("")
    if micro:
        L.append(f"`bench/handler-micro.php` ({micro['rounds']} rounds × {micro['calls']} calls, PHP CLI in one process on the "
                 "test bed's site, `wp_die` handler replaced): the heartbeat handler alone, without the WordPress boot.")
        L.append("")
        L.append("| case | core µs/call | Fastbeat µs/call | Fastbeat ÷ core |")
        L.append("|---|---:|---:|---:|")
        for name, c in micro["cases"].items():
            L.append(f"| {name} | {fmt_mmm(c['core_us'])} | {fmt_mmm(c['fastbeat_us'])} | {fmt_ratio(c['ratio'])} |")
    else:
        L.append("Not run (see the checks below).")
    L.append("")
    L.append("## How it was measured")
    L.append("")
    beats_min = min((c["requests_c1"] for scens in summ["cells"].values() for vs in scens.values() for c in vs.values()),
                    default=0)
    L.append(f"- Test bed: `testbed/up.sh` with a private state directory and ports (so the busy phase never touches "
             "another user's site); every request carries the same `Host:` header, so WordPress sees identical "
             "`$_SERVER` on every port.")
    L.append("- Beats are the bytes `heartbeat.js` sends (body order data, interval, _nonce, action, screen_id, "
             "has_focus), with the cookies and nonce of a real `wp-login.php` login; before measuring, each variant's "
             "answer is checked against the expected shape and against core's (identical apart from times).")
    L.append("- CPU per beat: utime+stime from `/proc` of the variant's php-fpm master and children, and of `mariadbd`, "
             "across the c=1 run, divided by the beats served: the requests wrk wrote, including one still in flight when "
             "it stopped (each window opens and closes with the pool idle, so nothing from the run before counts; clock tick "
             f"{1000 // cfg.get('clk_tck', 100)} ms; at least {beats_min} beats per cell over all rounds). nginx and wrk are not counted. The same figure under c=8 load is in "
             "`data.json` (`cpu_ms_c8`).")
    L.append(f"- Database statements per beat: MariaDB's global `Questions` (and `Com_select`, `Com_insert`, "
             f"`Com_update`, `Com_delete`) before and after the same c=1 window, less what the status query itself adds "
             f"({cfg['db_status_overhead'].get('Questions')} per read), divided by beats. The test bed's database "
             "serves nothing else.")
    L.append(f"- Peak PHP memory: a separate pass of {cfg['mem_requests']} beats per variant and scenario with the fixture "
             "`tests/fixtures/plugins/bench-peak-memory.php` (loaded by the test bed mu-plugin, hooks only "
             "`shutdown`, logs `memory_get_peak_usage()`), so it never runs during the timed runs. The floor does not "
             "load WordPress: n/a.")
    L.append("- Lane column: the share of beats the fast lane answered, from the extension's per-worker counters "
             "(`fastbeat_lane_status()`, read through the test bed probe before and after each run). The full-path "
             "variant sends the extension's veto header `X-Fastbeat-Lane: off`; the fast-lane variant sends the same beat "
             "without it, and the lane takes it only if the site's manifest proves the answer is core's.")
    L.append("- Editor beat: WordPress rewrites a post lock only when its value (`<time>:<user>`) changes, i.e. at most "
             "once a second per post. A real editor beats every 10 s and writes each time; to keep that true at benchmark "
             "rates the admin's beats rotate over 300 draft posts (`bench/lock-posts.php`). The `writes` column shows "
             "the share of beats that wrote.")
    L.append("")
    checks = data.get("checks", [])
    failed = [c for c in checks if not c["ok"]]
    L.append(f"Checks: {len(checks) - len(failed)} passed, {len(failed)} failed.")
    for c in failed:
        L.append(f"- FAILED: {c['name']} {c['detail']}")
    L.append("")
    return "\n".join(L)


# --------------------------------------------------------------------------- SVG


def nice_ticks(vmax, n=6):
    if vmax <= 0:
        return [0, 1], 1
    raw = vmax / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    top = math.ceil(vmax / step) * step
    ticks = [i * step for i in range(int(round(top / step)) + 1)]
    return ticks, top


def svg_chart(data):
    summ = data["summary"]
    variants = data["variants"]
    groups = [(s, sc) for s in data["sites"] for sc in data["scenarios"]]
    W, H = 1000, 560
    x0, x1, y0, y1 = 70, W - 20, 92, H - 120
    vmax = 0
    for s, sc in groups:
        for v in variants:
            c = summ["cells"].get(s["name"], {}).get(sc["name"], {}).get(v["name"])
            if c and c["cpu_ms"]["max"] is not None:
                vmax = max(vmax, c["cpu_ms"]["max"])
    ticks, top = nice_ticks(vmax * 1.08)

    def Y(v):
        return y1 - (y1 - y0) * (v / top if top else 0)

    o = []
    o.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
             'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">')
    o.append(f'<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>')
    o.append(f'<text x="{W / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">'
             'Server CPU per heartbeat (php-fpm + MariaDB), ms</text>')
    o.append(f'<text x="{W / 2}" y="43" text-anchor="middle" fill="#444">'
             f'median of {data["config"]["rounds"]} interleaved rounds, whiskers min–max; '
             'lighter top of a bar = MariaDB share; lower is better</text>')
    # Legend.
    lx = x0
    for v in variants:
        col = COLORS.get(v["name"], "#777")
        o.append(f'<rect x="{lx}" y="58" width="14" height="14" fill="{col}"/>')
        o.append(f'<text x="{lx + 19}" y="70">{escape(v["label"])}</text>')
        lx += 30 + 7.2 * len(v["label"])
    # Grid and axis.
    for t in ticks:
        y = Y(t)
        o.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        o.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{round(t, 6):g}</text>')
    o.append(f'<text x="18" y="{(y0 + y1) / 2}" transform="rotate(-90 18 {(y0 + y1) / 2})" text-anchor="middle" '
             'fill="#333">CPU ms per beat</text>')
    o.append(f'<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" stroke="#333"/>')
    gw = (x1 - x0) / max(1, len(groups))
    bw = gw * 0.78 / max(1, len(variants))
    for gi, (s, sc) in enumerate(groups):
        gx = x0 + gi * gw + gw * 0.11
        for vi, v in enumerate(variants):
            c = summ["cells"].get(s["name"], {}).get(sc["name"], {}).get(v["name"])
            bx = gx + vi * bw
            col = COLORS.get(v["name"], "#777")
            if not c or c["cpu_ms"]["median"] is None:
                o.append(f'<text x="{bx + bw / 2:.1f}" y="{y1 - 4}" text-anchor="middle" font-size="9" fill="#999">n/a</text>')
                continue
            total = c["cpu_ms"]["median"]
            fpm = c["fpm_cpu_ms"]["median"] or 0
            dbp = max(0.0, total - fpm)
            yt, yf = Y(total), Y(fpm)
            o.append(f'<rect x="{bx + 1:.1f}" y="{yf:.1f}" width="{bw - 2:.1f}" height="{max(0.5, y1 - yf):.1f}" fill="{col}">'
                     f'<title>{escape(v["label"])}, {s["name"]} {sc["name"]}: php-fpm {fmt(fpm)} ms</title></rect>')
            if dbp > 0:
                o.append(f'<rect x="{bx + 1:.1f}" y="{yt:.1f}" width="{bw - 2:.1f}" height="{max(0.5, yf - yt):.1f}" '
                         f'fill="{col}" fill-opacity="0.45"><title>MariaDB {fmt(dbp)} ms</title></rect>')
            lo, hi = c["cpu_ms"]["min"], c["cpu_ms"]["max"]
            cx = bx + bw / 2
            if hi is not None and lo is not None and hi > lo:
                o.append(f'<line x1="{cx:.1f}" y1="{Y(lo):.1f}" x2="{cx:.1f}" y2="{Y(hi):.1f}" stroke="#222"/>')
                for yy in (Y(lo), Y(hi)):
                    o.append(f'<line x1="{cx - 3:.1f}" y1="{yy:.1f}" x2="{cx + 3:.1f}" y2="{yy:.1f}" stroke="#222"/>')
            ty = min(yt, Y(hi) if hi is not None else yt) - 4
            o.append(f'<text x="{cx:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="10">{fmt(total)}</text>')
        o.append(f'<text x="{x0 + gi * gw + gw / 2:.1f}" y="{y1 + 17}" text-anchor="middle">{escape(sc["name"])}</text>')
    # Site brackets.
    per_site = len(data["scenarios"])
    for si, s in enumerate(data["sites"]):
        a, b = x0 + si * per_site * gw + 8, x0 + (si + 1) * per_site * gw - 8
        o.append(f'<line x1="{a:.1f}" y1="{y1 + 27}" x2="{b:.1f}" y2="{y1 + 27}" stroke="#666"/>')
        o.append(f'<text x="{(a + b) / 2:.1f}" y="{y1 + 44}" text-anchor="middle" font-weight="bold">{escape(s["label"])}</text>')
        if si:
            o.append(f'<line x1="{x0 + si * per_site * gw:.1f}" y1="{y0}" x2="{x0 + si * per_site * gw:.1f}" y2="{y1}" '
                     'stroke="#bbb" stroke-dasharray="4 3"/>')
    m = data["machine"]
    foot = (f"{m.get('nproc')} × {m.get('cpu_model', '?')}, PHP {m.get('php', '?').split()[1] if len(m.get('php', '').split()) > 1 else '?'} "
            f"php-fpm + opcache, WordPress {m.get('wordpress')}, MariaDB {m.get('mariadb', '?').split('-')[0]}; "
            f"{data['mode']} run {data['started'][:10]}; generated by bench/report.py from data.json")
    o.append(f'<text x="{W / 2}" y="{H - 40}" text-anchor="middle" fill="#555" font-size="11">{escape(foot)}</text>')
    hl = headline_rows(data)
    if hl:
        parts = [f"{r['site']} {r['scenario']} {fmt_ratio(r['cpu_x'])}" for r in hl]
        o.append(f'<text x="{W / 2}" y="{H - 20}" text-anchor="middle" fill="#222" font-size="11">'
                 f'core ÷ {escape(label_of(data, "variants", summ["fastbeat_variant"]))}: {escape(", ".join(parts))}</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


# --------------------------------------------------------------------------- entry points


def write_all(data, out):
    with open(os.path.join(out, "data.json"), "w") as f:
        json.dump(data, f, indent=1)
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(markdown(data))
    with open(os.path.join(out, "chart.svg"), "w") as f:
        f.write(svg_chart(data))


def print_headline(data):
    rows = headline_rows(data)
    print(f"bench: {'site':<5} {'beat':<10} {'core ms':>8} {'full ms':>8} {'lane ms':>8} {'core/lane':>9} {'lane %':>6} "
          f"{'floor ms':>9} {'core rps':>9} {'lane rps':>9}")
    for r in rows:
        share = "-" if r["lane_share"] is None else f"{r['lane_share'] * 100:.0f}"
        print(f"bench: {r['site']:<5} {r['scenario']:<10} {fmt(r['core_cpu']):>8} {fmt(r['full_cpu']):>8} {fmt(r['fast_cpu']):>8} "
              f"{fmt_ratio(r['cpu_x']):>9} {share:>6} {fmt(r['floor_cpu']):>9} {fmt(r['core_rps']):>9} {fmt(r['fast_rps']):>9}")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    with open(os.path.join(out, "data.json")) as f:
        data = json.load(f)
    data["summary"] = summarize(data)
    write_all(data, out)
    print_headline(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
