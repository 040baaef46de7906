# Fastbeat test bed settings. Source this file: `. testbed/env.sh`.
# Every value can be overridden from the environment before sourcing.
# shellcheck shell=bash

_fb_env_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FASTBEAT_REPO="${FASTBEAT_REPO:-$(cd "$_fb_env_dir/.." && pwd)}"
unset _fb_env_dir

# All state (database, configs, logs, pid files, sockets, wp-content) lives here.
export FASTBEAT_TESTBED_DIR="${FASTBEAT_TESTBED_DIR:-/tmp/fastbeat-testbed}"

# One nginx port per php-fpm variant, all on loopback.
export FASTBEAT_BIND="127.0.0.1"
export FASTBEAT_PORT_CORE="${FASTBEAT_PORT_CORE:-18081}"                # no extension, plugin filtered out
export FASTBEAT_PORT_FASTBEAT="${FASTBEAT_PORT_FASTBEAT:-18082}"        # extension + plugin
export FASTBEAT_PORT_PLUGIN_ONLY="${FASTBEAT_PORT_PLUGIN_ONLY:-18083}"  # plugin, no extension
export FASTBEAT_PORT_EXT_ONLY="${FASTBEAT_PORT_EXT_ONLY:-18084}"        # extension, plugin filtered out
export FASTBEAT_VARIANTS="core fastbeat plugin-only ext-only"

# The site: siteurl/home. Every client sends this Host header to every port, and
# every port passes SERVER_PORT=$FASTBEAT_PORT_CORE, so WordPress sees the same $_SERVER.
export FASTBEAT_SITE_HOST="127.0.0.1:${FASTBEAT_PORT_CORE}"
export FASTBEAT_SITE_URL="http://${FASTBEAT_SITE_HOST}"

# Extension under test (may not exist yet: then every variant runs core code).
export FASTBEAT_EXT_SO="${FASTBEAT_EXT_SO:-$FASTBEAT_REPO/target/release/libfastbeat.so}"

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
export FASTBEAT_WP_DIR="/usr/share/wordpress"
export FASTBEAT_WP_DISPATCH="/etc/wordpress/config-127.0.0.1.php"
export FASTBEAT_WP_CONFIG="/etc/wordpress/fastbeat-testbed-${FASTBEAT_PORT_CORE}.php"

fastbeat_port() { # fastbeat_port <variant>
  case "$1" in
    core) echo "$FASTBEAT_PORT_CORE" ;;
    fastbeat) echo "$FASTBEAT_PORT_FASTBEAT" ;;
    plugin-only) echo "$FASTBEAT_PORT_PLUGIN_ONLY" ;;
    ext-only) echo "$FASTBEAT_PORT_EXT_ONLY" ;;
    *) echo "unknown variant: $1" >&2; return 1 ;;
  esac
}
