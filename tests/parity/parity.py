#!/usr/bin/env python3
"""Fastbeat parity runner: sends every case to two (or more) test bed variants and
compares status line, every header (names, values, order; only Date may differ) and
the body (only clock-derived values may differ: each must lie within its own request's
send window, +-1 s).

Usage (normally through tests/parity/run.sh, which sources testbed/env.sh):
  parity.py [--variants core,fastbeat] [-k PATTERN ...] [-q|-v] [--list] [--self-test]
            [--report FILE] [--max-failures N]
The first variant is the reference. Exit status is non-zero on any difference.
"""

import argparse
import json
import os
import re
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fbclient as fb  # noqa: E402
import cases as case_defs  # noqa: E402

# A clock-derived value (server_time, new_lock, "Draft saved at") is checked against the
# window of its own request: from just before it was sent to just after its answer was
# read (fbclient.Response.window), +-CLOCK_SLACK s for whole seconds. Comparing the two
# responses with each other (+-CLOCK_TOLERANCE) is left for responses without a window
# (made up, not received).
CLOCK_SLACK = 1  # seconds
CLOCK_TOLERANCE = 2  # seconds
REQUEST_TIMEOUT = 60  # seconds; PHP's max_execution_time (30 s) normally ends a hung request first
NONCE_LIVES = fb.NONCE_LIVES  # default, the nonce-life fixture's float and short modes

# Clock-derived values: (name, regex with one group per clock field, converter to seconds).
CLOCK_PATTERNS = [
    ("server_time", re.compile(rb'"server_time":(\d+)'), lambda m: int(m.group(1))),
    ("new_lock", re.compile(rb'"new_lock":"(\d+):'), lambda m: int(m.group(1))),
    ("draft-saved-at", re.compile(rb"Draft saved at (\d{1,2}):(\d{2}):(\d{2}) ([ap]m)\."),
     lambda m: ((int(m.group(1)) % 12) + (12 if m.group(4) == b"pm" else 0)) * 3600
     + int(m.group(2)) * 60 + int(m.group(3))),
]
DAY = 86400


# --------------------------------------------------------------------------- comparison


def normalize_body(body):
    """Replace clock-derived values by placeholders; return (normalized, [(name, seconds)])."""
    found = []
    out = body
    for name, rx, conv in CLOCK_PATTERNS:
        def repl(m, name=name, conv=conv):
            found.append((name, m.start(), conv(m)))
            start, end = m.span()
            text = m.group(0)
            # Keep the literal text around the clock groups, replace the groups.
            pieces, last = [], 0
            for g in range(1, (m.lastindex or 0) + 1):
                gs, ge = m.span(g)
                pieces.append(text[last:gs - start])
                pieces.append(b"<" + name.encode() + b">")
                last = ge - start
            pieces.append(text[last:])
            return b"".join(pieces)
        out = rx.sub(repl, out)
    found.sort(key=lambda x: (x[0], x[1]))
    return out, [(n, v) for n, _, v in found]


def clock_delta(name, a, b):
    d = abs(a - b)
    if name == "draft-saved-at":
        d = min(d, DAY - d)  # wraps at midnight
    return d


_SITE_TZ = []


def site_utc_offset(at):
    """The site's UTC offset in seconds at instant `at` (gmt_offset / timezone_string, as
    "Draft saved at" uses them); None when the database cannot say."""
    if not _SITE_TZ:
        try:
            opts = dict((r[0], r[1] if len(r) > 1 else "") for r in fb.db(
                "SELECT option_name, option_value FROM wp_options "
                "WHERE option_name IN ('gmt_offset', 'timezone_string')"))
            _SITE_TZ.append(opts)
        except Exception:  # no database: "Draft saved at" falls back to the pairwise check
            _SITE_TZ.append(None)
    opts = _SITE_TZ[0]
    if opts is None:
        return None
    if opts.get("timezone_string"):
        import datetime
        import zoneinfo
        tz = zoneinfo.ZoneInfo(opts["timezone_string"])
        return int(datetime.datetime.fromtimestamp(at, tz).utcoffset().total_seconds())
    return int(float(opts.get("gmt_offset") or 0) * 3600)


