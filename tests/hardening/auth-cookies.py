#!/usr/bin/env python3
"""Authentication cookies, request by request against core: a lane must never accept a
cookie that core rejects (and must accept exactly what core accepts).

Each cookie is sent in two logged-in-looking heartbeats (no data, so the fast lane may take
them once it exists): one with the nonce that would be valid for the session the cookie
claims, one with an invalid nonce. Each goes to core (:18081, the reference) and to every
lane; the responses must be identical (status, headers in order, body; Date and server_time
may differ), and core's verdict must be the one the case names (accepted: the logged-in
handler answered the invalid nonce with nonces_expired; rejected: the logged-out handler
answered {"wp-auth-check":false,...}), so each case proves what it claims.

Cookies are minted with the test bed's fixed salts for a dedicated user (fbhard, created
if missing; its password hash is changed and restored by the "changed password" case) and
real session tokens. Cases: valid controls (both cookies, one of them, expired within
core's one-hour grace for POST/Ajax), expired beyond the grace, tampered / upper-case /
truncated / empty HMAC, tampered user, expiration or token under the original HMAC,
destroyed session, changed password, wrong scheme (auth value as logged_in and back,
secure_auth), another user's or a made-up token, unknown user, malformed cookies (3 or 5
parts, empty, "0", array, duplicates, slashes), and mixed good/bad pairs.

Every case is sent in one nonce tick: one a tick boundary passed through is sent again
(the valid-nonce probe and the forged "next tick" nonces depend on the tick). Expirations
are computed when each round's cases are built, so "30 min ago" stays within the grace
however long the run. The random values (made-up tokens and user names, forged nonces)
come from one seeded generator: the seed is printed, and --seed replays it.

Usage: auth-cookies.py [--lanes full,fast] [--rounds N] [--seed S] [-v]
  --rounds N   send every case N times (default 1), alternating which side goes first
Last line: "N passed, N failed".
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import re
import secrets
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import hb  # noqa: E402
from hb import fb  # noqa: E402

USER, PASSWORD = "fbhard", "fbhard-pass-1"
LIVES = hb.LIVES  # WordPress's default nonce life (no nonce-life fixture here)
URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def rand_token(rng, n=43):
    """Like secrets.token_urlsafe(32) (43 characters), from the run's seeded generator."""
    return "".join(rng.choice(URLSAFE) for _ in range(n))
OPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib", "wp-ops.php")


SENT = [0]


def send(lane, headers, body):
    SENT[0] += 1
    return hb.send(lane, headers, body)


