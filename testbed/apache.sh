#!/usr/bin/env bash
# Apache 2.4 (prefork) with mod_php 8.2 serving a test bed's WordPress site: two instances,
# `core` (no extension; the test bed mu-plugin filters the plugin out) and `fastbeat`
# (fastbeat.so loaded through the instance's own PHP ini scan directory, plugin active).
# mod_php loads extensions server-wide, so each variant is an Apache of its own: own
# ServerRoot-style directory, config, loopback port, pid file, logs, php.ini and conf.d.
#
#   testbed/apache.sh up      start (or refresh) the site's test bed and both instances
#   testbed/apache.sh down    stop both instances by pid (the test bed is left running;
#                             FASTBEAT_APACHE_BED=own: --bed stops it too)
#   testbed/apache.sh status  what runs where
#   testbed/apache.sh env     shell lines that point the clients at the Apache pair:
#                             eval "$(testbed/apache.sh env)"
#
# Which site (FASTBEAT_WP=6.1|6.8|7.1, default 7.1; PHP is Debian 12's 8.2, mod_php's):
#   FASTBEAT_APACHE_BED=own (default): a test bed of its own, stood up with testbed/up.sh
#     (state /tmp/fastbeat-testbed-apache-wp<x.y>), so tests that install fixtures into
#     wp-content never touch anyone else's site;
#   FASTBEAT_APACHE_BED=shared: the combination's own test bed (testbed/env.sh: 7.1 is
#     /tmp/fastbeat-testbed-wp7.1-php8.2 on 18281-18284), brought up if it is down.
# Ports (loopback only; a block of 40 per WordPress line, clear of the test beds' 18x81-18x84,
# the benchmark's +10 and the 18xxx/19xxx/20xxx ports hand-made beds tend to take):
#   | FASTBEAT_WP | own test bed (nginx) | Apache core, fastbeat (own bed) | Apache core, fastbeat (shared bed) |
#   | 6.1         | 21601-21604          | 21605, 21606                    | 21607, 21608                       |
#   | 6.8         | 21641-21644          | 21645, 21646                    | 21647, 21648                       |
#   | 7.1         | 21681-21684          | 21685, 21686                    | 21687, 21688                       |
# Overrides: FASTBEAT_APACHE_PORT_CORE, FASTBEAT_APACHE_PORT_FASTBEAT, FASTBEAT_APACHE_BED_PORT
# (own bed's first port), FASTBEAT_APACHE_TESTBED_DIR (own bed's state), FASTBEAT_APACHE_DIR
# (the instances' state, default /tmp/fastbeat-apache-wp<x.y>-<own|shared>).
#
# Requests carry the site's Host, 127.0.0.1:<the bed's core port> (fbclient sends
# FASTBEAT_SITE_HOST): with UseCanonicalName Off Apache passes SERVER_NAME and SERVER_PORT
# from it, as the nginx test bed passes them, and /etc/wordpress's dispatcher picks the
# bed's config by that port. Layout as nginx's: DocumentRoot the WordPress tree with
# WordPress's own rewrite rules, /wp-content/ aliased to the bed's (no PHP there),
# /__fastbeat-testbed/probe.php and floor.php.
#
# Knobs: FASTBEAT_APACHE_WORKERS (prefork children per instance, a fixed pool: default 4),
# FASTBEAT_APACHE_POOL=debian (Debian's stock mpm_prefork.conf instead: StartServers 5,
# Min/MaxSpareServers 5/10, MaxRequestWorkers 150), FASTBEAT_APACHE_MAX_CONN_PER_CHILD
# (MaxConnectionsPerChild, default 0: children are never recycled, so their counts stay),
# FASTBEAT_TESTBED_ACCESS_LOG=0, FASTBEAT_EXT_SO (the extension, copied into the
# instance so a rebuild cannot change a running server; a changed .so or config restarts it).
# Run as root.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
log() { printf 'apache: %s\n' "$*"; }
die() { printf 'apache: error: %s\n' "$*" >&2; exit 1; }

cmd="${1:-}"
case "$cmd" in up|down|status|env) ;; *) sed -n '2,14p' "$0"; exit 2 ;; esac
down_bed=0; [ "${2:-}" = --bed ] && down_bed=1

