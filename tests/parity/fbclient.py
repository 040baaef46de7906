"""Fastbeat test bed client (Python 3 stdlib only).

Raw HTTP/1.1 over a socket (keeps header order and bytes exactly as received,
decodes chunked bodies), a browser-like login through wp-login.php, the heartbeat
nonce read from `heartbeatSettings`, and minting of nonces and auth cookies with
the test bed's fixed salts (see testbed/env.sh).
"""

import hashlib
import hmac
import json
import math
import os
import re
import socket
import ssl
import subprocess
import time
import urllib.parse


def site_path():
    """The site under test: FASTBEAT_SITE_PATH (a multisite network's site, e.g. /site2/;
    testbed/env.sh FASTBEAT_VARIANT=multisite), default /."""
    path = os.environ.get("FASTBEAT_SITE_PATH", "/") or "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


AJAX = site_path() + "wp-admin/admin-ajax.php"
UA = "Mozilla/5.0 (X11; Linux x86_64) FastbeatParity/1.0"
ACCEPT_JSON = "application/json, text/javascript, */*; q=0.01"
FORM_CT = "application/x-www-form-urlencoded; charset=UTF-8"


def env(name, default=None):
    value = os.environ.get(name, default)
    if value is None:
        raise SystemExit(f"{name} is not set: source testbed/env.sh (tests/parity/run.sh does)")
    return value


def salt(name):
    """A fixed test salt: FASTBEAT_SALT_PREFIX + constant name in lower case."""
    return env("FASTBEAT_SALT_PREFIX") + name.lower()


# --------------------------------------------------------------------------- HTTP


class Response:
    def __init__(self, status_line, headers, body, raw_head):
        self.status_line = status_line      # e.g. "HTTP/1.1 200 OK"
        self.headers = headers              # [(name, value)] in received order
        self.body = body                    # decoded (de-chunked) bytes
        self.raw_head = raw_head
        self.window = None                  # (time before sending, time after the last byte): request()

    @property
    def status(self):
        parts = self.status_line.split(" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0

    def header(self, name):
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return None

    def header_all(self, name):
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]

    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class HTTPError(Exception):
    pass


def _read_exact(sock, buf, n):
    while len(buf) < n:
        chunk = sock.recv(65536)
        if not chunk:
            raise HTTPError("connection closed mid-body")
        buf += chunk
    return buf


def tls_port(port):
    """Whether `port` is one of the test bed's TLS fronts (FASTBEAT_TLS_PORTS, variant proxy)."""
    return str(port) in os.environ.get("FASTBEAT_TLS_PORTS", "").split()


_TLS = None


def _tls_context():
    """TLS for the fronts' self-signed certificate: encrypted, not verified (loopback)."""
    global _TLS
    if _TLS is None:
        _TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        _TLS.check_hostname = False
        _TLS.verify_mode = ssl.CERT_NONE
    return _TLS


def request(port, method, path, headers=(), body=b"", host=None, timeout=60, source=None):
    """One HTTP/1.1 request on a fresh connection; returns a Response.

    `headers` is a list of (name, value) sent in that order after Host; a
    Content-Length is added for a non-empty body unless given. Values may be str
    or bytes (bytes go out verbatim). TLS on the fronts' ports (tls_port()); `source`
    binds the client socket to that local address (e.g. 127.0.0.2)."""
    raw = _raw_request(method, path, headers, body, host)
    sent_at = time.time()
    sock = socket.create_connection((env("FASTBEAT_BIND", "127.0.0.1"), int(port)), timeout=timeout,
                                    source_address=(source, 0) if source else None)
    if tls_port(port):
        try:
            sock = _tls_context().wrap_socket(sock)
        except Exception:
            sock.close()
            raise
    try:
        sock.sendall(raw)
        resp = _read_response(sock, method, port)
        resp.window = (sent_at, time.time())
        return resp
    finally:
        sock.close()


