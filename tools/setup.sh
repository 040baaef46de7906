#!/usr/bin/env bash
# Installs everything Fastbeat needs on Debian 12, idempotently (run as root).
# Services are never started by the package manager: the test bed starts its
# own private instances on 127.0.0.1 and stops them by pid.
set -euo pipefail

PKGS=(
  php8.2-dev php8.2-cli php8.2-cgi php8.2-fpm php8.2-mysql php8.2-mbstring
  php8.2-xml php8.2-gd php8.2-curl php8.2-opcache
  libclang-dev mariadb-server mariadb-client nginx-light
  wordpress wordpress-l10n wordpress-theme-twentytwentythree
  php-codesniffer wrk curl ca-certificates python3 valgrind procps faketime
  # make dist: the POT (xgettext), the plugin zip, GLIBC_ report and strip (binutils)
  gettext zip binutils
  # test bed variants (testbed/env.sh FASTBEAT_VARIANT): redis's object cache, proxy's TLS fronts
  redis-server php8.2-redis openssl
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#PKGS[@]} packages present"
else
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages (${missing[*]}); run this script as root" >&2
    exit 1
  fi
  echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
  # Keep dpkg from starting apache2/nginx/mariadb/php-fpm system services.
  policy=/usr/sbin/policy-rc.d
  had_policy=0; [ -e "$policy" ] && had_policy=1
  if [ "$had_policy" -eq 0 ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/fastbeat-apt.log 2>&1 || {
    tail -40 /tmp/fastbeat-apt.log >&2; exit 1; }
  [ "$had_policy" -eq 1 ] || rm -f "$policy"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install Rust (>= 1.85) with rustup first" >&2
  exit 1
fi
echo "setup: ok ($(php -r 'echo PHP_VERSION;'), $(cargo --version))"