export FASTBEAT_WP="${FASTBEAT_WP:-7.1}"
[ "${FASTBEAT_PHP:-8.2}" = 8.2 ] || die "FASTBEAT_PHP=${FASTBEAT_PHP}: mod_php here is Debian 12's PHP 8.2"
export FASTBEAT_PHP=8.2
case "$FASTBEAT_WP" in
  6.1) slot=0 ;; 6.8) slot=1 ;; 7.1) slot=2 ;;
  *) die "FASTBEAT_WP=$FASTBEAT_WP: expected 6.1, 6.8 or 7.1" ;;
esac
block=$((21601 + 40 * slot))
BED="${FASTBEAT_APACHE_BED:-own}"
# The bed's settings come from testbed/env.sh, never from values a shell inherited from
# an earlier `apache.sh env` (whose FASTBEAT_PORT_CORE is an Apache port).
unset FASTBEAT_ENV_FOR FASTBEAT_TESTBED_DIR FASTBEAT_PORT_CORE FASTBEAT_PORT_FASTBEAT \
      FASTBEAT_PORT_PLUGIN_ONLY FASTBEAT_PORT_EXT_ONLY FASTBEAT_SITE_HOST FASTBEAT_SITE_URL
case "$BED" in
  own)
    bed_port="${FASTBEAT_APACHE_BED_PORT:-$block}"
    export FASTBEAT_TESTBED_DIR="${FASTBEAT_APACHE_TESTBED_DIR:-/tmp/fastbeat-testbed-apache-wp$FASTBEAT_WP}"
    export FASTBEAT_PORT_CORE="$bed_port" FASTBEAT_PORT_FASTBEAT="$((bed_port + 1))" \
           FASTBEAT_PORT_PLUGIN_ONLY="$((bed_port + 2))" FASTBEAT_PORT_EXT_ONLY="$((bed_port + 3))"
    port_core="${FASTBEAT_APACHE_PORT_CORE:-$((block + 4))}"
    port_fast="${FASTBEAT_APACHE_PORT_FASTBEAT:-$((block + 5))}" ;;
  shared)
    port_core="${FASTBEAT_APACHE_PORT_CORE:-$((block + 6))}"
    port_fast="${FASTBEAT_APACHE_PORT_FASTBEAT:-$((block + 7))}" ;;
  *) die "FASTBEAT_APACHE_BED=$BED: expected own or shared" ;;
esac
# shellcheck source=testbed/env.sh
. "$HERE/env.sh"
D="$FASTBEAT_TESTBED_DIR"
# Its own copy of the WordPress tree too (own bed; FASTBEAT_APACHE_WP_COPY=0: the shared
# tree): every bed of a release line serves the same tree, and a test elsewhere that puts
# a .maintenance file into it (tests/lane/deployed.py's maintenance fixtures) would put
# this site into maintenance mode in the middle of a run.
if [ "$BED" = own ] && [ "${FASTBEAT_APACHE_WP_COPY:-1}" = 1 ]; then
  WP_SRC="$FASTBEAT_WP_DIR"
  export FASTBEAT_WP_DIR="$D-wordpress"
fi
A="${FASTBEAT_APACHE_DIR:-/tmp/fastbeat-apache-wp$FASTBEAT_WP-$BED}"
WORKERS="${FASTBEAT_APACHE_WORKERS:-4}"
POOL="${FASTBEAT_APACHE_POOL:-fixed}"
MAX_CONN="${FASTBEAT_APACHE_MAX_CONN_PER_CHILD:-0}"
VARIANTS=(core fastbeat)
port_of() { if [ "$1" = core ]; then echo "$port_core"; else echo "$port_fast"; fi; }
case "$WORKERS" in ''|*[!0-9]*) die "FASTBEAT_APACHE_WORKERS=$WORKERS: a number" ;; esac
for p in "$port_core" "$port_fast"; do
  case "$p" in "$FASTBEAT_PORT_CORE"|"$FASTBEAT_PORT_FASTBEAT"|"$FASTBEAT_PORT_PLUGIN_ONLY"|"$FASTBEAT_PORT_EXT_ONLY")
    die "Apache port $p is one of the test bed's nginx ports" ;; esac
