#!/usr/bin/env bash
# Installs Fastbeat from the release artifacts in dist/ (make dist) the way a host and a
# site owner do, proves heartbeats are then served by the fast lane, uninstalls it, and
# checks that nothing is left behind, on:
#
#   PHP 8.2 (this machine) with WordPress 6.1.9 and with WordPress 7.1.4
#   PHP 8.4 (the trixie root, tools/in-trixie.sh) with WordPress 7.1.4
#
# For each pair, with no Rust toolchain reachable (PATH without cargo, checked; in the
# trixie root not even mounted):
#   1. a private site: WordPress's tree copied from Debian's package, its own MariaDB
#      (datadir, socket), php-fpm pool and nginx on 127.0.0.1:$FASTBEAT_PACK_PORT, all
#      stopped by pid at the end; WordPress installed by testbed/install.php; a first
#      logged-in and logged-out beat answered by core;
#   2. snapshots: the PHP's extension directory, mods-available, fpm and cli conf.d, the
#      site's WordPress tree; the database's tables, options, user and post meta keys;
#   3. the host's part: sha256sum -c, fastbeat.so from the .tgz into PHP's extension
#      directory, mods-available/fastbeat.ini and its conf.d links for fpm and cli,
#      php --ri fastbeat, php-fpm restarted;
#   4. the owner's part: the plugin zip installed and activated through WordPress's
#      Plugin_Upgrader and activate_plugin() (tests/pack/site.php);
#   5. logged-in and logged-out beats over HTTP until the fast lane answers them, the
#      path read from the php-fpm workers' counts (tests/pack/beats.py);
#   6. uninstall: deactivate_plugins() and delete_plugins() (the plugin's uninstall.php),
#      the ini, its links and fastbeat.so removed, php-fpm restarted, core answers again;
#   7. snapshots again: every difference is printed; only WordPress's own bookkeeping on
#      tests/pack/snapshot.py's allow list (each entry with its reason) may differ.
# The system's extension directory and conf.d get fastbeat.so and the ini during 3-6 and
# are restored by a trap whatever happens (and checked against their listing from before).
# Everything else lives in $FASTBEAT_PACK_DIR/php<X.Y>-wp<version>/ (a pair that passed
# keeps only its logs, snapshots and diffs there).
#
#   tests/pack/install-test.sh [--only 8.2-6.1.9,8.2-7.1.4,8.4-7.1.4]
#   tests/pack/install-test.sh --self-test   PHP 8.2 and WordPress 6.1.9 with faults put in
#       (every counted beat vetoes the lane; a file, an option, and the CLI's conf.d link with
#       the ini and fastbeat.so left behind): exactly the checks that must catch them fail,
#       and the trap still restores the system's PHP. Its own result is whether that held.
# Environment: FASTBEAT_DIST_DIR (dist/), FASTBEAT_PACK_DIR (/tmp/fastbeat-pack-install),
# FASTBEAT_PACK_PORT (18190), FASTBEAT_PACK_LANE_SECONDS (40). Run as root. Ends with
# "N passed, N failed".
# shellcheck disable=SC2317  # functions run through check, sys and the EXIT trap
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
REPO=$PWD
DIST=${FASTBEAT_DIST_DIR:-$REPO/dist}
BASE=${FASTBEAT_PACK_DIR:-/tmp/fastbeat-pack-install}
PORT=${FASTBEAT_PACK_PORT:-18190}
TROOT=${FASTBEAT_TRIXIE_ROOT:-/var/cache/fastbeat/trixie-root}
SAFE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
combos=(8.2-6.1.9 8.2-7.1.4 8.4-7.1.4)
self_test=0
while [ $# -gt 0 ]; do
  case $1 in
    --only) IFS=, read -r -a combos <<<"${2:?--only needs e.g. 8.2-6.1.9}"; shift 2 ;;
    --self-test) self_test=1; shift ;;
    *) echo "usage: $0 [--only 8.2-6.1.9,8.2-7.1.4,8.4-7.1.4] [--self-test]" >&2; exit 2 ;;
  esac
