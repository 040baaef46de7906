#!/usr/bin/env python3
"""Randomized parity fuzzing over HTTP: random heartbeat requests, each sent to core
(:18081, the reference), fastbeat (:18082, fast lane active) and fastbeat-full (:18082 with
`X-Fastbeat-Lane: off`), in that fixed order, and compared with the parity runner's own
comparison (tests/parity/parity.py: compare(); status line, every header in order with only
Date allowed to differ, body with server_time / new_lock each within its own request's send
window +-1 s). 0 differences required.

Shapes (each request drawn from random.Random("SEED:INDEX"), so a run is reproducible from
seed + count and one request from seed + index; session tokens, nonces and the clock are
the run's own):
  who       admin, editor, author, subscriber (real sessions logged in through core), a
            second admin session, a logged-out (destroyed) session, or no session at all
  cookies   as set, auth or logged_in missing, HMAC tampered, truncated, extra `|` parts,
            another user's, minted expired / within the 1 h POST grace / fresh / wrong
            password fragment / another user's token, junk around, duplicates, names PHP
            mangles ('.' or ' ' for '_'), another site's hash, Basic auth; for no session:
            none, the test cookie, junk, auth-looking garbage
  _nonce    valid, previous / two-old / next tick, random hex, empty, "0", missing, arrays,
            another user's or session's, the logged-out user's, upper case, padded,
            truncated, random bytes, long
  screen_id missing, empty, "0", real screens, random ASCII / bytes / unicode, arrays,
            long (up to 100 kB)
  data      missing, "", "0", scalars, random trees (random depth, keys with quotes,
            brackets, dots, spaces, %00, unicode, numeric strings; values with invalid
            UTF-8, backslashes, quotes, numeric strings), chains near / over
            max_input_nesting_level (64), the keys core implements (wp-refresh-post-lock,
            wp-check-locked-posts, wp-refresh-post-nonces, wp-refresh-metabox-loader-nonces)
            alone (lane-eligible) or mixed with random keys (full path), with valid,
            invalid and odd post ids ("1e1", " 4", "4abc", 2**63, arrays, ...)
  sizes     mostly small; some 5-100 kB, 100 kB-1 MB, 900-1,100 variables
            (max_input_vars is 1,000), and a few at / just over post_max_size (8 MB)
  transport urlencoded mostly, some multipart or without charset; field order as
            heartbeat.js, shuffled, or data last; duplicate / extra top-level fields, odd
            actions, a query string, Origin headers, a few GETs, a few customizer flags
Never wp_autosave. Beats that read or take post locks get a fresh random lock state
(`_edit_lock` / `_edit_last`, ages away from the 150 s window) before the three sends.

Counts the fast lane's answers (tests/parity/lane_counts.py, before and after) so the
report shows the lane was exercised. On a difference: prints the seed, the request index
and the parity table, and saves the request (method, path, headers, body, lock state) to
a JSON file for --replay.

Usage (tests/hardening/run.sh sources testbed/env.sh):
  http-fuzz.py [--count N] [--seed S] [--variants core,fastbeat,fastbeat-full]
               [--only I[,J...]] [--progress N] [--save-dir DIR] [--min-lane N] [-v]
  http-fuzz.py --replay FILE [--variants ...] [--minimize]
  http-fuzz.py --inject fastbeat=json-types --count 20    # must fail: proves detection
Prints the seed first; last line "N passed, N failed" (N = requests). Exit status non-zero
on any difference.
"""

import argparse
import base64
import json
import os
import random
import re
import subprocess
import sys
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
PARITY = os.path.join(REPO, "tests", "parity")
sys.path.insert(0, PARITY)

import fbclient as fb  # noqa: E402
import parity  # noqa: E402
import cases as case_defs  # noqa: E402

POST_KEYS = ["wp-refresh-post-lock", "wp-check-locked-posts", "wp-refresh-post-nonces",
             "wp-refresh-metabox-loader-nonces"]
LOCK_KEYS = POST_KEYS[:2]
POST_MAX_SIZE = 8 * 1024 * 1024
SESSIONS = {  # session key -> role (for password fragments)
    "admin": "admin", "admin2": "admin", "admin-logged-out": "admin", "editor": "editor",
    "author": "author", "subscriber": "subscriber"}


def wchoice(rng, table):
    """table: [(weight, value)]"""
    total = sum(w for w, _ in table)
    x = rng.random() * total
    for w, v in table:
        x -= w
        if x < 0:
            return v
    return table[-1][1]


def b(s):
    return s if isinstance(s, bytes) else str(s).encode("utf-8")


# --------------------------------------------------------------------------- random strings

WORDS = [b"foo", b"bar", b"k", b"v", b"post", b"dashboard", b"data", b"post_id", b"x", b"hello world", b"_nonce",
         b"action", b"heartbeat", b"screen_id", b"interval", b"wp-auth-check", b"server_time", b"nonces_expired",
         b"rest_nonce", b"true", b"false", b"null", b"Array", b"edit-post", b"front"]
NUMERIC = [b"0", b"00", b"01", b"1", b"-1", b"-0", b"+1", b"1.5", b"1e3", b"1e1", b"0x1A", b" 1", b"1 ", b"\t1",
           b"\n1", b"9223372036854775807", b"9223372036854775808", b"-9223372036854775808", b"1e100", b"1_000",
           b".5", b"5.", b"4", b"12", b"999999", b"NAN", b"INF"]
QUOTES = [b"'", b'"', b"\\", b"\\\\", b"\\'", b'\\"', b"it's", b'a"b', b"ends with \\", b"\\0", b"%", b"%00",
          b"%zz", b"+", b"&", b"=", b"&amp;", b"<b>x</b>", b"</script>", b"\\u00e9", b"/", b"\\/"]
UNICODE = ["\u00e9", "\u2713", "\U0001F600", "\u2028", "\u2029", "e\u0301", "\u00c9d\u00eftor", "\ufeff",
           "\u202e", "\u0000", "\u00a0", "\u4e2d\u6587", "\ufffd"]
BADUTF8 = [b"\xff", b"\xfe", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf",
           b"\xe9", b"caf\xe9", b"\x80", b"\xf4\x90\x80\x80", b"\xef\xbf\xbe"]
KEYSPECIAL = [b"'", b'"', b"[", b"]", b".", b" ", b"\x00", b"\\", b"[]", b"a]b", b"[x]", b"a[b", b"a.b c",
              b"-", b"_", b"+", b"%", b"=", b"&", b"post-4"]


def rpiece(rng, for_key=False):
    kind = wchoice(rng, [(30, "word"), (14, "num"), (12, "quote"), (10, "uni"), (8, "bad"), (4, "nul"),
                         (8, "bytes"), (5, "empty"), (4, "long"), (8 if for_key else 0, "keyspecial")])
    if kind == "word":
        return rng.choice(WORDS)
    if kind == "num":
        return rng.choice(NUMERIC)
    if kind == "quote":
        return rng.choice(QUOTES)
    if kind == "uni":
        return rng.choice(UNICODE).encode("utf-8")
    if kind == "bad":
        return rng.choice(BADUTF8)
    if kind == "nul":
        return b"a\x00b"
    if kind == "bytes":
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 24)))
    if kind == "empty":
        return b""
    if kind == "long":
        return (rng.choice(WORDS) + b" ") * rng.randint(20, 400)
    return rng.choice(KEYSPECIAL)


