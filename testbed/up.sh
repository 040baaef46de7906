#!/usr/bin/env bash
# Stand up (or refresh) the Fastbeat test bed: one real WordPress site from Debian's
# `wordpress` package, one MariaDB, four php-fpm variants behind nginx on 127.0.0.1.
# FASTBEAT_WP=6.1|6.8|7.1 and FASTBEAT_PHP=8.2|8.4 choose the WordPress and the PHP
# (testbed/env.sh): each combination is a test bed of its own (state directory, ports).
# With PHP 8.4, MariaDB, php-fpm8.4 and nginx run inside the Debian trixie root
# (tools/in-trixie.sh; they daemonize in its mount namespace and are stopped by pid).
# Idempotent: running it again only restarts what changed (php-fpm masters restart when
# their config or the extension .so changed).
# Run as root. Stop everything with testbed/down.sh.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=testbed/env.sh
. "$HERE/env.sh"

D="$FASTBEAT_TESTBED_DIR"
# The site a client picked (FASTBEAT_SITE_PATH, a network's site) is not what the test bed
# provisions: the main site, then each of FASTBEAT_MS_SITES by name.
unset FASTBEAT_SITE_PATH
log() { printf 'testbed: %s\n' "$*"; }
die() { printf 'testbed: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages and starts services)"

# --- 0. packages, WordPress tree, PHP ------------------------------------------
# The host always needs its own PHP (the CLI tasks: install.php and the tests' site
# tasks run with the host's php against the tree under test), curl and, for PHP 8.2,
# MariaDB, nginx and php-fpm8.2.
if [ "${FASTBEAT_TESTBED_SKIP_SETUP:-0}" != 1 ]; then
  if ! "$FASTBEAT_REPO/tools/setup.sh" >"/tmp/fastbeat-setup.$$.log" 2>&1; then
    # tools/setup.sh also insists on cargo; the test bed itself does not need it.
    for bin in php php-fpm8.2 mariadbd mariadb-install-db mariadb nginx; do
      command -v "$bin" >/dev/null 2>&1 || { cat "/tmp/fastbeat-setup.$$.log" >&2; rm -f "/tmp/fastbeat-setup.$$.log"; die "tools/setup.sh failed and $bin is missing"; }
    done
    log "note: tools/setup.sh reported: $(tail -1 "/tmp/fastbeat-setup.$$.log") (continuing: test bed packages are present)"
  fi
  rm -f "/tmp/fastbeat-setup.$$.log"
fi
# Another release line: Debian's package of that suite, unpacked by tools/wp-fetch.sh
# (once; FASTBEAT_WP_REFRESH=1 fetches the suite's current package again).
fetched_dir="${FASTBEAT_WP_ROOT:-/var/cache/fastbeat/wp}/$FASTBEAT_WP_SUITE/root/usr/share/wordpress"
if [ "$FASTBEAT_WP_DIR" = "$fetched_dir" ] && { [ ! -f "$FASTBEAT_WP_DIR/wp-settings.php" ] || [ "${FASTBEAT_WP_REFRESH:-0}" = 1 ]; }; then
  log "fetching WordPress from Debian $FASTBEAT_WP_SUITE (tools/wp-fetch.sh)"
  "$FASTBEAT_REPO/tools/wp-fetch.sh" "$FASTBEAT_WP_SUITE" >/dev/null || die "tools/wp-fetch.sh $FASTBEAT_WP_SUITE failed"
fi
[ -f "$FASTBEAT_WP_DIR/wp-settings.php" ] || die "no WordPress at $FASTBEAT_WP_DIR"
WP_VERSION="$(sed -nE "s/^\\\$wp_version = '([^']+)';.*/\\1/p" "$FASTBEAT_WP_DIR/wp-includes/version.php")"
case "$WP_VERSION" in
  "$FASTBEAT_WP".*) ;;
  *) die "FASTBEAT_WP=$FASTBEAT_WP, but $FASTBEAT_WP_DIR is WordPress ${WP_VERSION:-?} (Debian $FASTBEAT_WP_SUITE moved on?)" ;;
esac

# Where the servers run: on the host (PHP 8.2) or inside the trixie root (PHP 8.4), which
# sees the test bed (under /tmp), the repository, /etc/wordpress and the WordPress tree.
IN=()
if [ "$FASTBEAT_PHP" = 8.4 ]; then
  case "$D/" in /tmp/?*) ;; *) die "with FASTBEAT_PHP=8.4, FASTBEAT_TESTBED_DIR must be under /tmp (the trixie root binds it)" ;; esac
  "$FASTBEAT_REPO/tools/trixie-root.sh" >/dev/null || die "tools/trixie-root.sh failed"
  mkdir -p /etc/wordpress
  wp_root="$FASTBEAT_WP_DIR"
  case "$wp_root" in */usr/share/wordpress) wp_root="${wp_root%/usr/share/wordpress}" ;; esac
  # Daemons outlive the call: no PID namespace (it would kill them), read-only extras.
  export FASTBEAT_TRIXIE_PIDNS=0
  export FASTBEAT_TRIXIE_BIND="/etc/wordpress $wp_root $FASTBEAT_REPO"
  IN=("$FASTBEAT_REPO/tools/in-trixie.sh")
  PHP_FPM=php-fpm8.4 MARIADBD=mariadbd NGINX=nginx