done
if [ "$self_test" = 1 ]; then
  log=$(mktemp); trap 'rm -f "$log"' EXIT
  FASTBEAT_PACK_INJECT=lane-veto,leftover-file,leftover-option,leftover-cli FASTBEAT_PACK_LANE_SECONDS=5 \
    bash "$0" --only 8.2-6.1.9 >"$log" 2>&1
  sed 's/^/  | /' "$log"
  pass=0; fail=0
  starts_a_line() { local l; while IFS= read -r l; do [[ $l == "$1"* ]] && return 0; done <"$log"; return 1; }
  expect() { if starts_a_line "$1"; then pass=$((pass + 1)); echo "ok   caught: $1"; else
    fail=$((fail + 1)); echo "FAIL not caught: $1"; fi; }
  expect "  FAIL the fast lane answered logged-in dashboard beats (native path, 0 of "
  expect "  FAIL the fast lane answered logged-out beats (nopriv path, 0 of "
  expect "FAIL php8.2 -m no longer lists fastbeat"
  expect "FAIL nothing left on disk"
  expect "FAIL nothing left in the database"
  expect "restore: removed /etc/php/8.2/cli/conf.d/30-fastbeat.ini"
  expect "restore: removed /etc/php/8.2/mods-available/fastbeat.ini"
  expect "restore: removed /usr/lib/php/20220829/fastbeat.so"
  expect "restore: the system's extension directory, mods-available and conf.d are as before"
  n=$(grep -cE '^ *FAIL ' "$log")
  if [ "$n" -eq 5 ]; then pass=$((pass + 1)); echo "ok   no other check failed"; else
    fail=$((fail + 1)); echo "FAIL $n checks failed, expected the 5 above"; fi
  for f in "wordpress:wp-content/uploads/fastbeat-injected.txt" "option added: fastbeat_injected" \
           "cli-conf.d:30-fastbeat.ini" "mods-available:fastbeat.ini" "ext:fastbeat.so"; do
    if grep -q "LEFT .*$f" "$log"; then pass=$((pass + 1)); echo "ok   the diff names $f"; else
      fail=$((fail + 1)); echo "FAIL the diff does not name $f"; fi
  done
  echo "self-test: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]; exit $?