def _raw_request(method, path, headers=(), body=b"", host=None):
    host = host or env("FASTBEAT_SITE_HOST")
    if isinstance(body, str):
        body = body.encode("utf-8")
    lines = [f"{method} {path} HTTP/1.1".encode("latin-1"), b"Host: " + host.encode("latin-1")]
    names = set()
    for k, v in headers:
        names.add(k.lower())
        lines.append(k.encode("latin-1") + b": " + (v if isinstance(v, bytes) else v.encode("utf-8")))
    if (body or method in ("POST", "PUT")) and "content-length" not in names:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    if "connection" not in names:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _read_response(sock, method, port):
    """One response from `sock`, framed by Content-Length or chunked encoding (or, for
    neither, by the connection's end)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise HTTPError(f"no complete response head from :{port} ({buf[:200]!r})")
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    head_lines = head.decode("latin-1").split("\r\n")
    status_line = head_lines[0]
    hdrs = []
    for line in head_lines[1:]:
        k, _, v = line.partition(":")
        hdrs.append((k, v.strip()))
    resp = Response(status_line, hdrs, b"", head)
    te = (resp.header("Transfer-Encoding") or "").lower()
    cl = resp.header("Content-Length")
    if method == "HEAD" or resp.status in (204, 304) or 100 <= resp.status < 200:
        body_out = b""
    elif "chunked" in te:
        body_out = b""
        buf = rest
        while True:
            while b"\r\n" not in buf:
                chunk = sock.recv(65536)
                if not chunk:
                    raise HTTPError("connection closed in chunk size")
                buf += chunk
            size_line, buf = buf.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                break  # trailers ignored (nginx sends none)
            buf = _read_exact(sock, buf, size + 2)
            body_out += buf[:size]
            buf = buf[size + 2:]
    elif cl is not None:
        body_out = _read_exact(sock, rest, int(cl))[: int(cl)]
    else:
        body_out = rest
        while True:
            try:
                chunk = sock.recv(65536)
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                chunk = b""
            if not chunk:
                break
            body_out += chunk
    resp.body = body_out
    return resp


# --------------------------------------------------------------------------- encoding


def _enc(value):
    """encodeURIComponent + '%20' -> '+', as jQuery.param does. bytes go raw."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    if value is None:
        value = ""
    if not isinstance(value, (bytes, str)):
        value = str(value)
    return urllib.parse.quote_plus(value, safe="-_.!~*'()")


def jq_param(obj, prefix=None):
    """jQuery.param(obj) (non-traditional): nested objects use key[sub], arrays of
    scalars key[], arrays of objects key[i]. Returns a list of (key, value) pairs."""
    pairs = []
    if isinstance(obj, dict):
        items = obj.items()
        for k, v in items:
            key = f"{prefix}[{k}]" if prefix is not None else str(k)
            pairs.extend(jq_param(v, key) if isinstance(v, (dict, list)) else [(key, v)])
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            if isinstance(v, (dict, list)):
                pairs.extend(jq_param(v, f"{prefix}[{i}]"))
            else:
                pairs.append((f"{prefix}[]", v))
    else:
        pairs.append((prefix, obj))
    return pairs


def form(pairs):
    """urlencode a list of (key, value) pairs; keys and values may be bytes."""
    return "&".join(f"{_enc(k)}={_enc(v)}" for k, v in pairs).encode("ascii")


def multipart(pairs, boundary="----FastbeatParityBoundary7MA4YWxkTrZu0gW"):
    out = b""
    for k, v in pairs:
        k = k if isinstance(k, bytes) else str(k).encode("utf-8")
        v = v if isinstance(v, bytes) else str(v).encode("utf-8")
        out += b"--" + boundary.encode() + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + k + b'"\r\n\r\n' + v + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return f"multipart/form-data; boundary={boundary}", out


# --------------------------------------------------------------------------- nonces & cookies


# Nonce lives the suites meet: WordPress's default, the nonce-life fixture's "short" /
# "all-short" (7200) and "float" (86400.5) modes.
NONCE_LIVES = (86400, 86400.5, 7200)


def nonce_tick(now=None, life=86400):
    now = time.time() if now is None else now
    return math.ceil(int(now) / (life / 2))


