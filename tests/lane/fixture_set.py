#!/usr/bin/env python3
"""A random subset of the deployed-lane fixtures (tests/lane/fixtures), installed into the
test bed's site as a site owner installs code, for the suites that run with plugins
active: the randomized HTTP parity fuzzer and the soak.

  fixture_set.py pick N SEED         prints N fixture names chosen by SEED (one theme at most)
  fixture_set.py install NAME...     installs them (plugins activated through WordPress)
  fixture_set.py uninstall NAME...   removes them again
  fixture_set.py lane-shapes NAME... the beat shapes every one of them lets the lane answer

Core and Fastbeat serve the same site, so both see the same plugins: parity stays
byte-for-byte, and the lane decides from the evidence these plugins produce.
"""
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import deployed  # noqa: E402


def candidates():
    # Maintenance mode answers everything with 503: nothing left to compare.
    return [fx for fx in deployed.fixtures() if fx["path"] and fx["install"] in ("plugin", "mu-plugin", "theme")]


def lane_shapes(chosen):
    return [s for s in deployed.SHAPES if all(fx["expect"].get(s, "lane") == "lane" for fx in chosen)]


def pick(n, seed):
    """N fixtures chosen by SEED that still leave at least one beat shape to the lane
    (so the lane is exercised among them), one theme at most."""
    rng = random.Random(seed)
    pool = candidates()
    best = []
    for _ in range(200):
        rng.shuffle(pool)
        out, theme = [], False
        for fx in pool:
            if fx["install"] == "theme":
                if theme:
                    continue
                theme = True
            if lane_shapes(out + [fx]):
                out.append(fx)
            if len(out) == n:
                return [fx["name"] for fx in out]
        if len(out) > len(best):
            best = out
    return [fx["name"] for fx in best]


def by_name(names):
    known = {fx["name"]: fx for fx in candidates()}
    missing = [n for n in names if n not in known]
    if missing:
        raise SystemExit(f"fixture_set: unknown fixtures {missing}")
    return [known[n] for n in names]


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("pick", "install", "uninstall", "lane-shapes"):
        raise SystemExit(__doc__)
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "pick":
        print(" ".join(pick(int(rest[0]), int(rest[1]))))
    elif cmd == "lane-shapes":
        print(" ".join(lane_shapes(by_name(rest))))
    elif cmd == "install":
        for fx in by_name(rest):
            deployed.install(fx)
        # Recorded only once the new files are older than the settle window.
        time.sleep(deployed.SETTLE)
        print("installed " + " ".join(rest))
    else:
        for fx in reversed(by_name(rest)):
            deployed.uninstall(fx)
        print("uninstalled " + " ".join(rest))


if __name__ == "__main__":
    main()