def in_window(name, value, window):
    """Whether a clock value lies in the send window of the request it answered (+-CLOCK_SLACK),
    or None when that cannot be said (no window, or the site's time zone unknown)."""
    if window is None:
        return None
    lo, hi = int(window[0]) - CLOCK_SLACK, int(window[1]) + CLOCK_SLACK
    if name != "draft-saved-at":
        return lo <= value <= hi
    offset = site_utc_offset(window[0])
    if offset is None:
        return None
    return any((t + offset) % DAY == value for t in range(lo, hi + 1))


def clocks_allowed(ref, other, ca, cb):
    """Whether every clock value pair may differ: each value within its own response's send
    window where that is known, else the two within CLOCK_TOLERANCE of each other. Returns
    (ok, description)."""
    ok, parts = True, []
    for x, y in zip(ca, cb):
        wa, wb = in_window(x[0], x[1], ref.window), in_window(y[0], y[1], other.window)
        if wa is not None and wb is not None:
            good = wa and wb
            if x[1] != y[1] or not good:
                parts.append(f"{x[0]}Δ{clock_delta(x[0], x[1], y[1])}s" + ("" if good else " outside its send window"))
        else:
            good = clock_delta(x[0], x[1], y[1]) <= CLOCK_TOLERANCE
            if x[1] != y[1]:
                parts.append(f"{x[0]}Δ{clock_delta(x[0], x[1], y[1])}s")
        ok &= good
    return ok, ",".join(parts)


def compare(ref, other):
    """Compare two Responses. Returns (ok, rows); rows are (field, ref_value, other_value, verdict)
    with verdict one of 'same', 'allowed', 'DIFF'."""
    rows = []
    ok = True

    verdict = "same" if ref.status_line == other.status_line else "DIFF"
    ok &= verdict != "DIFF"
    rows.append(("status", ref.status_line, other.status_line, verdict))

    n = max(len(ref.headers), len(other.headers))
    for i in range(n):
        a = ref.headers[i] if i < len(ref.headers) else None
        b = other.headers[i] if i < len(other.headers) else None
        label = f"h{i + 1:02d} {(a or b)[0]}"
        va = f"{a[0]}: {a[1]}" if a else "(none)"
        vb = f"{b[0]}: {b[1]}" if b else "(none)"
        if a and b and a[0] == b[0] and a[1] == b[1]:
            verdict = "same"
        elif a and b and a[0] == b[0] and a[0].lower() == "date":
            verdict = "allowed"
        else:
            verdict = "DIFF"
            ok = False
        rows.append((label, va, vb, verdict))

    na, ca = normalize_body(ref.body)
    nb, cb = normalize_body(other.body)
    label = f"body {len(ref.body)}B"
    if ref.body == other.body:
        verdict = "same"
    else:
        verdict, clock_problem = "DIFF", None
        if na == nb and [c[0] for c in ca] == [c[0] for c in cb]:
            good, desc = clocks_allowed(ref, other, ca, cb)
            verdict, clock_problem = (f"allowed ({desc})", None) if good else ("DIFF", desc)
        ok &= verdict != "DIFF"
    rows.append((label, body_preview(ref.body), body_preview(other.body), verdict))
    if verdict == "DIFF":
        rows.append(("body diff", *first_difference(ref.body, other.body), "DIFF"))
        if clock_problem:
            rows.append(("clock", clock_problem, window_text(ref) + " / " + window_text(other), "DIFF"))
    return ok, rows


def window_text(resp):
    w = resp.window
    return "no send window" if w is None else f"sent {w[0]:.3f}, answered {w[1]:.3f}"


def body_preview(body, limit=400):
    text = body.decode("utf-8", "backslashreplace")
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[:limit] + f"...(+{len(text) - limit})"


def first_difference(a, b):
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    lo = max(0, i - 40)
    return (f"@{i}: ..." + body_preview(a[lo:i + 80], 200), f"@{i}: ..." + body_preview(b[lo:i + 80], 200))


# --------------------------------------------------------------------------- output


def shorten(s, width):
    s = str(s)
    return s if len(s) <= width else s[: width - 3] + "..."