def tick_changed(t0, t1, lives=NONCE_LIVES):
    """Whether a nonce tick boundary of any of `lives` lies between the instants t0 and t1:
    a nonce minted at t0 may then have another state (1 -> 2, 2 -> expired, "next tick"
    -> 1) when checked at t1."""
    return any(nonce_tick(t0, life) != nonce_tick(t1, life) for life in lives)


def tick_stable(fn, attempts=2, lives=NONCE_LIVES, on_retry=None):
    """fn(), done again when a nonce tick boundary passed while it ran (at most `attempts`
    runs in all; the last one counts whatever the clock did): the retry parity.py's
    run_case does, for scripts that mint nonces and check what the server made of them.
    `on_retry` (if given) is called before each further run."""
    for attempt in range(attempts):
        t0 = time.time()
        out = fn()
        if attempt == attempts - 1 or not tick_changed(t0, time.time(), lives):
            return out
        if on_retry:
            on_retry()


def mint_nonce(action, uid, token, tick_offset=0, life=86400, now=None, key=None):
    """wp_create_nonce() with the test salts: substr(hmac_md5("$i|$action|$uid|$token"), -12, 10)."""
    i = nonce_tick(now, life) + tick_offset
    key = key if key is not None else salt("NONCE_KEY") + salt("NONCE_SALT")
    h = hmac.new(key.encode(), f"{i}|{action}|{uid}|{token}".encode(), hashlib.md5).hexdigest()
    return h[-12:-2]


_frag_from_end = None


def pass_frag(user_pass):
    """The password fragment wp_generate_auth_cookie() puts into the cookie key, as the test
    bed's WordPress does it: 6.1 takes user_pass[8:12]; 6.8+ keeps that for phpass ($P$) and
    plain bcrypt ($2y$) hashes and takes the last 4 characters of any other (its own $wp$
    hashes). Decided from the tree's pluggable.php (FASTBEAT_WP_DIR)."""
    global _frag_from_end
    if _frag_from_end is None:
        try:
            with open(os.path.join(env("FASTBEAT_WP_DIR"), "wp-includes", "pluggable.php"), encoding="utf-8",
                      errors="replace") as f:
                _frag_from_end = "$pass_frag = substr( $user->user_pass, -4 );" in f.read()
        except OSError:
            _frag_from_end = False
    if _frag_from_end and not user_pass.startswith(("$P$", "$2y$")):
        return user_pass[-4:]
    return user_pass[8:12]


def mint_auth_cookie(login, pass_frag, expiration, token, scheme="auth"):
    """wp_generate_auth_cookie() for an existing session token."""
    if scheme == "auth":
        key_salt = salt("AUTH_KEY") + salt("AUTH_SALT")
    elif scheme == "secure_auth":
        key_salt = salt("SECURE_AUTH_KEY") + salt("SECURE_AUTH_SALT")
    else:
        key_salt = salt("LOGGED_IN_KEY") + salt("LOGGED_IN_SALT")
    key = hmac.new(key_salt.encode(), f"{login}|{pass_frag}|{expiration}|{token}".encode(), hashlib.md5).hexdigest()
    h = hmac.new(key.encode(), f"{login}|{expiration}|{token}".encode(), hashlib.sha256).hexdigest()
    return f"{login}|{expiration}|{token}|{h}"


# --------------------------------------------------------------------------- database


# The site's own tables (a multisite network's sub-site has wp_<id>_options, ...); users and
# their meta are the network's.
SITE_TABLES = ("options", "posts", "postmeta", "comments", "commentmeta", "terms", "termmeta",
               "term_taxonomy", "term_relationships", "links")
_SITE_TABLE_RX = re.compile(r"\bwp_(" + "|".join(SITE_TABLES) + r")\b")


def site_sql(sql):
    """`sql` for the site under test: its tables (wp_options, ...) with the site's prefix
    (info()["prefix"]; wp_ on a single site and a network's main site)."""
    prefix = info().get("prefix", "wp_")
    return sql if prefix == "wp_" else _SITE_TABLE_RX.sub(prefix + r"\1", sql)


def flush_object_cache():
    """Empty the test bed's persistent object cache (variant redis; no-op without one)."""
    sock = os.environ.get("FASTBEAT_REDIS_SOCKET")
    if sock:
        subprocess.run(["redis-cli", "-s", sock, "FLUSHDB"], check=True, capture_output=True, timeout=30)


