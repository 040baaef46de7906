# Fastbeat test bed settings. Source this file: `. testbed/env.sh`.
# Every value can be overridden from the environment before sourcing.
# FASTBEAT_WP and FASTBEAT_PHP choose the WordPress and PHP (see below).
# shellcheck shell=bash

_fb_env_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FASTBEAT_REPO="${FASTBEAT_REPO:-$(cd "$_fb_env_dir/.." && pwd)}"
unset _fb_env_dir

# Which WordPress and which PHP: one test bed per combination, each with its own state
# directory and ports (defaults below), so that several can run at once.
#   FASTBEAT_WP   6.1 (default): Debian bookworm's 6.1.9, /usr/share/wordpress (tools/setup.sh)
#                 6.8: trixie's 6.8.x, 7.1: sid's 7.1.x (tools/wp-fetch.sh, run by up.sh)
#   FASTBEAT_PHP  8.2 (default): the host's php-fpm8.2, MariaDB and nginx
#                 8.4: php-fpm8.4, MariaDB and nginx of the Debian trixie root
#                 (tools/trixie-root.sh, tools/in-trixie.sh), the extension built for 8.4
export FASTBEAT_WP="${FASTBEAT_WP:-6.1}"
export FASTBEAT_PHP="${FASTBEAT_PHP:-8.2}"
# A variant of the test bed (issue 18, the fast lane on real sites), each a test bed of its
# own for every WordPress/PHP combination (state directory and ports, below):
#   (empty)    the plain test bed
#   proxy      TLS fronts (nginx, self-signed certificate) before the core and fastbeat
#              ports, passing X-Forwarded-For/-Proto (or Cloudflare's CF-Visitor); the
#              site is https and wp-config.php trusts the header only from the front
#   redis      Debian's redis-server (own data dir, unix socket) and the object-cache
#              drop-in testbed/dropins/object-cache.php
#   multisite  a subdirectory network: the main site and /site2/
export FASTBEAT_VARIANT="${FASTBEAT_VARIANT:-}"

# _fb_defaults <wp> <php>: the defaults of one combination, in _fb_d_* variables.
# Ports: 18081-18084 for 6.1/8.2 (as before there were versions), then 100 up per
# combination: 6.8/8.2 18181, 7.1/8.2 18281, 7.1/8.4 18381, 6.1/8.4 18481, 6.8/8.4 18581.
# WordPress: 6.1 on the host's PHP is the host's package (tools/setup.sh); every other
# tree is the suite's package unpacked by tools/wp-fetch.sh (6.1 with PHP 8.4 too: its
# links stay inside the tree, which the trixie root can see).
_fb_defaults() {
  local slot vslot=""
  case "$1" in
    6.1) _fb_d_suite=bookworm slot=0 ;;
    6.8) _fb_d_suite=trixie slot=1 ;;
    7.1) _fb_d_suite=sid slot=2 ;;
    *) echo "testbed/env.sh: FASTBEAT_WP=$1: expected 6.1, 6.8 or 7.1" >&2; return 1 ;;
  esac
  case "$2" in
    8.2) ;;
    8.4) slot=$(( (slot + 1) % 3 + 3 )) ;;
    *) echo "testbed/env.sh: FASTBEAT_PHP=$2: expected 8.2 or 8.4" >&2; return 1 ;;
  esac
  case "${3:-}" in
    "") ;;
    proxy) vslot=0 ;;
    redis) vslot=1 ;;
    multisite) vslot=2 ;;
    *) echo "testbed/env.sh: FASTBEAT_VARIANT=$3: expected proxy, redis, multisite or nothing" >&2; return 1 ;;
  esac
  _fb_d_port=$((18081 + 100 * slot))
  if [ "$1/$2" = 6.1/8.2 ]; then
    _fb_d_dir=/tmp/fastbeat-testbed
    _fb_d_wp=/usr/share/wordpress
  else
    _fb_d_dir="/tmp/fastbeat-testbed-wp$1-php$2"
    _fb_d_wp="${FASTBEAT_WP_ROOT:-/var/cache/fastbeat/wp}/$_fb_d_suite/root/usr/share/wordpress"
  fi
  # A variant: its own directory, and ports outside 18081-18594 (the plain test beds and
  # their benchmarks): 20081 + 1000 per variant + 100 per combination, e.g. proxy on
  # 7.1/8.2 20281-20288 (origin and fronts), redis 21281-21284, multisite 22281-22284 (benchmark: +10).
  if [ -n "$vslot" ]; then
    _fb_d_dir="/tmp/fastbeat-testbed-$3-wp$1-php$2"
    _fb_d_port=$((20081 + 1000 * vslot + 100 * slot))
  fi
  # The extension is built per PHP into its own target directory; for 8.4 inside the
  # trixie root: tools/in-trixie.sh env CARGO_TARGET_DIR=... cargo build --release.
  if [ "$2" = 8.2 ]; then _fb_d_target="$FASTBEAT_REPO/target"; else _fb_d_target="$FASTBEAT_REPO/target/php$2"; fi
}

