"""Shared helpers for the hardening scripts (Python 3 stdlib only).

Builds on the parity suite's client (tests/parity/fbclient.py) and comparator
(tests/parity/parity.py: compare()), and adds: lanes, heartbeat requests, php-fpm worker
pids and log scanning. Needs the test bed's environment (source testbed/env.sh).

Lanes are where a request is sent, relative to the reference (core, :18081):
  full        fastbeat variant, with `X-Fastbeat-Lane: off` (the full WordPress path even
              once the fast lane exists)
  fast        fastbeat variant, no veto header (lane-eligible beats take the fast lane once
              it exists; until then this is the full path too)
  ext-only    extension loaded, plugin filtered out (core must answer)
  plugin-only plugin active, no extension (core must answer)
  core        the reference itself
"""

import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "parity"))

import fbclient as fb  # noqa: E402
from parity import compare, print_table  # noqa: E402,F401

LANES = {
    "core": ("core", []),
    "full": ("fastbeat", [("X-Fastbeat-Lane", "off")]),
    "fast": ("fastbeat", []),
    "ext-only": ("ext-only", []),
    "plugin-only": ("plugin-only", []),
}

OK_TRUE = r'^\{"wp-auth-check":true,"server_time":\d+\}$'
OK_FALSE = r'^\{"wp-auth-check":false,"server_time":\d+\}$'
EXPIRED = r'"nonces_expired":true\}$'
CRITICAL = r"^<p>There has been a critical error on this website\."


def parse_lanes(spec):
    lanes = [x.strip() for x in spec.split(",") if x.strip()]
    for lane in lanes:
        if lane not in LANES:
            raise SystemExit(f"unknown lane {lane!r} (known: {', '.join(LANES)})")
    return lanes


def testbed():
    with open(os.path.join(fb.env("FASTBEAT_TESTBED_DIR"), "testbed.json")) as f:
        return json.load(f)


def login(who="admin"):
    """A real browser session on the test bed (logged in through core)."""
    tb = testbed()
    login_name = fb.env(f"FASTBEAT_{who.upper()}_USER")
    password = fb.env(f"FASTBEAT_{who.upper()}_PASSWORD")
    return fb.login(fb.env_port("core"), login_name, password, tb["users"][who], tb["cookiehash"])


def beat_body(nonce=None, data=None, screen="dashboard", extra=()):
    """A heartbeat body in heartbeat.js's field order."""
    pairs = []
    if data is not None:
        pairs += fb.jq_param(data, "data") if isinstance(data, (dict, list)) else [("data", data)]
    pairs.append(("interval", "60"))
    if nonce is not None:
        pairs.append(("_nonce", nonce))
    pairs.append(("action", "heartbeat"))
    if screen is not None:
        pairs.append(("screen_id", screen))
    pairs.append(("has_focus", "false"))
    pairs += list(extra)
    return fb.form(pairs)


def beat_headers(cookie=None, fixtures=(), mode=None, extra=()):
    headers = [("User-Agent", fb.UA), ("Accept", fb.ACCEPT_JSON), ("X-Requested-With", "XMLHttpRequest")]
    if cookie:
        headers.append(("Cookie", cookie))
    headers.append(("Content-Type", fb.FORM_CT))
    if fixtures:
        headers.append(("X-Fastbeat-Fixture", ",".join(fixtures)))
    if mode is not None:
        headers.append(("X-Fastbeat-Mode", mode))
    headers += list(extra)
    return headers


def send(lane, headers, body, timeout=60):
    variant, extra = LANES[lane]
    return fb.request(fb.env_port(variant), "POST", fb.AJAX, list(headers) + list(extra), body, timeout=timeout)


def tick_now(life=86400):
    return fb.nonce_tick(time.time(), life)


# The nonce lives whose ticks matter to the hardening scripts' beats (fb.tick_stable): only
# WordPress's default, as none of them loads the nonce-life fixture.
LIVES = (86400,)


# --------------------------------------------------------------------------- php-fpm workers


def fpm_master(variant):
    path = os.path.join(fb.env("FASTBEAT_TESTBED_DIR"), "run", f"php-fpm-{variant}.pid")
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def fpm_workers(variant):
    """{pid: rss_kib} of the variant's php-fpm workers (children of its master)."""
    master = fpm_master(variant)
    out = {}
    if master is None:
        return out
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != master:
                continue
            with open(f"/proc/{d}/status") as f:
                m = re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M)
            out[int(d)] = int(m.group(1)) if m else 0
        except (OSError, ValueError, IndexError):
            continue
    return out


CRASH_RX = re.compile(r"exited on signal|SIGSEGV|SIGBUS|SIGABRT|core dumped|exited with code (?!0\b)|"
                      r"execution timed out|child \d+ said into stderr: \"(?:Segmentation|.*panicked)")


class LogWatch:
    """Remembers where the php-fpm logs ended; new_crashes() reads what was added since."""

    def __init__(self, variants):
        d = os.path.join(fb.env("FASTBEAT_TESTBED_DIR"), "logs")
        self.files = [os.path.join(d, f"php-fpm-{v}.log") for v in variants]
        self.offsets = {f: (os.path.getsize(f) if os.path.exists(f) else 0) for f in self.files}

    def new_lines(self):
        lines = []
        for f in self.files:
            if not os.path.exists(f):
                continue
            with open(f, "rb") as fh:
                fh.seek(self.offsets[f])
                lines += [(os.path.basename(f), x.decode("utf-8", "replace")) for x in fh.read().splitlines()]
        return lines

    def new_crashes(self):
        return [(f, x) for f, x in self.new_lines() if CRASH_RX.search(x)]