def db(sql):
    """Run SQL on the test bed database (the site's tables: site_sql()); returns rows as lists
    of strings. With a persistent object cache (variant redis), a statement that may write
    is followed by flush_object_cache(): a change made behind WordPress's back is seen only
    once the cache forgets, as after editing a site's database by hand."""
    sql = site_sql(sql)
    out = subprocess.run(
        ["mariadb", "--no-defaults", "--socket=" + env("FASTBEAT_DB_SOCKET"), "-u", env("FASTBEAT_DB_USER"),
         "-p" + env("FASTBEAT_DB_PASSWORD"), "-N", "-B", env("FASTBEAT_DB_NAME"), "-e", sql],
        check=True, capture_output=True, text=True)
    if not re.match(r"\s*(SELECT|SHOW)\b", sql, re.I) or ";" in sql.strip().rstrip(";"):
        flush_object_cache()
    return [line.split("\t") for line in out.stdout.splitlines()]


def warm_object_cache(sess, post_ids=()):
    """With a persistent object cache (variant redis) just flushed: full WordPress requests
    to core that fill it as a site in use has it filled, with what a logged-in lane answer
    reads through it: a dashboard beat (options, the user, its meta) and each post's page
    (the post, its meta). Without one, nothing."""
    if not os.environ.get("FASTBEAT_REDIS_SOCKET"):
        return
    body = form([("interval", "60"), ("_nonce", sess.mint_nonce()), ("action", "heartbeat"),
                 ("screen_id", "dashboard"), ("has_focus", "false")])
    request(env_port("core"), "POST", AJAX, [("Content-Type", FORM_CT), ("Cookie", sess.cookie_header())], body)
    for pid in post_ids:
        request(env_port("core"), "GET", f"{site_path()}?p={int(pid)}", [("User-Agent", UA)])


def info_path():
    """testbed.json of the site under test (testbed-<slug>.json for a network's sub-site)."""
    slug = site_path().strip("/")
    return os.path.join(env("FASTBEAT_TESTBED_DIR"), f"testbed-{slug}.json" if slug else "testbed.json")


_INFO = {}


def info():
    """The site under test's testbed.json (users and post ids, COOKIEHASH, table prefix,
    uploads directory), as testbed/install.php provisioned it."""
    path = info_path()
    if path not in _INFO:
        with open(path) as f:
            _INFO[path] = json.load(f)
    return _INFO[path]


def uploads_dir():
    """The site's uploads directory (a network's sub-site: uploads/sites/<id>)."""
    return info().get("uploads") or os.path.join(env("FASTBEAT_TESTBED_DIR"), "wp-content", "uploads")


def manifest_glob():
    """The fast lane's manifests of the site under test."""
    return os.path.join(uploads_dir(), "fastbeat", "lane-*.json")


def sql_str(s):
    return "'" + str(s).replace("\\", "\\\\").replace("'", "\\'") + "'"


# --------------------------------------------------------------------------- sessions


class Session:
    """A logged-in browser session: its cookies and heartbeat nonce."""

    def __init__(self, login, uid, cookies, nonce, cookiehash, secure=None):
        self.login = login
        self.uid = uid
        self.cookies = dict(cookies)     # name -> value (as set, url-encoded)
        self.nonce = nonce               # from heartbeatSettings
        self.nonce_at = None             # time.time() when that page was requested
        self.cookiehash = cookiehash
        # Logged in over https: the auth cookie is wordpress_sec_ (SECURE_AUTH_COOKIE).
        self.secure = ("wordpress_sec_" + cookiehash) in self.cookies if secure is None else secure

    @property
    def auth_name(self):
        return ("wordpress_sec_" if self.secure else "wordpress_") + self.cookiehash

    @property
    def auth_scheme(self):
        """The scheme mint_auth_cookie() makes this session's auth cookie with."""
        return "secure_auth" if self.secure else "auth"

    @property
    def logged_in_name(self):
        return "wordpress_logged_in_" + self.cookiehash

    @property
    def token(self):
        value = urllib.parse.unquote(self.cookies.get(self.logged_in_name, ""))
        parts = value.split("|")
        return parts[2] if len(parts) == 4 else ""

    def cookie_header(self, which=("auth", "logged_in", "test"), overrides=None):
        """Cookie header value in a browser's order; `overrides` maps name -> value."""
        names = {"auth": self.auth_name, "logged_in": self.logged_in_name, "test": "wordpress_test_cookie"}
        vals = dict(self.cookies)
        vals.setdefault("wordpress_test_cookie", "WP%20Cookie%20check")
        if overrides:
            vals.update(overrides)
        return "; ".join(f"{names[w]}={vals[names[w]]}" for w in which if names[w] in vals)

    def mint_nonce(self, action="heartbeat-nonce", tick_offset=0, token=None, life=86400):
        return mint_nonce(action, self.uid, self.token if token is None else token, tick_offset, life)


