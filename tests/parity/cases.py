"""Parity cases. Each case builds one request (sent byte-identical to every variant);
stateful cases reset the database before each send. Expectations are checked on every
variant's response: they make sure a case tests what its name says (a case that is
"identical" because both sides failed the same uninteresting way would be worthless).
"""

import json
import os
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Callable, Optional

import fbclient as fb

# Body expectations (regexes on the decoded body).
OK_TRUE = r'^\{"wp-auth-check":true,"server_time":\d+\}$'
OK_FALSE = r'^\{"wp-auth-check":false,"server_time":\d+\}$'
REFRESHED = r'^\{"rest_nonce":"[0-9a-f]{10}","heartbeat_nonce":"[0-9a-f]{10}",'
EXPIRED = r'^\{"rest_nonce":"[0-9a-f]{10}","heartbeat_nonce":"[0-9a-f]{10}","nonces_expired":true\}$'
FAIL = r'^\{"success":false\}$'
ZERO = r"^0$"
CRITICAL = r"^<p>There has been a critical error on this website\."
EMPTY = r"^$"

MISSING = object()


def core_source(rel):
    """A file of the test bed's WordPress (FASTBEAT_WP_DIR), "" if missing: where core's own
    answer differs between release lines, the case expects what this tree's code does."""
    try:
        with open(os.path.join(fb.env("FASTBEAT_WP_DIR"), rel), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


# Avatars: 6.1 hashes the e-mail with md5 for http://{0,1,2}.gravatar.com; 6.8+ with sha256,
# always https://secure.gravatar.com (get_avatar_data(), link-template.php).
if "hash( 'sha256', strtolower( trim( $email ) ) )" in core_source("wp-includes/link-template.php"):
    AVATAR_SRC = r'"avatar_src":"https:\\/\\/secure\.gravatar\.com\\/avatar\\/[0-9a-f]{64}\?'
else:
    AVATAR_SRC = r'"avatar_src":"http:\\/\\/[0-2]\.gravatar\.com\\/avatar\\/[0-9a-f]{32}\?'
# The customizer without a changeset UUID in the request: 6.1 adopts the site's latest
# unpublished changeset for anyone; 6.8.13+ (a security fix) only for users who can
# customize, so others get a fresh UUID that matches nothing, and -1 ("Non-existent
# changeset UUID") from WP_Customize_Manager::setup_theme().
CZ_OWN_ONLY = ("$this->is_theme_active() && current_user_can( 'customize' )"
               in core_source("wp-includes/class-wp-customize-manager.php"))


@dataclass
class Req:
    method: str
    path: str
    headers: list
    body: bytes
    fixtures: list = field(default_factory=list)
    late_fixtures: list = field(default_factory=list)
    mode: Optional[str] = None


@dataclass
class Case:
    name: str
    build: Callable
    setup: Optional[Callable] = None      # before each send (state resets)
    teardown: Optional[Callable] = None   # after all sends
    expect_status: Optional[int] = None
    expect_body: tuple = ()
    expect_not_body: tuple = ()
    expect_header: dict = field(default_factory=dict)


class Context:
    """Sessions, ids and state helpers shared by all cases."""

    def __init__(self, verbose=False):
        self.verbose = verbose
        self.sessions = {}
        self.tb = None

    # ---- setup / teardown
    def prepare(self):
        self.tb = fb.info()
        self.cookiehash = self.tb["cookiehash"]
        port = fb.env_port("core")
        users = {
            "admin": (fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"), "admin"),
            "admin2": (fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"), "admin"),
            "admin-logged-out": (fb.env("FASTBEAT_ADMIN_USER"), fb.env("FASTBEAT_ADMIN_PASSWORD"), "admin"),
            "editor": (fb.env("FASTBEAT_EDITOR_USER"), fb.env("FASTBEAT_EDITOR_PASSWORD"), "editor"),
            "author": (fb.env("FASTBEAT_AUTHOR_USER"), fb.env("FASTBEAT_AUTHOR_PASSWORD"), "author"),
            "subscriber": (fb.env("FASTBEAT_SUBSCRIBER_USER"), fb.env("FASTBEAT_SUBSCRIBER_PASSWORD"), "subscriber"),
        }
        for key, (login, password, role) in users.items():
            self.sessions[key] = fb.login(port, login, password, self.tb["users"][role], self.cookiehash)
        fb.logout(port, self.sessions["admin-logged-out"])
        self.pass_frag = {}
        for role, uid in self.tb["users"].items():
            rows = fb.db(f"SELECT user_pass FROM wp_users WHERE ID = {int(uid)}")
            self.pass_frag[role] = fb.pass_frag(rows[0][0])
        self.reset_all()

    def cleanup(self):
        try:
            if self.tb:
                self.reset_all()
            port = fb.env_port("core")
            for key, sess in self.sessions.items():
                if key != "admin-logged-out":
                    try:
                        fb.logout(port, sess)
                    except Exception:
                        pass
        except Exception as e:  # never mask the run's result
            print(f"parity: cleanup failed: {e!r}")

    # ---- lookups
    def sess(self, who):
        return None if who in (None, "anon") else self.sessions[who]

    def post(self, key):
        return int(self.tb["posts"][key])

    def uid(self, role):
        return int(self.tb["users"][role])

    # ---- state (direct SQL; no persistent object cache, so the next request sees it)
    def sql(self, *statements):
        fb.db(";\n".join(statements))

    def lock_sql(self, post_key, role, age=0):
        pid = self.post(post_key)
        value = f"{int(time.time()) - age}:{self.uid(role)}"
        return (f"DELETE FROM wp_postmeta WHERE post_id = {pid} AND meta_key = '_edit_lock'",
                f"INSERT INTO wp_postmeta (post_id, meta_key, meta_value) VALUES ({pid}, '_edit_lock', '{value}')")

    def lock(self, *specs):
        """lock(('lock-conflict', 'editor'), ('locked-b', 'admin', 30))"""
        stmts = []
        for spec in specs:
            stmts.extend(self.lock_sql(*spec))
        self.sql(*stmts)

    def unlock_sql(self, *post_keys):
        ids = ",".join(str(self.post(k)) for k in post_keys)
        return f"DELETE FROM wp_postmeta WHERE post_id IN ({ids}) AND meta_key IN ('_edit_lock', '_edit_last')"

    def reset_posts_sql(self):
        originals = {
            "autosave-draft": ("Autosave draft", "Original draft content.", "draft"),
            "autosave-publish": ("Autosave published", "Original published content.", "publish"),
            "editor-draft": ("Editor draft", "Editor draft content.", "draft"),
        }
        stmts = []
        ids = ",".join(str(self.post(k)) for k in originals)
        stmts.append("DELETE pm FROM wp_postmeta pm JOIN wp_posts p ON pm.post_id = p.ID "
                     f"WHERE p.post_type = 'revision' AND p.post_parent IN ({ids})")
        stmts.append(f"DELETE FROM wp_posts WHERE post_type = 'revision' AND post_parent IN ({ids})")
        for key, (title, content, status) in originals.items():
            stmts.append(f"UPDATE wp_posts SET post_title = {fb.sql_str(title)}, post_content = {fb.sql_str(content)}, "
                         f"post_excerpt = '', post_status = '{status}' WHERE ID = {self.post(key)}")
        return stmts

    def reset_all(self):
        keys = list(self.tb["posts"].keys())
        self.sql(self.unlock_sql(*keys), "DELETE FROM wp_postmeta WHERE post_id = 1 AND meta_key = '_edit_lock'",
                 *self.reset_posts_sql())

    def state(self, locks=(), unlock=(), reset_posts=False):
        """A setup function: unlock/lock posts, optionally restore the autosave posts."""
        def setup(ctx):
            stmts = []
            if unlock:
                stmts.append(ctx.unlock_sql(*unlock))
            for spec in locks:
                stmts.extend(ctx.lock_sql(*spec))
            if reset_posts:
                stmts.extend(ctx.reset_posts_sql())
            if stmts:
                ctx.sql(*stmts)
        return setup


# --------------------------------------------------------------------------- request builders


def resolve_nonce(ctx, sess, nonce):
    if callable(nonce):
        return nonce(ctx, sess)
    if isinstance(nonce, tuple):  # ("session", key[, tick_offset]) -> that session's nonce
        other = ctx.sess(nonce[1])
        return other.mint_nonce(tick_offset=nonce[2] if len(nonce) > 2 else 0)
    if nonce == "valid":
        return sess.mint_nonce() if sess else ""
    if nonce == "settings":
        # The heartbeatSettings nonce read at login is this tick's only until the next
        # boundary: read it again (a fresh page) once one has passed.
        if sess.nonce_at is None or fb.tick_changed(sess.nonce_at, time.time(), (86400,)):
            fb.read_settings_nonce(fb.env_port("core"), sess)
        return sess.nonce
    if nonce == "prev":
        return sess.mint_nonce(tick_offset=-1)
    if nonce == "old":
        return sess.mint_nonce(tick_offset=-2)
    if nonce == "future":
        return sess.mint_nonce(tick_offset=1)
    if nonce == "invalid":
        return "0123abcdef"
    if nonce == "empty":
        return ""
    if nonce == "zero":
        return "0"
    if nonce == "missing":
        return MISSING
    return nonce


LOGGED_IN = ("admin", "admin2", "editor", "author", "subscriber")


def lettered_nonce(ctx):
    """(who, nonce): a valid heartbeat nonce (this tick's or the previous one's, state 1 or 2)
    that has a letter, of the first logged-in session with one. Upper-casing it then makes a
    string that differs from every valid nonce only in case; an all-digit nonce (about one
    in 110) would stay valid."""
    for who in LOGGED_IN:
        s = ctx.sess(who)
        for offset in (0, -1):
            n = s.mint_nonce(tick_offset=offset)
            if any(c in "abcdef" for c in n):
                return who, n
    raise RuntimeError(f"no valid heartbeat nonce with a letter in sessions {LOGGED_IN} (about 1 in 1e20)")


def one_digit_changed(sess):
    """This tick's nonce with one hex digit replaced by another: a string one character away
    from a valid nonce and never valid itself (checked against this tick's and the previous)."""
    valid = {sess.mint_nonce(), sess.mint_nonce(tick_offset=-1)}
    n = sess.mint_nonce()
    for i in reversed(range(len(n))):
        other = n[:i] + ("1" if n[i] == "0" else "0") + n[i + 1:]
        if other not in valid:
            return other
    raise RuntimeError(f"no one-digit change of {n} is invalid")


def cookie_value(ctx, sess, cookies):
    if cookies is None:
        return sess.cookie_header() if sess else None
    if callable(cookies):
        return cookies(ctx, sess)
    if cookies == "none":
        return None
    if cookies == "auth-only":
        return sess.cookie_header(("auth", "test"))
    if cookies == "logged-in-only":
        return sess.cookie_header(("logged_in", "test"))
    return cookies


def data_pairs(data):
    if isinstance(data, list) and data and all(isinstance(x, tuple) for x in data):
        return list(data)  # explicit (key, value) pairs
    if isinstance(data, (dict, list)):
        return fb.jq_param(data, "data")
    return [("data", data)]


def hb(ctx, who="admin", nonce=None, data=None, screen="dashboard", extra=(), fixtures=(), mode=None,
       cookies=None, origin=None, enc="form", method="POST", path=fb.AJAX, pairs=None, late=(),
       headers_extra=(), customize=False):
    """A heartbeat request as heartbeat.js sends it (body order: data, interval, _nonce,
    action, screen_id, has_focus[, wp_customize])."""
    sess = ctx.sess(who)
    if nonce is None:
        nonce = "valid" if sess else "empty"
    nonce_val = resolve_nonce(ctx, sess, nonce)
    if pairs is None:
        pairs = []
        if data is not None:
            pairs += data_pairs(data)
        pairs.append(("interval", "60"))
        if nonce_val is not MISSING:
            if isinstance(nonce_val, list):
                pairs += [("_nonce[]", v) for v in nonce_val]
            else:
                pairs.append(("_nonce", nonce_val))
        pairs.append(("action", "heartbeat"))
        if screen is not None:
            pairs.append(("screen_id", screen))
        pairs.append(("has_focus", "false"))
        if customize:
            pairs.append(("wp_customize", "on"))
        pairs += list(extra)
    headers = [("User-Agent", fb.UA), ("Accept", fb.ACCEPT_JSON), ("X-Requested-With", "XMLHttpRequest")]
    cookie = cookie_value(ctx, sess, cookies)
    if cookie:
        headers.append(("Cookie", cookie))
    if origin:
        headers.append(("Origin", origin))
    headers += list(headers_extra)
    if method in ("GET", "HEAD", "OPTIONS") and enc == "form":
        body = b""
        if pairs:
            sep = "&" if "?" in path else "?"
            path = path + sep + fb.form(pairs).decode()
    elif enc == "form":
        headers.append(("Content-Type", fb.FORM_CT))
        body = fb.form(pairs)
    elif enc == "multipart":
        ct, body = fb.multipart(pairs)
        headers.append(("Content-Type", ct))
    elif enc == "json":
        headers.append(("Content-Type", "application/json"))
        body = json.dumps(dict(pairs)).encode()
    elif enc == "text":
        headers.append(("Content-Type", "text/plain;charset=UTF-8"))
        body = fb.form(pairs)
    elif enc == "form-nocharset":
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        body = fb.form(pairs)
    elif isinstance(enc, bytes):  # raw body, urlencoded content type
        headers.append(("Content-Type", fb.FORM_CT))
        body = enc
    else:
        raise ValueError(enc)
    return Req(method, path, headers, body, list(fixtures), list(late), mode)


# --------------------------------------------------------------------------- the cases


def all_cases():
    cases = []

    def C(name, build, **kw):
        cases.append(Case(name, build, **kw))

    def H(name, expect=None, status=200, setup=None, not_body=(), header=None, **hbkw):
        """A heartbeat case: hb(**hbkw) with expectations."""
        exp = () if expect is None else ((expect,) if isinstance(expect, str) else tuple(expect))
        C(name, lambda ctx, kw=hbkw: hb(ctx, **kw), setup=setup, expect_status=status,
          expect_body=exp, expect_not_body=tuple(not_body), expect_header=header or {})

    # ---------------------------------------------------------------- logged out (nopriv)
    H("nopriv/no-data", OK_FALSE, who="anon", screen="front")
    H("nopriv/data-foo", OK_FALSE, who="anon", screen="front", data={"foo": "bar"})
    H("nopriv/with-valid-looking-nonce", OK_FALSE, who="anon", nonce="b205d1ae45")
    H("nopriv/no-nonce-no-screen", OK_FALSE, who="anon", nonce="missing", screen=None)
    H("nopriv/odd-screen-id", OK_FALSE, who="anon", screen="Edit-POST_x!\u00e9")
    H("nopriv/origin-allowed", OK_FALSE, who="anon", origin="http://127.0.0.1",
      header={"Access-Control-Allow-Origin": r"^http://127\.0\.0\.1$"})
    H("nopriv/origin-foreign", OK_FALSE, who="anon", origin="http://evil.example",
      header={"Access-Control-Allow-Origin": None})
    # The site's own origin, port included (every test bed has its own port).
    H("nopriv/origin-with-port", OK_FALSE, who="anon", origin=fb.env("FASTBEAT_SITE_URL"))

    # ---------------------------------------------------------------- nonce states (administrator)
    H("nonce/valid-no-data", OK_TRUE)
    H("nonce/valid-from-heartbeatSettings", OK_TRUE, nonce="settings")
    H("nonce/valid-data-foo", OK_TRUE, data={"foo": "bar"})
    H("nonce/previous-tick", REFRESHED + r'"wp-auth-check":true,"server_time":\d+\}$', nonce="prev")
    H("nonce/previous-tick-with-data", REFRESHED + r'"wp-auth-check":true,"server_time":\d+\}$',
      nonce="prev", data={"foo": "bar"})
    H("nonce/two-ticks-old", EXPIRED, nonce="old")
    H("nonce/next-tick", EXPIRED, nonce="future")
    H("nonce/invalid", EXPIRED, nonce="invalid")
    H("nonce/invalid-with-data", EXPIRED, nonce="invalid", data={"foo": "bar"})
    H("nonce/empty", FAIL, nonce="empty")
    H("nonce/zero", FAIL, nonce="zero")
    H("nonce/missing", FAIL, nonce="missing")
    H("nonce/array", EXPIRED, nonce=lambda ctx, s: [s.mint_nonce()])
    H("nonce/array-empty-string", EXPIRED, nonce=lambda ctx, s: [""])
    # Upper case of a valid nonce that has a letter (whose session sends it), and separately
    # one digit changed: neither may verify.
    C("nonce/uppercase", lambda ctx: (lambda who, n: hb(ctx, who=who, nonce=n.upper()))(*lettered_nonce(ctx)),
      expect_status=200, expect_body=(EXPIRED,))
    H("nonce/one-digit-changed", EXPIRED, nonce=lambda ctx, s: one_digit_changed(s))
    H("nonce/with-whitespace", EXPIRED, nonce=lambda ctx, s: " " + s.mint_nonce())
    H("nonce/truncated", EXPIRED, nonce=lambda ctx, s: s.mint_nonce()[:9])
    H("nonce/another-users", EXPIRED, nonce=("session", "editor"))
    H("nonce/another-session", EXPIRED, nonce=("session", "admin2"))
    H("nonce/another-session-prev-tick", EXPIRED, nonce=("session", "admin2", -1))
    H("nonce/logged-out-users", EXPIRED, nonce=lambda ctx, s: fb.mint_nonce("heartbeat-nonce", 0, ""))
    H("nonce/wp_rest-action", EXPIRED, nonce=lambda ctx, s: s.mint_nonce("wp_rest"))
    # Two _nonce fields: PHP keeps the last one (the valid one).
    H("nonce/duplicate-last-wins", OK_TRUE)
    cases[-1].build = lambda ctx: hb(ctx, pairs=[("_nonce", "0123abcdef"), ("action", "heartbeat"),
                                                 ("screen_id", "dashboard"),
                                                 ("_nonce", ctx.sess("admin").mint_nonce())])
    H("nonce/after-logout", OK_FALSE, who="admin-logged-out")
    H("nonce/after-logout-prev-tick", OK_FALSE, who="admin-logged-out", nonce="prev")

    # ---------------------------------------------------------------- roles
    H("role/editor-valid", OK_TRUE, who="editor")
    H("role/editor-previous-tick", REFRESHED, who="editor", nonce="prev")
    H("role/editor-invalid", EXPIRED, who="editor", nonce="invalid")
    H("role/author-valid-data", OK_TRUE, who="author", data={"foo": ["a", "b"]})
    H("role/subscriber-valid", OK_TRUE, who="subscriber")
    H("role/subscriber-previous-tick", REFRESHED, who="subscriber", nonce="prev")
    H("role/subscriber-invalid", EXPIRED, who="subscriber", nonce="invalid")
    H("role/subscriber-missing-nonce", FAIL, who="subscriber", nonce="missing")

    # ---------------------------------------------------------------- cookies
    H("cookie/auth-only", EXPIRED, cookies="auth-only")
    H("cookie/auth-only-tokenless-nonce", OK_TRUE, cookies="auth-only",
      nonce=lambda ctx, s: s.mint_nonce(token=""))
    H("cookie/logged-in-only", OK_TRUE, cookies="logged-in-only")
    H("cookie/logged-in-only-prev-tick", REFRESHED, cookies="logged-in-only", nonce="prev")
    H("cookie/none-with-nonce", OK_FALSE, cookies="none")

    def tampered(which):
        def f(ctx, s):
            name = s.logged_in_name if which == "logged_in" else s.auth_name
            v = s.cookies[name]
            bad = v[:-1] + ("0" if v[-1] != "0" else "1")
            if which == "both":
                lv = s.cookies[s.logged_in_name]
                return s.cookie_header(overrides={name: bad, s.logged_in_name: lv[:-1] + ("0" if lv[-1] != "0" else "1")})
            return s.cookie_header(overrides={name: bad})
        return f
    H("cookie/tampered-both", OK_FALSE, cookies=tampered("both"))
    H("cookie/tampered-auth", OK_TRUE, cookies=tampered("auth"))
    # The session token for nonces is parsed from the logged_in cookie, never validated.
    H("cookie/tampered-logged-in-hmac", OK_TRUE, cookies=tampered("logged_in"))

    def other_token(ctx, s):
        parts = urllib.parse.unquote(s.cookies[s.logged_in_name]).split("|")
        parts[2] = "X" * 43
        return s.cookie_header(overrides={s.logged_in_name: urllib.parse.quote("|".join(parts), safe="")})
    H("cookie/tampered-logged-in-token", EXPIRED, cookies=other_token)
    H("cookie/tampered-logged-in-token-matching-nonce", OK_TRUE, cookies=other_token,
      nonce=lambda ctx, s: s.mint_nonce(token="X" * 43))
    H("cookie/logged-in-three-parts", EXPIRED, cookies=lambda ctx, s: s.cookie_header(
        overrides={s.logged_in_name: "admin%7C1%7Ctoken"}))

    def minted(age, which=("auth", "logged_in", "test")):
        def f(ctx, s):
            exp = int(time.time()) - age
            login = s.login
            frag = ctx.pass_frag["admin"]
            auth = fb.mint_auth_cookie(login, frag, exp, s.token, s.auth_scheme)
            li = fb.mint_auth_cookie(login, frag, exp, s.token, "logged_in")
            return s.cookie_header(which, overrides={s.auth_name: urllib.parse.quote(auth, safe=""),
                                                     s.logged_in_name: urllib.parse.quote(li, safe="")})
        return f
    H("cookie/fresh-minted", OK_TRUE, cookies=minted(-3600))
    H("cookie/grace-period", OK_FALSE, cookies=minted(600), not_body=[r"nonces_expired"])
    H("cookie/grace-period-prev-tick", REFRESHED + r'"wp-auth-check":false', cookies=minted(600), nonce="prev")
    H("cookie/grace-period-invalid-nonce", EXPIRED, cookies=minted(600), nonce="invalid")
    H("cookie/expired", OK_FALSE, cookies=minted(7200))
    # The auth cookie under the other scheme's name only (an https site, test bed variant
    # proxy: the plain wordpress_ name), which core does not read.
    if fb.env("FASTBEAT_SITE_URL").startswith("https:"):
        H("cookie/plain-auth-only", OK_FALSE, cookies=lambda ctx, s: "wordpress_%s=%s" % (
            s.cookiehash, s.cookies[s.auth_name]))
    else:
        H("cookie/secure-auth-only", OK_FALSE, cookies=lambda ctx, s: "wordpress_sec_%s=%s" % (
            s.cookiehash, s.cookies[s.auth_name]))
    H("cookie/unknown-user", OK_FALSE, cookies=lambda ctx, s: s.cookie_header(overrides={
        s.auth_name: "nobody%7C9999999999%7Cx%7Cy", s.logged_in_name: "nobody%7C9999999999%7Cx%7Cy"}))
    H("cookie/malformed-header", OK_TRUE, cookies=lambda ctx, s: "a=b; =; ;; junk; " + s.cookie_header() + "; c")

    # ---------------------------------------------------------------- methods, actions, bodies
    H("http/get-logged-in", ZERO, status=400, method="GET")
    H("http/get-logged-out", OK_FALSE, method="GET", who="anon")
    H("http/get-logged-out-with-query-data", OK_FALSE, method="GET", who="anon", data={"x": "1"}, screen="post")
    H("http/head-logged-out", EMPTY, method="HEAD", who="anon",
      header={"Content-Type": r"^application/json; charset=UTF-8$"})
    H("http/head-logged-in", EMPTY, status=400, method="HEAD")
    H("http/options-allowed-origin", EMPTY, method="OPTIONS", who="anon", origin="http://127.0.0.1",
      pairs=[("action", "heartbeat")])
    H("http/options-foreign-origin", EMPTY, status=403, method="OPTIONS", who="anon",
      origin="http://evil.example", pairs=[("action", "heartbeat")])
    H("http/options-no-origin-logged-in", EMPTY, status=403, method="OPTIONS", pairs=[("action", "heartbeat")])
    H("http/no-action", ZERO, status=400, pairs=[("_nonce", "x"), ("screen_id", "dashboard")],
      header={"X-Frame-Options": None})
    H("http/no-action-logged-out", ZERO, status=400, who="anon", pairs=[("screen_id", "front")])
    H("http/unknown-action", ZERO, status=400, pairs=[("action", "heartbeat-x"), ("_nonce", "x")],
      header={"X-Frame-Options": r"SAMEORIGIN"})
    H("http/unknown-action-logged-out", ZERO, status=400, who="anon", pairs=[("action", "Heartbeat")])
    H("http/action-array", ZERO, status=400, pairs=[("action[]", "heartbeat")])
    H("http/action-zero", ZERO, status=400, pairs=[("action", "0")])
    H("http/post-wins-over-query", OK_TRUE, path=fb.AJAX + "?action=foo")
    H("http/query-action-post-foo", ZERO, status=400)
    cases[-1].build = lambda ctx: hb(ctx, path=fb.AJAX + "?action=heartbeat",
                                     pairs=[("action", "foo"), ("_nonce", ctx.sess("admin").mint_nonce())])
    H("http/action-only-in-query-logged-in", ZERO, status=400, path=fb.AJAX + "?action=heartbeat",
      pairs=[("screen_id", "dashboard"), ("_nonce", "x")])
    H("http/action-only-in-query-logged-out", OK_FALSE, who="anon", path=fb.AJAX + "?action=heartbeat",
      pairs=[("screen_id", "front"), ("data[x]", "1")])
    H("http/json-body", ZERO, status=400, enc="json")
    H("http/text-plain-body", ZERO, status=400, enc="text")
    H("http/multipart", OK_TRUE, enc="multipart")
    H("http/multipart-prev-tick-data", REFRESHED, enc="multipart", nonce="prev",
      data=[("data[a][b]", "c"), ("data[list][]", "1")])
    H("http/form-without-charset", OK_TRUE, enc="form-nocharset")
    H("http/put-logged-out", OK_FALSE, who="anon", method="PUT", path=fb.AJAX + "?action=heartbeat")
    H("http/put-logged-in", ZERO, status=400, method="PUT", path=fb.AJAX + "?action=heartbeat")
    H("http/garbage-body", OK_TRUE, enc=b"")
    cases[-1].build = lambda ctx: hb(ctx, enc=b"&&=&x&=y&action=heartbeat&_nonce=" +
                                     ctx.sess("admin").mint_nonce().encode() + b"&&screen_id=dashboard&")
    H("http/accept-encoding-gzip", OK_TRUE, headers_extra=[("Accept-Encoding", "gzip, deflate, br")])
    H("http/origin-allowed-logged-in", OK_TRUE, origin="http://127.0.0.1",
      header={"Access-Control-Allow-Credentials": r"^true$"})
    H("http/origin-null", OK_TRUE, origin="null")

    # ---------------------------------------------------------------- screen_id (echo fixture)
    for label, screen in [("missing", None), ("empty", ""), ("zero", "0"), ("punctuation-only", "!!!"),
                          ("mixed", "Edit-POST_x!\u00e9"), ("unicode-only", "\u00e9\u2713"),
                          ("long", "s" * 5000), ("post", "post"), ("customize-without-flag", "customize")]:
        H(f"screen/{label}", r'"fx_send":', screen=screen, fixtures=["echo"], data={"k": "v"})
    H("screen/array", r'"fx_send":', extra=[("screen_id[]", "x")], screen=None, fixtures=["echo"], data={"k": "v"})
    H("screen/nopriv-mixed", r'"fx_nopriv_received":', who="anon", screen="Front Page!", fixtures=["echo"],
      data={"k": "v"})
    H("screen/nopriv-missing", r'"screen_id":"front"', who="anon", screen=None, fixtures=["echo"], data={"k": "v"})

    # ---------------------------------------------------------------- data shapes (echo fixture)
    E = dict(fixtures=["echo"])
    H("data/scalar", r'"fx_received":', data="abc", **E)
    H("data/zero-is-empty", r'^\{"wp-auth-check":true,"fx_send"', data="0", **E, not_body=[r"fx_received"])
    H("data/empty-string", r'"fx_send"', data="", **E, not_body=[r"fx_received"])
    H("data/nested", r'"fx_received":', data={"a": {"b": {"c": "d"}}, "list": ["x", "y"], "n": "1"}, **E)
    H("data/deep-40", r'"fx_received":', data=[("data" + "[a]" * 40, "deep")], **E)
    H("data/deep-70-over-nesting-limit", None, data=[("data" + "[a]" * 70, "too deep"), ("data[ok]", "1")], **E)
    H("data/large", r'"fx_received":', data={f"key{i}": "v" * 200 + str(i) for i in range(400)}, **E)
    # PHP keeps the first max_input_vars (1000) variables: action and _nonce come after data.
    H("data/over-max-input-vars", ZERO, status=400, data=[(f"data[k{i}]", str(i)) for i in range(1100)], **E)
    C("data/over-max-input-vars-data-last", lambda ctx: hb(ctx, fixtures=["echo"], pairs=[
        ("action", "heartbeat"), ("_nonce", ctx.sess("admin").mint_nonce()), ("screen_id", "dashboard")] +
        [(f"data[k{i}]", str(i)) for i in range(1100)]), expect_status=200, expect_body=(r'"fx_received"',))
    H("data/invalid-utf8", r'"fx_received":', data=[("data[bad]", b"a\xffb caf\xe9"), (b"data[k\xfe]", "v"),
                                                   ("data[ok]", "\u00e9")], **E)
    H("data/keys-quotes-brackets", r'"fx_received":', data=[
        ("data[a'b]", "1"), ('data[a"b]', "2"), ("data[a\\b]", "3"), ("data[a]b]", "4"), ("data[[x]]", "5"),
        ("data[a[b]", "6"), ("data[ ]", "7"), ("data[a.b c]", "8"), ("data[]", "list"), ("data[]", "list2"),
        ("data[0]", "zero"), ("data[-1]", "neg"), ("data[01]", "leading zero"), ("data[1.5]", "float")], **E)
    H("data/values-slashes-quotes", r'"fx_received":', data={
        "q": "it's \\ \"x\"", "b": "ends with \\", "s": "a/b", "nul": "a\x00b", "html": "<b>&amp;</b>",
        "u": "\u00e9\u2713\U0001F600", "sep": "\u2028"}, **E)
    H("data/top-level-name-mangling", None, data=[("da.ta[x]", "1"), ("da ta[y]", "2"), ("data[z]", "3")], **E)
    H("data/numeric-like-values", r'"fx_received":', data={"i": "1", "f": "1.0", "e": "1e3", "h": "0x1A",
                                                           "t": "true", "n": "null", "neg": "-0"}, **E)
    H("data/data-array-bracket-list", r'"fx_received":', data=[("data[]", "a"), ("data[]", "b")], **E)
    H("data/invalid-nonce-echo", r'^\{"fx_refresh":.*"rest_nonce".*"nonces_expired":true\}$', nonce="invalid",
      data={"k": "v"}, **E)
    H("data/prev-tick-echo", r'^\{"fx_refresh":.*"rest_nonce".*"fx_received"', nonce="prev", data={"k": "v"}, **E)
    H("data/nopriv-nested", r'"fx_nopriv_received":', who="anon", data={"a": {"b": ["c", "d"]}, "q": "it's"}, **E)
    H("data/nopriv-scalar", r'"fx_nopriv_received":', who="anon", data="abc", **E)
    H("data/nopriv-invalid-utf8", r'"fx_nopriv_received":', who="anon", data=[("data[bad]", b"\xc3\x28")], **E)
    # Without the echo fixture: core callbacks must ignore unknown shapes identically.
    H("data/unknown-keys-no-fixture", OK_TRUE, data={"a": {"b": {"c": ["d"]}}, "wp-unknown": "x"})
    H("data/large-no-fixture", OK_TRUE, data={f"key{i}": "v" * 500 for i in range(300)})

    # ---------------------------------------------------------------- post locks
    def HL(name, expect, data_fn, setup=None, status=200, **kw):
        C(name, lambda ctx, kw=kw: hb(ctx, data=data_fn(ctx), **kw), setup=setup, expect_status=status,
          expect_body=(expect,) if expect else ())

    free = lambda ctx: ctx.state(unlock=["lock-free"])(ctx)  # noqa: E731
    unlock_post_1 = lambda ctx: ctx.sql("DELETE FROM wp_postmeta WHERE post_id = 1 AND meta_key = '_edit_lock'")  # noqa: E731
    HL("lock/take-free-post", r'^\{"wp-refresh-post-lock":\{"new_lock":"\d+:1"\},"wp-auth-check":true',
       lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-free")}}, setup=free)
    HL("lock/refresh-own-lock", r'"new_lock":"\d+:1"',
       lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-own")}},
       setup=lambda ctx: ctx.state(locks=[("lock-own", "admin", 30)])(ctx))
    HL("lock/conflict-editor-holds-it", r'"lock_error":\{"name":"\\u00c9d\\u00eftor \\u2713 \\"q\\" \\/s",'
                                        r'"text":".*has taken over and is currently editing\.",' + AVATAR_SRC,
       lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-conflict")}},
       setup=lambda ctx: ctx.state(locks=[("lock-conflict", "editor", 10)])(ctx))
    HL("lock/conflict-stale-lock-is-taken", r'"new_lock":"\d+:1"',
       lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-conflict")}},
       setup=lambda ctx: ctx.state(locks=[("lock-conflict", "editor", 200)])(ctx))
    HL("lock/conflict-as-editor-admin-holds-it", r'"lock_error":\{"name":"admin"',
       lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-conflict")}},
       setup=lambda ctx: ctx.state(locks=[("lock-conflict", "admin", 5)])(ctx), who="editor")
    HL("lock/no-avatars", r'"lock_error":\{"name":"(?:[^"\\]|\\.)*","text":"(?:[^"\\]|\\.)*"\}\}',
       lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-conflict")}},
       setup=lambda ctx: ctx.state(locks=[("lock-conflict", "editor", 10)])(ctx), fixtures=["no-avatars"])
    for label, pid in [("zero", "0"), ("abc", "abc"), ("nonexistent", "999999"), ("empty", "")]:
        HL(f"lock/post-id-{label}", OK_TRUE, lambda ctx, pid=pid: {"wp-refresh-post-lock": {"post_id": pid}})
    # absint(-1) is 1: "Hello world!" (post 1) gets locked.
    HL("lock/post-id-negative-is-absint", r'"new_lock":"\d+:1"', lambda ctx: {"wp-refresh-post-lock": {"post_id": "-1"}},
       setup=unlock_post_1)
    HL("lock/missing-post-id", None, lambda ctx: {"wp-refresh-post-lock": {"other": "1"}})
    HL("lock/subscriber-no-cap", OK_TRUE, lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-free")}},
       setup=free, who="subscriber")
    HL("lock/author-others-post", OK_TRUE, lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-free")}},
       setup=free, who="author")
    HL("lock/string-data-fatal", CRITICAL, lambda ctx: {"wp-refresh-post-lock": "x"}, status=500)
    HL("lock/prev-tick", REFRESHED + r'"wp-refresh-post-lock":\{"new_lock"',
       lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-free")}}, setup=free, nonce="prev")
    HL("lock/invalid-nonce-not-taken", EXPIRED,
       lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-free")}}, setup=free, nonce="invalid")
    HL("lock/nopriv-ignored", OK_FALSE, lambda ctx: {"wp-refresh-post-lock": {"post_id": ctx.post("lock-free")}},
       setup=free, who="anon")

    locked_list = lambda ctx: ctx.state(locks=[("locked-a", "editor", 5), ("locked-b", "admin", 5)])(ctx)  # noqa: E731
    HL("locked-posts/list", r'^\{"wp-check-locked-posts":\{"post-\d+":\{"name":"\\u00c9d\\u00eftor.*"avatar_src_2x":',
       lambda ctx: {"wp-check-locked-posts": [f"post-{ctx.post('locked-a')}", f"post-{ctx.post('locked-b')}",
                                              f"post-{ctx.post('locked-a')}x", "post-abc", "foo", "post-999999"]},
       setup=locked_list)
    HL("locked-posts/none-locked", OK_TRUE,
       lambda ctx: {"wp-check-locked-posts": [f"post-{ctx.post('lock-free')}"]}, setup=free)
    HL("locked-posts/as-editor", r'"wp-check-locked-posts":\{"post-\d+":\{"name":"admin"',
       lambda ctx: {"wp-check-locked-posts": [f"post-{ctx.post('locked-a')}", f"post-{ctx.post('locked-b')}"]},
       setup=locked_list, who="editor")
    HL("locked-posts/subscriber", OK_TRUE,
       lambda ctx: {"wp-check-locked-posts": [f"post-{ctx.post('locked-a')}"]}, setup=locked_list, who="subscriber")
    HL("locked-posts/string-not-array", None, lambda ctx: {"wp-check-locked-posts": "post-1"}, setup=locked_list)
    HL("locked-posts/keyed-array", None,
       lambda ctx: {"wp-check-locked-posts": {"x": f"post-{ctx.post('locked-a')}", "y": "post-0"}}, setup=locked_list)

    # ---------------------------------------------------------------- nonce refreshes
    NR = r'"wp-refresh-post-nonces":\{"replace":\{"getpermalinknonce":"[0-9a-f]{10}","samplepermalinknonce":"[0-9a-f]{10}",' \
         r'"closedpostboxesnonce":"[0-9a-f]{10}","_ajax_linking_nonce":"[0-9a-f]{10}","_wpnonce":"[0-9a-f]{10}"\}\}'
    HL("post-nonces/prev-tick", r"^\{" + NR + r',"rest_nonce"',
       lambda ctx: {"wp-refresh-post-nonces": {"post_id": ctx.post("lock-free")}}, nonce="prev")
    HL("post-nonces/invalid-nonce", r"^\{" + NR + r',"rest_nonce".*"nonces_expired":true\}$',
       lambda ctx: {"wp-refresh-post-nonces": {"post_id": ctx.post("lock-free")}}, nonce="invalid")
    HL("post-nonces/valid-nonce-no-refresh", OK_TRUE,
       lambda ctx: {"wp-refresh-post-nonces": {"post_id": ctx.post("lock-free")}})
    for label, pid in [("zero", "0"), ("abc", "abc"), ("nonexistent", "999999")]:
        HL(f"post-nonces/post-id-{label}", r'^\{"wp-refresh-post-nonces":\{"check":1\},"rest_nonce"',
           lambda ctx, pid=pid: {"wp-refresh-post-nonces": {"post_id": pid}}, nonce="prev")
    HL("post-nonces/subscriber", r'^\{"wp-refresh-post-nonces":\{"check":1\},"rest_nonce"',
       lambda ctx: {"wp-refresh-post-nonces": {"post_id": ctx.post("lock-free")}}, nonce="prev", who="subscriber")
    HL("post-nonces/string-data-invalid-nonce-fatal", CRITICAL, lambda ctx: {"wp-refresh-post-nonces": "x"},
       nonce="invalid", status=500)
    MB = r'"wp-refresh-metabox-loader-nonces":\{"replace":\{"metabox_loader_nonce":"[0-9a-f]{10}","_wpnonce":"[0-9a-f]{10}"\}\}'
    HL("metabox-nonces/prev-tick", r"^\{" + MB + r',"rest_nonce"',
       lambda ctx: {"wp-refresh-metabox-loader-nonces": {"post_id": ctx.post("lock-free")}}, nonce="prev")
    HL("metabox-nonces/invalid-nonce", r"^\{" + MB + r',"rest_nonce".*"nonces_expired":true\}$',
       lambda ctx: {"wp-refresh-metabox-loader-nonces": {"post_id": ctx.post("lock-free")}}, nonce="invalid")
    HL("metabox-nonces/bad-post", r'^\{"rest_nonce"',
       lambda ctx: {"wp-refresh-metabox-loader-nonces": {"post_id": "999999"}}, nonce="prev")
    HL("metabox-nonces/no-post-id", r'^\{"rest_nonce"',
       lambda ctx: {"wp-refresh-metabox-loader-nonces": {"x": "1"}}, nonce="prev")
    HL("metabox-nonces/author-on-others-post", r'^\{"rest_nonce"',
       lambda ctx: {"wp-refresh-metabox-loader-nonces": {"post_id": ctx.post("lock-free")}}, nonce="prev",
       who="author")

    # ---------------------------------------------------------------- autosave
    def autosave(key, content, who="admin", nonce_fn=None, **extra):
        def f(ctx):
            pid = ctx.post(key)
            s = ctx.sess(who)
            d = {"post_id": str(pid), "_wpnonce": nonce_fn(ctx, s, pid) if nonce_fn else
                 s.mint_nonce(f"update-post_{pid}"), "post_type": "post", "post_author": str(ctx.uid("admin")),
                 "post_title": "Autosaved title", "content": content, "excerpt": "", "catslist": "",
                 "comment_status": "open", "ping_status": "open"}
            d.update(extra)
            return {"wp_autosave": d}
        return f
    reset_posts = lambda ctx: ctx.state(unlock=["autosave-draft", "autosave-publish", "editor-draft"],  # noqa: E731
                                        reset_posts=True)(ctx)
    SAVED = r'^\{"wp_autosave":\{"success":true,"message":"Draft saved at \d{1,2}:\d\d:\d\d [ap]m\."\},"wp-auth-check":true'
    HL("autosave/draft-success", SAVED, autosave("autosave-draft", "New draft content"), setup=reset_posts)
    HL("autosave/published-post-revision", SAVED, autosave("autosave-publish", "Changed published content"),
       setup=reset_posts)
    HL("autosave/others-draft-revision", SAVED, autosave("editor-draft", "Admin edits the editor's draft"),
       setup=reset_posts)
    HL("autosave/bad-wpnonce", r'^\{"wp_autosave":\{"success":false,"message":"Error while saving\."\}',
       autosave("autosave-draft", "x", nonce_fn=lambda ctx, s, pid: "0123abcdef"), setup=reset_posts)
    HL("autosave/prev-tick-wpnonce", SAVED,
       autosave("autosave-draft", "y", nonce_fn=lambda ctx, s, pid: s.mint_nonce(f"update-post_{pid}", tick_offset=-1)),
       setup=reset_posts)
    HL("autosave/subscriber-no-cap", r'"wp_autosave":\{"success":false,"message":"Sorry, you are not allowed to edit this item\."',
       autosave("autosave-draft", "x", who="subscriber"), setup=reset_posts, who="subscriber")
    HL("autosave/invalid-heartbeat-nonce-skips", EXPIRED, autosave("autosave-draft", "z"), setup=reset_posts,
       nonce="invalid")
    HL("autosave/prev-tick-heartbeat-nonce", REFRESHED + r'"wp_autosave":\{"success":true',
       autosave("autosave-draft", "w"), setup=reset_posts, nonce="prev")

    def autosave_unchanged_setup(ctx):
        reset_posts(ctx)
        # A first autosave with other content creates the autosave revision; the case's
        # autosave then matches the post again, so core deletes the revision and reports failure.
        pre = hb(ctx, data=autosave("autosave-publish", "Something else")(ctx))
        r = fb.request(fb.env_port("core"), pre.method, pre.path, pre.headers, pre.body)
        assert b'"success":true' in r.body, r.body
    HL("autosave/unchanged-content-fails", r'"wp_autosave":\{"success":false,"message":"Error while saving\."',
       lambda ctx: autosave("autosave-publish", "Original published content.",
                            post_title="Autosave published")(ctx), setup=autosave_unchanged_setup)
    HL("autosave/string-data-fatal", CRITICAL, lambda ctx: {"wp_autosave": "x"}, status=500)
    HL("autosave/locked-by-editor", SAVED, autosave("autosave-draft", "while locked"),
       setup=lambda ctx: (reset_posts(ctx), ctx.state(locks=[("autosave-draft", "editor", 5)])(ctx)))

    # ---------------------------------------------------------------- everything at once
    def combined(ctx):
        d = {"wp-refresh-post-nonces": {"post_id": ctx.post("lock-own")},
             "wp-refresh-metabox-loader-nonces": {"post_id": ctx.post("lock-own")},
             "wp-refresh-post-lock": {"post_id": ctx.post("lock-own")},
             "wp-check-locked-posts": [f"post-{ctx.post('locked-a')}"]}
        d.update(autosave("autosave-draft", "combined")(ctx))
        return d
    HL("combined/prev-tick-all-consumers", r'^\{"wp-refresh-post-nonces":\{"replace".*"wp-refresh-metabox-loader-nonces"'
                                           r'.*"rest_nonce".*"heartbeat_nonce".*"wp-check-locked-posts".*"wp-refresh-post-lock"'
                                           r'.*"wp_autosave":\{"success":true.*"wp-auth-check":true',
       combined, nonce="prev",
       setup=lambda ctx: (reset_posts(ctx), ctx.state(unlock=["lock-own"], locks=[("locked-a", "editor", 5)])(ctx)))
    HL("combined/valid-all-consumers", r'"wp-check-locked-posts".*"wp-refresh-post-lock".*"wp_autosave"', combined,
       setup=lambda ctx: (reset_posts(ctx), ctx.state(unlock=["lock-own"], locks=[("locked-a", "editor", 5)])(ctx)))

    # ---------------------------------------------------------------- customizer
    def cz(ctx, **kw):
        u = ctx.tb["changeset_uuid"]
        return {"check_changeset_lock": "true", "changeset_uuid": u}
    cz_locked = lambda ctx: ctx.state(locks=[("changeset", "editor", 5)])(ctx)  # noqa: E731
    cz_free = lambda ctx: ctx.state(unlock=["changeset"])(ctx)  # noqa: E731
    HL("customize/changeset-locked-by-editor", r'^\{"customize_changeset_lock_user":\{"id":2,"name":"\\u00c9d',
       cz, setup=cz_locked, screen="customize", customize=True)
    C("customize/changeset-locked-uuid-in-query",
      lambda ctx: hb(ctx, data=cz(ctx), screen="customize", customize=True,
                     path=fb.AJAX + "?customize_changeset_uuid=" + ctx.tb["changeset_uuid"]),
      setup=cz_locked, expect_status=200, expect_body=(r'"customize_changeset_lock_user"',))
    HL("customize/changeset-free-refreshes-lock", OK_TRUE, cz, setup=cz_free, screen="customize", customize=True)
    HL("customize/wrong-screen", OK_TRUE, cz, setup=cz_locked, screen="dashboard", customize=True)
    # Without a UUID in the request the 6.1 manager picks the site's draft changeset, so
    # users without the customize capability get through (no lock data for them); 6.8.13+
    # answers them -1 (CZ_OWN_ONLY).
    HL("customize/subscriber", r"^-1$" if CZ_OWN_ONLY else OK_TRUE, cz, setup=cz_locked, screen="customize",
       customize=True, who="subscriber")
    HL("customize/logged-out", r"^-1$" if CZ_OWN_ONLY else OK_FALSE, cz, setup=cz_locked, screen="customize",
       customize=True, who="anon")
    C("customize/logged-out-unknown-uuid",
      lambda ctx: hb(ctx, who="anon", data=cz(ctx), screen="customize", customize=True,
                     extra=[("customize_changeset_uuid", "0b6c6f4e-1111-4222-8333-944455556666")]),
      setup=cz_locked, expect_status=200, expect_body=(r"^-1$",))
    C("customize/subscriber-unknown-uuid",
      lambda ctx: hb(ctx, who="subscriber", data=cz(ctx), screen="customize", customize=True,
                     extra=[("customize_changeset_uuid", "0b6c6f4e-1111-4222-8333-944455556666")]),
      setup=cz_locked, expect_status=200, expect_body=(r"^-1$",))
    C("customize/logged-out-valid-uuid",
      lambda ctx: hb(ctx, who="anon", data=cz(ctx), screen="customize", customize=True,
                     extra=[("customize_changeset_uuid", ctx.tb["changeset_uuid"])]),
      setup=cz_locked, expect_status=200)
    C("customize/invalid-uuid",
      lambda ctx: hb(ctx, data=cz(ctx), screen="customize", customize=True,
                     extra=[("customize_changeset_uuid", "not-a-uuid")]),
      setup=cz_locked, expect_body=(r"^-1$",))
    HL("customize/invalid-nonce", EXPIRED, cz, setup=cz_locked, screen="customize", customize=True, nonce="invalid")

    # ---------------------------------------------------------------- fixture plugins
    def F(name, fixtures, mode=None, expect=None, status=200, who="admin", header=None, not_body=(), late=(),
          setup=None, **kw):
        H(f"fixture/{name}", expect, status=status, who=who, fixtures=fixtures if isinstance(fixtures, list)
          else [fixtures], mode=mode, header=header, not_body=not_body, late=late, setup=setup, **kw)

    F("echo-smoke", "echo", expect=r'"fx_received":\{"screen_id":"dashboard","data":\{"k":"v"\}', data={"k": "v"})
    F("json-types", "json-types", expect=r'"fx_types":\{"int":42,.*"float_sum":0.30000000000000004', data={"k": "v"})
    F("json-types-nopriv", "json-types", who="anon", expect=r'"fx_types":')
    F("json-types-prev-tick", "json-types", nonce="prev", expect=r'"fx_refresh_types":\[1.25,')
    F("json-types-invalid-nonce", "json-types", nonce="invalid", expect=r'"fx_refresh_types".*"nonces_expired":true\}$')
    F("reassign-keys", "reassign-keys", data={"k": "v"},
      expect=r'^\{"wp-auth-check":\{"was":true\},"rest_nonce":"overwritten","server_time":\d+,"0":"int key again",'
             r'"1":"numeric string key","fx_first":2,"2":"appended"\}$')
    F("reassign-keys-no-data", "reassign-keys", expect=r'^\{"server_time":\d+,"wp-auth-check":\{"was":true\}')
    F("reassign-keys-nopriv", "reassign-keys", who="anon", expect=r'^\{"server_time":\d+,"wp-auth-check":\{"was":false\}')
    F("reassign-keys-invalid-nonce", "reassign-keys", nonce="invalid",
      expect=r'^\{"heartbeat_nonce":"[0-9a-f]{10}","nonces_expired":true,"rest_nonce"')
    for mode in ["auth-check", "refresh-nonces", "locks", "all"]:
        F(f"remove-core-callbacks-{mode}", "remove-core-callbacks", mode=mode, nonce="prev",
          data={"wp-refresh-post-lock": {"post_id": "1"}}, setup=unlock_post_1)
    F("remove-core-callbacks-autosave", "remove-core-callbacks", mode="autosave", expect=OK_TRUE)
    cases[-1].build = lambda ctx: hb(ctx, fixtures=["remove-core-callbacks"], mode="autosave",
                                     data=autosave("autosave-draft", "not saved")(ctx))
    cases[-1].setup = reset_posts
    F("remove-core-callbacks-invalid-nonce", "remove-core-callbacks", mode="refresh-nonces", nonce="invalid",
      expect=r'^\{"nonces_expired":true\}$')
    F("remove-core-callbacks-nopriv", "remove-core-callbacks", mode="auth-check", who="anon",
      expect=r'^\{"server_time":\d+\}$')
    F("replace-core-callbacks", "replace-core-callbacks", nonce="prev", data={"wp-refresh-post-lock": {"post_id": "7"}},
      expect=r'"fx_nonce".*"wp-refresh-post-lock":\{"replaced":7\},"wp-auth-check":"replaced"')
    for mode, status, exp in [("send:string", 500, CRITICAL), ("send:null", 200, r'^\{"server_time":\d+\}$'),
                              ("send:int", 500, CRITICAL), ("send:false", 200, r'^\{"server_time":\d+\}$'),
                              ("send:true", 500, CRITICAL), ("send:object", 500, CRITICAL),
                              ("send:arrayobject", 200, None), ("send:empty-string", 500, CRITICAL),
                              ("send:float", 500, CRITICAL),
                              ("received:string", 500, CRITICAL), ("received:null", 200, OK_TRUE),
                              ("refresh:string", 500, CRITICAL), ("refresh:null", 200, None),
                              ("nopriv-received:string", 500, CRITICAL), ("nopriv-send:null", 200, None),
                              ("nopriv-send:string", 500, CRITICAL)]:
        kw = {"data": {"k": "v"}}
        if mode.startswith("refresh"):
            kw["nonce"] = "prev"
        if mode.startswith("nopriv"):
            kw["who"] = "anon"
        F(f"non-array-{mode.replace(':', '-')}", "non-array", mode=mode, status=status, expect=exp, **kw)
    F("non-array-refresh-string-invalid-nonce", "non-array", mode="refresh:string", nonce="invalid", status=500,
      expect=CRITICAL)
    for where in ["received", "send", "tick", "refresh", "sanitize-key", "nonce-life", "error", "type-error"]:
        kw = {"data": {"k": "v"}}
        if where == "refresh":
            kw["nonce"] = "prev"
        F(f"throw-{where}", "throw", mode=where, status=500, expect=CRITICAL, **kw)
    F("throw-caught", "throw", mode="caught", expect=r'"fx_caught":"caught"')
    for where in ["nopriv-received", "nopriv-send", "nopriv-tick"]:
        F(f"throw-{where}", "throw", mode=where, who="anon", status=500, expect=CRITICAL, data={"k": "v"})
    for how, where, status, exp in [
            ("send-json", "received", 200, r'^\{"fx":"early","filter":"heartbeat_received"'),
            ("send-json", "send", 200, r'^\{"fx":"early","filter":"heartbeat_send","value":\{'),
            ("send-json", "tick", 200, r'^\{"fx":"early"'),
            ("send-json", "refresh", 200, r'^\{"fx":"early","filter":"wp_refresh_nonces"'),
            ("send-json", "pre", 200, r'^\{"fx":"early","filter":"wp_ajax_heartbeat","value":""\}$'),
            ("send-json-success", "send", 200, r'^\{"success":true,"data":'),
            ("send-json-error-400", "send", 400, r'^\{"success":false,"data":'),
            ("send-json-status-201", "received", 201, r'^\{"fx"'),
            ("wp-die", "send", 200, r"^fixture stop$"),
            ("wp-die-403", "received", 403, r"^fixture forbidden$"),
            ("wp-die-empty", "tick", 200, EMPTY),
            ("exit", "send", 200, EMPTY),
            ("exit-string", "received", 200, r"^fixture exit$"),
            ("exit-int", "tick", 200, EMPTY),
            ("echo-exit", "send", 200, r"^partial output;$"),
            ("exit", "pre", 200, EMPTY),
            ("send-json", "nopriv-send", 200, r'^\{"fx":"early","filter":"heartbeat_nopriv_send"'),
            ("wp-die", "nopriv-received", 200, r"^fixture stop$"),
            ("exit-string", "nopriv-tick", 200, r"^fixture exit$")]:
        kw = {"data": {"k": "v"}}
        if where == "refresh":
            kw["nonce"] = "prev"
        if where.startswith("nopriv"):
            kw["who"] = "anon"
        F(f"exit-early-{how}-at-{where}", "exit-early", mode=f"{how}@{where}", status=status, expect=exp, **kw)
    F("exit-early-send-json-pre-nopriv", "exit-early", mode="send-json@pre", who="anon",
      expect=r'"filter":"wp_ajax_nopriv_heartbeat"')
    F("all-hook", "all-hook", header={"X-Fixture-Hooks": r"^wp_ajax_heartbeat,"}, expect=r'"fx_hooks":\["wp_ajax_heartbeat"',
      data={"k": "v"})
    F("all-hook-args", "all-hook", mode="args", header={"X-Fixture-Hooks": r"wp_ajax_heartbeat/"})
    F("all-hook-prev-tick", "all-hook", nonce="prev", data={"wp-refresh-post-nonces": {"post_id": "1"}},
      header={"X-Fixture-Hooks": r"wp_refresh_nonces"})
    F("all-hook-invalid-nonce", "all-hook", nonce="invalid", header={"X-Fixture-Hooks": r"wp_verify_nonce_failed"})
    F("all-hook-no-nonce", "all-hook", nonce="missing", header={"X-Fixture-Hooks": r"^wp_ajax_heartbeat,"})
    F("all-hook-nopriv", "all-hook", who="anon", data={"k": "v"},
      header={"X-Fixture-Hooks": r"^wp_ajax_nopriv_heartbeat,.*heartbeat_nopriv_received"})
    F("all-hook-late", [], late=["all-hook"], data={"k": "v"}, header={"X-Fixture-Hooks": r"^wp_ajax_heartbeat,"})
    F("odd-priorities", "odd-priorities", data={"k": "v"}, nonce="prev", expect=r'"fx_order":\["wp_refresh_nonces@',
      header={"X-Fixture-Prio": r"wp_ajax_heartbeat@"})
    F("odd-priorities-nopriv", "odd-priorities", who="anon", data={"k": "v"},
      header={"X-Fixture-Prio": r"wp_ajax_nopriv_heartbeat@"})
    F("odd-priorities-late", [], late=["odd-priorities"], data={"k": "v"})
    for mode, exp in [("true", REFRESHED + r'"wp-auth-check":true'), ("int0", REFRESHED + r'"wp-auth-check":true'),
                      ("null", REFRESHED + r'"wp-auth-check":true'), ("int1", OK_TRUE),
                      ("int2", REFRESHED + r'"wp-auth-check":true'), ("false", EXPIRED),
                      ("string1", REFRESHED + r'"wp-auth-check":true'), ("float1", REFRESHED + r'"wp-auth-check":true'),
                      ("core", OK_TRUE)]:
        F(f"replace-verify-nonce-{mode}", "replace-verify-nonce", mode=mode, expect=exp,
          header={"X-Fixture-Verify": r"heartbeat-nonce"})
    F("replace-verify-nonce-core-prev-tick", "replace-verify-nonce", mode="core", nonce="prev", expect=REFRESHED)
    F("replace-verify-nonce-core-invalid", "replace-verify-nonce", mode="core", nonce="invalid", expect=EXPIRED)
    F("nonce-life-short-matching-nonce", "nonce-life", mode="short",
      nonce=lambda ctx, s: s.mint_nonce(life=7200), expect=OK_TRUE)
    F("nonce-life-short-default-nonce", "nonce-life", mode="short", expect=EXPIRED)
    F("nonce-life-short-prev-tick", "nonce-life", mode="short",
      nonce=lambda ctx, s: s.mint_nonce(life=7200, tick_offset=-1), expect=REFRESHED)
    for mode, status, exp in [("zero", 500, CRITICAL), ("string", 500, CRITICAL), ("negative", 200, EXPIRED),
                              ("float", 200, None), ("numeric-string", 200, OK_TRUE), ("log", 200, OK_TRUE)]:
        F(f"nonce-life-{mode}", "nonce-life", mode=mode, status=status, expect=exp)
    F("nonce-life-log-prev-tick", "nonce-life", mode="log", nonce="prev", expect=REFRESHED,
      header={"X-Fixture-Nonce-Life": r"'wp_rest'"})
    F("salt-nonce", "salt", mode="nonce", expect=EXPIRED)
    F("salt-log", "salt", mode="log", expect=OK_TRUE, header={"X-Fixture-Salt": r"^nonce "})
    F("salt-log-invalid", "salt", mode="log", nonce="invalid", expect=EXPIRED)
    for mode in ["upper", "raw", "empty", "array", "int", "log"]:
        F(f"sanitize-key-{mode}", ["sanitize-key", "echo"], mode=mode, screen="Edit-Post x/y", data={"k": "v"})
    F("sanitize-key-array-nopriv", ["sanitize-key", "echo"], mode="array", who="anon", screen="Front!",
      data={"k": "v"})
    for mode in ["counter", "add", "remove-cache-control", "empty", "non-array", "reorder", "last-modified"]:
        F(f"nocache-headers-{mode}", "nocache-headers", mode=mode, expect=OK_TRUE)
    F("nocache-headers-counter-no-nonce", "nocache-headers", mode="counter", nonce="missing", expect=FAIL,
      header={"X-Fixture-Nocache-Call": r"^\d+$"})
    F("nocache-headers-counter-nopriv", "nocache-headers", mode="counter", who="anon", expect=OK_FALSE)
    F("nocache-headers-counter-400", "nocache-headers", mode="counter", method="GET", status=400, expect=ZERO)
    for mode, nonce, status, exp in [
            ("return", "valid", 200, OK_TRUE[:-1] + r"\[after-handler:wp_ajax_heartbeat\]$"),
            ("echo", "valid", 200, r'\[die:\["","",\{"response":null\}\]\]\[after-handler'),
            ("echo", "missing", 200, r'^\{"success":false\}\[die:.*\{"rest_nonce".*"nonces_expired":true\}\[die:.*"server_time"'),
            ("echo", "invalid", 200, r'"nonces_expired":true\}\[die:.*"wp-auth-check":true,"server_time":\d+\}\[die:'),
            ("return", "prev", 200, REFRESHED),
            ("status", "valid", 418, OK_TRUE),
            ("throw", "valid", 500, None),
            ("exit", "valid", 200, OK_TRUE[:-1] + r"\[exit\]$")]:
        F(f"wp-die-ajax-handler-{mode}-nonce-{nonce}", "wp-die-ajax-handler", mode=mode, nonce=nonce, status=status,
          expect=exp)
    F("wp-die-ajax-handler-echo-nopriv", "wp-die-ajax-handler", mode="echo", who="anon",
      expect=r'"wp-auth-check":false,"server_time":\d+\}\[die:.*\[after-handler:wp_ajax_nopriv_heartbeat\]')
    # The fixture's own priority-2 callback makes has_action() true for a logged-in GET, so
    # there is no 400: the action runs (without core's handler) and the final wp_die('0') returns.
    F("wp-die-ajax-handler-echo-get", "wp-die-ajax-handler", mode="echo", method="GET",
      expect=r'^\[after-handler:wp_ajax_heartbeat\]\[die:\["0","",\[\]\]\]$')
    F("wp-die-ajax-handler-echo-no-action-400", "wp-die-ajax-handler", mode="echo", pairs=[("screen_id", "x")],
      expect=r'^(\[die:\["0","",\{"response":400\}\]\]){2}\[die:\["0","",\[\]\]\]$')
    for mode in ["received", "send", "tick", "refresh", "load", "warning", "ob-start", "ob-clean", "big"]:
        kw = {"data": {"k": "v"}}
        if mode == "refresh":
            kw["nonce"] = "prev"
        F(f"output-{mode}", "output", mode=mode, **kw)
    F("output-nopriv-send", "output", mode="nopriv-send", who="anon", expect=r"^debug output from heartbeat_nopriv_send;")
    F("bom", "bom", expect="^\ufeff" + OK_TRUE[1:])
    F("bom-nopriv", "bom", who="anon", expect="^\ufeff" + OK_FALSE[1:])
    F("trailing-whitespace", "trailing-whitespace", expect=r'^\n\n\{"wp-auth-check":true')
    # Apache sends a status it knows no reason phrase for (299) as 500 Internal Server Error,
    # core's answer as well as Fastbeat's (testbed/apache.sh sets FASTBEAT_SERVER).
    s299 = 500 if os.environ.get("FASTBEAT_SERVER") == "apache" else 299
    for mode, status in [("202", 202), ("299", s299), ("404-refresh", 404), ("custom", 200), ("remove", 200),
                         ("content-type", 200), ("tick-header", 200), ("nopriv-202", 202)]:
        F(f"status-header-{mode}", "status-header", mode=mode, status=status,
          nonce="prev" if mode == "404-refresh" else None, who="anon" if mode.startswith("nopriv") else "admin")
    for mode in ["drop-nonce", "bad-nonce", "add-data", "data-string", "data-object", "screen", "screen-array",
                 "request-only", "slashed", "unset-post"]:
        F(f"mutate-request-{mode}", ["mutate-request", "echo"], mode=mode, data={"k": "v"})
    F("mutate-request-add-data-nopriv", ["mutate-request", "echo"], mode="add-data", who="anon")
    for mode, exp in [("logged-out", EXPIRED), ("editor", EXPIRED), ("subscriber", EXPIRED),
                      ("grace", r'^\{"wp-auth-check":false,"server_time":\d+\}$')]:
        F(f"switch-user-{mode}", "switch-user", mode=mode, expect=exp)
    F("switch-user-logged-out-minted", "switch-user", mode="logged-out",
      nonce=lambda ctx, s: fb.mint_nonce("heartbeat-nonce", 77, s.token), expect=r'"wp-auth-check":false')
    for mode, who, exp in [("remove", "admin", ZERO), ("replace", "admin", r'^\{"fx_replaced_handler":true\}$'),
                           ("readd-5", "admin", OK_TRUE), ("remove-nopriv", "anon", ZERO),
                           ("has-action", "admin", r'"fx_has_action":\{"heartbeat":1,'),
                           ("has-action", "anon", r'"fx_has_action":\{"heartbeat":1,"nopriv":1,'),
                           ("remove-at-init", "admin", OK_TRUE)]:
        F(f"remove-handler-{mode}-{who}", "remove-handler", mode=mode, who=who, expect=exp)
    for mode, exp in [("invalid-utf8", r'"fx_bad":"a\?b caf\? \? \?\( x\?y"'), ("nan", EMPTY), ("inf", EMPTY),
                      ("depth", EMPTY), ("depth-ok", r'"fx_deep":\[\[\['), ("recursion", None), ("resource", None),
                      ("pure-enum", None), ("mixed", None)]:
        F(f"json-failure-{mode}", "json-failure", mode=mode, expect=exp)
    F("json-failure-invalid-utf8-nopriv", "json-failure", mode="invalid-utf8", who="anon", expect=r'"fx_bad"')
    F("realistic-dashboard", "realistic", data={"fx_plugin": {"q": "<b>hi</b>"}},
      expect=r'"fx_plugin":\{"notifications":3,"screen":"dashboard","user":1,"can_edit":true,"echo":"hi"\},'
             r'"wp-auth-check":true,"heartbeat_interval":"fast"')
    F("realistic-post-prev-tick", "realistic", data={"fx_plugin": {"q": "x"}}, screen="post", nonce="prev",
      expect=r'"fx_plugin_nonce"')
    F("realistic-nopriv", "realistic", who="anon", data={"fx_plugin": "1"}, expect=r'"heartbeat_interval":120')
    F("callables", "callables", data={"k": "v", "empty": "", "zero": "0"}, expect=r'"fx_calls":')
    F("callables-zero-args", "callables", mode="zero-args", expect=r'^\{"fx_zero_args":0,"server_time":\d+\}$')
    F("by-ref", "by-ref", data={"k": "v"})
    F("combo-echo-json-types-odd-priorities", ["echo", "json-types", "odd-priorities", "reassign-keys"],
      data={"a": {"b": "c"}}, nonce="prev")
    F("no-avatars-fixture-smoke", "no-avatars", expect=OK_TRUE)
    return cases