else
  PHP_FPM="$(command -v php-fpm8.2)"
  MARIADBD="$(command -v mariadbd)"
  NGINX="$(command -v nginx)"
fi

mkdir -p "$D"
chmod 755 "$D"
exec 9>"$D/.up.lock"
flock -w 120 9 || die "another up.sh holds $D/.up.lock"

mkdir -p "$D/etc" "$D/run" "$D/logs" "$D/nginx/tmp" \
         "$D/wp-content/plugins" "$D/wp-content/mu-plugins" "$D/wp-content/uploads"
chmod 755 "$D/etc" "$D/run" "$D/logs" "$D/nginx" "$D/wp-content"

# Process helpers: a pid file counts only if the process is alive and is the
# expected program (guards against stale pid files and recycled pids).
pid_alive() { # pid_alive <pidfile> <comm-substring>
  local f="$1" want="$2" pid
  [ -s "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  grep -q -- "$want" "/proc/$pid/comm" 2>/dev/null || return 1
}
wait_gone() { # wait_gone <pid> <seconds>
  local pid="$1" n=$(( $2 * 10 ))
  while [ -d "/proc/$pid" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
  [ ! -d "/proc/$pid" ]
}
stop_pidfile() { # stop_pidfile <pidfile> <comm> <signal>
  local f="$1" comm="$2" sig="$3" pid
  if pid_alive "$f" "$comm"; then
    pid="$(tr -dc '0-9' <"$f")"
    kill "-$sig" "$pid" 2>/dev/null || true
    wait_gone "$pid" 20 || { kill -KILL "$pid" 2>/dev/null || true; wait_gone "$pid" 5 || true; }
  fi
  rm -f "$f"
}
write_if_changed() { # write_if_changed <file>  (content on stdin); returns 0 if changed
  local f="$1" tmp
  tmp="$(mktemp "$f.XXXXXX")"
  cat >"$tmp"
  if [ -f "$f" ] && cmp -s "$tmp" "$f"; then rm -f "$tmp"; return 1; fi
  mv -f "$tmp" "$f"; chmod 644 "$f"; return 0
}

# --- 1. WordPress config ------------------------------------------------------
salt_defs=""
for c in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
  salt_defs+="define( '$c', '${FASTBEAT_SALT_PREFIX}$(echo "$c" | tr 'A-Z' 'a-z')' );"$'\n'
done
mkdir -p /etc/wordpress
MARK="Generated by fastbeat testbed/up.sh"
# Debian's wp-config.php loads /etc/wordpress/config-127.0.0.1.php for any Host 127.0.0.1[:port].
# That file only dispatches on the Host's port to one test bed's config, so several test beds
# (other FASTBEAT_TESTBED_DIR and ports) can coexist; a config that was there before is kept and
# still used for ports without a test bed.
if [ -f "$FASTBEAT_WP_DISPATCH" ] && ! grep -q "$MARK" "$FASTBEAT_WP_DISPATCH"; then
  cp -n "$FASTBEAT_WP_DISPATCH" "$FASTBEAT_WP_DISPATCH.before-fastbeat" || true
  log "kept the previous $FASTBEAT_WP_DISPATCH as $FASTBEAT_WP_DISPATCH.before-fastbeat"
fi
write_if_changed "$FASTBEAT_WP_DISPATCH" <<'EOF' || true
<?php
// Generated by fastbeat testbed/up.sh. Do not edit: it is rewritten on every run.
// Dispatches on the Host header's port to /etc/wordpress/fastbeat-testbed-<port>.php.
$fastbeat_testbed_port   = preg_match( '/:(\d+)$/', isset( $_SERVER['HTTP_HOST'] ) ? $_SERVER['HTTP_HOST'] : '', $fastbeat_testbed_m ) ? $fastbeat_testbed_m[1] : '80';
$fastbeat_testbed_config = '/etc/wordpress/fastbeat-testbed-' . $fastbeat_testbed_port . '.php';
unset( $fastbeat_testbed_m, $fastbeat_testbed_port );
if ( is_file( $fastbeat_testbed_config ) ) {
	require $fastbeat_testbed_config;
} elseif ( is_file( __FILE__ . '.before-fastbeat' ) ) {
	require __FILE__ . '.before-fastbeat';
}
unset( $fastbeat_testbed_config );
EOF
# What a test bed variant (FASTBEAT_VARIANT) adds to the config, as such sites write it.
home_defs="define( 'WP_HOME', '$FASTBEAT_SITE_URL' );"$'\n'"define( 'WP_SITEURL', '$FASTBEAT_SITE_URL' );"$'\n'
variant_defs=""
case "$FASTBEAT_VARIANT" in
  proxy)
    # Behind a TLS-terminating proxy, the careful way: the scheme headers are believed only
    # from the proxy's own address (the fronts connect from FASTBEAT_PROXY_ADDR). Debian's
    # wp-config.php, which loads this file, then sets HTTPS=on for X-Forwarded-Proto: https
    # from anyone: a careful site on Debian drops the header from anyone else first.
    variant_defs="$(cat <<PHP
// Test bed variant proxy: TLS ends at the fronts; trust their scheme headers only from them.
if ( isset( \$_SERVER['REMOTE_ADDR'] ) && '$FASTBEAT_PROXY_ADDR' === \$_SERVER['REMOTE_ADDR'] ) {
	if ( isset( \$_SERVER['HTTP_X_FORWARDED_PROTO'] ) && 'https' === strtolower( \$_SERVER['HTTP_X_FORWARDED_PROTO'] ) ) {
		\$_SERVER['HTTPS'] = 'on';
	} elseif ( isset( \$_SERVER['HTTP_CF_VISITOR'] ) && false !== strpos( \$_SERVER['HTTP_CF_VISITOR'], '"scheme":"https"' ) ) {
		\$_SERVER['HTTPS'] = 'on';
	}
} elseif ( isset( \$_SERVER['HTTP_X_FORWARDED_PROTO'] ) ) {
	// Debian's wp-config.php believes X-Forwarded-Proto from any address.
	unset( \$_SERVER['HTTP_X_FORWARDED_PROTO'] );
}
PHP
)"$'\n'
    ;;
  redis)
    variant_defs="// Test bed variant redis: the object-cache drop-in's settings."$'\n'
    variant_defs+="define( 'WP_REDIS_SOCKET', '$FASTBEAT_REDIS_SOCKET' );"$'\n'
    variant_defs+="define( 'WP_CACHE_KEY_SALT', '$FASTBEAT_CACHE_KEY_SALT' );"$'\n'
    ;;
  multisite)
    # No WP_HOME/WP_SITEURL: every site has its own. FASTBEAT_TESTBED_MS_SETUP=1 (the CLI
    # while the network is made) loads the single site it starts from.
    home_defs=""
    variant_defs="$(cat <<PHP