# Values derived for one combination and inherited (exported) by a process that selects
# another one must not leak into it: a shell that sourced this file for 6.1 and then runs
# `FASTBEAT_WP=7.1 tests/parity/run.sh` gets 7.1's directory and ports, never 6.1's
# (only values equal to the other combination's defaults are dropped: overrides stay).
# (FASTBEAT_ENV_FOR is wp/php, or wp/php/variant for a variant.)
_fb_for="$FASTBEAT_WP/$FASTBEAT_PHP${FASTBEAT_VARIANT:+/$FASTBEAT_VARIANT}"
if [ -n "${FASTBEAT_ENV_FOR:-}" ] && [ "$FASTBEAT_ENV_FOR" != "$_fb_for" ] \
   && IFS=/ read -r _fb_w _fb_p _fb_v <<<"$FASTBEAT_ENV_FOR" \
   && _fb_defaults "$_fb_w" "$_fb_p" "$_fb_v" 2>/dev/null; then
  [ "${FASTBEAT_TESTBED_DIR:-}" != "$_fb_d_dir" ] || unset FASTBEAT_TESTBED_DIR
  [ "${FASTBEAT_PORT_CORE:-}" != "$_fb_d_port" ] || unset FASTBEAT_PORT_CORE
  [ "${FASTBEAT_PORT_FASTBEAT:-}" != "$((_fb_d_port + 1))" ] || unset FASTBEAT_PORT_FASTBEAT
  [ "${FASTBEAT_PORT_PLUGIN_ONLY:-}" != "$((_fb_d_port + 2))" ] || unset FASTBEAT_PORT_PLUGIN_ONLY
  [ "${FASTBEAT_PORT_EXT_ONLY:-}" != "$((_fb_d_port + 3))" ] || unset FASTBEAT_PORT_EXT_ONLY
  [ "${FASTBEAT_WP_DIR:-}" != "$_fb_d_wp" ] || unset FASTBEAT_WP_DIR
  [ "${FASTBEAT_CARGO_TARGET_DIR:-}" != "$_fb_d_target" ] || unset FASTBEAT_CARGO_TARGET_DIR
  [ "${FASTBEAT_EXT_SO:-}" != "$_fb_d_target/release/libfastbeat.so" ] || unset FASTBEAT_EXT_SO
fi
unset _fb_w _fb_p _fb_v
_fb_defaults "$FASTBEAT_WP" "$FASTBEAT_PHP" "$FASTBEAT_VARIANT" || { unset -f _fb_defaults; return 1 2>/dev/null || exit 1; }
export FASTBEAT_ENV_FOR="$_fb_for"
unset _fb_for