def _set_cookies(resp):
    out = {}
    for v in resp.header_all("Set-Cookie"):
        nv = v.split(";", 1)[0]
        name, _, value = nv.partition("=")
        out[name.strip()] = value.strip()
    return out


def login(port, login_name, password, uid, cookiehash):
    """Log in through wp-login.php as a browser does and read heartbeatSettings.nonce."""
    site = env("FASTBEAT_SITE_URL")
    test_cookie = "wordpress_test_cookie=WP%20Cookie%20check"
    body = form([("log", login_name), ("pwd", password), ("wp-submit", "Log In"),
                 ("redirect_to", site + "/wp-admin/"), ("testcookie", "1")])
    resp = request(port, "POST", "/wp-login.php", [
        ("User-Agent", UA), ("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", test_cookie)], body)
    cookies = _set_cookies(resp)
    if resp.status != 302 or ("wordpress_logged_in_" + cookiehash) not in cookies:
        raise HTTPError(f"login of {login_name} failed: {resp.status_line} {resp.text()[:300]}")
    cookies = {k: v for k, v in cookies.items() if v and v != "+" and not v.startswith("deleted")}
    cookies["wordpress_test_cookie"] = "WP%20Cookie%20check"
    sess = Session(login_name, uid, cookies, None, cookiehash)
    read_settings_nonce(port, sess)
    return sess


def read_settings_nonce(port, sess):
    """Set sess.nonce from heartbeatSettings on /wp-admin/ (and sess.nonce_at), checked
    against the nonce minted here; the page is read again when a tick boundary passed
    between its request and the local mint (the two then differ for that reason alone)."""
    for attempt in range(3):
        t0 = time.time()
        page = request(port, "GET", "/wp-admin/", [("User-Agent", UA), ("Cookie", sess.cookie_header())])
        m = re.search(rb"var heartbeatSettings = (\{.*?\});", page.body)
        if page.status != 200 or not m:
            raise HTTPError(f"no heartbeatSettings on /wp-admin/ for {sess.login}: {page.status_line}")
        nonce, mine = json.loads(m.group(1))["nonce"], sess.mint_nonce()
        if not tick_changed(t0, time.time(), (86400,)):
            if nonce != mine:
                raise HTTPError(f"minted nonce {mine} != heartbeatSettings nonce {nonce} for {sess.login}: "
                                "are the test salts in testbed/env.sh and the site config in sync?")
            sess.nonce, sess.nonce_at = nonce, t0
            return nonce
    raise HTTPError(f"heartbeatSettings nonce for {sess.login}: a nonce tick boundary passed during each of 3 reads")


def logout(port, sess):
    """Log a session out through wp-login.php?action=logout (destroys its token)."""
    nonce = sess.mint_nonce("log-out")
    resp = request(port, "GET", f"/wp-login.php?action=logout&_wpnonce={nonce}",
                   [("User-Agent", UA), ("Cookie", sess.cookie_header())])
    if resp.status != 302:
        raise HTTPError(f"logout of {sess.login} failed: {resp.status_line}")