def rval(rng):
    return b"".join(rpiece(rng) for _ in range(wchoice(rng, [(6, 1), (3, 2), (1, 3)])))


def rkey(rng):
    if rng.random() < 0.25:
        return rng.choice(NUMERIC[:8] + [b"0", b"1", b"2", b"10"])
    k = b"".join(rpiece(rng, True) for _ in range(wchoice(rng, [(6, 1), (3, 2), (1, 3)])))
    return k[:200]


# --------------------------------------------------------------------------- data trees


def rtree(rng, depth, budget):
    """A random value: bytes, dict (bytes keys) or list. budget: [leaves left]."""
    if depth <= 0 or budget[0] <= 0 or rng.random() < 0.35:
        budget[0] -= 1
        return rval(rng)
    if rng.random() < 0.25:
        return [rtree(rng, depth - 1, budget) for _ in range(rng.randint(1, 4))]
    out = {}
    for _ in range(rng.randint(1, 5)):
        out[rkey(rng)] = rtree(rng, depth - 1, budget)
    return out


def flatten(obj, prefix):
    """jQuery.param style: dict keys -> [k], list of scalars -> [], nested list items -> [i]."""
    pairs = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = prefix + b"[" + k + b"]"
            pairs.extend(flatten(v, key) if isinstance(v, (dict, list)) else [(key, v)])
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            if isinstance(v, (dict, list)):
                pairs.extend(flatten(v, prefix + b"[%d]" % i))
            else:
                pairs.append((prefix + b"[]", v))
    else:
        pairs.append((prefix, obj))
    return pairs


# --------------------------------------------------------------------------- the generator


