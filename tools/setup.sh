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
  # testbed/apache.sh: Apache 2.4 prefork with mod_php 8.2 (its own instances, never the
  # package's service: see below)
  apache2 libapache2-mod-php8.2
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

# The apache2 package's own service (port 80) must never run: testbed/apache.sh starts
# private instances on loopback ports. With policy-rc.d in place the package did not start
# it; its postinst still enabled it for the next boot, so disable it (every run: cheap).
if [ -x /usr/sbin/apache2 ] && { [ -e /etc/init.d/apache2 ] || [ -e /lib/systemd/system/apache2.service ]; }; then
  if [ "$(id -u)" -eq 0 ]; then
    sys_pid="$(tr -dc '0-9' 2>/dev/null </var/run/apache2/apache2.pid || true)"
    if [ -n "$sys_pid" ] && grep -qx apache2 "/proc/$sys_pid/comm" 2>/dev/null; then
      echo "setup: stopping the system apache2 service (pid $sys_pid, /etc/apache2): Fastbeat runs its own instances"
      if [ -d /run/systemd/system ]; then systemctl stop apache2 || true; else /etc/init.d/apache2 stop >/dev/null 2>&1 || true; fi
    fi
    if [ -d /run/systemd/system ]; then
      systemctl disable apache2 apache-htcacheclean >/dev/null 2>&1 || true
    else
      if command -v deb-systemd-helper >/dev/null 2>&1; then
        deb-systemd-helper disable apache2.service apache-htcacheclean.service >/dev/null 2>&1 || true
      fi
      for svc in apache2 apache-htcacheclean; do
        if [ -e "/etc/init.d/$svc" ]; then update-rc.d "$svc" disable >/dev/null 2>&1 || true; fi
      done
    fi
  fi
  if command -v ss >/dev/null 2>&1 && ss -Hltnp 'sport = :80' 2>/dev/null | grep -q '"apache2"'; then
    echo "setup: an apache2 listens on port 80: stop it (systemctl stop apache2 or /etc/init.d/apache2 stop)" >&2
    exit 1
  fi
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install Rust (>= 1.85) with rustup first" >&2
  exit 1
fi
echo "setup: ok ($(php -r 'echo PHP_VERSION;'), $(cargo --version))"