// Test bed variant multisite: a subdirectory network.
define( 'WP_ALLOW_MULTISITE', true );
if ( ! getenv( 'FASTBEAT_TESTBED_MS_SETUP' ) ) {
	define( 'MULTISITE', true );
	define( 'SUBDOMAIN_INSTALL', false );
	define( 'DOMAIN_CURRENT_SITE', '$FASTBEAT_SITE_HOST' );
	define( 'PATH_CURRENT_SITE', '/' );
	define( 'SITE_ID_CURRENT_SITE', 1 );
	define( 'BLOG_ID_CURRENT_SITE', 1 );
}
PHP
)"$'\n'
    ;;
esac
write_if_changed "$FASTBEAT_WP_CONFIG" <<EOF || true
<?php
// $MARK ($FASTBEAT_REPO). Do not edit: it is rewritten on every run.
// Loaded through $FASTBEAT_WP_DISPATCH for Host 127.0.0.1:$FASTBEAT_SITE_PORT.
define( 'DB_NAME', '$FASTBEAT_DB_NAME' );
define( 'DB_USER', '$FASTBEAT_DB_USER' );
define( 'DB_PASSWORD', '$FASTBEAT_DB_PASSWORD' );
define( 'DB_HOST', 'localhost:$FASTBEAT_DB_SOCKET' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
${salt_defs}${home_defs}${variant_defs}define( 'WP_CONTENT_DIR', '$D/wp-content' );
define( 'WP_CONTENT_URL', '$FASTBEAT_SITE_URL/wp-content' );
define( 'DISABLE_WP_CRON', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_DEBUG', false );
define( 'FASTBEAT_TESTBED_DIR', '$D' );
define( 'FASTBEAT_TESTBED_REPO', '$FASTBEAT_REPO' );
\$table_prefix = 'wp_';
EOF

# --- 2. MariaDB (private datadir, socket only) --------------------------------
# (Inside the trixie root for PHP 8.4: its mysql user has another uid than the host's.)
mkdir -p "$D/mysql"
"${IN[@]}" chown mysql:mysql "$D/mysql"
chmod 755 "$D/mysql"
if [ ! -d "$D/mysql/data/mysql" ]; then
  log "initialising MariaDB datadir $D/mysql/data"
  rm -rf "$D/mysql/data"
  "${IN[@]}" mariadb-install-db --no-defaults --user=mysql --datadir="$D/mysql/data" \
    --auth-root-authentication-method=socket --skip-test-db \
    >"$D/logs/mariadb-install.log" 2>&1 9>&- || { tail -20 "$D/logs/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
fi
touch "$D/logs/mariadb.err"; "${IN[@]}" chown mysql:mysql "$D/logs/mariadb.err"
if ! pid_alive "$D/run/mariadb.pid" mariadbd; then
  rm -f "$D/run/mariadb.pid" "$FASTBEAT_DB_SOCKET"
  touch "$D/run/mariadb.pid"; "${IN[@]}" chown mysql:mysql "$D/run/mariadb.pid"
  log "starting MariaDB (socket $FASTBEAT_DB_SOCKET, no TCP)"
  setsid "${IN[@]}" "$MARIADBD" --no-defaults --user=mysql --datadir="$D/mysql/data" \
    --socket="$FASTBEAT_DB_SOCKET" --pid-file="$D/run/mariadb.pid" --skip-networking \
    --log-error="$D/logs/mariadb.err" --skip-log-bin --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_unicode_ci --innodb-buffer-pool-size=128M \
    --innodb-flush-log-at-trx-commit=2 --max-connections=200 \
    </dev/null >>"$D/logs/mariadb.out" 2>&1 9>&- &
  for _ in $(seq 1 150); do
    "${IN[@]}" mariadb-admin --no-defaults --socket="$FASTBEAT_DB_SOCKET" -uroot ping >/dev/null 2>&1 9>&- && break
    sleep 0.2
  done
  "${IN[@]}" mariadb-admin --no-defaults --socket="$FASTBEAT_DB_SOCKET" -uroot ping >/dev/null 2>&1 9>&- \
    || { tail -20 "$D/logs/mariadb.err" >&2; die "MariaDB did not come up"; }
fi
"${IN[@]}" mariadb --no-defaults --socket="$FASTBEAT_DB_SOCKET" -uroot 9>&- <<EOF
CREATE DATABASE IF NOT EXISTS \`$FASTBEAT_DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$FASTBEAT_DB_USER'@'localhost' IDENTIFIED BY '$FASTBEAT_DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`$FASTBEAT_DB_NAME\`.* TO '$FASTBEAT_DB_USER'@'localhost';
EOF

# --- 2b. Redis (variant redis): Debian's redis-server, own data dir and socket ---
# No TCP port; runs as the redis user; stopped by pid (down.sh).
if [ "$FASTBEAT_VARIANT" = redis ]; then
  command -v redis-server >/dev/null 2>&1 || die "redis-server is missing (tools/setup.sh installs it)"
  [ "$FASTBEAT_PHP" = 8.2 ] || die "FASTBEAT_VARIANT=redis needs PHP 8.2 (the trixie root has no php8.4-redis)"
  mkdir -p "$D/redis"
  chown redis:redis "$D/redis"
  chmod 755 "$D/redis"
  touch "$D/logs/redis.log"; chown redis:redis "$D/logs/redis.log"
  write_if_changed "$D/etc/redis.conf" <<EOF || true
# $MARK
port 0
unixsocket $FASTBEAT_REDIS_SOCKET
unixsocketperm 777
daemonize yes
pidfile $D/run/redis.pid
logfile $D/logs/redis.log
dir $D/redis
save ""
appendonly no
maxmemory 256mb
maxmemory-policy allkeys-lru
EOF
  if ! pid_alive "$D/run/redis.pid" redis-server; then
    rm -f "$D/run/redis.pid" "$FASTBEAT_REDIS_SOCKET"
    touch "$D/run/redis.pid"; chown redis:redis "$D/run/redis.pid"
    log "starting redis-server (socket $FASTBEAT_REDIS_SOCKET, no TCP)"
    setsid runuser -u redis -- redis-server "$D/etc/redis.conf" </dev/null 9>&- || die "redis-server failed to start (see $D/logs/redis.log)"
    for _ in $(seq 1 50); do
      [ "$(redis-cli -s "$FASTBEAT_REDIS_SOCKET" ping 2>/dev/null)" = PONG ] && break
      sleep 0.1
    done
    [ "$(redis-cli -s "$FASTBEAT_REDIS_SOCKET" ping 2>/dev/null)" = PONG ] || { tail -20 "$D/logs/redis.log" >&2; die "redis-server did not come up"; }
  fi
fi

# --- 3. wp-content: themes, mu-plugin, the Fastbeat plugin --------------------
# A directory of its own (tests add a child theme), each packaged theme linked into it.
[ -L "$D/wp-content/themes" ] && rm -f "$D/wp-content/themes"
mkdir -p "$D/wp-content/themes"
for t in "$FASTBEAT_WP_DIR"/wp-content/themes/*/; do
  [ -d "$t" ] && ln -sfn "${t%/}" "$D/wp-content/themes/$(basename "$t")"
done
# Translations (Debian's wordpress-l10n), for tests that switch the locale.
if [ -d "$FASTBEAT_WP_DIR/wp-content/languages" ]; then
  ln -sfn "$FASTBEAT_WP_DIR/wp-content/languages" "$D/wp-content/languages"
fi
ln -sfn "$FASTBEAT_REPO/wp-plugin" "$D/wp-content/plugins/fastbeat"
write_if_changed "$D/wp-content/mu-plugins/fastbeat-testbed.php" <<EOF || true
<?php
/*
 * Plugin Name: Fastbeat test bed loader
 * Description: $MARK. Loads $FASTBEAT_REPO/testbed/mu-plugin/fastbeat-testbed.php.
 */
require '$FASTBEAT_REPO/testbed/mu-plugin/fastbeat-testbed.php';
EOF
# The object-cache drop-in (variant redis) is copied, as a site owner installs it; the
# other variants have none.
if [ "$FASTBEAT_VARIANT" = redis ]; then
  install -m 0644 "$FASTBEAT_REPO/testbed/dropins/object-cache.php" "$D/wp-content/object-cache.php.new"
  if cmp -s "$D/wp-content/object-cache.php.new" "$D/wp-content/object-cache.php"; then
    rm -f "$D/wp-content/object-cache.php.new"
  else
    mv -f "$D/wp-content/object-cache.php.new" "$D/wp-content/object-cache.php"
  fi
else
  rm -f "$D/wp-content/object-cache.php"
fi
chown -R www-data:www-data "$D/wp-content/uploads"

# --- 4. install WordPress (only if not installed) and provision ---------------
wp_cli() { php -d display_errors=stderr -d error_reporting=E_ALL\&~E_DEPRECATED "$HERE/install.php" "$@"; }
if [ "$FASTBEAT_VARIANT" = multisite ]; then
  # The single site first, then the network over it (populate_network(), as wp-admin's
  # Network Setup does; that screen refuses a port in the address), then its sites.
  FASTBEAT_TESTBED_MS_SETUP=1 wp_cli install
  FASTBEAT_TESTBED_MS_SETUP=1 wp_cli network
  wp_cli sites
else
  wp_cli install
fi
wp_cli provision >"$D/testbed.json.tmp"
mv -f "$D/testbed.json.tmp" "$D/testbed.json"
# Every other site of a network: its options, posts and users' roles, testbed-<slug>.json.
for site in ${FASTBEAT_MS_SITES:-}; do
  slug="${site//\//}"
  FASTBEAT_SITE_PATH="$site" wp_cli provision >"$D/testbed-$slug.json.tmp"
  # (A path no site has is served as the main site.)
  # shellcheck disable=SC2016  # PHP code
  php -r '$t = json_decode(file_get_contents($argv[1]), true); exit(is_array($t) && $t["blog_id"] > 1 && $t["path"] === $argv[2] ? 0 : 1);' \
    "$D/testbed-$slug.json.tmp" "$site" || die "$site is not a site of the network (see $D/testbed-$slug.json.tmp)"
  mv -f "$D/testbed-$slug.json.tmp" "$D/testbed-$slug.json"
done
# What the CLI (root) made there, e.g. the network stamp a network activation touches,
# belongs to the web server, as it would after WP-CLI run as the site's user.
chown -R www-data:www-data "$D/wp-content/uploads"

# --- 5. php-fpm: one master per variant ---------------------------------------
if [ -f "$FASTBEAT_EXT_SO" ]; then
  EXT_OK=1
  ext_stamp="$(stat -c '%i:%s:%Y' "$FASTBEAT_EXT_SO")"
else
  EXT_OK=0
  ext_stamp="missing"
  log "NOTE: $FASTBEAT_EXT_SO does not exist yet: the fastbeat and ext-only variants run without the extension (core behaviour)"
fi
touch "$D/logs/php-errors.log"; chown www-data:www-data "$D/logs/php-errors.log"
for v in $FASTBEAT_VARIANTS; do
  conf="$D/etc/php-fpm-$v.conf"
  {
    cat <<EOF
; $MARK
[global]
pid = $D/run/php-fpm-$v.pid
error_log = $D/logs/php-fpm-$v.log
daemonize = yes

[$v]
user = www-data
group = www-data
listen = $D/run/php-fpm-$v.sock
listen.owner = www-data
listen.group = www-data
listen.mode = 0660
pm = static
pm.max_children = $FASTBEAT_FPM_WORKERS
clear_env = yes
env[FASTBEAT_TESTBED_VARIANT] = $v
catch_workers_output = yes
decorate_workers_output = no
request_terminate_timeout = 120
php_admin_flag[log_errors] = on
php_admin_value[error_log] = $D/logs/php-errors.log
EOF
  } >"$conf.new"
  args=(--fpm-config "$conf")
  case "$v" in fastbeat|ext-only) [ "$EXT_OK" = 1 ] && args+=(-d "extension=$FASTBEAT_EXT_SO") ;; esac
  # The repository (the plugin symlink's target) is part of it: workers that resolved the
  # plugin through another checkout keep stale path caches, so a new checkout restarts them.
  fp="$(cat "$conf.new"; echo "$PHP_FPM ${args[*]}"; echo "$FASTBEAT_REPO"; if [ "${#args[@]}" -gt 2 ]; then echo "$ext_stamp"; fi)"
  fp="$(printf '%s' "$fp" | md5sum | cut -c1-32)"
  mv -f "$conf.new" "$conf"
  if pid_alive "$D/run/php-fpm-$v.pid" php-fpm && [ "$(cat "$D/run/php-fpm-$v.fingerprint" 2>/dev/null)" = "$fp" ]; then
    continue
  fi
  stop_pidfile "$D/run/php-fpm-$v.pid" php-fpm QUIT
  rm -f "$D/run/php-fpm-$v.sock"
  log "starting $(basename "$PHP_FPM") [$v]${args[2]:+ with ${args[3]}}"
  "${IN[@]}" "$PHP_FPM" "${args[@]}" 9>&- || die "php-fpm [$v] failed to start (see $D/logs/php-fpm-$v.log)"
  echo "$fp" >"$D/run/php-fpm-$v.fingerprint"
done

# --- 6. nginx -----------------------------------------------------------------
write_if_changed "$D/etc/fastcgi.conf" <<EOF || true
# $MARK. Every variant passes identical server variables: the client's Host
# header as sent, and SERVER_NAME/SERVER_PORT of the canonical site URL.
fastcgi_param  SCRIPT_FILENAME    \$document_root\$fastcgi_script_name;
fastcgi_param  QUERY_STRING       \$query_string;
fastcgi_param  REQUEST_METHOD     \$request_method;
fastcgi_param  CONTENT_TYPE       \$content_type;
fastcgi_param  CONTENT_LENGTH     \$content_length;
fastcgi_param  SCRIPT_NAME        \$fastcgi_script_name;
fastcgi_param  REQUEST_URI        \$request_uri;
fastcgi_param  DOCUMENT_URI       \$document_uri;
fastcgi_param  DOCUMENT_ROOT      \$document_root;
fastcgi_param  SERVER_PROTOCOL    \$server_protocol;
fastcgi_param  REQUEST_SCHEME     \$scheme;
fastcgi_param  HTTPS              \$https if_not_empty;
fastcgi_param  GATEWAY_INTERFACE  CGI/1.1;
fastcgi_param  SERVER_SOFTWARE    nginx/\$nginx_version;
fastcgi_param  REMOTE_ADDR        \$remote_addr;
fastcgi_param  REMOTE_PORT        \$remote_port;
fastcgi_param  SERVER_ADDR        \$server_addr;
fastcgi_param  SERVER_PORT        $FASTBEAT_PORT_CORE;
fastcgi_param  SERVER_NAME        127.0.0.1;
fastcgi_param  REDIRECT_STATUS    200;
fastcgi_param  HTTP_HOST          \$http_host;
fastcgi_param  HTTP_PROXY         "";
EOF
if [ "${FASTBEAT_TESTBED_ACCESS_LOG:-1}" = 1 ]; then
  access_log="access_log $D/logs/nginx-access.log combined buffer=32k flush=1s;"
else
  access_log="access_log off;"
fi
gen_nginx_conf() {
  cat <<EOF
# $MARK
user www-data;
worker_processes 2;
pid $D/run/nginx.pid;
error_log $D/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  $access_log
  client_body_temp_path $D/nginx/tmp/body;
  fastcgi_temp_path $D/nginx/tmp/fastcgi;
  proxy_temp_path $D/nginx/tmp/proxy;
  uwsgi_temp_path $D/nginx/tmp/uwsgi;
  scgi_temp_path $D/nginx/tmp/scgi;
  client_max_body_size 32m;
  # Fixtures report through response headers (hook lists can be several KiB).
  fastcgi_buffer_size 64k;
  fastcgi_buffers 16 64k;
  keepalive_timeout 65;
  keepalive_requests 100000;
  sendfile on;
EOF
  for v in $FASTBEAT_VARIANTS; do
    port="$(fastbeat_port "$v")"
    cat <<EOF
  server { # variant $v
    listen $FASTBEAT_BIND:$port;
    server_name 127.0.0.1;
    root $FASTBEAT_WP_DIR;
    index index.php;
    location = /__fastbeat-testbed/probe.php {
      include $D/etc/fastcgi.conf;
      fastcgi_param SCRIPT_FILENAME $HERE/probe.php;
      fastcgi_pass unix:$D/run/php-fpm-$v.sock;
    }
    # The benchmark's floor: the cheapest PHP answer (a JSON literal), no WordPress.
    location = /__fastbeat-testbed/floor.php {
      include $D/etc/fastcgi.conf;
      fastcgi_param SCRIPT_FILENAME $FASTBEAT_REPO/bench/floor.php;
      fastcgi_pass unix:$D/run/php-fpm-$v.sock;
    }
    location ^~ /wp-content/ {
      alias $D/wp-content/;
      location ~ \.php\$ { return 403; }
    }
${ms_rewrites}    location / { try_files \$uri \$uri/ /index.php?\$args; }
    location ~ \.php\$ {
      try_files \$fastcgi_script_name =404;
      include $D/etc/fastcgi.conf;
      fastcgi_pass unix:$D/run/php-fpm-$v.sock;
    }
  }
EOF
  done
  # Variant proxy: TLS fronts, proxying to the core and fastbeat ports from
  # FASTBEAT_PROXY_ADDR as load balancers do (the client's Host kept, X-Forwarded-For
  # appended); *_TLS say the scheme with X-Forwarded-Proto, *_CF with Cloudflare's CF-Visitor.
  if [ "$FASTBEAT_VARIANT" = proxy ]; then
    local front origin port scheme_headers
    for front in core:tls fastbeat:tls core:cf fastbeat:cf; do
      origin="$(fastbeat_port "${front%:*}")"
      case "$front" in
        core:tls) port="$FASTBEAT_PORT_CORE_TLS" ;;
        fastbeat:tls) port="$FASTBEAT_PORT_FASTBEAT_TLS" ;;
        core:cf) port="$FASTBEAT_PORT_CORE_CF" ;;
        fastbeat:cf) port="$FASTBEAT_PORT_FASTBEAT_CF" ;;
      esac
      if [ "${front#*:}" = tls ]; then
        scheme_headers="proxy_set_header X-Forwarded-Proto https;"
      else
        scheme_headers="proxy_set_header X-Forwarded-Proto \"\"; proxy_set_header CF-Visitor '{\"scheme\":\"https\"}'; proxy_set_header CF-Connecting-IP \$remote_addr;"
      fi
      cat <<EOF
  upstream origin_${front%:*}_${front#*:} { server $FASTBEAT_BIND:$origin; keepalive 16; }
  server { # proxy front ${front#*:} for ${front%:*}
    listen $FASTBEAT_BIND:$port ssl;
    server_name 127.0.0.1;
    ssl_certificate $D/etc/tls/cert.pem;
    ssl_certificate_key $D/etc/tls/key.pem;
    location / {
      proxy_pass http://origin_${front%:*}_${front#*:};
      proxy_bind $FASTBEAT_PROXY_ADDR;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      $scheme_headers
    }
  }
EOF
    done
  fi
  echo "}"
}
# Variant multisite: a subdirectory site's URLs are served by the same files (its path
# stays in REQUEST_URI, which is how WordPress picks the site).
ms_rewrites=""
for site in ${FASTBEAT_MS_SITES:-}; do
  ms_rewrites+="    location ^~ ${site%/}/ { rewrite ^${site%/}(/.*)\$ \$1 last; }"$'\n'
done
# Variant proxy: the fronts' self-signed certificate, made once.
if [ "$FASTBEAT_VARIANT" = proxy ] && [ ! -s "$D/etc/tls/cert.pem" ]; then
  command -v openssl >/dev/null 2>&1 || die "openssl is missing (tools/setup.sh installs it)"
  mkdir -p "$D/etc/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$D/etc/tls/key.pem" -out "$D/etc/tls/cert.pem" \
    >"$D/logs/openssl.log" 2>&1 || { cat "$D/logs/openssl.log" >&2; die "openssl could not make the fronts' certificate"; }
  chmod 600 "$D/etc/tls/key.pem"
fi
if gen_nginx_conf | write_if_changed "$D/etc/nginx.conf"; then nginx_changed=1; else nginx_changed=0; fi
"${IN[@]}" "$NGINX" -t -q -p "$D/nginx/" -c "$D/etc/nginx.conf" -e "$D/logs/nginx-error.log" 9>&- || die "nginx config test failed"
if pid_alive "$D/run/nginx.pid" nginx; then
  if [ "$nginx_changed" = 1 ]; then
    log "reloading nginx"
    kill -HUP "$(tr -dc '0-9' <"$D/run/nginx.pid")"
    sleep 0.5
  fi
else
  rm -f "$D/run/nginx.pid"
  log "starting nginx on $FASTBEAT_BIND ports $FASTBEAT_PORT_CORE-$FASTBEAT_PORT_EXT_ONLY"
  "${IN[@]}" "$NGINX" -p "$D/nginx/" -c "$D/etc/nginx.conf" -e "$D/logs/nginx-error.log" 9>&- || die "nginx failed to start"
fi

# --- 7. probe every variant ---------------------------------------------------
ok=1
printf 'testbed: %-12s %-6s %-10s %-10s %s\n' variant port extension plugin php
for v in $FASTBEAT_VARIANTS; do
  port="$(fastbeat_port "$v")"
  out=""
  for _ in $(seq 1 50); do
    out="$(curl -s -m 10 -H "Host: $FASTBEAT_SITE_HOST" "http://$FASTBEAT_BIND:$port/__fastbeat-testbed/probe.php?wp=1" || true)"
    case "$out" in '{'*) break ;; esac
    sleep 0.2
  done
  line="$(printf '%s' "$out" | php -r '
    $p = json_decode(stream_get_contents(STDIN), true);
    if (!is_array($p)) { echo "BAD"; exit; }
    $ext = $p["extension_loaded"] ? ("yes " . ($p["fastbeat_version"] ?? "?")) : "no";
    $plug = $p["plugin_loaded"] ? "loaded" : ($p["plugin_active"] ? "active" : "off");
    echo $p["variant"], "\t", $ext, "\t", $plug, "\t", $p["php"];')"
  if [ "$line" = BAD ] || [ -z "$line" ]; then
    log "probe of $v on :$port failed: ${out:0:300}"; ok=0; continue
  fi
  IFS=$'\t' read -r pv pext pplug pphp <<<"$line"
  printf 'testbed: %-12s %-6s %-10s %-10s %s\n' "$v" "$port" "$pext" "$pplug" "$pphp"
  [ "$pv" = "$v" ] || { log "port $port answered as variant '$pv', expected '$v'"; ok=0; }
  case "$v" in
    fastbeat|ext-only)
      if [ "$EXT_OK" = 1 ] && [ "${pext%% *}" != yes ]; then log "the extension did not load in [$v] (see $D/logs/php-fpm-$v.log)"; ok=0; fi ;;
    *) [ "${pext%% *}" = no ] || { log "[$v] must not have the extension"; ok=0; } ;;
  esac
  case "$v" in
    core|ext-only) [ "$pplug" = off ] || { log "[$v] must not load the plugin"; ok=0; } ;;
  esac
done
# A variant shows in what WordPress sees: https through the fronts only (and not from
# anywhere else), the object cache, the network.
# shellcheck disable=SC2016  # the PHP code's variables
variant_probe() { # variant_probe <url> <curl args...>: "is_ssl multisite object_cache variant"
  local url="$1"; shift
  curl -s -m 20 "$@" -H "Host: $FASTBEAT_SITE_HOST" "$url" | php -r '
    $p = json_decode(stream_get_contents(STDIN), true);
    if (!is_array($p)) { echo "BAD"; exit; }
    echo json_encode($p["is_ssl"]), " ", json_encode($p["multisite"]), " ", json_encode($p["object_cache"]), " ", $p["variant"];'
}
case "$FASTBEAT_VARIANT" in
  proxy)
    for front in core:"$FASTBEAT_PORT_CORE_TLS" fastbeat:"$FASTBEAT_PORT_FASTBEAT_TLS" core:"$FASTBEAT_PORT_CORE_CF" fastbeat:"$FASTBEAT_PORT_FASTBEAT_CF"; do
      got="$(variant_probe "https://$FASTBEAT_BIND:${front#*:}/__fastbeat-testbed/probe.php?wp=1" -k)"
      printf 'testbed: front %-8s %-6s is_ssl, multisite, object cache, pool: %s\n' "${front%%:*}" "${front#*:}" "$got"
      [ "$got" = "true false false ${front%%:*}" ] || { log "front :${front#*:} should reach [${front%%:*}] with is_ssl() true, got: $got"; ok=0; }
    done
    got="$(variant_probe "http://$FASTBEAT_BIND:$FASTBEAT_PORT_FASTBEAT/__fastbeat-testbed/probe.php?wp=1" -H 'X-Forwarded-Proto: https' --interface 127.0.0.2)"
    [ "$got" = "false false false fastbeat" ] || { log "X-Forwarded-Proto from 127.0.0.2 straight to the origin must not make is_ssl() true, got: $got"; ok=0; }
    ;;
  redis|multisite)
    want="false false true"; [ "$FASTBEAT_VARIANT" = redis ] || want="false true false"
    for v in $FASTBEAT_VARIANTS; do
      got="$(variant_probe "http://$FASTBEAT_BIND:$(fastbeat_port "$v")/__fastbeat-testbed/probe.php?wp=1")"
      [ "$got" = "$want $v" ] || { log "[$v]: is_ssl, multisite, object cache: expected $want, got: $got"; ok=0; }
    done
    printf 'testbed: %s: every pool sees is_ssl, multisite, object cache = %s\n' "$FASTBEAT_VARIANT" "$want"
    ;;
esac
[ "$ok" = 1 ] || die "test bed is up but not as expected"
log "up: WordPress $WP_VERSION ($FASTBEAT_WP_DIR), PHP $FASTBEAT_PHP${IN[0]:+ (trixie root)}${FASTBEAT_VARIANT:+, variant $FASTBEAT_VARIANT}: $FASTBEAT_SITE_URL (core :$FASTBEAT_PORT_CORE, fastbeat :$FASTBEAT_PORT_FASTBEAT, plugin-only :$FASTBEAT_PORT_PLUGIN_ONLY, ext-only :$FASTBEAT_PORT_EXT_ONLY); state in $D"