# All state (database, configs, logs, pid files, sockets, wp-content) lives here.
export FASTBEAT_TESTBED_DIR="${FASTBEAT_TESTBED_DIR:-$_fb_d_dir}"

# One nginx port per php-fpm variant, all on loopback.
export FASTBEAT_BIND="127.0.0.1"
export FASTBEAT_PORT_CORE="${FASTBEAT_PORT_CORE:-$_fb_d_port}"                          # no extension, plugin filtered out
export FASTBEAT_PORT_FASTBEAT="${FASTBEAT_PORT_FASTBEAT:-$((_fb_d_port + 1))}"          # extension + plugin
export FASTBEAT_PORT_PLUGIN_ONLY="${FASTBEAT_PORT_PLUGIN_ONLY:-$((_fb_d_port + 2))}"    # plugin, no extension
export FASTBEAT_PORT_EXT_ONLY="${FASTBEAT_PORT_EXT_ONLY:-$((_fb_d_port + 3))}"          # extension, plugin filtered out
export FASTBEAT_VARIANTS="core fastbeat plugin-only ext-only"

# The site: siteurl/home. Every client sends this Host header to every port, and
# every port passes SERVER_PORT=$FASTBEAT_PORT_CORE, so WordPress sees the same $_SERVER.
# (FASTBEAT_VARIANT=proxy: the https URL of the core front, below.)
export FASTBEAT_SITE_PORT="$FASTBEAT_PORT_CORE"
export FASTBEAT_SITE_SCHEME="http"

# Test bed variants (FASTBEAT_VARIANT, above); clients (tests/parity/fbclient.py) read these.
unset FASTBEAT_TLS_PORTS FASTBEAT_PROXY_ADDR FASTBEAT_REDIS_SOCKET FASTBEAT_CACHE_KEY_SALT FASTBEAT_MS_SITES
case "$FASTBEAT_VARIANT" in
  proxy)
    # TLS fronts on the next four ports, nginx proxying to the core and fastbeat ports
    # (the origin) from FASTBEAT_PROXY_ADDR, the one address wp-config.php trusts:
    #   *_TLS  X-Forwarded-For and X-Forwarded-Proto: https (a load balancer)
    #   *_CF   X-Forwarded-For, CF-Connecting-IP and CF-Visitor: {"scheme":"https"}
    #          (Cloudflare's shape; no X-Forwarded-Proto)
    # Clients pick the front with FASTBEAT_PROXY_FRONT=tls (default) | cf | origin.
    export FASTBEAT_PORT_CORE_TLS="$((FASTBEAT_PORT_CORE + 4))"
    export FASTBEAT_PORT_FASTBEAT_TLS="$((FASTBEAT_PORT_CORE + 5))"
    export FASTBEAT_PORT_CORE_CF="$((FASTBEAT_PORT_CORE + 6))"
    export FASTBEAT_PORT_FASTBEAT_CF="$((FASTBEAT_PORT_CORE + 7))"
    export FASTBEAT_TLS_PORTS="$FASTBEAT_PORT_CORE_TLS $FASTBEAT_PORT_FASTBEAT_TLS $FASTBEAT_PORT_CORE_CF $FASTBEAT_PORT_FASTBEAT_CF"
    export FASTBEAT_PROXY_ADDR="127.0.0.3"
    export FASTBEAT_PROXY_FRONT="${FASTBEAT_PROXY_FRONT:-tls}"
    FASTBEAT_SITE_PORT="$FASTBEAT_PORT_CORE_TLS"
    FASTBEAT_SITE_SCHEME="https"
    ;;
  redis)
    # redis-server of its own: no TCP, this socket, data in $FASTBEAT_TESTBED_DIR/redis.
    export FASTBEAT_REDIS_SOCKET="$FASTBEAT_TESTBED_DIR/redis/redis.sock"
    export FASTBEAT_CACHE_KEY_SALT="fastbeat-testbed:"
    ;;
  multisite)
    # A subdirectory network: the main site and these (clients pick one with
    # FASTBEAT_SITE_PATH=/site2/; default /).
    export FASTBEAT_MS_SITES="/site2/"
    ;;