def env_port(variant):
    """The port a client sends `variant`'s requests to. With the test bed variant proxy
    (FASTBEAT_VARIANT=proxy) core and fastbeat are reached through the TLS front
    FASTBEAT_PROXY_FRONT names: tls (X-Forwarded-Proto, default), cf (CF-Visitor) or origin
    (no front); core-origin and fastbeat-origin are always the origin's ports."""
    # fastbeat-full: the fastbeat port with the fast lane vetoed (X-Fastbeat-Lane: off).
    pool = {"fastbeat-full": "fastbeat", "core-origin": "core", "fastbeat-origin": "fastbeat"}.get(variant, variant)
    key = {"core": "FASTBEAT_PORT_CORE", "fastbeat": "FASTBEAT_PORT_FASTBEAT",
           "plugin-only": "FASTBEAT_PORT_PLUGIN_ONLY", "ext-only": "FASTBEAT_PORT_EXT_ONLY"}.get(pool)
    if key is None:
        raise SystemExit(f"unknown variant {variant!r} (core, fastbeat, plugin-only, ext-only)")
    front = os.environ.get("FASTBEAT_PROXY_FRONT", "tls") if os.environ.get("FASTBEAT_VARIANT") == "proxy" else "origin"
    if pool in ("core", "fastbeat") and variant == pool or variant == "fastbeat-full":
        if front in ("tls", "cf"):
            key += "_" + front.upper()
        elif front != "origin":
            raise SystemExit(f"FASTBEAT_PROXY_FRONT={front!r}: expected tls, cf or origin")
    return int(env(key))


def lane_counts(workers=None):
    """(lane, full, workers, native) from fastbeat_lane_status(), summed over the fastbeat
    variant's workers (worker_lanes()): beats the lane answered, heartbeats on the full
    path, how many workers answered, and of the lane's beats those answered natively while
    logged in (the rest were logged out)."""
    paths, seen = lane_paths(workers)
    return (paths["native"] + paths["nopriv"], paths["full"], seen, paths["native"])


def lane_paths(workers=None, **where):
    """({'native': n, 'nopriv': n, 'full': n}, workers seen): every fastbeat worker's
    count of beats by the path that answered them, summed (`where`: worker_lanes())."""
    seen = {pid: [int(n) for n in (lane.get("tally") or {}).get("paths", [0, 0, 0])]
            for pid, lane in worker_lanes(workers, **where).items()}
    total = [sum(v[i] for v in seen.values()) for i in range(3)]
    return {"native": total[0], "nopriv": total[1], "full": total[2]}, len(seen)


def lane_reasons(workers=None):
    """{reason code: n}: why every fastbeat worker's full-path beats took it, summed."""
    workers = workers or int(os.environ.get("FASTBEAT_FPM_WORKERS", "2"))
    seen = {}
    for _ in range(20 * workers):
        info = json.loads(request(env_port("fastbeat"), "GET", "/__fastbeat-testbed/probe.php", [], b"").body)
        seen[info.get("pid")] = ((info.get("lane") or {}).get("tally") or {}).get("reasons") or {}
        if len(seen) >= workers:
            break
    total = {}
    for reasons in seen.values():
        for code, n in reasons.items():
            total[code] = total.get(code, 0) + int(n)
    return total


def lane_counts_old(workers=None):
    """lane_counts() as the lane before the evidence-based manifest reported them
    (status keys lane, full, native): for runs against an older build."""
    seen = {pid: (int(lane.get("lane", 0)), int(lane.get("full", 0)), int(lane.get("native", 0)))
            for pid, lane in worker_lanes(workers).items()}
    return (sum(v[0] for v in seen.values()), sum(v[1] for v in seen.values()), len(seen),
            sum(v[2] for v in seen.values()))