def print_table(variants, rows_by_variant, verbose):
    """rows_by_variant: {variant: rows} for every non-reference variant."""
    ref = variants[0]
    others = variants[1:]
    base_rows = rows_by_variant[others[0]]
    wf, wv = 16, 78 if verbose else 62
    header = f"  | {'field':<{wf}} | {ref:<{wv}} | " + " | ".join(f"{o:<{max(len(o), 10)}}" for o in others) + " |"
    sep = "  " + "-" * (len(header) - 2)
    print(sep)
    print(header)
    print(sep)
    for idx, row in enumerate(base_rows):
        field, va = row[0], row[1]
        cells = []
        for o in others:
            r = rows_by_variant[o][idx] if idx < len(rows_by_variant[o]) else (field, "", "(missing)", "DIFF")
            if r[3] == "same":
                cell = "="
            elif r[3].startswith("allowed"):
                cell = "~ " + r[3][len("allowed"):].strip(" ()") if r[3] != "allowed" else "~ (allowed)"
            else:
                cell = "DIFF: " + shorten(r[2], 240 if not verbose else 2000)
            cells.append(cell)
        line = f"  | {shorten(field, wf):<{wf}} | {shorten(va, wv):<{wv}} | " + " | ".join(
            (c if c.startswith("DIFF") else f"{c:<{max(len(o), 10)}}") for c, o in zip(cells, others)) + " |"
        print(line)
    print(sep)


# --------------------------------------------------------------------------- running


def tick_changed(t0, t1):
    return fb.tick_changed(t0, t1, NONCE_LIVES)


INJECT = {}  # variant -> (fixture, mode): --inject, to make a pair differ on purpose


def send(case, req, variant):
    port = fb.env_port(variant)
    headers = list(req.headers)
    fixtures, mode = list(req.fixtures), req.mode
    if variant in INJECT:
        fixtures.append(INJECT[variant][0])
        mode = INJECT[variant][1] if INJECT[variant][1] is not None else mode
    if fixtures:
        headers.append(("X-Fastbeat-Fixture", ",".join(fixtures)))
    if req.late_fixtures:
        headers.append(("X-Fastbeat-Fixture-Late", ",".join(req.late_fixtures)))
    if mode is not None:
        headers.append(("X-Fastbeat-Mode", mode))
    if variant == "fastbeat-full":
        headers.append(("X-Fastbeat-Lane", "off"))
    for name in fixtures + list(req.late_fixtures):
        if not os.path.isfile(os.path.join(fb.env("FASTBEAT_FIXTURE_DIR"), name + ".php")):
            raise fb.HTTPError(f"unknown fixture {name!r} (no tests/fixtures/plugins/{name}.php)")
    try:
        return fb.request(port, req.method, req.path, headers, req.body, timeout=REQUEST_TIMEOUT)
    except (TimeoutError, OSError) as e:
        raise fb.HTTPError(f"{variant} (:{port}): no response within {REQUEST_TIMEOUT} s ({e!r}); "
                           f"see $FASTBEAT_TESTBED_DIR/logs/php-fpm-{variant}.log") from None


def check_expectations(case, resp):
    problems = []
    if case.expect_status is not None and resp.status != case.expect_status:
        problems.append(f"expected status {case.expect_status}, got {resp.status_line}")
    text = resp.body.decode("utf-8", "replace")
    for rx in case.expect_body:
        if not re.search(rx, text, re.S):
            problems.append(f"body does not match /{rx}/: {body_preview(resp.body, 300)}")
    for rx in case.expect_not_body:
        if re.search(rx, text, re.S):
            problems.append(f"body unexpectedly matches /{rx}/: {body_preview(resp.body, 300)}")
    for name, rx in case.expect_header.items():
        values = resp.header_all(name)
        if rx is None:
            if values:
                problems.append(f"header {name} unexpectedly present: {values}")
        elif not any(re.search(rx, v) for v in values):
            problems.append(f"header {name} does not match /{rx}/: {values}")
    return problems