esac
export FASTBEAT_SITE_HOST="127.0.0.1:${FASTBEAT_SITE_PORT}"
export FASTBEAT_SITE_URL="${FASTBEAT_SITE_SCHEME}://${FASTBEAT_SITE_HOST}"

# Extension under test (may not exist yet: then every variant runs core code).
export FASTBEAT_CARGO_TARGET_DIR="${FASTBEAT_CARGO_TARGET_DIR:-$_fb_d_target}"
export FASTBEAT_EXT_SO="${FASTBEAT_EXT_SO:-$FASTBEAT_CARGO_TARGET_DIR/release/libfastbeat.so}"

# php-fpm workers per variant (pm = static).
export FASTBEAT_FPM_WORKERS="${FASTBEAT_FPM_WORKERS:-2}"

# MariaDB: private datadir, unix socket only (skip-networking).
export FASTBEAT_DB_SOCKET="$FASTBEAT_TESTBED_DIR/mysql/mysqld.sock"
export FASTBEAT_DB_NAME="fastbeat_wp"
export FASTBEAT_DB_USER="fastbeat"
export FASTBEAT_DB_PASSWORD="fastbeat"

# Fixed test salts: each of AUTH_KEY, SECURE_AUTH_KEY, LOGGED_IN_KEY, NONCE_KEY,
# AUTH_SALT, SECURE_AUTH_SALT, LOGGED_IN_SALT, NONCE_SALT is defined as
# "$FASTBEAT_SALT_PREFIX" + the constant's name in lower case,
# e.g. NONCE_KEY = 'fastbeat-test-nonce_key'. Clients mint nonces/cookies with them.
export FASTBEAT_SALT_PREFIX="fastbeat-test-"

# Users (login / password / role).
export FASTBEAT_ADMIN_USER="admin"            FASTBEAT_ADMIN_PASSWORD="admin-pass-1"
export FASTBEAT_EDITOR_USER="editor"          FASTBEAT_EDITOR_PASSWORD="editor-pass-1"
export FASTBEAT_AUTHOR_USER="author"          FASTBEAT_AUTHOR_PASSWORD="author-pass-1"
export FASTBEAT_SUBSCRIBER_USER="subscriber"  FASTBEAT_SUBSCRIBER_PASSWORD="subscriber-pass-1"

# Fixture plugins loaded per request by the test bed mu-plugin (X-Fastbeat-Fixture: a,b).
export FASTBEAT_FIXTURE_DIR="$FASTBEAT_REPO/tests/fixtures/plugins"

# WordPress from Debian's package; its wp-config.php loads /etc/wordpress/config-<host>.php,
# which up.sh makes a dispatcher on the Host port to this test bed's own config file.
export FASTBEAT_WP_SUITE="$_fb_d_suite"
export FASTBEAT_WP_DIR="${FASTBEAT_WP_DIR:-$_fb_d_wp}"
unset _fb_d_suite _fb_d_port _fb_d_dir _fb_d_wp _fb_d_target
unset -f _fb_defaults
export FASTBEAT_WP_DISPATCH="/etc/wordpress/config-127.0.0.1.php"
export FASTBEAT_WP_CONFIG="/etc/wordpress/fastbeat-testbed-${FASTBEAT_SITE_PORT}.php"

fastbeat_port() { # fastbeat_port <variant>
  case "$1" in
    core) echo "$FASTBEAT_PORT_CORE" ;;
    fastbeat) echo "$FASTBEAT_PORT_FASTBEAT" ;;
    plugin-only) echo "$FASTBEAT_PORT_PLUGIN_ONLY" ;;
    ext-only) echo "$FASTBEAT_PORT_EXT_ONLY" ;;
    *) echo "unknown variant: $1" >&2; return 1 ;;
  esac
}