def worker_lanes(workers=None, port=None, hold=None, pidfile=None):
    """{pid: fastbeat_lane_status()} of the fastbeat variant's PHP workers, through the test
    bed probe. Each worker keeps its counts in its own memory, so every one must answer.

    php-fpm behind nginx (default): the pool's workers answer fresh connections in turn;
    probes go on until `workers` (FASTBEAT_LANE_WORKERS, else FASTBEAT_FPM_WORKERS) pids
    answered. Apache prefork (FASTBEAT_LANE_PROBE=hold, set by `testbed/apache.sh env`):
    a child serves one connection at a time and stays with a keep-alive connection, so
    probes on connections held open until all answered reach as many distinct children
    as there are (the master's children, counted in /proc through FASTBEAT_LANE_PIDFILE;
    else FASTBEAT_LANE_WORKERS); sweeps repeat until two in a row agree on every
    child's counts. `port`, `hold` and `pidfile` override the environment's (another
    server of the same site)."""
    port = port or env_port("fastbeat")
    if hold if hold is not None else os.environ.get("FASTBEAT_LANE_PROBE") == "hold":
        return _worker_lanes_held(port, pidfile or os.environ.get("FASTBEAT_LANE_PIDFILE", ""), workers)
    workers = workers or int(os.environ.get("FASTBEAT_LANE_WORKERS") or os.environ.get("FASTBEAT_FPM_WORKERS", "2"))
    seen = {}
    # A worker still busy (another client's request) answers later: keep asking, pausing
    # between rounds, for up to 10 s. Counts summed over fewer workers than the pool has
    # would be wrong, so that ends in an error rather than a partial answer.
    deadline = time.monotonic() + 10
    probes = 0
    while len(seen) < workers:
        info = json.loads(request(port, "GET", "/__fastbeat-testbed/probe.php", [], b"").body)
        seen[info.get("pid")] = _lane_of(info)
        probes += 1
        if len(seen) >= workers:
            break
        if time.monotonic() > deadline:
            raise HTTPError(f"only {len(seen)} of {workers} workers answered {probes} probes in 10 s")
        if probes % (4 * workers) == 0:
            time.sleep(0.05)
    return seen


def _lane_of(info):
    lane = info.get("lane") or {}
    if isinstance(lane, str):
        lane = json.loads(lane)
    return lane if isinstance(lane, dict) else {}


def _counts_of(lane):
    """What a worker counted (either status format), for comparing two sweeps."""
    return lane.get("tally") if "tally" in lane else (lane.get("lane"), lane.get("full"), lane.get("native"))


def server_children(pidfile):
    """Pids of the children of the process whose pid `pidfile` holds (an Apache master),
    or None when it cannot be read."""
    try:
        with open(pidfile) as f:
            master = int(f.read().strip())
        kids = []
        for task in os.listdir(f"/proc/{master}/task"):
            with open(f"/proc/{master}/task/{task}/children") as f:
                kids += [int(p) for p in f.read().split()]
        return kids
    except (OSError, ValueError):
        return None


def _sweep_held(port, n, timeout=10):
    """n probes, each on its own connection, every connection held open until all have
    answered: under prefork, n distinct children. {pid: status}."""
    raw = _raw_request("GET", "/__fastbeat-testbed/probe.php", [("Connection", "keep-alive")])
    socks, out = [], {}
    try:
        for _ in range(n):
            sock = socket.create_connection((env("FASTBEAT_BIND", "127.0.0.1"), int(port)), timeout=timeout)
            socks.append(sock)
            sock.sendall(raw)
            resp = _read_response(sock, "GET", port)
            if resp.status != 200:
                raise HTTPError(f"probe on :{port}: {resp.status_line} {resp.body[:200]!r}")
            info = json.loads(resp.body)
            out[info.get("pid")] = _lane_of(info)
    finally:
        for sock in socks:
            sock.close()
    return out


def _worker_lanes_held(port, pidfile, workers=None):
    last = None
    for _ in range(6):
        kids = server_children(pidfile)
        n = len(kids) if kids else (workers or int(os.environ.get("FASTBEAT_LANE_WORKERS", "4")))
        now = _sweep_held(port, n)
        if len(now) != n:
            raise HTTPError(f"lane counts: {n} probes on held connections reached {len(now)} processes "
                            "(is KeepAlive off, or does another client hold children?)")
        if kids is not None and set(now) != set(kids):
            last = None  # a child replaced (or added) between the count and the sweep: again
            continue
        counts = {pid: _counts_of(lane) for pid, lane in now.items()}
        if last is not None and counts == last:
            return now
        last = counts
    raise HTTPError("lane counts: the children's counts did not settle in 6 sweeps (something else sending beats?)")