class Fuzz:
    """Shared state: sessions (parity Context), post ids, users."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.real = False
        self.pool = [int(r[0]) for r in fb.db("SELECT ID FROM wp_posts ORDER BY ID")]
        self.uids = {role: int(u) for role, u in ctx.tb["users"].items()}

    # ---- post ids
    def post_id_value(self, rng):
        kind = wchoice(rng, [(45 if not self.real else 300, "pool"), (6, "zero"), (4, "empty"), (4, "abc"),
                             (4, "neg"), (3, "big"),
                             (10, "odd"), (4, "array"), (4, "missing"), (3, "random")])
        pid = rng.choice(self.pool)
        if kind == "pool":
            return b"%d" % pid
        if kind == "zero":
            return rng.choice([b"0", b"00", b"-0", b"0.0"])
        if kind == "empty":
            return b""
        if kind == "abc":
            return rng.choice([b"abc", b"post-4", b"null", b"true", b"Array"])
        if kind == "neg":
            return b"-%d" % pid
        if kind == "big":
            return rng.choice([b"999999", b"9223372036854775807", b"9223372036854775808",
                               b"-9223372036854775808", b"1e100", b"18446744073709551617"])
        if kind == "odd":
            return self._odd(rng, pid)
        if kind == "array":
            return rng.choice([[b"%d" % pid], {b"0": b"%d" % pid}, {b"post_id": b"%d" % pid}, [b""]])
        if kind == "missing":
            return None
        return rval(rng)

    @staticmethod
    def _odd(rng, pid):
        p = b"%d" % pid
        forms = [b" " + p, p + b" ", b"\t" + p, b"\n" + p, b"+" + p, p + b"abc", p + b".9", b"0" + p, p + b"e0",
                 p + b"\x00", p + b"'", p + b"\\", b"0x%x" % pid, p + b",1", b"1e1", b".%de1" % pid, p + b"\xff"]
        return rng.choice(forms)

    def check_list(self, rng, refs):
        """wp-check-locked-posts: mostly a list of "post-N"."""
        n = wchoice(rng, [(2, 0), (30, rng.randint(1, 4)), (8, rng.randint(5, 12))])
        items = []
        for _ in range(n):
            pid = rng.choice(self.pool)
            refs.add(pid)
            kind = wchoice(rng, [(55 if not self.real else 300, "plain"), (15, "junk"), (8, "prefix"), (6, "num"),
                                 (6 if not self.real else 2, "nested"), (10, "random")])
            if kind == "plain":
                items.append(b"post-%d" % pid)
            elif kind == "junk":
                items.append(b"post-%d" % pid + rpiece(rng))
            elif kind == "prefix":
                items.append(rng.choice([b"xxxxx", b"post_", b"POST-", b"p-", b"post--", b""]) + b"%d" % pid)
            elif kind == "num":
                items.append(b"post-" + rng.choice(NUMERIC))
            elif kind == "nested":  # substr() on an array: core fatals (TypeError)
                items.append([b"post-%d" % pid])
            else:
                items.append(rval(rng))
        if rng.random() < 0.15:  # keyed instead of a list
            return {rkey(rng): v for v in items} if items else {b"x": b"post-1"}
        return items

    def core_key_value(self, rng, key, refs):
        if key == "wp-check-locked-posts":
            return self.check_list(rng, refs)
        d = {}
        pid = self.post_id_value(rng)
        if pid is not None:
            d[b"post_id"] = pid
            if isinstance(pid, bytes) and pid.strip().isdigit():
                refs.add(int(pid.strip()))
        extra = wchoice(rng, [(80, 0), (15, 1), (5, 3)])
        for _ in range(extra):
            d[rkey(rng)] = rtree(rng, 2, [3])
        if rng.random() < 0.5 and b"post_id" in d:  # move post_id last sometimes
            d[b"post_id"] = d.pop(b"post_id")
        if not d:
            d[b"x"] = b"1"
        return d

    def core_data(self, rng, refs, mixed=False):
        keys = rng.sample(POST_KEYS, wchoice(rng, [(50, 1), (25, 2), (12, 3), (13, 4)]))
        data = {}
        for k in keys:
            data[k.encode()] = self.core_key_value(rng, k, refs)
        if mixed:
            for _ in range(rng.randint(1, 3)):
                kind = wchoice(rng, [(60, "random"), (25, "near"), (15, "scalar-core")])
                if kind == "random":
                    data[rkey(rng)] = rtree(rng, 3, [8])
                elif kind == "near":  # almost a core key: another key for PHP
                    k = rng.choice(POST_KEYS).encode()
                    data[rng.choice([k.upper(), k + b" ", b" " + k, k.replace(b"-", b"_"), k + b"\x00x",
                                     k[:-1], k + b"s"])] = self.core_key_value(rng, "wp-refresh-post-lock", refs)
                else:  # a core key as a scalar: core fatals for some (string offset)
                    data[rng.choice(POST_KEYS).encode()] = rng.choice([b"x", b"", b"0", b"post-4", b"4"])
        order = list(data.items())
        rng.shuffle(order)
        return dict(order)

    # ---- locks
    def lock_state(self, rng, refs, me_uid):
        """[(post_id, age or None, text, edit_last or None)]: _edit_lock = (now - age) + text."""
        posts = set(p for p in refs if p in self.pool and rng.random() < 0.8)
        posts |= set(rng.sample(self.pool, rng.randint(0, 3)))
        others = [u for u in self.uids.values() if u != me_uid] or [2]
        out = []
        for pid in sorted(posts):
            holder = wchoice(rng, [(55 if not self.real else 150, rng.choice(others)), (15, me_uid), (6, 999), (3, 0),
                                   (12, rng.choice([b"2abc", b" 2", b"2.0", b"1e0", b"", b"02", b"2 "]))])
            holder = holder if isinstance(holder, bytes) else b"%d" % holder
            age = rng.choice([3, 20, 60, 110, 400, 4000, 100000] + ([3, 20, 60, 110] * 3 if self.real else []))
            kind = wchoice(rng, [(70, "normal"), (10, "time-only"), (12, "literal"), (8, "extra")])
            if kind == "normal":
                out.append((pid, age, b":" + holder, None))
            elif kind == "time-only":
                out.append((pid, age, b"", holder))
            elif kind == "extra":
                out.append((pid, age, b":" + holder + b":x", None))
            else:
                lit = rng.choice([b"abc:" + holder, b":" + holder, b"", b"0:" + holder, b"99999999999:" + holder,
                                  b"1e20:" + holder, b"now", b" :" + holder])
                out.append((pid, None, lit, None if rng.random() < 0.7 else holder))
        return out

    # ---- nonces
    def nonce(self, rng, who, sess):
        ctx = self.ctx
        if sess is None:
            kind = wchoice(rng, [(40, "empty"), (15, "missing"), (15, "hex"), (15, "loggedout"), (5, "zero"),
                                 (10, "bytes")])
        elif self.real:
            kind = wchoice(rng, [(70, "valid"), (30, "prev")])
        else:
            kind = wchoice(rng, [(42, "valid"), (12, "prev"), (3, "old"), (2, "future"), (7, "hex"), (4, "empty"),
                                 (3, "zero"), (4, "missing"), (5, "array"), (5, "other-user"), (3, "other-session"),
                                 (2, "loggedout"), (3, "mangled"), (3, "bytes"), (2, "long")])
        if kind == "valid":
            return kind, sess.mint_nonce()
        if kind == "prev":
            return kind, sess.mint_nonce(tick_offset=-1)
        if kind == "old":
            return kind, sess.mint_nonce(tick_offset=-rng.randint(2, 5))
        if kind == "future":
            return kind, sess.mint_nonce(tick_offset=rng.randint(1, 3))
        if kind == "hex":
            return kind, "".join(rng.choice("0123456789abcdef") for _ in range(10))
        if kind == "empty":
            return kind, ""
        if kind == "zero":
            return kind, "0"
        if kind == "missing":
            return kind, None
        if kind == "array":
            good = sess.mint_nonce(tick_offset=rng.choice([0, 0, -1]))
            return kind, rng.choice([[good], [good, good], [""], {b"0": good}, {b"a": good}, [[good]]])
        if kind == "other-user":
            other = ctx.sessions[rng.choice([k for k in ("admin", "editor", "author", "subscriber") if k != who])]
            return kind, other.mint_nonce(tick_offset=rng.choice([0, 0, -1]))
        if kind == "other-session":
            other = ctx.sessions[rng.choice([k for k in ("admin", "admin2", "admin-logged-out") if k != who])]
            return kind, other.mint_nonce(tick_offset=rng.choice([0, -1]))
        if kind == "loggedout":
            return kind, fb.mint_nonce("heartbeat-nonce", 0, "", tick_offset=rng.choice([0, -1]))
        if kind == "mangled":
            n = sess.mint_nonce()
            return kind, rng.choice([n.upper(), " " + n, n + " ", n[:9], n + "0", n[:5] + "\\" + n[5:], n + "\x00",
                                     n.replace(n[0], "%s" % n[0].upper(), 1)])
        if kind == "bytes":
            return kind, rval(rng)
        return kind, "a" * rng.choice([11, 100, 5000])

    # ---- cookies
    def cookies(self, rng, who, sess, extra_headers):
        ctx = self.ctx
        hashv = ctx.cookiehash
        if sess is None:
            kind = wchoice(rng, [(62, "none"), (10, "test-only"), (10, "junk"), (8, "garbage-auth"),
                                 (4, "other-hash"), (3, "basic-auth"), (3, "empty-logged-in")])
            if kind == "none":
                return kind, None
            if kind == "test-only":
                return kind, "wordpress_test_cookie=WP%20Cookie%20check"
            if kind == "junk":
                q = urllib.parse.quote
                return kind, "; ".join(f"{q(rval(rng)[:20], safe='')}={q(rval(rng)[:40], safe='')}"
                                       for _ in range(rng.randint(1, 4)))
            if kind == "garbage-auth":
                name = rng.choice(["wordpress_", "wordpress_logged_in_", "wordpress_sec_"]) + hashv
                return kind, f"{name}={urllib.parse.quote(rval(rng)[:80], safe='')}"
            if kind == "other-hash":
                return kind, f"wordpress_logged_in_{'0' * 32}=admin%7C9999999999%7Cx%7Cy"
            if kind == "empty-logged-in":
                return kind, f"wordpress_logged_in_{hashv}="
            extra_headers.append(("Authorization", "Basic " + base64.b64encode(b"admin:admin-pass-1").decode()))
            return kind, None

        if self.real:  # cookies core accepts (with a matching nonce)
            kind = wchoice(rng, [(88, "normal"), (4, "logged-in-only"), (3, "grace"), (3, "minted-fresh"),
                                 (2, "junk-around")])
        else:
            kind = wchoice(rng, [(46, "normal"), (5, "auth-only"), (5, "logged-in-only"), (6, "tampered"),
                                 (5, "truncated"), (5, "extra-parts"), (5, "other-user"), (4, "expired"),
                                 (4, "grace"), (2, "minted-fresh"), (2, "wrong-frag"), (2, "other-token"),
                                 (3, "junk-around"), (2, "duplicate"), (2, "mangled-name"), (1, "other-hash"),
                                 (1, "basic-auth"), (1, "no-cookie")])
        A, L = sess.auth_name, sess.logged_in_name

        def which_names():
            return rng.choice([[A], [L], [A, L]])

        if kind == "normal":
            return kind, sess.cookie_header()
        if kind == "auth-only":
            return kind, sess.cookie_header(("auth", "test"))
        if kind == "logged-in-only":
            return kind, sess.cookie_header(("logged_in", "test"))
        if kind == "tampered":
            ov = {}
            for n in which_names():
                v = sess.cookies[n]
                pos = rng.choice([-1, -1, -2, rng.randrange(len(v))])
                ch = v[pos]
                ov[n] = v[:pos] + ("0" if ch != "0" else "1") + (v[pos + 1:] if pos != -1 else "")
            return kind, sess.cookie_header(overrides=ov)
        if kind == "truncated":
            ov = {n: sess.cookies[n][:rng.randrange(len(sess.cookies[n]))] for n in which_names()}
            return kind, sess.cookie_header(overrides=ov)
        if kind == "extra-parts":
            sep = rng.choice(["%7C", "|"])
            ov = {n: sess.cookies[n] + "".join(sep + rng.choice(["", "x", "0", "%7C"])
                                               for _ in range(rng.randint(1, 3)))
                  for n in which_names()}
            return kind, sess.cookie_header(overrides=ov)
        if kind == "other-user":
            other = ctx.sessions[rng.choice([k for k in SESSIONS if k != who])]
            return kind, other.cookie_header()
        if kind in ("expired", "grace", "minted-fresh", "wrong-frag", "other-token"):
            now = int(time.time())
            exp = {"expired": now - rng.choice([3720, 7200, 86400 * 3]), "grace": now - rng.choice([5, 600, 3300]),
                   }.get(kind, now + rng.choice([60, 3600, 86400 * 30]))
            frag = "zzzz" if kind == "wrong-frag" else ctx.pass_frag[SESSIONS[who]]
            token = sess.token
            if kind == "other-token":
                token = ctx.sessions[rng.choice([k for k in SESSIONS if k != who])].token
            ov = {}
            for n in which_names():
                scheme = "auth" if n == A else "logged_in"
                ov[n] = urllib.parse.quote(fb.mint_auth_cookie(sess.login, frag, exp, token, scheme), safe="")
            which = tuple(w for w, n in (("auth", A), ("logged_in", L)) if n in ov) + ("test",)
            return kind, sess.cookie_header(which, overrides=ov)
        if kind == "junk-around":
            return kind, "a=b; =; ;; junk; " + sess.cookie_header() + "; c"
        if kind == "duplicate":
            n = rng.choice([A, L])
            c = sess.cookies[n][-1]
            bad = f"{n}={sess.cookies[n][:-1]}{'0' if c != '0' else '1'}"  # always another value
            good = sess.cookie_header()
            return kind, (bad + "; " + good) if rng.random() < 0.5 else (good + "; " + bad)
        if kind == "mangled-name":
            c = sess.cookie_header()
            return kind, c.replace("wordpress_logged_in_", rng.choice(["wordpress.logged_in_", "wordpress logged_in_",
                                                                      "wordpress%5Flogged_in_"]), 1)
        if kind == "other-hash":
            return kind, sess.cookie_header().replace(hashv, "0" * 32)
        if kind == "basic-auth":
            extra_headers.append(("Authorization", "Basic " + base64.b64encode(b"admin:admin-pass-1").decode()))
            return kind, sess.cookie_header() if rng.random() < 0.5 else None
        return kind, None

    # ---- screen_id
    def screen(self, rng):
        kind = wchoice(rng, [(6, "missing"), (4, "empty"), (3, "zero"), (45 if not self.real else 300, "real"),
                             (10, "ascii"), (6, "bytes"),
                             (6, "unicode"), (6, "array"), (3, "long"), (11, "odd")])
        if kind == "missing":
            return kind, None
        if kind == "empty":
            return kind, b""
        if kind == "zero":
            return kind, b"0"
        if kind == "real":
            return kind, rng.choice([b"dashboard", b"post", b"edit-post", b"front", b"page", b"edit-page", b"profile",
                                     b"customize", b"upload", b"plugins", b"site-health", b"nav-menus"])
        if kind == "ascii":
            return kind, bytes(rng.randrange(32, 127) for _ in range(rng.randint(1, 40)))
        if kind == "bytes":
            return kind, bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
        if kind == "unicode":
            return kind, "".join(rng.choice(UNICODE) for _ in range(rng.randint(1, 6))).encode("utf-8")
        if kind == "array":
            return kind, rng.choice([[b"post"], {b"a": b"b"}, [b"x", b"y"], {b"0": [b"deep"]}, [b""]])
        if kind == "long":
            return kind, (rng.choice([b"s", b"Edit-Post_", b"\xc3\xa9"]) * rng.choice([1000, 5000, 100000]))
        return kind, rng.choice([b"Edit-POST_x!", b"EDIT-post", b"post ", b" post", b"post\x00x", b"post\\",
                                 b"post'", b"toplevel_page_x", b"a.b", b"A-Z_09", b"-", b"_"])

    # ---- data
    def data(self, rng, refs):
        """Returns (kind, tree or bytes or None or raw pair list)."""
        if self.real:
            kind = wchoice(rng, [(20, "missing"), (65, "core"), (8, "core-mixed"), (5, "random"), (2, "deep")])
        else:
            kind = wchoice(rng, [(22, "missing"), (4, "empty"), (3, "zero"), (5, "scalar"), (30, "core"),
                                 (8, "core-mixed"), (20, "random"), (3, "deep"), (2, "list"), (3, "core-nonarray")])
        if kind == "missing":
            return kind, None
        if kind == "empty":
            return kind, b""
        if kind == "zero":
            return kind, b"0"
        if kind == "scalar":
            return kind, rval(rng)
        if kind == "core":
            return kind, self.core_data(rng, refs)
        if kind == "core-mixed":
            return kind, self.core_data(rng, refs, mixed=True)
        if kind == "random":
            depth = wchoice(rng, [(50, 1), (30, 2), (12, 4), (6, 8), (2, 20)])
            tree = rtree(rng, depth, [rng.randint(1, 40)])
            if not isinstance(tree, dict):
                tree = {rkey(rng): tree}
            return kind, tree
        if kind == "deep":
            depth = wchoice(rng, [(20, rng.randint(10, 59)), (60, rng.randint(60, 68)), (20, rng.randint(69, 120))])
            lead = []
            if rng.random() < 0.5:  # a core key at the root of the chain
                lead = [rng.choice(POST_KEYS).encode()]
                if lead[0] in (b"wp-refresh-post-lock",):
                    lead.append(b"post_id")
            keys = lead + [rng.choice([b"a", b"0", b"", b"x y", b"1"]) for _ in range(depth - len(lead))]
            name = b"data" + b"".join(b"[" + k + b"]" for k in keys)
            pairs = [(name, rval(rng))]
            if rng.random() < 0.5:  # and a sibling before or after it
                sib = flatten(self.core_data(rng, refs) if rng.random() < 0.6 else {b"ok": b"1"}, b"data")
                pairs = sib + pairs if rng.random() < 0.5 else pairs + sib
            return kind, pairs
        if kind == "list":
            return kind, [rval(rng) for _ in range(rng.randint(1, 4))]
        # A core key that is not an array (core: string offset errors, fatal or not)
        k = rng.choice(POST_KEYS).encode()
        return kind, {k: rng.choice([b"x", b"", b"0", b"post-4", b"4", b"\\"])}

    # ---- whole request
    def build(self, index, seed):
        rng = random.Random(f"{seed}:{index}")
        ctx = self.ctx
        shape = {}
        # "realistic" beats are what an editor screen sends (a valid session, cookie and nonce,
        # core's keys with real post ids, live locks by others), so the lock and nonce code is
        # reached often; "wild" beats draw every field from the hostile distributions.
        self.real = rng.random() < 0.4
        shape["mode"] = "realistic" if self.real else "wild"
        if self.real:
            who = wchoice(rng, [(35, "admin"), (5, "admin2"), (30, "editor"), (10, "author"), (20, "subscriber")])
        else:
            who = wchoice(rng, [(26, "admin"), (4, "admin2"), (16, "editor"), (6, "author"), (14, "subscriber"),
                                (4, "admin-logged-out"), (30, "anon")])
        sess = None if who == "anon" else ctx.sessions[who]
        shape["who"] = who
        extra_headers = []
        refs = set()

        shape["cookie"], cookie = self.cookies(rng, who, sess, extra_headers)
        shape["nonce"], nonce = self.nonce(rng, who, sess)
        shape["screen"], screen = self.screen(rng)
        shape["data"], data = self.data(rng, refs)

        # Top-level pairs, heartbeat.js order: data, interval, _nonce, action, screen_id, has_focus.
        if data is None:
            data_pairs = []
        elif isinstance(data, list) and data and isinstance(data[0], tuple):
            data_pairs = data
        elif isinstance(data, (dict, list)):
            data_pairs = flatten(data, b"data")
        else:
            data_pairs = [(b"data", data)]
        top = []
        top.append((b"interval", rng.choice([b"60", b"60", b"15", b"120", b"5", b"", b"abc"])))
        if nonce is not None:
            top += flatten(nonce, b"_nonce") if isinstance(nonce, (list, dict)) else [(b"_nonce", b(nonce))]
        action = wchoice(rng, [(95, b"heartbeat"), (1, None), (1, b"Heartbeat"), (1, b"heartbeat "),
                               (1, [b"heartbeat"]), (1, b"heartbeat\x00")])
        shape["action"] = "heartbeat" if action == b"heartbeat" else repr(action)
        if action is not None:
            top += flatten(action, b"action") if isinstance(action, list) else [(b"action", action)]
        if screen is not None:
            top += flatten(screen, b"screen_id") if isinstance(screen, (list, dict)) else [(b"screen_id", screen)]
        top.append((b"has_focus", rng.choice([b"false", b"true"])))
        customizer = False
        if rng.random() < 0.012:
            customizer = True
            top.append(rng.choice([(b"wp_customize", b"on"), (b"customize_changeset_uuid", b"not-a-uuid"),
                                   (b"customize_changeset_uuid", b"0b6c6f4e-1111-4222-8333-944455556666"),
                                   (b"wp_customize", b"")]))
            shape["customizer"] = True
        if rng.random() < 0.05:  # extra top-level fields
            for _ in range(rng.randint(1, 3)):
                name = rkey(rng)
                if name.lower().lstrip().startswith((b"customize", b"wp_customize", b"data", b"action", b"_nonce")):
                    name = b"x" + name
                top.append((name, rval(rng)))
            shape["extra-fields"] = True
        if rng.random() < 0.03:  # duplicate field: PHP keeps the last
            dup = rng.choice([b"_nonce", b"action", b"screen_id", b"data"])
            top.insert(rng.randrange(len(top) + 1), (dup, rng.choice([b"", b"x", b"heartbeat", b"0"])))
            shape["duplicate"] = dup.decode()

        order = wchoice(rng, [(85, "js"), (10, "shuffled"), (5, "data-last")])
        if order == "js":
            pairs = data_pairs + top
        elif order == "data-last":
            pairs = top + data_pairs
        else:
            pairs = data_pairs + top
            rng.shuffle(pairs)
        if order != "js":
            shape["order"] = order

        # Size class: most small, a few big ones.
        size = wchoice(rng, [(920, "small"), (50, "medium"), (15, "large"), (11, "vars"), (4, "huge")])
        pad_raw = None
        if size in ("medium", "large"):
            n = rng.randint(5_000, 100_000) if size == "medium" else rng.randint(100_000, 1_000_000)
            pairs = self.pad_pairs(rng, pairs, data, n)
        elif size == "vars":
            pairs = self.many_vars(rng, pairs, data, rng.randint(900, 1100))
        elif size == "huge":
            pad_raw = rng.choice([POST_MAX_SIZE - rng.randint(1, 200_000), POST_MAX_SIZE, POST_MAX_SIZE + 1,
                                  POST_MAX_SIZE + rng.randint(2, 100_000), POST_MAX_SIZE - rng.randint(1, 200)])
        if size != "small":
            shape["size"] = size

        method = wchoice(rng, [(98, "POST"), (2, "GET")])
        enc = wchoice(rng, [(88, "form"), (7, "multipart"), (3, "form-nocharset"), (2, "junk")])
        if size == "huge" or method == "GET":
            enc = "form"
        path = fb.AJAX
        if rng.random() < 0.02:
            path += "?" + rng.choice(["action=heartbeat", "action=foo", "foo=bar", "screen_id=post",
                                      "data[x]=1", "_nonce=0123abcdef"])
            shape["query"] = path.split("?", 1)[1]
        headers = [("User-Agent", fb.UA), ("Accept", fb.ACCEPT_JSON), ("X-Requested-With", "XMLHttpRequest")]
        if cookie:
            headers.append(("Cookie", cookie))
        if rng.random() < 0.08:
            site_port = fb.env("FASTBEAT_PORT_CORE")
            origin = rng.choice([fb.env("FASTBEAT_SITE_URL"), "http://127.0.0.1", "http://evil.example", "null",
                                 f"HTTP://127.0.0.1:{site_port}", fb.env("FASTBEAT_SITE_URL") + "/",
                                 f"http://127.0.0.1:{fb.env('FASTBEAT_PORT_FASTBEAT')}",
                                 f"https://127.0.0.1:{site_port}", f"http://localhost:{site_port}", ""])
            headers.append(("Origin", origin))
            shape["origin"] = origin
        headers += extra_headers
        if not self.real and rng.random() < 0.01:  # the lane's own veto header, odd values
            v = rng.choice(["on", "OFF", "0", "off ", "", "of", "yes"])
            headers.append(("X-Fastbeat-Lane", v))
            shape["lane-header"] = v

        if method == "GET":
            body = b""
            q = fb.form(pairs).decode()
            path = path + ("&" if "?" in path else "?") + q
            shape["method"] = "GET"
        elif enc == "multipart":
            ct, body = fb.multipart(pairs, boundary="----FastbeatFuzz" + "%016x" % rng.getrandbits(64))
            headers.append(("Content-Type", ct))
            shape["enc"] = "multipart"
        else:
            headers.append(("Content-Type", fb.FORM_CT if enc != "form-nocharset"
                            else "application/x-www-form-urlencoded"))
            body = fb.form(pairs)
            if enc == "junk":
                body = rng.choice([b"&&", b"=&", b"&=x&", b"%zz&", b"&+&", b"a&b&"]) + body + \
                    rng.choice([b"&", b"&&=", b"&%", b"&x", b""])
            if pad_raw is not None:
                key = b"data%5Bwp-refresh-post-lock%5D%5Bpad%5D=" if shape["data"] == "core" and \
                    b"wp-refresh-post-lock" in data else b"pad="
                n = max(0, pad_raw - len(body) - len(key) - 1)
                pad = key + b"a" * n
                body = (body + b"&" + pad) if rng.random() < 0.7 else (pad + b"&" + body)
            if enc != "form":
                shape["enc"] = enc
        shape["bytes"] = len(body)

        # Beats that may read or take post locks (any data key naming a lock key, or the
        # customizer's changeset lock) get a fresh lock state before the three sends.
        locks = None
        lock_data = any(k.encode() in p[0] for k in LOCK_KEYS for p in data_pairs)
        if lock_data or customizer:
            me = self.uids[SESSIONS[who]] if sess is not None else 0
            locks = self.lock_state(rng, refs, me)
        req = case_defs.Req(method, path, headers, body)
        return req, locks, shape

    def pad_pairs(self, rng, pairs, data, n):
        """Add about n bytes of (urlencoded) payload."""
        out = list(pairs)
        if isinstance(data, dict) and b"wp-refresh-post-nonces" in data and isinstance(
                data[b"wp-refresh-post-nonces"], dict) and rng.random() < 0.6:
            key = b"data[wp-refresh-post-nonces][pad]"  # keeps a lane-eligible beat eligible
        else:
            key = rng.choice([b"data[pad]", b"pad", b"data[a][b][c]"])
        chunk = rng.choice([b"a", b"\\'\"", b"\xc3\xa9", b"\xff", b"x y", rval(rng) or b"z"])
        value = (chunk * (n // max(1, len(chunk) * 2) + 1))[:max(1, n // 2)]
        out.insert(rng.randrange(len(out) + 1), (key, value))
        return out

    def many_vars(self, rng, pairs, data, n):
        """About n variables in all (max_input_vars is 1,000)."""
        out = list(pairs)
        need = max(0, n - len(out))
        eligible = isinstance(data, dict) and b"wp-check-locked-posts" in data and isinstance(
            data[b"wp-check-locked-posts"], list)
        if eligible:
            extra = [(b"data[wp-check-locked-posts][]", b"post-%d" % rng.choice(self.pool)) for _ in range(need)]
        else:
            extra = [(b"data[k%d]" % i, rval(rng)[:20]) for i in range(need)]
        at = 0 if rng.random() < 0.7 else len(out)  # before the fields: they fall past the limit
        return out[:at] + extra + out[at:]


# --------------------------------------------------------------------------- locks (SQL)


def lock_sql(fz, locks):
    ids = ",".join(str(p) for p in fz.pool)
    stmts = [f"DELETE FROM wp_postmeta WHERE post_id IN ({ids}) AND meta_key IN ('_edit_lock', '_edit_last')"]
    now = int(time.time())
    for pid, age, text, edit_last in locks or ():
        text = text if isinstance(text, bytes) else text.encode("latin-1")
        value = (b"%d" % (now - age) if age is not None else b"") + text
        stmts.append(f"INSERT INTO wp_postmeta (post_id, meta_key, meta_value) VALUES "
                     f"({int(pid)}, '_edit_lock', {fb.sql_str(value.decode('latin-1'))})")
        if edit_last is not None:
            el = edit_last if isinstance(edit_last, bytes) else edit_last.encode("latin-1")
            stmts.append(f"INSERT INTO wp_postmeta (post_id, meta_key, meta_value) VALUES "
                         f"({int(pid)}, '_edit_last', {fb.sql_str(el.decode('latin-1'))})")
    return stmts


def apply_locks(fz, locks):
    fb.db(";\n".join(lock_sql(fz, locks)))


def clear_locks(fz):
    apply_locks(fz, [])


# --------------------------------------------------------------------------- saving / replay


def hdr_bytes(v):
    return v if isinstance(v, bytes) else v.encode("utf-8")


def save_request(save_dir, seed, index, req, locks, shape, variants, rows, responses):
    os.makedirs(save_dir, exist_ok=True)
    path = os.path.join(save_dir, f"http-fuzz-{seed}-{index}.json")
    doc = {
        "what": "tests/hardening/http-fuzz.py failing request; replay: http-fuzz.py --replay THIS_FILE",
        "seed": seed, "index": index, "saved_at": int(time.time()), "variants": variants, "shape": shape,
        "method": req.method, "path": req.path,
        "headers": [[k, hdr_bytes(v).decode("latin-1")] for k, v in req.headers],
        "body_b64": base64.b64encode(req.body).decode(),
        "body_preview": req.body[:2000].decode("latin-1"),
        "locks": [[p, a, (t if isinstance(t, bytes) else t.encode()).decode("latin-1"),
                   None if e is None else (e if isinstance(e, bytes) else e.encode()).decode("latin-1")]
                  for p, a, t, e in (locks or [])] if locks is not None else None,
        "responses": {v: {"status": r.status_line, "headers": r.headers,
                          "body": r.body[:4000].decode("utf-8", "backslashreplace")} for v, r in responses.items()},
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    return path


PLACEHOLDER = re.compile(rb"\{\{(cookie|nonce|nonce-prev|post):([A-Za-z0-9_-]+)\}\}")


def load_request(path):
    """A saved request. Kept regression cases may use placeholders instead of a run's
    session bytes: {{cookie:WHO}}, {{nonce:WHO}}, {{nonce-prev:WHO}} (WHO: admin, editor,
    author, subscriber, ...; filled from fresh logins) and {{post:KEY}} (testbed.json post
    ids); the body may then be given as text ("body") instead of "body_b64"."""
    with open(path) as f:
        doc = json.load(f)
    headers = [(k, v.encode("latin-1")) for k, v in doc["headers"]]
    body = base64.b64decode(doc["body_b64"]) if "body_b64" in doc else doc.get("body", "").encode("latin-1")
    req = case_defs.Req(doc["method"], doc["path"], headers, body)
    locks = None
    if doc.get("locks") is not None:
        locks = [(p, a, t.encode("latin-1"), None if e is None else e.encode("latin-1")) for p, a, t, e in doc["locks"]]
    return doc, req, locks


def has_placeholders(req):
    fields = [req.path.encode("latin-1"), req.body] + [hdr_bytes(v) for _, v in req.headers]
    return any(PLACEHOLDER.search(x) for x in fields)


def fill_placeholders(ctx, req):
    def repl(m):
        what, arg = m.group(1).decode(), m.group(2).decode()
        if what == "post":
            return b"%d" % ctx.post(arg)
        sess = ctx.sessions[arg]
        if what == "cookie":
            return sess.cookie_header().encode()
        return sess.mint_nonce(tick_offset=-1 if what == "nonce-prev" else 0).encode()
    return case_defs.Req(req.method, PLACEHOLDER.sub(repl, req.path.encode("latin-1")).decode("latin-1"),
                         [(k, PLACEHOLDER.sub(repl, hdr_bytes(v))) for k, v in req.headers],
                         PLACEHOLDER.sub(repl, req.body))


# --------------------------------------------------------------------------- sending


def send_all(fz, req, locks, variants):
    if locks is not None:
        apply_locks(fz, locks)
    responses = {}
    for v in variants:  # fixed order: the reference first
        try:
            responses[v] = parity.send(None, req, v)
        except fb.HTTPError as e:
            responses[v] = fb.Response("(no response)", [], str(e).encode(), b"")
    return responses


def compare_all(responses, variants):
    ok = True
    rows = {}
    for v in variants[1:]:
        same, rows[v] = parity.compare(responses[variants[0]], responses[v])
        ok &= same
    return ok, rows


def lane_counts():
    """(lane, full, workers) summed over the fastbeat workers (fbclient.lane_counts)."""
    try:
        return fb.lane_counts()
    except (OSError, ValueError, fb.HTTPError) as e:
        print(f"http-fuzz: reading the lane counters failed: {e!r}")
        return None


class Minimal:
    """Replay context: only what send_all needs."""

    def __init__(self):
        self.pool = [int(r[0]) for r in fb.db("SELECT ID FROM wp_posts ORDER BY ID")]


def split_body(req):
    """(parts, joiner) for dropping fields: urlencoded pairs or multipart parts."""
    ct = dict((k.lower(), hdr_bytes(v)) for k, v in req.headers).get("content-type", b"")
    m = re.search(rb"boundary=([^;\s]+)", ct)
    if b"multipart/form-data" in ct and m:
        delim = b"--" + m.group(1)
        chunks = req.body.split(delim)
        head, parts, tail = chunks[0], chunks[1:-1], chunks[-1]
        return parts, lambda ps: head + b"".join(delim + x for x in ps) + delim + tail
    return req.body.split(b"&"), lambda ps: b"&".join(ps)


def minimize(fz, req, locks, variants):
    """Greedy: drop body fields (urlencoded pairs or multipart parts), headers and lock rows
    while the request still differs."""
    def still_fails(r, lk):
        ok, _ = compare_all(send_all(fz, r, lk, variants), variants)
        return not ok

    if req.method != "GET" and req.body:
        parts, join = split_body(req)
        i = 0
        while i < len(parts):
            trial = parts[:i] + parts[i + 1:]
            if still_fails(case_defs.Req(req.method, req.path, req.headers, join(trial)), locks):
                parts = trial
                print(f"  minimize: dropped body field {i}; {len(parts)} left")
            else:
                i += 1
        req = case_defs.Req(req.method, req.path, req.headers, join(parts))
    i = 0
    while i < len(req.headers):
        if req.headers[i][0].lower() == "content-type":
            i += 1
            continue
        trial = case_defs.Req(req.method, req.path, req.headers[:i] + req.headers[i + 1:], req.body)
        if still_fails(trial, locks):
            req = trial
            print(f"  minimize: dropped header; {len(req.headers)} left")
        else:
            i += 1
    if locks:
        i = 0
        while i < len(locks):
            trial = locks[:i] + locks[i + 1:]
            if still_fails(req, trial):
                locks = trial
                print(f"  minimize: dropped a lock row; {len(locks)} left")
            else:
                i += 1
    return req, locks


def replay(args, variants):
    passed = failed = 0
    for path in args.replay:
        doc, req, locks = load_request(path)
        fz = Minimal()
        ctx = None
        print(f"http-fuzz: replay {path}: seed {doc.get('seed')}, index {doc.get('index')}"
              + (f", saved {(time.time() - doc['saved_at']) / 3600:.1f} h ago (its nonces live 12-24 h, its "
                 f"cookies until the session is logged out or expires)" if doc.get("saved_at") else ""))
        if doc.get("note"):
            print(f"  note: {doc['note']}")
        try:
            if has_placeholders(req):
                ctx = case_defs.Context(verbose=args.verbose)
                ctx.prepare()
                req = fill_placeholders(ctx, req)
            print(f"  {req.method} {req.path}, {len(req.body)} bytes, shape {json.dumps(doc.get('shape'))}")
            if args.minimize:
                req, locks = minimize(fz, req, locks, variants)
                responses = send_all(fz, req, locks, variants)
                _, rows = compare_all(responses, variants)
                out = save_request(os.path.dirname(os.path.abspath(path)), doc.get("seed"),
                                   f"{doc.get('index')}-min", req, locks, doc.get("shape"), variants, rows, responses)
                print(f"  minimized request: {out}")
                print(f"  body: {parity.body_preview(req.body, 2000)}")
            responses = send_all(fz, req, locks, variants)
            ok, rows = compare_all(responses, variants)
            parity.print_table(variants, rows, args.verbose)
        finally:
            if locks is not None:
                clear_locks(fz)
            if ctx is not None:
                ctx.cleanup()
        print(f"  {'PASS' if ok else 'FAIL'} {path}")
        passed += ok
        failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


MARKERS = [  # what the reference answered: proof the shapes reach the interesting code
    ("200", rb"^"), ("400 '0'", None), ("500 critical error", None), ("wp-auth-check:true", rb'"wp-auth-check":true'),
    ("wp-auth-check:false", rb'"wp-auth-check":false'), ("success:false (no nonce)", rb'^\{"success":false\}$'),
    ("nonces refreshed", rb'"heartbeat_nonce"'), ("nonces_expired", rb'"nonces_expired":true'),
    ("new_lock", rb'"new_lock"'), ("lock_error", rb'"lock_error"'),
    ("wp-check-locked-posts entries", rb'"wp-check-locked-posts":\{'),
    ("post nonces replaced", rb'"wp-refresh-post-nonces":\{"replace"'),
    ("metabox nonces replaced", rb'"wp-refresh-metabox-loader-nonces":\{"replace"'),
    ("CORS allow-origin", None), ("'-1'", rb"^-1$"),
]


def coverage(cov, resp):
    for name, rx in MARKERS:
        if name == "200":
            hit = resp.status == 200
        elif name == "400 '0'":
            hit = resp.status == 400 and resp.body == b"0"
        elif name == "500 critical error":
            hit = resp.status == 500 and b"critical error" in resp.body
        elif name == "CORS allow-origin":
            hit = resp.header("Access-Control-Allow-Origin") is not None
        else:
            hit = re.search(rx, resp.body) is not None
        if hit:
            cov[name] = cov.get(name, 0) + 1


def signature(rows_by_variant):
    """What differed, without the parts that vary from request to request (numbers)."""
    out = []
    for v, rows in rows_by_variant.items():
        for field, _, other, verdict in rows:
            if verdict != "DIFF" or field == "body diff":
                continue
            label = re.sub(r"^h\d+ ", "", re.sub(r"^body \d+B", "body", field))
            if label == "body":
                label += " " + re.sub(r"\d+", "N", other[:90])
            elif label == "status":
                label += " " + other
            out.append(f"{v}: {label}")
    return " | ".join(out) or "(error)"


# --------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=10000, help="requests (default 10000)")
    ap.add_argument("--seed", type=int, default=None, help="default: random (printed first)")
    ap.add_argument("--variants", default="core,fastbeat,fastbeat-full",
                    help="comma-separated, sent in this order; the first is the reference")
    ap.add_argument("--only", default=None, help="only these request indexes (comma-separated) of the seed's run")
    ap.add_argument("--progress", type=int, default=500, help="progress line every N requests (default 500)")
    ap.add_argument("--save-dir", default=os.path.join(HERE, "artifacts", "http-fuzz"),
                    help="where failing requests are saved (default tests/hardening/artifacts/http-fuzz)")
    ap.add_argument("--max-tables", type=int, default=3,
                    help="parity tables for the first N requests of each distinct difference (default 3)")
    ap.add_argument("--min-lane", type=int, default=None,
                    help="fail unless the lane answered at least N beats (default count/50 with fastbeat: "
                         "most fuzzed beats are shapes only the full path answers)")
    ap.add_argument("--replay", action="append", metavar="FILE",
                    help="re-send a saved request (a JSON file this script wrote; repeatable)")
    ap.add_argument("--minimize", action="store_true", help="with --replay: shrink the request while it still differs")
    ap.add_argument("--inject", action="append", default=[], metavar="VARIANT=FIXTURE[:MODE]",
                    help="load a fixture plugin on VARIANT's requests (to show the fuzzer fails on a difference)")
    ap.add_argument("--no-prime", action="store_true", help="do not prime the lane first (lane_counts.py --prime)")
    ap.add_argument("--fixtures", type=int, default=0, metavar="N",
                    help="run with N fixture plugins of tests/lane/fixtures active, chosen by the seed "
                         "(installed as a site owner would, for core and fastbeat alike; the lane decides "
                         "from the evidence they produce)")
    ap.add_argument("--fixture-names", default="", help="comma-separated fixtures to run with instead")
    ap.add_argument("-v", "--verbose", action="store_true", help="wider tables; print every request's shape")
    args = ap.parse_args()

    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    if len(variants) < 2:
        ap.error("--variants needs at least two variants (the first is the reference)")
    for v in variants:
        fb.env_port(v)
    for spec in args.inject:
        v, _, fx = spec.partition("=")
        name, _, mode = fx.partition(":")
        if v not in variants or not name:
            ap.error(f"--inject {spec}: expected VARIANT=FIXTURE[:MODE] with VARIANT in --variants")
        parity.INJECT[v] = (name, mode or None)

    if args.replay:
        return replay(args, variants)

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 2 ** 31)
    print(f"http-fuzz: seed {seed}")
    sys.stdout.flush()
    indexes = [int(x) for x in args.only.split(",")] if args.only else list(range(args.count))
    count = len(indexes)
    fixture_set = os.path.join(REPO, "tests", "lane", "fixture_set.py")
    active = [n for n in args.fixture_names.split(",") if n]
    if args.fixtures and not active:
        active = subprocess.run([sys.executable, fixture_set, "pick", str(args.fixtures), str(seed)],
                                capture_output=True, text=True, check=True).stdout.split()
    if active:
        print(f"http-fuzz: fixtures to activate once the sessions are logged in: {' '.join(active)}")
        lane_shapes = subprocess.run([sys.executable, fixture_set, "lane-shapes", *active],
                                     capture_output=True, text=True, check=True).stdout.split()
        print(f"http-fuzz: shapes these fixtures leave to the lane: {' '.join(lane_shapes) or 'none'}")
        if args.min_lane is None and "nopriv" not in lane_shapes:
            # Most lane answers are logged-out beats; without them, a few logged-in ones
            # (or none, when nothing may take the lane: parity with every beat on the full
            # path).
            args.min_lane = count // 300 if lane_shapes else 0
    if "fastbeat" in variants and not args.no_prime:
        subprocess.run([sys.executable, os.path.join(PARITY, "lane_counts.py"), "--prime"],
                       capture_output=True, timeout=120)
    ctx = case_defs.Context(verbose=args.verbose)
    started = time.time()
    passed = failed = retried = 0
    saved = []
    sigs = {}  # distinct difference -> request indexes
    cov = {}
    lane_before = lane_counts() if "fastbeat" in variants else None
    kinds = {}
    try:
        ctx.prepare()
        # Fixtures go in once the sessions exist (some, e.g. a user switched on init, would
        # break logging in through wp-login.php) and come out before they are logged out.
        if active:
            subprocess.run([sys.executable, fixture_set, "install", *active], check=True,
                           capture_output=True, timeout=300)
            print(f"http-fuzz: fixtures active: {' '.join(active)}")
        fz = Fuzz(ctx)
        print(f"http-fuzz: {count} requests, {' -> '.join(variants)} (reference {variants[0]}), "
              f"site {fb.env('FASTBEAT_SITE_URL')}, posts {fz.pool[0]}..{fz.pool[-1]}")
        if lane_before:
            print(f"http-fuzz: lane counters before: {lane_before[0]} lane, {lane_before[1]} full "
                  f"({lane_before[2]} workers)")
        for n, index in enumerate(indexes, 1):
            for attempt in range(2):
                t0 = time.time()
                try:
                    req, locks, shape = fz.build(index, seed)
                    responses = send_all(fz, req, locks, variants)
                    ok, rows = compare_all(responses, variants)
                except Exception as e:  # a broken request counts as a failure
                    traceback.print_exc()
                    req, locks, shape, responses, rows, ok = None, None, {"error": repr(e)}, {}, None, False
                if not parity.tick_changed(t0, time.time()) or attempt == 1:
                    break
                retried += 1  # a nonce tick passed mid-request: build it again
            kinds[shape.get("data")] = kinds.get(shape.get("data"), 0) + 1
            if variants[0] in responses:
                coverage(cov, responses[variants[0]])
            passed += ok
            failed += not ok
            if args.verbose:
                print(f"  [{index}] {'PASS' if ok else 'FAIL'} {json.dumps(shape)}")
            if not ok:
                sig = signature(rows) if rows else "error: " + shape.get("error", "?")
                seen = sigs.setdefault(sig, [])
                seen.append(index)
                print(f"http-fuzz: DIFFERENCE: seed {seed}, request index {index}: {json.dumps(shape)}")
                if req is not None:
                    print(f"  {req.method} {req.path}, {len(req.body)} bytes; body: "
                          f"{parity.body_preview(req.body, 600)}")
                if rows and (len(seen) <= args.max_tables or args.verbose):
                    parity.print_table(variants, rows, args.verbose)
                elif rows:
                    print(f"  same difference as request {seen[0]} (table above): {sig}")
                if req is not None and len(seen) <= 5 and len(saved) < 100:
                    path = save_request(args.save_dir, seed, index, req, locks, shape, variants, rows, responses)
                    saved.append(path)
                    print(f"  saved: {path}\n  replay: tests/hardening/http-fuzz.py --replay {path}")
                print(f"  regenerate: tests/hardening/http-fuzz.py --seed {seed} --only {index}")
            if args.progress and n % args.progress == 0 and n < count:
                el = time.time() - started
                print(f"http-fuzz: [{n:>6}/{count}] {failed} failed, {el:.0f} s, ~{el / n * (count - n):.0f} s left")
                sys.stdout.flush()
    finally:
        if active:
            subprocess.run([sys.executable, fixture_set, "uninstall", *active], capture_output=True, timeout=300)
        try:
            if ctx.tb:
                clear_locks(Minimal())
        except Exception as e:  # noqa: BLE001
            print(f"http-fuzz: clearing locks failed: {e!r}")
        if saved:
            # Keep the sessions alive so the saved requests' cookies still work for --replay.
            try:
                ctx.reset_all()
            except Exception:  # noqa: BLE001
                pass
            print("http-fuzz: sessions left logged in so the saved requests can be replayed")
        else:
            ctx.cleanup()
    elapsed = time.time() - started
    lane_after = lane_counts() if "fastbeat" in variants else None
    lane_ok = True
    if lane_before and lane_after:
        dl, df = lane_after[0] - lane_before[0], lane_after[1] - lane_before[1]
        if dl < 0 or df < 0:
            print("http-fuzz: lane counters went down (a worker restarted): lane share unknown")
            lane_ok = False
        else:
            sent = count  # requests sent to the fastbeat variant
            print(f"http-fuzz: fast lane: {dl} of {sent} beats to fastbeat answered by the lane "
                  f"({100.0 * dl / max(1, sent):.1f} %), {df} admin-ajax.php requests on the full path "
                  f"(fastbeat-full and ineligible beats)")
            need = args.min_lane if args.min_lane is not None else count // 50
            if dl < need:
                print(f"http-fuzz: fast lane check FAILED: expected at least {need} lane answers")
                lane_ok = False
    elif "fastbeat" in variants:
        print("http-fuzz: could not read the lane counters")
        lane_ok = args.min_lane == 0
    print(f"http-fuzz: {variants[0]} answered: " + ", ".join(f"{k} {cov[k]}" for k, _ in MARKERS if k in cov))
    print(f"http-fuzz: data shapes: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda x: -x[1])))
    print(f"http-fuzz: seed {seed}, {count} requests x {len(variants)} variants in {elapsed:.1f} s "
          f"({count / max(elapsed, 1e-9):.1f} requests/s), {failed} differences"
          + (f", {retried} rebuilt after a nonce tick" if retried else ""))
    if sigs:
        print(f"http-fuzz: {len(sigs)} distinct difference(s):")
        for sig, idx in sorted(sigs.items(), key=lambda x: -len(x[1])):
            more = ", ..." if len(idx) > 8 else ""
            print(f"  {len(idx):>5} x  {sig}  (requests {', '.join(map(str, idx[:8]))}{more})")
    if saved:
        print(f"http-fuzz: {len(saved)} failing request(s) saved under {args.save_dir} (up to 5 per difference)")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and lane_ok else 1


if __name__ == "__main__":
    sys.exit(main())
