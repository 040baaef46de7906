#!/usr/bin/env bash
# Builds Fastbeat from a clean source tree the way PIE and PECL build an extension from
# source (phpize, ./configure, make, make install) and checks the result:
#
#   tools/phpize-build.sh SRC_DIR PHP_VERSION INSTALL_ROOT
#
# SRC_DIR is a clean copy of the repository (git archive: no target/, nothing phpize
# made); the build runs in SRC_DIR/ext (composer.json's build-path). PHP_VERSION picks
# Debian's phpizeX.Y / php-configX.Y / phpX.Y. `make install` copies fastbeat.so into
# INSTALL_ROOT + `php-config --extension-dir`, so this PHP's own directory is untouched
# (checked). CARGO_TARGET_DIR, when set, is where cargo builds. Runs on the host or
# inside the trixie root (tools/in-trixie.sh). Ends with "N passed, N failed".
set -uo pipefail

src=${1:?usage: $0 SRC_DIR PHP_VERSION INSTALL_ROOT}
v=${2:?usage: $0 SRC_DIR PHP_VERSION INSTALL_ROOT}
root=${3:?usage: $0 SRC_DIR PHP_VERSION INSTALL_ROOT}
log=${FASTBEAT_PHPIZE_LOG:-/dev/null}

pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
step() { # step <what> <command...>: runs it with output to $log; a failure ends the build.
  local what=$1; shift
  echo "---- $what: $*" >>"$log"
  if "$@" >>"$log" 2>&1; then ok "$what"; else
    bad "$what (exit $?; last lines of $log below)"; tail -25 "$log" | sed 's/^/     /'; finish; fi
}

php=$(command -v "php$v") || { bad "php$v not found"; finish; }
phpize=$(command -v "phpize$v") || { bad "phpize$v not found (Debian: php$v-dev)"; finish; }
php_config=$(command -v "php-config$v") || { bad "php-config$v not found (Debian: php$v-dev)"; finish; }
ext_dir=$("$php_config" --extension-dir)
php_version=$("$php" -n -r 'echo PHP_VERSION;')
crate_version=$(sed -nE '0,/^version *= *"([^"]+)"/s//\1/p' "$src/Cargo.toml")
echo "phpize-build: PHP $php_version ($php_config), Fastbeat $crate_version, source $src"

# shellcheck disable=SC2317  # called through check
clean_tree() { [ ! -e "$src/target" ] && [ ! -e "$src/ext/configure" ] && [ ! -e "$src/ext/modules" ] && [ -f "$src/ext/config.m4" ]; }
check "the source tree is clean (no target/, nothing phpize or configure made)" clean_tree
listing() { find "$ext_dir" -maxdepth 1 -printf '%f %y %s %T@\n' 2>/dev/null | sort | md5sum; }
before=$(listing)

cd "$src/ext" || { bad "cd $src/ext"; finish; }
: >"$log"
step "phpize" "$phpize"
# PIE passes --with-php-config; --enable-fastbeat is what a person types (phpize enables
# the extension without it too).
step "./configure" ./configure --with-php-config="$php_config" --enable-fastbeat
step "make (cargo build --release)" make
check "make built modules/fastbeat.so (where PIE looks for it)" test -f modules/fastbeat.so
# make install must not need Rust: PIE may run it with sudo, where cargo is not on PATH.
# shellcheck disable=SC2016  # $1 is the inner shell's
step "make install INSTALL_ROOT=$root, without cargo on PATH" \
  env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  sh -c '! command -v cargo >/dev/null && make install INSTALL_ROOT="$1"' sh "$root"
installed="$root$ext_dir/fastbeat.so"
check "installed $installed, identical to modules/fastbeat.so" cmp -s modules/fastbeat.so "$installed"
check "this PHP's extension directory ($ext_dir) is untouched" test "$(listing)" = "$before"

ri=$("$php" -n -d "extension=$installed" --ri fastbeat 2>&1); rc=$?
echo "$ri" | sed -n '/^fastbeat support/,$p' | sed 's/^/     /'
check "php$v -n -d extension=<installed> --ri fastbeat exits 0" test "$rc" -eq 0
check "--ri reports version $crate_version" grep -qxF "version => $crate_version" <<<"$ri"
check "--ri reports built for PHP $php_version, NTS" \
  grep -qE "^built for PHP => ${php_version//./\\.} \(PHP API [0-9]+\), NTS\$" <<<"$ri"
finish