done

if [ "$cmd" = env ]; then
  # For clients (parity.py, deployed.py, fallback.py, beat_cost.py): the bed's settings,
  # then the two variants' ports replaced by the Apache pair's. FASTBEAT_SITE_HOST keeps
  # the bed's core port (Host and SERVER_PORT as on php-fpm). Do not source testbed/env.sh
  # after this: it would derive the site's Host from the Apache port.
  for v in FASTBEAT_REPO FASTBEAT_WP FASTBEAT_PHP FASTBEAT_ENV_FOR FASTBEAT_TESTBED_DIR FASTBEAT_BIND \
           FASTBEAT_SITE_HOST FASTBEAT_SITE_URL FASTBEAT_CARGO_TARGET_DIR FASTBEAT_EXT_SO FASTBEAT_DB_SOCKET \
           FASTBEAT_DB_NAME FASTBEAT_DB_USER FASTBEAT_DB_PASSWORD FASTBEAT_SALT_PREFIX FASTBEAT_ADMIN_USER \
           FASTBEAT_ADMIN_PASSWORD FASTBEAT_EDITOR_USER FASTBEAT_EDITOR_PASSWORD FASTBEAT_AUTHOR_USER \
           FASTBEAT_AUTHOR_PASSWORD FASTBEAT_SUBSCRIBER_USER FASTBEAT_SUBSCRIBER_PASSWORD FASTBEAT_FIXTURE_DIR \
           FASTBEAT_WP_SUITE FASTBEAT_WP_DIR FASTBEAT_WP_DISPATCH FASTBEAT_WP_CONFIG; do
    printf 'export %s=%q\n' "$v" "${!v}"
  done
  printf 'export FASTBEAT_PORT_CORE=%q FASTBEAT_PORT_FASTBEAT=%q\n' "$port_core" "$port_fast"
  printf 'unset FASTBEAT_PORT_PLUGIN_ONLY FASTBEAT_PORT_EXT_ONLY\n'
  printf 'export FASTBEAT_VARIANTS=%q\n' "core fastbeat"
  # fbclient.lane_paths: prefork children, each with its own memory, reached one by one
  # over held keep-alive connections; the master's pid file says how many there are.
  printf 'export FASTBEAT_LANE_PROBE=hold FASTBEAT_LANE_WORKERS=%q FASTBEAT_LANE_PIDFILE=%q\n' \
    "$WORKERS" "$A/fastbeat/run/httpd.pid"
  # Server processes by variant, for CPU accounting (tools/beat_cost.py).
  printf 'export FASTBEAT_SERVER_PIDFILE_CORE=%q FASTBEAT_SERVER_PIDFILE_FASTBEAT=%q\n' \
    "$A/core/run/httpd.pid" "$A/fastbeat/run/httpd.pid"
  # What fallback.py runs to start MariaDB again (never testbed/up.sh with these ports).
  printf 'export FASTBEAT_TESTBED_UP=%q\n' "env FASTBEAT_WP=$FASTBEAT_WP FASTBEAT_APACHE_BED=$BED bash $HERE/apache.sh up"
  printf 'export FASTBEAT_APACHE_DIR=%q FASTBEAT_SERVER=apache\n' "$A"
  # The same site on the bed's php-fpm pools (nginx), for side-by-side figures.
  printf 'export FASTBEAT_BED_PORT_CORE=%q FASTBEAT_BED_PORT_FASTBEAT=%q FASTBEAT_FPM_WORKERS=%q\n' \
    "$FASTBEAT_PORT_CORE" "$FASTBEAT_PORT_FASTBEAT" "$FASTBEAT_FPM_WORKERS"
  exit 0
fi