fi
inject() { case ",${FASTBEAT_PACK_INJECT:-}," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
finish() { echo "install-test: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
tally() { # tally <output file> <what>: adds its "N passed, N failed" to ours
  local line p f; line=$(grep -aE '^([A-Za-z0-9.-]+: )?[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  if [ -z "$line" ]; then bad "$2: ended without a result line"; return; fi
  line=${line#*: }; p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
  pass=$((pass + p)); fail=$((fail + f)); }

[ "$(id -u)" -eq 0 ] || { bad "run as root (it installs into the system's PHP and starts services)"; finish; }
mkdir -p "$BASE"; chmod 755 "$BASE"

# --- the artifacts, and the WordPress trees (setup, before the Rust-free part) ------------
mapfile -t zips < <(find "$DIST" -maxdepth 1 -name 'fastbeat-*.zip' 2>/dev/null)
if [ "${#zips[@]}" -ne 1 ] || [ ! -f "$DIST/SHA256SUMS" ]; then
  bad "$DIST needs SHA256SUMS and one fastbeat-<version>.zip: run make dist first"; finish
fi
zip=${zips[0]}
declare -A WP_TREE=()
for c in "${combos[@]}"; do
  wpv=${c#*-}
  [ -n "${WP_TREE[$wpv]:-}" ] && continue
  if [ "$wpv" = 6.1.9 ] && grep -q "wp_version = '6.1.9'" /usr/share/wordpress/wp-includes/version.php 2>/dev/null; then
    WP_TREE[$wpv]=/usr/share/wordpress   # Debian 12's own package (tools/setup.sh)
    continue
  fi
  case $wpv in 6.1.9) suite=bookworm ;; 7.1.4) suite=sid ;; *) bad "no Debian suite known for WordPress $wpv"; finish ;; esac
  if ! got=$(bash tools/wp-fetch.sh "$suite" 2>"$BASE/wp-fetch.log"); then
    cat "$BASE/wp-fetch.log"; bad "tools/wp-fetch.sh $suite failed"; finish
  fi
  [ "${got%% *}" = "$wpv" ] || { bad "tools/wp-fetch.sh $suite gave WordPress ${got%% *}, expected $wpv"; finish; }
  WP_TREE[$wpv]=${got#* }
done
for c in "${combos[@]}"; do
  if [ "${c%%-*}" = 8.4 ]; then
    bash tools/trixie-root.sh >"$BASE/trixie-root.log" 2>&1 || { cat "$BASE/trixie-root.log"; bad "tools/trixie-root.sh failed"; finish; }
    break
  fi
done

# The requirements the zip declares against the matrix proven here.
reqs=$(python3 - "$zip" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
main, readme = z.read("fastbeat/fastbeat.php").decode(), z.read("fastbeat/readme.txt").decode()
get = lambda text, f: (re.search(r"^[ \t/*#@]*" + f + r":\s*(\S+)", text, re.M) or [None, "?"])[1]
print(get(main, "Requires at least"), get(readme, "Tested up to"), get(main, "Requires PHP"))
EOF
)
read -r req_wp tested req_php <<<"$reqs"
mm() { echo "$1" | cut -d. -f1,2; }
newest_wp=$(printf '%s\n' "${combos[@]#*-}" | sort -V | tail -1)
oldest_wp=$(printf '%s\n' "${combos[@]#*-}" | sort -V | head -1)
oldest_php=$(printf '%s\n' "${combos[@]%%-*}" | sort -V | head -1)
echo "install-test: plugin requires WordPress $req_wp, PHP $req_php, tested up to $tested; pairs: ${combos[*]}"
if [ "${#combos[@]}" -eq 3 ]; then
  check "Requires at least ($req_wp) is the oldest WordPress tested ($(mm "$oldest_wp"))" test "$req_wp" = "$(mm "$oldest_wp")"
  check "Tested up to ($tested) is the newest WordPress tested ($(mm "$newest_wp"))" test "$tested" = "$(mm "$newest_wp")"
  check "Requires PHP ($req_php) is the oldest PHP tested ($oldest_php)" test "$req_php" = "$oldest_php"
fi

# --- one PHP x WordPress pair, in a subshell with no Rust on PATH -------------------------
run_pair() {
  local v=${1%%-*} wpv=${1#*-}
  local host=127.0.0.1:$PORT
  # Global, not local: the EXIT trap (restore) runs after this function has returned.
  S="$BASE/php$v-wp$wpv"
  local wpsrc=${WP_TREE[$wpv]}
  export PATH=$SAFE_PATH
  unset CARGO RUSTC RUSTUP_TOOLCHAIN
  # The trixie root mounts $RUSTUP_HOME and $CARGO_HOME: give it empty ones.
  export RUSTUP_HOME="$S/no-rust" CARGO_HOME="$S/no-rust"
  trixie() { [ "$v" = 8.4 ]; }
  sys() { if trixie; then "$REPO/tools/in-trixie.sh" env PATH="$SAFE_PATH" "$@"; else "$@"; fi; }
  hostpath() { if trixie; then echo "$TROOT$1"; else echo "$1"; fi; }   # that system's path, seen from here

  # Leftovers of an earlier run: stop by pid, then start afresh.
  stop_pid() { # stop_pid <pidfile> <comm> <signal>
    local f=$1 pid n=100
    [ -s "$f" ] || return 0
    pid=$(tr -dc '0-9' <"$f")
    if [ -n "$pid" ] && [ -d "/proc/$pid" ] && grep -q -- "$2" "/proc/$pid/comm" 2>/dev/null; then
      kill "-$3" "$pid" 2>/dev/null
      while [ -d "/proc/$pid" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
      [ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$f"
  }
  stop_all() {
    stop_pid "$S/run/nginx.pid" nginx QUIT
    stop_pid "$S/run/php-fpm.pid" php-fpm QUIT
    stop_pid "$S/run/db/mariadb.pid" mariadbd TERM
  }
  stop_all 2>/dev/null
  rm -rf "$S"; mkdir -p "$S"/{run/db,logs,etc,nginx/tmp,mysql,no-rust/bin,unpacked}
  chmod 755 "$S" "$S/run" "$S/logs"

  echo "== PHP $v, WordPress $wpv ($wpsrc$(trixie && echo ', in the trixie root')), site http://$host/"
  local no_rust='! command -v cargo >/dev/null && ! command -v rustc >/dev/null'
  check "no Rust toolchain on this path: cargo and rustc are not found" sh -c "$no_rust"
  if trixie; then
    check "... nor inside the trixie root" sys sh -c "$no_rust"
  fi

  local tgzs tgz ver pver
  mapfile -t tgzs < <(find "$DIST" -maxdepth 1 -name "php_fastbeat-*_php$v-x86_64-linux-glibc-nts.tgz")
  [ "${#tgzs[@]}" -eq 1 ] || { bad "$DIST has no single php_fastbeat-*_php$v-x86_64-linux-glibc-nts.tgz"; return; }
  tgz=${tgzs[0]}
  ver=${tgz##*/php_fastbeat-}; ver=${ver%%_php*}
  pver=${zip##*/fastbeat-}; pver=${pver%.zip}
  verify_sums() { # verify_sums FILE...: each listed in SHA256SUMS, and matching
    local f line
    for f in "$@"; do
      line=$(grep -E "^[0-9a-f]{64} [ *]${f//./\\.}\$" "$DIST/SHA256SUMS") || return 1
      (cd "$DIST" && sha256sum --quiet -c - <<<"$line") || return 1
    done
  }
  check "sha256sum -c: $(basename "$tgz") and $(basename "$zip")" verify_sums "$(basename "$tgz")" "$(basename "$zip")"

  # The system's PHP, as a host sees it (no php-config: hosts rarely have -dev packages).
  local extdir etc phpver
  extdir=$(sys "php$v" -r 'echo ini_get("extension_dir");')
  etc=/etc/php/$v
  phpver=$(sys "php$v" -r 'echo PHP_VERSION;')
  sysdirs=("ext=$(hostpath "$extdir")" "mods-available=$(hostpath "$etc/mods-available")"
            "fpm-conf.d=$(hostpath "$etc/fpm/conf.d")" "cli-conf.d=$(hostpath "$etc/cli/conf.d")")
  so_h=$(hostpath "$extdir/fastbeat.so"); ini_h=$(hostpath "$etc/mods-available/fastbeat.ini")
  fpm_h=$(hostpath "$etc/fpm/conf.d/30-fastbeat.ini"); cli_h=$(hostpath "$etc/cli/conf.d/30-fastbeat.ini")
  local present=""
  for f in "$so_h" "$ini_h" "$(hostpath "$etc/fpm/conf.d")"/*fastbeat* "$(hostpath "$etc/cli/conf.d")"/*fastbeat*; do
    [ -e "$f" ] || [ -L "$f" ] && present+=" $f"
  done
  if [ -n "$present" ]; then
    bad "Fastbeat is already installed in this PHP ($present): the install test needs a PHP without it"; return
  fi
  python3 tests/pack/snapshot.py files "$S/system-before.json" "${sysdirs[@]}" >/dev/null
  # Whatever happens from here on, the system's PHP gets back exactly what it had.
  restore() {
    stop_all
    local f
    for f in "$fpm_h" "$cli_h" "$ini_h" "$so_h"; do
      if [ -e "$f" ] || [ -L "$f" ]; then rm -f "$f"; echo "restore: removed $f"; fi
    done
    python3 tests/pack/snapshot.py files "$S/system-restored.json" "${sysdirs[@]}" >/dev/null
    if python3 tests/pack/snapshot.py diff "$S/system-before.json" "$S/system-restored.json" >"$S/system-restored.diff"; then
      echo "restore: the system's extension directory, mods-available and conf.d are as before"
    else
      cat "$S/system-restored.diff"; echo "FAIL restore: the system's PHP directories differ from before"
    fi
  }
  trap restore EXIT

  # --- 1. the site ---
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    bad "127.0.0.1:$PORT is in use (set FASTBEAT_PACK_PORT)"; return
  fi
  mkdir -p "$S/wordpress"
  if ! tar -C "$wpsrc" --exclude=./.htaccess -chf - . | tar -C "$S/wordpress" -xf -; then
    bad "copying $wpsrc (links followed)"; return
  fi
  # As on a host: uploads/ exists and belongs to the web server's user (33, www-data).
  mkdir -p "$S/wordpress/wp-content/uploads"; chown 33:33 "$S/wordpress/wp-content/uploads"
  local salts="" k
  for k in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
    salts+="define( '$k', 'fastbeat-pack-${k,,}' );"$'\n'
  done
  cat >"$S/wordpress/wp-config.php" <<EOF
<?php
// Written by tests/pack/install-test.sh for this private site.
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wordpress' );
define( 'DB_PASSWORD', 'wordpress' );
define( 'DB_HOST', 'localhost:$S/run/db/mysqld.sock' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
${salts}define( 'WP_HOME', 'http://$host' );
define( 'WP_SITEURL', 'http://$host' );
define( 'DISABLE_WP_CRON', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'FS_METHOD', 'direct' );
define( 'WP_DEBUG', false );
\$table_prefix = 'wp_';
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
EOF

  sys chown mysql:mysql "$S/mysql" "$S/run/db"
  if ! sys mariadb-install-db --no-defaults --user=mysql --datadir="$S/mysql/data" \
       --auth-root-authentication-method=socket --skip-test-db >"$S/logs/mariadb-install.log" 2>&1; then
    tail -5 "$S/logs/mariadb-install.log"; bad "mariadb-install-db"; return
  fi
  sys setsid mariadbd --no-defaults --user=mysql --datadir="$S/mysql/data" --socket="$S/run/db/mysqld.sock" \
    --pid-file="$S/run/db/mariadb.pid" --skip-networking --log-error="$S/run/db/mariadb.err" --skip-log-bin \
    --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 </dev/null >/dev/null 2>&1 &
  local n=0
  until mariadb-admin --no-defaults --socket="$S/run/db/mysqld.sock" -uroot ping >/dev/null 2>&1; do
    n=$((n + 1)); [ "$n" -lt 150 ] || { cat "$S/run/db/mariadb.err"; bad "MariaDB did not start"; return; }; sleep 0.2
  done
  mariadb --no-defaults --socket="$S/run/db/mysqld.sock" -uroot -e "CREATE DATABASE wordpress CHARACTER SET utf8mb4;
    CREATE USER 'wordpress'@'localhost' IDENTIFIED BY 'wordpress'; GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';" ||
    { bad "creating the database"; return; }

  export FASTBEAT_WP_DIR="$S/wordpress" FASTBEAT_SITE_HOST=$host FASTBEAT_SITE_URL="http://$host"
  export FASTBEAT_ADMIN_USER=admin FASTBEAT_ADMIN_PASSWORD=admin-pass-1
  check "WordPress $wpv installed (testbed/install.php install)" \
    sys "php$v" -d display_errors=stderr -d 'error_reporting=E_ALL&~E_DEPRECATED' "$REPO/testbed/install.php" install
  FASTBEAT_PACK_ADMIN_ID=$(mariadb --no-defaults --socket="$S/run/db/mysqld.sock" -uroot -N -B wordpress \
    -e "SELECT ID FROM wp_users WHERE user_login = 'admin'")
  export FASTBEAT_PACK_ADMIN_ID

  touch "$S/logs/php-errors.log"; chown 33:33 "$S/logs/php-errors.log"
  cat >"$S/etc/php-fpm.conf" <<EOF
[global]
pid = $S/run/php-fpm.pid
error_log = $S/logs/php-fpm.log
daemonize = yes
[site]
user = www-data
group = www-data
listen = $S/run/php-fpm.sock
listen.owner = www-data
listen.group = www-data
listen.mode = 0660
pm = static
pm.max_children = 2
catch_workers_output = yes
php_admin_flag[log_errors] = on
php_admin_value[error_log] = $S/logs/php-errors.log
EOF
  start_fpm() { sys "php-fpm$v" --fpm-config "$S/etc/php-fpm.conf"; }
  restart_fpm() { stop_pid "$S/run/php-fpm.pid" php-fpm QUIT; rm -f "$S/run/php-fpm.sock"; start_fpm; }
  check "php-fpm$v started (its own pool, pid file $S/run/php-fpm.pid)" start_fpm
  cat >"$S/etc/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $S/run/nginx.pid;
error_log $S/logs/nginx-error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log $S/logs/nginx-access.log;
  client_body_temp_path $S/nginx/tmp/body;
  fastcgi_temp_path $S/nginx/tmp/fastcgi;
  proxy_temp_path $S/nginx/tmp/proxy;
  uwsgi_temp_path $S/nginx/tmp/uwsgi;
  scgi_temp_path $S/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$PORT;
    server_name 127.0.0.1;
    root $S/wordpress;
    index index.php;
    # The workers' lane counts (fastbeat_lane_status()), outside the site.
    location = /__fastbeat-testbed/probe.php {
      include /etc/nginx/fastcgi.conf;
      fastcgi_param SCRIPT_FILENAME $REPO/testbed/probe.php;
      fastcgi_pass unix:$S/run/php-fpm.sock;
    }
    location / { try_files \$uri \$uri/ /index.php?\$args; }
    location ~ \\.php\$ {
      try_files \$fastcgi_script_name =404;
      include /etc/nginx/fastcgi.conf;
      fastcgi_pass unix:$S/run/php-fpm.sock;
    }
  }
}
EOF
  check "nginx started on 127.0.0.1:$PORT" sys nginx -p "$S/nginx/" -c "$S/etc/nginx.conf" -e "$S/logs/nginx-error.log"
  n=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$host/wp-login.php")" = 200 ]; do
    n=$((n + 1)); [ "$n" -lt 50 ] || { bad "the site does not answer"; return; }; sleep 0.2
  done

  export FASTBEAT_BIND=127.0.0.1 FASTBEAT_PORT_FASTBEAT=$PORT FASTBEAT_PORT_CORE=$PORT
  export FASTBEAT_SALT_PREFIX=fastbeat-pack- FASTBEAT_FPM_WORKERS=2 FASTBEAT_PACK_VERSION=$ver
  python3 tests/pack/beats.py core >"$S/beats-before.out" 2>&1
  sed 's/^/  /' "$S/beats-before.out"; tally "$S/beats-before.out" "core beats before"

  # --- 2. before ---
  local snapdirs=("${sysdirs[@]}" "wordpress=$S/wordpress")
  python3 tests/pack/snapshot.py files "$S/before-files.json" "${snapdirs[@]}" | sed 's/^/  /'
  python3 tests/pack/snapshot.py db "$S/before-db.json" "$S/run/db/mysqld.sock" wordpress | sed 's/^/  /'

  # --- 3. the host: binary, ini, restart ---
  check "$(basename "$tgz") holds fastbeat.so only" test "$(tar -tzf "$tgz")" = fastbeat.so
  tar -xzf "$tgz" -C "$S/unpacked"
  check "fastbeat.so copied into $extdir" sys install -m 0644 "$S/unpacked/fastbeat.so" "$extdir/fastbeat.so"
  # shellcheck disable=SC2016  # $1... are the inner shell's
  check "$etc/mods-available/fastbeat.ini written" \
    sys sh -c 'printf "; Fastbeat: native WordPress heartbeat handlers\n; priority=30\nextension=fastbeat\n" >"$1"' sh "$etc/mods-available/fastbeat.ini"
  # shellcheck disable=SC2016  # $1... are the inner shell's
  check "enabled for php-fpm and the CLI: $etc/{fpm,cli}/conf.d/30-fastbeat.ini" \
    sys sh -c 'ln -s "$1" "$2" && ln -s "$1" "$3"' sh "$etc/mods-available/fastbeat.ini" "$etc/fpm/conf.d/30-fastbeat.ini" "$etc/cli/conf.d/30-fastbeat.ini"
  local ri
  ri=$(sys "php$v" --ri fastbeat 2>&1)
  sed -n '/^fastbeat support/,$p' <<<"$ri" | sed 's/^/     /'
  check "php$v --ri fastbeat: version $ver" grep -qxF "version => $ver" <<<"$ri"
  check "php$v --ri fastbeat: built for PHP $phpver, NTS" grep -qE "^built for PHP => ${phpver//./\\.} \(PHP API [0-9]+\), NTS\$" <<<"$ri"
  check "php-fpm$v restarted" restart_fpm

  # --- 4. the owner: plugin zip through WordPress ---
  cp "$zip" "$S/"
  local out rc
  out=$(sys env FASTBEAT_SITE_HOST="$host" "php$v" "$REPO/tests/pack/site.php" "$S/wordpress" install "$S/$(basename "$zip")" 2>&1); rc=$?
  check "Plugin_Upgrader::install($(basename "$zip")) and activate_plugin() succeed" test "$rc" -eq 0
  echo "$out" >"$S/plugin-install.json"
  check "WordPress lists Fastbeat $pver as installed and active" \
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["state"]; sys.exit(not (s["active"] and s["version"] == sys.argv[2] and s["extension"] == sys.argv[3]))' \
    "$S/plugin-install.json" "$pver" "$ver"
  [ "$fail" -eq 0 ] || { sed 's/^/     /' "$S/plugin-install.json"; return; }

  # --- 5. heartbeats ---
  python3 tests/pack/beats.py lane >"$S/beats-lane.out" 2>&1
  sed 's/^/  /' "$S/beats-lane.out"; tally "$S/beats-lane.out" "lane beats"

  # --- 6. uninstall ---
  out=$(sys env FASTBEAT_SITE_HOST="$host" "php$v" "$REPO/tests/pack/site.php" "$S/wordpress" uninstall 2>&1); rc=$?
  check "deactivate_plugins() and delete_plugins() succeed (uninstall.php ran)" test "$rc" -eq 0
  echo "$out" >"$S/plugin-uninstall.json"
  check "the plugin's folder is gone" test ! -e "$S/wordpress/wp-content/plugins/fastbeat"
  check "its uploads folder is gone" test ! -e "$S/wordpress/wp-content/uploads/fastbeat"
  if inject leftover-cli; then
    check "fpm's conf.d link removed (the CLI's link, the ini and fastbeat.so stay: injected fault)" \
      sys rm "$etc/fpm/conf.d/30-fastbeat.ini"
  else
    check "conf.d links and ini removed" sys rm "$etc/fpm/conf.d/30-fastbeat.ini" "$etc/cli/conf.d/30-fastbeat.ini" "$etc/mods-available/fastbeat.ini"
    check "fastbeat.so removed from $extdir" sys rm "$extdir/fastbeat.so"
  fi
  check "php-fpm$v restarted" restart_fpm
  no_module() { ! sys "php$v" -m | grep -qx fastbeat; }
  check "php$v -m no longer lists fastbeat" no_module
  python3 tests/pack/beats.py core >"$S/beats-after.out" 2>&1
  sed 's/^/  /' "$S/beats-after.out"; tally "$S/beats-after.out" "core beats after"

  if inject leftover-file; then touch "$S/wordpress/wp-content/uploads/fastbeat-injected.txt"; fi
  if inject leftover-option; then
    mariadb --no-defaults --socket="$S/run/db/mysqld.sock" -uroot wordpress \
      -e "INSERT INTO wp_options (option_name, option_value, autoload) VALUES ('fastbeat_injected', '1', 'no')"
  fi

  # --- 7. after ---
  python3 tests/pack/snapshot.py files "$S/after-files.json" "${snapdirs[@]}" | sed 's/^/  /'
  python3 tests/pack/snapshot.py db "$S/after-db.json" "$S/run/db/mysqld.sock" wordpress | sed 's/^/  /'
  echo "  files (system PHP directories and the WordPress tree), before the install vs after the uninstall:"
  python3 tests/pack/snapshot.py diff "$S/before-files.json" "$S/after-files.json" >"$S/files.diff"; rc=$?
  sed 's/^/  /' "$S/files.diff"; check "nothing left on disk" test "$rc" -eq 0
  echo "  database (tables, wp_options, user and post meta keys), before the install vs after the uninstall:"
  python3 tests/pack/snapshot.py diff "$S/before-db.json" "$S/after-db.json" >"$S/db.diff"; rc=$?
  sed 's/^/  /' "$S/db.diff"; check "nothing left in the database" test "$rc" -eq 0
}

summary=()
for c in "${combos[@]}"; do
  start=$SECONDS
  mkdir -p "$BASE"
  # Its own process: its PATH, trap and counters end with it.
  ( pass=0; fail=0; run_pair "$c"; echo "php${c%%-*}-wp${c#*-}: $pass passed, $fail failed" ) 2>&1 |
    tee "$BASE/php${c%%-*}-wp${c#*-}.log"
  log="$BASE/php${c%%-*}-wp${c#*-}.log"
  tally "$log" "PHP ${c%%-*} with WordPress ${c#*-}"
  # A pair that passed keeps its logs, snapshots and diffs, not its site (~200 MB).
  if grep -qE "^php${c%%-*}-wp${c#*-}: [0-9]+ passed, 0 failed" "$log"; then
    rm -rf "$BASE/php${c%%-*}-wp${c#*-}/wordpress" "$BASE/php${c%%-*}-wp${c#*-}/mysql"
  fi
  grep -q '^FAIL restore' "$log" && bad "PHP ${c%%-*}: the system's PHP directories were not restored"
  summary+=("$(printf '%-22s %s, %ss' "php${c%%-*}-wp${c#*-}" "$(grep -aE "^php[0-9.]+-wp[0-9.]+: " "$log" | tail -1 | cut -d' ' -f2-)" "$((SECONDS - start))")")
done
echo "== summary"
printf '  %s\n' "${summary[@]}"
finish
