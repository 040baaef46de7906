#!/usr/bin/env python3
"""How native logged-in answers reach the database, counted by the server itself.

lane/native.php reads over one persistent connection per worker (PDO, reused as it stands)
unless the host turned persistent connections off (mysqli.allow_persistent = Off), when
it connects once per beat with mysqli, as wpdb does. MariaDB's own `Connections` counter
tells the two apart: dashboard beats are sent to Fastbeat, the paths that answered them
are read from the workers' counts, and

  --expect persistent   new connections <= full-path beats + workers (each worker opens
                        its lane connection at most once; every full-path beat's wpdb
                        opens one)
  --expect per-beat     new connections >= native answers + full-path beats

Both also require that the lane answered at least 90 % of the beats natively: a run that
never reached native.php would prove nothing. With --expect persistent the kept
connections are then ended by the server (KILL, as wait_timeout or a restart would): the
next beats must get core's status and body, and the lane must answer again. Ends with
"N passed, N failed".

  tests/lane/db_connections.py --expect persistent [--beats 60]
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "parity"))
import fbclient as fb  # noqa: E402

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ""), flush=True)


def shape_of(resp):
    """A response's status and body with the time masked."""
    return (resp.status, re.sub(rb'"server_time":\d+', b'"server_time":N', resp.body))


def connections():
    """The server's count of connection attempts (the query's own CLI connection included)."""
    rows = fb.db("SHOW GLOBAL STATUS LIKE 'Connections'")
    return int(rows[0][1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--expect", choices=("persistent", "per-beat"), required=True)
    ap.add_argument("--beats", type=int, default=60)
    args = ap.parse_args()
    tb = fb.info()
    sess = fb.login(fb.env_port("core"), fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"),
                    tb["users"]["admin"], tb["cookiehash"])
    port = fb.env_port("fastbeat")

    def beat_to(to):
        body = fb.form([("interval", "60"), ("_nonce", sess.mint_nonce()), ("action", "heartbeat"),
                        ("screen_id", "dashboard"), ("has_focus", "false")])
        return fb.request(to, "POST", fb.AJAX, [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"),
                                                ("Cookie", sess.cookie_header())], body)

    def beat():
        return beat_to(port)

    # Every worker has learned the site and opened whatever it keeps open.
    for _ in range(20):
        beat()
    before, workers = fb.lane_paths()
    c0 = connections()
    statuses = [beat().status for _ in range(args.beats)]
    c1 = connections()
    after, workers_after = fb.lane_paths()
    made = c1 - c0 - 1  # less the second query's own connection
    native = after["native"] - before["native"]
    full = after["full"] - before["full"]
    workers = max(workers, workers_after)
    check("every beat answered 200", all(s == 200 for s in statuses), str(sorted(set(statuses))))
    check(f"the lane answered natively ({native} native, {full} full path of {args.beats})",
          native + full == args.beats and native >= 0.9 * args.beats)
    if args.expect == "persistent":
        check(f"native answers reuse a connection: {made} new connections <= {full} full-path beats + {workers} workers",
              made <= full + workers)
    else:
        check(f"native answers connect per beat: {made} new connections >= {native} native + {full} full path",
              made >= native + full)
    if args.expect == "persistent":
        # The server ends the kept connections (wait_timeout, a restart): the next beats
        # still get core's answer, with nothing the client library reported in it, and
        # the lane reconnects.
        idle = fb.db("SELECT id FROM information_schema.processlist WHERE command = 'Sleep' "
                     "AND user = SUBSTRING_INDEX(CURRENT_USER(), '@', 1) AND id <> CONNECTION_ID()")
        for (pid,) in idle:
            try:
                fb.db(f"KILL CONNECTION {int(pid)}")
            except subprocess.CalledProcessError:
                pass  # gone by itself
        before = fb.lane_paths()[0]
        core = beat_to(fb.env_port("core"))
        answers = [beat() for _ in range(10)]
        after = fb.lane_paths()[0]
        want = shape_of(core)
        check(f"after the server ended {len(idle)} kept connections: core's status and body on every beat",
              all(a.status == core.status and shape_of(a) == want for a in answers),
              str(sorted({shape_of(a) for a in answers})))
        check("and the lane answers natively again", after["native"] - before["native"] >= 8,
              f"{after['native'] - before['native']} of 10")
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