def ops(*args):
    out = subprocess.run(["php", OPS, *map(str, args)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def mint(login, frag, exp, token, scheme):
    return fb.mint_auth_cookie(login, frag, exp, token, scheme)


def enc(v):
    """As a browser sends what setcookie() set: '|' is %7C."""
    return urllib.parse.quote(v, safe="")


class Env:
    def __init__(self):
        self.tb = hb.testbed()
        self.hash = self.tb["cookiehash"]
        u = ops("ensure-user", USER, PASSWORD)
        self.uid, self.frag, self.user_pass = u["id"], u["pass_frag"], u["user_pass"]
        self.now = int(time.time())  # refreshed when each round's cases are built (cases())
        self.exp = self.now + 2 * 86400
        self.token = ops("session", self.uid, self.exp)
        self.token2 = ops("session", self.uid, self.exp)
        self.dead_token = ops("session", self.uid, self.exp)
        ops("destroy-session", self.uid, self.dead_token)
        self.editor = hb.login("editor")

    def cleanup(self):
        for t in (self.token, self.token2):
            try:
                ops("destroy-session", self.uid, t)
            except Exception:
                pass
        try:
            fb.logout(fb.env_port("core"), self.editor)
        except Exception:
            pass

    def names(self):
        return "wordpress_" + self.hash, "wordpress_logged_in_" + self.hash, "wordpress_sec_" + self.hash

    def good(self, scheme, exp=None, token=None, login=USER, frag=None):
        return mint(login, frag or self.frag, exp or self.exp, token or self.token, scheme)


def tamper_hmac(v, how):
    parts = v.split("|")
    h = parts[3]
    if how == "flip":
        h = h[:-1] + ("0" if h[-1] != "0" else "1")
    elif how == "upper":
        h = h.upper()
    elif how == "truncate":
        h = h[:-2]
    elif how == "empty":
        h = ""
    elif how == "pad":
        h = h + "0"
    parts[3] = h
    return "|".join(parts)


def replace_part(v, i, new):
    parts = v.split("|")
    parts[i] = new
    return "|".join(parts)


def cases(e, rng):
    """(name, verdict, cookie pairs [(name, raw value)], nonce uid, nonce token).
    verdict: 'accepted', 'rejected' or None (compare only). Expirations relative to now."""
    e.now = int(time.time())
    auth_n, li_n, sec_n = e.names()
    A, L = e.good("auth"), e.good("logged_in")
    u, t = e.uid, e.token
    out = [
        ("control: auth + logged_in", "accepted", [(auth_n, A), (li_n, L)], u, t),
        ("control: logged_in only", "accepted", [(li_n, L)], u, t),
        ("control: auth only", "accepted", [(auth_n, A)], u, ""),
        ("control: second session", "accepted", [(li_n, e.good("logged_in", token=e.token2))], u, e.token2),
        ("control: expired 30 min ago (AJAX grace)", "accepted",
         [(li_n, e.good("logged_in", exp=e.now - 1800))], u, t),
        ("expired 2 h ago", "rejected", [(auth_n, e.good("auth", exp=e.now - 7200)),
                                         (li_n, e.good("logged_in", exp=e.now - 7200))], u, t),
        ("expired 1 h 2 min ago (beyond grace)", "rejected", [(li_n, e.good("logged_in", exp=e.now - 3720))], u, t),
        ("expiration 0", "rejected", [(li_n, e.good("logged_in", exp=1) and replace_part(L, 1, "0"))], u, t),
    ]
    for how in ("flip", "upper", "truncate", "empty", "pad"):
        out.append((f"HMAC {how}", "rejected", [(auth_n, tamper_hmac(A, how)), (li_n, tamper_hmac(L, how))], u, t))
    out += [
        ("user changed, HMAC kept", "rejected", [(li_n, replace_part(L, 0, "admin"))], int(e.tb["users"]["admin"]), t),
        ("expiration extended, HMAC kept", "rejected", [(li_n, replace_part(L, 1, str(e.exp + 86400)))], u, t),
        ("token changed, HMAC kept", "rejected", [(li_n, replace_part(L, 2, e.token2))], u, e.token2),
        ("destroyed session", "rejected", [(auth_n, e.good("auth", token=e.dead_token)),
                                           (li_n, e.good("logged_in", token=e.dead_token))], u, e.dead_token),
        ("wrong scheme: auth value as logged_in", "rejected", [(li_n, A)], u, t),
        ("wrong scheme: logged_in value as auth", "rejected", [(auth_n, L)], u, t),
        ("wrong scheme: secure_auth value as auth", "rejected", [(auth_n, e.good("secure_auth"))], u, t),
        ("wrong scheme: secure_auth cookie over http", "rejected", [(sec_n, e.good("secure_auth"))], u, t),
        ("another user's session token", "rejected", [(li_n, e.good("logged_in", token=e.editor.token))], u,
         e.editor.token),
        ("made-up token, valid HMAC", "rejected", [(li_n, e.good("logged_in", token=rand_token(rng)))],
         u, ""),
        ("unknown user", "rejected", [(li_n, e.good("logged_in", login="nobody-" + "%08x" % rng.getrandbits(32),
                                                    frag="abcd"))], 0, t),
        ("wrong password fragment", "rejected", [(li_n, e.good("logged_in", frag="zzzz"))], u, t),
        ("3 parts", "rejected", [(li_n, L.rsplit("|", 1)[0])], u, t),
        ("5 parts", "rejected", [(li_n, L + "|x")], u, t),
        ("empty", "rejected", [(li_n, "")], u, ""),
        ("\"0\"", "rejected", [(li_n, "0")], u, ""),
        ("array cookie (core: TypeError, 500)", "other", [(li_n + "[]", L)], u, t),
        ("slashes and quotes in the token", "rejected",
         [(li_n, e.good("logged_in", token=t[:20] + "\\'\"" + t[23:]))], u, t),
        ("duplicate logged_in: bad first, good second", None, [(li_n, tamper_hmac(L, "flip")), (li_n, L)], u, t),
        ("duplicate logged_in: good first, bad second", None, [(li_n, L), (li_n, tamper_hmac(L, "flip"))], u, t),
        ("valid auth, tampered logged_in", None, [(auth_n, A), (li_n, tamper_hmac(L, "flip"))], u, t),
        ("tampered auth, valid logged_in", None, [(auth_n, tamper_hmac(A, "flip")), (li_n, L)], u, t),
        ("user name in upper case (minted)", None,
         [(li_n, e.good("logged_in", login=USER.upper()))], u, t),
        # Names PHP rewrites while parsing cookies ('.' and ' ' become '_', %XX is decoded):
        # a lane judging "no auth cookie" from the raw header would differ from core here.
        ("name with '.' for '_' (PHP mangles it)", None, [(li_n.replace("_", ".", 1), L)], u, t),
        ("name with ' ' for '_' (PHP mangles it)", None, [(li_n.replace("_", " ", 1), L)], u, t),
        ("name percent-encoded", None, [(li_n.replace("_", "%5F"), L)], u, t),
        ("auth name percent-encoded", None, [(auth_n.replace("_", "%5F"), A)], u, ""),
        ("another site's cookie hash", "rejected", [("wordpress_logged_in_" + "0" * 32, L)], u, t),
        ("no cookie, Basic auth with the password", None, [], u, t,
         [("Authorization", "Basic " + __import__("base64").b64encode(f"{USER}:{PASSWORD}".encode()).decode())]),
        ("no cookie at all", "rejected", [], u, t),
        ("logged_in cookie in a second Cookie header", None, [], u, t,
         [("Cookie", f"{li_n}={enc(L)}")]),
    ]
    return out


def verdict_of(resp):
    """Which handler answered a beat sent with an invalid nonce: the logged-in one answers
    nonces_expired, the logged-out one ignores nonces ({"wp-auth-check":false,...})."""
    text = resp.body.decode("utf-8", "replace")
    if re.search(hb.EXPIRED, text):
        return "accepted"
    if re.search(hb.OK_FALSE, text):
        return "rejected"
    return "other"


def run_case(e, lanes, name, verdict, pairs, uid, token, order, extra=()):
    """Two requests per cookie: with the nonce valid for the claimed session (the whole
    logged-in path must match core) and with an invalid nonce (tells which handler ran)."""
    cookie = "; ".join([f"{n}={enc(v)}" for n, v in pairs] + ["wordpress_test_cookie=WP%20Cookie%20check"])
    headers = hb.beat_headers(cookie, extra=extra)
    problems = []
    rows = {}
    core_verdict = "?"
    for probe, nonce in (("valid nonce", fb.mint_nonce("heartbeat-nonce", uid, token)),
                         ("invalid nonce", "0123abcdef")):
        body = hb.beat_body(nonce)
        targets = ["core"] + lanes
        if order % 2:
            targets = lanes + ["core"]
        got = {lane: send(lane, headers, body) for lane in targets}
        ref = got["core"]
        if probe == "invalid nonce":
            core_verdict = verdict_of(ref)
            if verdict and core_verdict != verdict:
                problems.append(f"core {core_verdict} (case expects {verdict}): {ref.status_line} "
                                f"{ref.body[:160]!r}")
        for lane in lanes:
            same, r = hb.compare(ref, got[lane])
            if not same:
                rows[lane] = r
                lv, cv = verdict_of(got[lane]), verdict_of(ref)
                sev = "SECURITY: accepted what core rejected" if lv == "accepted" and cv != "accepted" else "differs"
                problems.append(f"{lane} {sev} with {probe}")
    return problems, core_verdict, rows


def forged_nonces_http(e, lanes, count, rng):
    _, li_n, _ = e.names()
    cookie = f"{li_n}={enc(e.good('logged_in'))}; wordpress_test_cookie=WP%20Cookie%20check"
    headers = hb.beat_headers(cookie)

    def valid_now():
        return {fb.mint_nonce("heartbeat-nonce", e.uid, e.token, k) for k in (0, -1)}
    makers = [
        ("random hex", lambda i, valid: "".join(rng.choice("0123456789abcdef") for _ in range(10))),
        ("off by N ticks", lambda i, valid: fb.mint_nonce("heartbeat-nonce", e.uid, e.token, [1, -2, 2, -3][i % 4] * (1 + i // 4))),
        ("another action", lambda i, valid: fb.mint_nonce(["wp_rest", "log-out", "-1", "heartbeat"][i % 4], e.uid, e.token)),
        ("another user", lambda i, valid: fb.mint_nonce("heartbeat-nonce", e.uid + 1 + i, e.token)),
        ("another session", lambda i, valid: fb.mint_nonce("heartbeat-nonce", e.uid, [e.token2, "", rand_token(rng)][i % 3])),
        ("another site", lambda i, valid: hmac.new(rng.randbytes(16), f"{fb.nonce_tick()}|heartbeat-nonce|{e.uid}|{e.token}".encode(), hashlib.md5).hexdigest()[-12:-2]),
        ("one character changed", lambda i, valid: (lambda v, j: v[:j] + ("0" if v[j] != "0" else "1") + v[j + 1:])(sorted(valid)[i % 2], i % 10)),
        ("truncated / padded / upper", lambda i, valid: [sorted(valid)[0][:9], sorted(valid)[0] + " ", sorted(valid)[0].upper(), " " + sorted(valid)[0]][i % 4]),
    ]

    def one(i):
        """Forge item i from this tick's nonces and send it: (label, value or None, problems)."""
        label, make = makers[i % len(makers)]
        valid = valid_now()
        v = make(i // len(makers), valid)
        if v in valid:
            return label, None, []
        body = hb.beat_body(v)
        got = {lane: send(lane, headers, body) for lane in ["core"] + lanes}
        problems = []
        if not re.search(hb.EXPIRED, got["core"].body.decode("utf-8", "replace")):
            problems.append(f"core did not reject {label} {v!r}: {got['core'].body[:120]!r}")
        for lane in lanes:
            same, _ = hb.compare(got["core"], got[lane])
            if not same:
                problems.append(f"{lane} differs from core for {label} {v!r}: {got[lane].body[:120]!r}")
        return label, v, problems
    forged = 0
    bad = []
    for i in range(count):
        # Made and checked in one tick (a "next tick" nonce is valid once a boundary passed).
        label, v, problems = fb.tick_stable(lambda: one(i), lives=LIVES)
        forged += v is not None
        bad += problems

    def control(k, rx):
        body = hb.beat_body(fb.mint_nonce("heartbeat-nonce", e.uid, e.token, k))
        out = []
        for lane in ["core"] + lanes:
            r = send(lane, headers, body)
            if not re.search(rx, r.body.decode("utf-8", "replace")):
                out.append(f"{lane}: tick {k:+d} nonce not accepted: {r.body[:120]!r}")
        return out
    controls = []
    for k, rx in ((0, hb.OK_TRUE), (-1, r'"heartbeat_nonce":"[0-9a-f]{10}".*"wp-auth-check":true')):
        controls += fb.tick_stable(lambda: control(k, rx), lives=LIVES)
    ok1, ok2 = not bad, not controls
    print(f"  {'ok  ' if ok1 else 'FAIL'} {forged} forged nonces over HTTP, valid cookie: "
          f"{'all rejected by core and every lane alike' if ok1 else 'PROBLEMS'}")
    print(f"  {'ok  ' if ok2 else 'FAIL'} controls: current and previous tick nonces accepted by core and every lane")
    for b in (bad + controls)[:10]:
        print(f"       !! {b}")
    return ok1 + ok2, (not ok1) + (not ok2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lanes", default=os.environ.get("FASTBEAT_HARDENING_LANES", "full,fast"))
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--nonces", type=int, default=120,
                    help="forged nonces sent over HTTP with a valid cookie (default 120)")
    ap.add_argument("--seed", type=int, default=None,
                    help="seed of the random values (default: a random one, printed)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    lanes = [x for x in hb.parse_lanes(args.lanes) if x != "core"]
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    rng = random.Random(seed)

    e = Env()
    passed = failed = 0
    started = time.time()
    try:
        all_cases = cases(e, rng)
        print(f"auth-cookies: {len(all_cases)} cookies x {args.rounds} round(s), core vs {', '.join(lanes)}, "
              f"user {USER} (id {e.uid}), seed {seed} (replay: --seed {seed})")
        n = 0
        for r in range(args.rounds):
            if r:
                all_cases = cases(e, rng)  # expirations relative to this round's start
            for name, verdict, pairs, uid, token, *extra in all_cases:
                # Sent again when a nonce tick boundary passed meanwhile.
                problems, cv, rows = fb.tick_stable(
                    lambda: run_case(e, lanes, name, verdict, pairs, uid, token, n, extra[0] if extra else ()),
                    lives=LIVES)
                n += 1
                ok = not problems
                passed += ok
                failed += not ok
                if r == 0 or not ok:
                    print(f"  {'ok  ' if ok else 'FAIL'} {name:<46} core {cv:<9} lanes {'same' if ok else '!!'}")
                for p in problems:
                    print(f"       !! {p}")
                if (not ok or args.verbose) and rows:
                    hb.print_table(["core"] + lanes, rows, args.verbose)

        # Changed password: the same (valid until now) cookie, after the hash changed.
        auth_n, li_n, _ = e.names()
        L = e.good("logged_in")
        before, cv0, _ = fb.tick_stable(
            lambda: run_case(e, lanes, "", "accepted", [(li_n, L)], e.uid, e.token, 0), lives=LIVES)
        ops("set-user-pass", e.uid, ops("hash-password", PASSWORD + "-changed"))
        try:
            after, cv1, rows = fb.tick_stable(
                lambda: run_case(e, lanes, "", "rejected", [(li_n, L)], e.uid, e.token, 1), lives=LIVES)
        finally:
            ops("set-user-pass", e.uid, e.user_pass)
        ok = not before and not after
        passed += ok
        failed += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {'changed password (same cookie before/after)':<46} "
              f"core {cv0} -> {cv1}, lanes {'same' if ok else '!!'}")
        for p in before + after:
            print(f"       !! {p}")
        # Forged nonces over HTTP on a valid session: every lane must answer exactly as core
        # (nonces_expired), and the current / previous tick's nonce must still work.
        p, f = forged_nonces_http(e, lanes, args.nonces, rng)
        passed += p
        failed += f
    finally:
        e.cleanup()
    print(f"auth-cookies: {passed + failed} checks, {SENT[0]} requests in {time.time() - started:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