# Process helpers, as testbed/up.sh's: a pid file counts only for a live process of the
# expected program.
pid_alive() { # pid_alive <pidfile> <comm>
  local f="$1" want="$2" pid
  [ -s "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  grep -qx -- "$want" "/proc/$pid/comm" 2>/dev/null
}
stop_pidfile() { # stop_pidfile <name> <pidfile>
  local name="$1" f="$2" pid n
  if pid_alive "$f" apache2; then
    pid="$(tr -dc '0-9' <"$f")"
    kill -TERM "$pid" 2>/dev/null || true
    n=200
    while [ -d "/proc/$pid" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
    if [ -d "/proc/$pid" ]; then
      log "$name (pid $pid) did not stop; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$f"
}

if [ "$cmd" = down ]; then
  for v in "${VARIANTS[@]}"; do stop_pidfile "apache [$v] :$(port_of "$v")" "$A/$v/run/httpd.pid"; done
  if [ "$down_bed" = 1 ]; then
    [ "$BED" = own ] || die "--bed: only the Apache pair's own test bed is stopped here (FASTBEAT_APACHE_BED=own)"
    bash "$HERE/down.sh" | sed 's/^/apache: /'
  fi
  log "down"
  exit 0
fi

if [ "$cmd" = status ]; then
  for v in "${VARIANTS[@]}"; do
    if pid_alive "$A/$v/run/httpd.pid" apache2; then
      pid="$(tr -dc '0-9' <"$A/$v/run/httpd.pid")"
      kids="$(cat /proc/"$pid"/task/*/children 2>/dev/null | wc -w)"
      log "$v: :$(port_of "$v") master $pid, $kids children ($A/$v)"
    else
      log "$v: :$(port_of "$v") not running"
    fi
  done
  log "site: $FASTBEAT_SITE_URL (test bed $D, $BED)"
  exit 0
fi

# --- up ------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "run as root (Apache binds its ports and switches to www-data)"
APACHE=/usr/sbin/apache2
MODS=/usr/lib/apache2/modules
for f in "$APACHE" "$MODS/libphp8.2.so" "$MODS/mod_mpm_prefork.so" /etc/php/8.2/apache2/php.ini; do
  [ -e "$f" ] || die "$f is missing: run tools/setup.sh (apache2, libapache2-mod-php8.2)"
done

# The site: the test bed must be up (it owns MariaDB, wp-content and /etc/wordpress's config).
bed_up() {
  curl -s -m 5 -o /dev/null -w '%{http_code}' -H "Host: $FASTBEAT_SITE_HOST" \
    "http://$FASTBEAT_BIND:$FASTBEAT_PORT_CORE/__fastbeat-testbed/probe.php" 2>/dev/null | grep -qx 200 \
    && [ -S "$FASTBEAT_DB_SOCKET" ] && [ -f "$FASTBEAT_WP_CONFIG" ]
}
if [ -n "${WP_SRC:-}" ]; then
  fetched="${FASTBEAT_WP_ROOT:-/var/cache/fastbeat/wp}/$FASTBEAT_WP_SUITE/root/usr/share/wordpress"
  if [ ! -f "$WP_SRC/wp-settings.php" ] && [ "$WP_SRC" = "$fetched" ]; then
    log "fetching WordPress from Debian $FASTBEAT_WP_SUITE (tools/wp-fetch.sh)"
    bash "$REPO/tools/wp-fetch.sh" "$FASTBEAT_WP_SUITE" >/dev/null || die "tools/wp-fetch.sh $FASTBEAT_WP_SUITE failed"
  fi
  [ -f "$WP_SRC/wp-settings.php" ] || die "no WordPress at $WP_SRC"
  stamp="$WP_SRC $(stat -c '%Y %s' "$WP_SRC/wp-includes/version.php" "$WP_SRC/wp-settings.php" | tr '\n' ' ')"
  if [ "$(cat "$FASTBEAT_WP_DIR.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "copying $WP_SRC to $FASTBEAT_WP_DIR (this site's own tree)"
    rm -rf "$FASTBEAT_WP_DIR.new"
    cp -a "$WP_SRC" "$FASTBEAT_WP_DIR.new" || die "copying the WordPress tree failed"
    rm -f "$FASTBEAT_WP_DIR.new/.maintenance"
    rm -rf "$FASTBEAT_WP_DIR"
    mv "$FASTBEAT_WP_DIR.new" "$FASTBEAT_WP_DIR"
    echo "$stamp" >"$FASTBEAT_WP_DIR.stamp"
  fi
fi
if [ "$BED" = own ] || ! bed_up; then
  # Idempotent: only what is down or changed is (re)started.
  log "test bed $D ($FASTBEAT_SITE_URL): testbed/up.sh"
  bash "$HERE/up.sh" >"/tmp/fastbeat-apache-up.$$.log" 2>&1 || {
    tail -20 "/tmp/fastbeat-apache-up.$$.log" >&2; rm -f "/tmp/fastbeat-apache-up.$$.log"; die "testbed/up.sh failed"; }
  rm -f "/tmp/fastbeat-apache-up.$$.log"
fi
bed_up || die "the test bed at $FASTBEAT_SITE_URL is not answering"

mkdir -p "$A"
chmod 755 "$A"
exec 9>"$A/.up.lock"
flock -w 120 9 || die "another apache.sh holds $A/.up.lock"

write_if_changed() { # write_if_changed <file>  (content on stdin); returns 0 if changed
  local f="$1" tmp
  tmp="$(mktemp "$f.XXXXXX")"
  cat >"$tmp"
  if [ -f "$f" ] && cmp -s "$tmp" "$f"; then rm -f "$tmp"; return 1; fi
  mv -f "$tmp" "$f"; chmod 644 "$f"; return 0
}

if [ -f "$FASTBEAT_EXT_SO" ]; then
  EXT_OK=1
else
  EXT_OK=0
  log "NOTE: $FASTBEAT_EXT_SO does not exist (cargo build --release): [fastbeat] runs without the extension"
fi

case "$POOL" in
  fixed) mpm="StartServers $WORKERS
MinSpareServers 1
MaxSpareServers $WORKERS
ServerLimit $WORKERS
MaxRequestWorkers $WORKERS" ;;
  debian) mpm="StartServers 5
MinSpareServers 5
MaxSpareServers 10
MaxRequestWorkers 150" ;;
  *) die "FASTBEAT_APACHE_POOL=$POOL: expected fixed or debian" ;;
