#!/usr/bin/env python3
"""One table from many benchmark runs (bench/matrix.sh): for each run's data.json (bench.py)
or Apache run (bench/apache.py), per beat: server CPU per beat (php-fpm or Apache + MariaDB)
and requests/s of core and of Fastbeat's lane variant, their ratios, the share of the lane
variant's beats the lane answered, and whether the full path's min-max range of CPU per
beat overlaps core's (bench.py runs with the full variant). Targets (issue 17/18) are
checked where the lane answered: dashboard at least 10x on both, post lock 5x, logged out 50x.

  bench/matrix.py DIR...   prints markdown; last line "N passed, N failed"
"""
import json
import os
import sys

TARGET = {"dashboard": 10, "editor": 5, "postlock": 5, "loggedout": 50}
NAME = {"editor": "post lock", "postlock": "post lock", "dashboard": "dashboard", "loggedout": "logged out"}


def fmt(x):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:,.0f}".replace(",", " ")
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def bench_rows(d):
    site = d["sites"][0]["name"]
    for scen in (s["name"] for s in d["scenarios"]):
        cell = d["summary"]["cells"][site][scen]
        core, lane, full = cell.get("core"), cell.get("lane"), cell.get("full")
        if not core or not lane:
            continue
        overlap = None
        if full:
            overlap = full["cpu_ms"]["min"] <= core["cpu_ms"]["max"] and core["cpu_ms"]["min"] <= full["cpu_ms"]["max"]
        yield (scen, core["cpu_ms"]["median"], lane["cpu_ms"]["median"], core["rps"]["median"], lane["rps"]["median"],
               lane["lane_share"]["min"], overlap, core["n_rounds"])


def apache_rows(d):
    summ = d["summary"]
    for scen in d["args"]["scenarios"].split(","):
        core, fast = summ.get(f"{scen}/apache-core"), summ.get(f"{scen}/apache-fastbeat")
        if not core or not fast:
            continue
        yield (scen, core["cpu_ms"]["median"], fast["cpu_ms"]["median"], core["rps"]["median"], fast["rps"]["median"],
               fast.get("lane_share", {}).get("median"), None, d["args"]["rounds"])


def main():
    passed = failed = 0
    print("| condition | beat | core CPU ms | Fastbeat CPU ms | CPU ratio | core req/s | Fastbeat req/s | req/s ratio "
          "| lane share | full path overlaps core | rounds | target |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|")
    for path in sys.argv[1:]:
        label_file = os.path.join(path, "label")
        label = open(label_file).read().strip() if os.path.exists(label_file) else os.path.basename(path)
        try:
            d = json.load(open(os.path.join(path, "data.json")))
        except (OSError, ValueError) as e:
            print(f"| {label} | no data ({e}) | | | | | | | | | | FAILED |")
            failed += 1
            continue
        rows = list(apache_rows(d) if "args" in d else bench_rows(d))
        if not rows:
            print(f"| {label} | no rows | | | | | | | | | | FAILED |")
            failed += 1
        for scen, c_cpu, l_cpu, c_rps, l_rps, share, overlap, rounds in rows:
            cpu_x = c_cpu / l_cpu if c_cpu and l_cpu else None
            rps_x = l_rps / c_rps if c_rps and l_rps else None
            need = TARGET.get(scen)
            if share is not None and share >= 0.9 and need:
                ok = cpu_x is not None and rps_x is not None and cpu_x >= need and rps_x >= need
                verdict = f"≥{need}×: {'met' if ok else 'MISSED'}"
            else:
                ok, verdict = True, "full path (lane not expected)" if share == 0 else "lane share < 90 %: –"
            if overlap is False:
                ok, verdict = False, verdict + "; full path range MISSES core's"
            passed += ok
            failed += not ok
            share_s = "–" if share is None else f"{share * 100:.0f} %"
            ov = "–" if overlap is None else ("yes" if overlap else "NO")
            print(f"| {label} | {NAME.get(scen, scen)} | {fmt(c_cpu)} | {fmt(l_cpu)} | {fmt(cpu_x)}× | {fmt(c_rps)} | "
                  f"{fmt(l_rps)} | {fmt(rps_x)}× | {share_s} | {ov} | {rounds} | {verdict} |")
    print()
    for path in sys.argv[1:]:
        try:
            d = json.load(open(os.path.join(path, "data.json")))
            site = d["sites"][0]["name"]
            floor = {sc: d["summary"]["cells"][site][sc].get("floor") for sc in d["summary"]["cells"][site]}
        except (OSError, ValueError, KeyError, IndexError):
            continue
        if any(floor.values()):
            label = open(os.path.join(path, "label")).read().strip() if os.path.exists(os.path.join(path, "label")) else path
            print(f"Floor (a trivial PHP file on the same pool), {label}: " + "; ".join(
                f"{NAME.get(sc, sc)} {fmt(f['cpu_ms']['median'])} ms, {fmt(f['rps']['median'])} req/s"
                for sc, f in floor.items() if f) + ". No answer can cost less or be served faster on this machine.")
            print()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