def run_case(ctx, case, variants, index):
    """Returns (ok, {variant: rows}, {variant: Response}, problems)."""
    for attempt in range(2):
        t0 = time.time()
        req = case.build(ctx)
        order = list(variants)
        if index % 2 == 1:  # alternate which variant goes first
            order.reverse()
        responses = {}
        for v in order:
            if case.setup:
                case.setup(ctx)
            responses[v] = send(case, req, v)
        if case.teardown:
            case.teardown(ctx)
        if not tick_changed(t0, time.time()) or attempt == 1:
            break
    ref = responses[variants[0]]
    ok = True
    rows = {}
    for v in variants[1:]:
        same, rows[v] = compare(ref, responses[v])
        ok &= same
    problems = []
    for v in variants:
        for p in check_expectations(case, responses[v]):
            problems.append(f"[{v}] {p}")
    return ok and not problems, rows, responses, problems


def self_test(ctx, variants):
    """Shows the runner can fail: synthetic comparisons and a live pair made different
    on purpose (the same variant, once with a fixture that changes the output)."""
    print("self-test: the comparator must flag injected differences")
    base = fb.Response("HTTP/1.1 200 OK", [("Server", "nginx"), ("Date", "Mon, 01 Jan 2024 00:00:00 GMT"),
                                           ("Content-Type", "application/json; charset=UTF-8")],
                       b'{"wp-refresh-post-lock":{"new_lock":"1700000000:1"},"wp-auth-check":true,"server_time":1700000000}',
                       b"")

    def variant(**kw):
        r = fb.Response(base.status_line, list(base.headers), base.body, b"")
        for k, v in kw.items():
            setattr(r, k, v)
        return r

    checks = [
        ("identical", variant(), True),
        ("Date differs (allowed)", variant(headers=[("Server", "nginx"), ("Date", "Mon, 01 Jan 2024 00:00:09 GMT"),
                                                    ("Content-Type", "application/json; charset=UTF-8")]), True),
        ("server_time +2 s (allowed)", variant(body=base.body.replace(b"server_time\":1700000000", b"server_time\":1700000002")), True),
        ("new_lock +1 s (allowed)", variant(body=base.body.replace(b'"1700000000:1"', b'"1700000001:1"')), True),
        ("server_time +3 s", variant(body=base.body.replace(b"server_time\":1700000000", b"server_time\":1700000003")), False),
        ("new_lock uid differs", variant(body=base.body.replace(b'"1700000000:1"', b'"1700000000:2"')), False),
        ("status differs", variant(status_line="HTTP/1.1 500 Internal Server Error"), False),
        ("header value differs", variant(headers=[("Server", "nginx"), ("Date", base.headers[1][1]),
                                                  ("Content-Type", "text/html; charset=UTF-8")]), False),
        ("header order differs", variant(headers=[base.headers[0], base.headers[2], base.headers[1]]), False),
        ("extra header", variant(headers=base.headers + [("X-Extra", "1")]), False),
        ("missing header", variant(headers=base.headers[:2]), False),
        ("header name case differs", variant(headers=[("server", "nginx")] + base.headers[1:]), False),
        ("key order differs", variant(body=b'{"wp-auth-check":true,"wp-refresh-post-lock":{"new_lock":"1700000000:1"},"server_time":1700000000}'), False),
        ("escaping differs", variant(body=base.body.replace(b"wp-auth-check", b"wp-auth-check\\/")), False),
        ("trailing newline", variant(body=base.body + b"\n"), False),
        ("Draft saved +2 s (allowed)", None, True),
        ("Draft saved +3 s", None, False),
    ]
    # Received responses carry their send windows: each clock value is checked against its own.
    t = 1700000000
    st = b'server_time":1700000000'

    def timed(sent, answered, body=base.body):
        r = variant(body=body)
        r.window = (sent, answered)
        return r
    def at(server_time, lock=None):  # base's body with these clock values
        lock = server_time if lock is None else lock
        return base.body.replace(st, b'server_time":%d' % server_time).replace(
            b'"1700000000:1"', b'"%d:1"' % lock)
    windowed = [
        ("server_time, new_lock +5 s, each in its own send window (allowed)",
         timed(t + 0.2, t + 0.4), timed(t + 5.1, t + 5.3, at(t + 5)), True),
        ("server_time, new_lock 1 s after a slow answer (allowed)",
         timed(t + 0.2, t + 0.4), timed(t + 0.5, t + 9.7, at(t + 10)), True),
        ("server_time +2 s but outside its send window",
         timed(t + 0.2, t + 0.4), timed(t + 0.5, t + 0.8, at(t + 2, t)), False),
        ("the reference's server_time outside its send window",
         timed(t + 3.2, t + 3.4, at(t, t + 3)), timed(t + 3.5, t + 3.8, at(t + 3)), False),
        ("new_lock 2 s before its send window",
         timed(t + 0.2, t + 0.4), timed(t + 2.1, t + 2.3, at(t + 2, t)), False),
    ]
    offset = site_utc_offset(t)
    if offset is not None:
        def draft(at):
            s_ = (at + offset) % DAY
            h, m_, sec = s_ // 3600, s_ // 60 % 60, s_ % 60
            text = f"{(h % 12) or 12}:{m_:02d}:{sec:02d} {'pm' if h >= 12 else 'am'}"
            return b'{"wp_autosave":{"success":true,"message":"Draft saved at ' + text.encode() + b'."}}'
        windowed += [
            ("Draft saved +4 s, each in its own send window (allowed)",
             timed(t + 0.2, t + 0.4, draft(t)), timed(t + 4.1, t + 4.3, draft(t + 4)), True),
            ("Draft saved 3 s after its send window",
             timed(t + 0.2, t + 0.4, draft(t)), timed(t + 0.5, t + 0.7, draft(t + 3)), False),
        ]
    else:
        print("  (the site's time zone is unknown: no send-window check of \"Draft saved at\")")
    failures = 0
    for name, a, other, expect_ok in [(n, base, o, e) for n, o, e in checks] + windowed:
        if name.startswith("Draft saved") and other is None:
            a = variant(body=b'{"wp_autosave":{"success":true,"message":"Draft saved at 11:59:59 pm."}}')
            b = variant(body=b'{"wp_autosave":{"success":true,"message":"Draft saved at 12:00:0%d am."}}' % (1 if expect_ok else 2))
            ok, _ = compare(a, b)
        else:
            ok, _ = compare(a, other)
        good = ok == expect_ok
        failures += not good
        print(f"  {'ok  ' if good else 'FAIL'} {name}: comparator says {'same' if ok else 'different'}")

    print("self-test: a live pair made different on purpose must fail")
    ref_v = variants[0]
    other_v = variants[1]
    for fixture, mode in [("json-types", None), ("status-header", "custom"), ("status-header", "202")]:
        INJECT[other_v] = (fixture, mode)
        case = Case_for_self_test(ctx)
        ok, rows, _, problems = run_case(ctx, case, [ref_v, other_v], 0)
        INJECT.clear()
        good = not ok
        failures += not good
        print(f"  {'ok  ' if good else 'FAIL'} run_case {ref_v} vs {other_v} with --inject {other_v}={fixture}"
              f"{':' + mode if mode else ''}: {'FAIL (as it must)' if not ok else 'PASS (wrong)'}")
        if not good or ctx.verbose:
            print_table([ref_v, other_v], rows, ctx.verbose)
    live = [
        ("body: fixture adds a key", ["json-types"], None),
        ("headers: fixture adds headers", ["status-header"], "custom"),
        ("status: fixture sets 202", ["status-header"], "202"),
    ]
    for name, fixtures, mode in live:
        req = case_defs.hb(ctx, "admin")
        a = send(None, req, ref_v)
        req.fixtures, req.mode = fixtures, mode
        b = send(None, req, ref_v)
        ok, rows = compare(a, b)
        good = not ok
        failures += not good
        print(f"  {'ok  ' if good else 'FAIL'} {name} ({ref_v} vs {ref_v}+{','.join(fixtures)}): "
              f"runner says {'same' if ok else 'different'}")
        if not good or ctx.verbose:
            print_table([ref_v, ref_v + "+fixture"], {ref_v + "+fixture": rows}, ctx.verbose)
    print(f"self-test: {'passed' if not failures else f'{failures} check(s) FAILED'}")
    return failures == 0