esac
if [ "${FASTBEAT_TESTBED_ACCESS_LOG:-1}" = 1 ]; then access_log="CustomLog logs/access.log combined"; else access_log="# no access log"; fi

for v in "${VARIANTS[@]}"; do
  I="$A/$v"
  port="$(port_of "$v")"
  mkdir -p "$I/run" "$I/logs" "$I/php/conf.d"
  chmod 755 "$I" "$I/php" "$I/php/conf.d"
  touch "$I/logs/php-errors.log"; chown www-data:www-data "$I/logs/php-errors.log"
  # PHP: Debian's apache2 php.ini, and a private scan directory (PHP_INI_SCAN_DIR) with
  # the system's apache2 conf.d modules, never a Fastbeat ini someone enabled there.
  write_if_changed "$I/php/php.ini" </etc/php/8.2/apache2/php.ini || true
  for f in "$I"/php/conf.d/*.ini; do
    [ -e "$f" ] || continue
    case "$(basename "$f")" in 99-fastbeat-testbed.ini) ;; *) [ -e "/etc/php/8.2/apache2/conf.d/$(basename "$f")" ] || rm -f "$f" ;; esac
  done
  for f in /etc/php/8.2/apache2/conf.d/*.ini; do
    case "$(basename "$f")" in *fastbeat*) continue ;; esac
    target="$(readlink -f "$f")"
    [ "$(readlink "$I/php/conf.d/$(basename "$f")" 2>/dev/null)" = "$target" ] || ln -sfn "$target" "$I/php/conf.d/$(basename "$f")"
  done
  ext_line="; no extension in [$v]"
  if [ "$v" = fastbeat ] && [ "$EXT_OK" = 1 ]; then
    # A copy: rebuilding target/release while a server has the file mapped would crash it.
    if ! cmp -s "$FASTBEAT_EXT_SO" "$I/fastbeat.so" 2>/dev/null; then
      cp "$FASTBEAT_EXT_SO" "$I/fastbeat.so.new" && mv -f "$I/fastbeat.so.new" "$I/fastbeat.so"
    fi
    ext_line="extension=$I/fastbeat.so"
  fi
  # FASTBEAT_APACHE_MYSQLI_PERSISTENT=Off: a host that allows no persistent connections
  # (tests/apache/run.sh checks the lane's reads then connect per beat).
  write_if_changed "$I/php/conf.d/99-fastbeat-testbed.ini" <<EOF || true
; Generated by fastbeat testbed/apache.sh
$ext_line
mysqli.allow_persistent = ${FASTBEAT_APACHE_MYSQLI_PERSISTENT:-On}
log_errors = On
error_log = $I/logs/php-errors.log
EOF
  write_if_changed "$I/httpd.conf" <<EOF || true
# Generated by fastbeat testbed/apache.sh: Apache [$v] for $FASTBEAT_SITE_URL (test bed $D)
ServerRoot "$I"
DefaultRuntimeDir "$I/run"
PidFile "$I/run/httpd.pid"
Mutex file:$I/run default
Listen $FASTBEAT_BIND:$port
LoadModule mpm_prefork_module $MODS/mod_mpm_prefork.so
LoadModule authz_core_module $MODS/mod_authz_core.so
LoadModule mime_module $MODS/mod_mime.so
LoadModule dir_module $MODS/mod_dir.so
LoadModule alias_module $MODS/mod_alias.so
LoadModule rewrite_module $MODS/mod_rewrite.so
LoadModule env_module $MODS/mod_env.so
LoadModule php_module $MODS/libphp8.2.so
User www-data
Group www-data
ServerName 127.0.0.1
ServerAdmin webmaster@localhost
ServerTokens Full
# SERVER_NAME / SERVER_PORT from the Host header (the site's: 127.0.0.1:$FASTBEAT_PORT_CORE)
UseCanonicalName Off
ErrorLog logs/error.log
LogLevel warn
LogFormat "%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\" pid=%P" combined
$access_log
TypesConfig /etc/mime.types
Timeout 120
KeepAlive On
MaxKeepAliveRequests 100000
KeepAliveTimeout 2
<IfModule mpm_prefork_module>
$mpm
MaxConnectionsPerChild $MAX_CONN
</IfModule>
PHPINIDir "$I/php"
SetEnv FASTBEAT_TESTBED_VARIANT $v
<FilesMatch ".+\\.php\$">
  SetHandler application/x-httpd-php
</FilesMatch>
<Directory />
  Options None
  AllowOverride None
  Require all denied
</Directory>
DocumentRoot "$FASTBEAT_WP_DIR"
DirectoryIndex index.php
<Directory "$FASTBEAT_WP_DIR">
  Options FollowSymLinks
  AllowOverride None
  Require all granted
  # WordPress's own .htaccess rules (nginx: try_files \$uri \$uri/ /index.php?\$args)
  RewriteEngine On
  RewriteBase /
  RewriteRule ^index\\.php\$ - [L]
  RewriteCond %{REQUEST_FILENAME} !-f
  RewriteCond %{REQUEST_FILENAME} !-d
  RewriteRule . /index.php [L]
</Directory>
Alias /wp-content/ "$D/wp-content/"
<Directory "$D/wp-content">
  Options FollowSymLinks
  Require all granted
  <FilesMatch "\\.php\$">
    Require all denied
  </FilesMatch>
</Directory>
# The test bed probe (the workers' lane counts) and the benchmark's floor.
Alias /__fastbeat-testbed/probe.php "$HERE/probe.php"
Alias /__fastbeat-testbed/floor.php "$REPO/bench/floor.php"
<Directory "$HERE">
  <Files "probe.php">
    Require all granted
  </Files>
</Directory>
<Directory "$REPO/bench">
  <Files "floor.php">
    Require all granted
  </Files>
</Directory>
EOF
  env_cmd=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C
           PHP_INI_SCAN_DIR="$I/php/conf.d")
  "${env_cmd[@]}" "$APACHE" -t -f "$I/httpd.conf" >"$I/logs/configtest.log" 2>&1 \
    || { cat "$I/logs/configtest.log" >&2; die "[$v] config test failed"; }
  # Restart when the config, the php ini files or the extension changed.
  fp="$( { cat "$I/httpd.conf" "$I/php/php.ini" "$I/php/conf.d/99-fastbeat-testbed.ini";
           for f in "$I"/php/conf.d/*.ini; do echo "$f $(readlink "$f")"; done;
           [ -f "$I/fastbeat.so" ] && [ "$v" = fastbeat ] && md5sum <"$I/fastbeat.so"; echo "$REPO"; } | md5sum | cut -c1-32)"
  if pid_alive "$I/run/httpd.pid" apache2 && [ "$(cat "$I/run/fingerprint" 2>/dev/null)" = "$fp" ]; then
    continue
  fi
  stop_pidfile "apache [$v]" "$I/run/httpd.pid"
  what="$POOL pool"; [ "$POOL" = fixed ] && what="$WORKERS children"
  [ "$v" = fastbeat ] && [ "$EXT_OK" = 1 ] && what+=", extension from $FASTBEAT_EXT_SO"
  log "starting apache [$v] on $FASTBEAT_BIND:$port ($what)"
  "${env_cmd[@]}" "$APACHE" -f "$I/httpd.conf" -k start 9>&- \
    || { tail -20 "$I/logs/error.log" >&2; die "apache [$v] failed to start"; }
  for _ in $(seq 1 50); do pid_alive "$I/run/httpd.pid" apache2 && break; sleep 0.1; done
  pid_alive "$I/run/httpd.pid" apache2 || { tail -20 "$I/logs/error.log" >&2; die "apache [$v] did not write $I/run/httpd.pid"; }
  echo "$fp" >"$I/run/fingerprint"
done

# --- probe both ------------------------------------------------------------------
ok=1
printf 'apache: %-9s %-6s %-16s %-10s %-8s %s\n' variant port sapi extension plugin children
for v in "${VARIANTS[@]}"; do
  port="$(port_of "$v")"
  out=""
  for _ in $(seq 1 50); do
    out="$(curl -s -m 20 -H "Host: $FASTBEAT_SITE_HOST" "http://$FASTBEAT_BIND:$port/__fastbeat-testbed/probe.php?wp=1" || true)"
    case "$out" in '{'*) break ;; esac
    sleep 0.2
  done
  # shellcheck disable=SC2016  # PHP code, not the shell's
  line="$(printf '%s' "$out" | php -r '
    $p = json_decode(stream_get_contents(STDIN), true);
    if (!is_array($p)) { echo "BAD"; exit; }
    $ext = $p["extension_loaded"] ? "yes" : "no";
    $plug = $p["plugin_loaded"] ? "loaded" : ($p["plugin_active"] ? "active" : "off");
    echo $p["variant"], "\t", $p["sapi"], "\t", $ext, "\t", $plug;')"
  if [ "$line" = BAD ] || [ -z "$line" ]; then log "probe of [$v] on :$port failed: ${out:0:300}"; ok=0; continue; fi
  IFS=$'\t' read -r pv psapi pext pplug <<<"$line"
  pid="$(tr -dc '0-9' <"$A/$v/run/httpd.pid")"
  kids="$(cat /proc/"$pid"/task/*/children 2>/dev/null | wc -w)"
  printf 'apache: %-9s %-6s %-16s %-10s %-8s %s\n' "$v" "$port" "$psapi" "$pext" "$pplug" "$kids"
  [ "$pv" = "$v" ] || { log "port $port answered as variant '$pv', expected '$v'"; ok=0; }
  [ "$psapi" = apache2handler ] || { log "[$v] runs PHP as '$psapi', expected apache2handler"; ok=0; }
  if [ "$v" = fastbeat ]; then
    if [ "$EXT_OK" = 1 ] && [ "$pext" != yes ]; then log "the extension did not load in [$v] (see $A/$v/logs/error.log)"; ok=0; fi
  else
    [ "$pext" = no ] || { log "[$v] must not have the extension"; ok=0; }
    [ "$pplug" = off ] || { log "[$v] must not load the plugin"; ok=0; }
  fi
done
[ "$ok" = 1 ] || die "Apache is up but not as expected"
log "up: $FASTBEAT_SITE_URL served by Apache/mod_php (core :$port_core, fastbeat :$port_fast); test bed $D ($BED, nginx :$FASTBEAT_PORT_CORE-$FASTBEAT_PORT_EXT_ONLY); state in $A"