def Case_for_self_test(ctx):
    return case_defs.Case("self-test/valid-nonce", lambda c: case_defs.hb(c, "admin"), expect_status=None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default=os.environ.get("FASTBEAT_PARITY_VARIANTS", "core,fastbeat,fastbeat-full"),
                    help="comma-separated; the first is the reference (default core,fastbeat)")
    ap.add_argument("-k", "--filter", action="append", default=[],
                    help="run only cases whose name matches this regex (repeatable)")
    ap.add_argument("-x", "--exclude", action="append", default=[], help="skip cases matching this regex")
    ap.add_argument("-q", "--quiet", action="store_true", help="one line per case; tables only for failures")
    ap.add_argument("-v", "--verbose", action="store_true", help="wider tables, full previews")
    ap.add_argument("--list", action="store_true", help="list case names and exit")
    ap.add_argument("--self-test", action="store_true", help="prove the runner detects differences, then exit")
    ap.add_argument("--report", help="write a JSON report here")
    ap.add_argument("--inject", action="append", default=[], metavar="VARIANT=FIXTURE[:MODE]",
                    help="also load FIXTURE on requests to VARIANT (to show the runner fails on a difference)")
    ap.add_argument("--max-failures", type=int, default=0, help="stop after N failed cases (0: never)")
    ap.add_argument("--budget", type=float, default=float(os.environ.get("FASTBEAT_PARITY_BUDGET", 840)),
                    help="stop starting cases after this many seconds; the rest count as failed (default 840)")
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
        INJECT[v] = (name, mode or None)

    all_cases = case_defs.all_cases()
    names = [c.name for c in all_cases]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SystemExit(f"duplicate case names: {sorted(dupes)}")
    selected = [c for c in all_cases
                if (not args.filter or any(re.search(p, c.name) for p in args.filter))
                and not any(re.search(p, c.name) for p in args.exclude)]
    if args.list:
        for c in selected:
            print(c.name)
        print(f"{len(selected)} cases")
        return 0

    started = time.time()
    ctx = case_defs.Context(verbose=args.verbose)
    try:
        ctx.prepare()
        if args.self_test:
            return 0 if self_test(ctx, variants) else 1

        print(f"parity: {len(selected)} cases, {' vs '.join(variants)} (reference {variants[0]}), "
              f"site {fb.env('FASTBEAT_SITE_URL')}")
        passed = failed = 0
        report = []
        for i, case in enumerate(selected, 1):
            label = f"[{i:3d}/{len(selected)}] {case.name}"
            if time.time() - started > args.budget or (args.max_failures and failed >= args.max_failures):
                not_run = len(selected) - i + 1
                why = "time budget" if time.time() - started > args.budget else "--max-failures"
                print(f"parity: stopping ({why}): {not_run} case(s) not run count as failed")
                failed += not_run
                break
            try:
                ok, rows, responses, problems = run_case(ctx, case, variants, i)
            except Exception as e:  # a broken case counts as a failure
                ok, rows, responses, problems = False, None, {}, [f"error: {e!r}"]
                if args.verbose:
                    traceback.print_exc()
            passed += ok
            failed += not ok
            print(f"{label:<72} {'PASS' if ok else 'FAIL'}")
            if rows and (not args.quiet or not ok):
                print_table(variants, rows, args.verbose)
            for p in problems:
                print(f"  !! {p}")
            report.append({
                "case": case.name, "ok": ok, "problems": problems,
                "responses": {v: {"status": r.status_line, "headers": r.headers,
                                  "body": r.body.decode("utf-8", "backslashreplace")}
                              for v, r in responses.items()},
            })
        if args.report:
            with open(args.report, "w") as f:
                json.dump({"variants": variants, "passed": passed, "failed": failed,
                           "seconds": round(time.time() - started, 1), "cases": report}, f, indent=1)
        print(f"parity: {' vs '.join(variants)}: {time.time() - started:.1f} s")
        print(f"{passed} passed, {failed} failed")
        return 0 if failed == 0 else 1
    finally:
        ctx.cleanup()


if __name__ == "__main__":
    sys.exit(main())
