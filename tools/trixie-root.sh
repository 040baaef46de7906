#!/usr/bin/env bash
# Creates, once, a Debian 13 (trixie) root with PHP 8.4, MariaDB, nginx and the
# C/clang tools ext-php-rs needs, so the extension can be built and tested
# against PHP 8.4 on a Debian 12 host. Run it as root; tools/in-trixie.sh runs
# commands inside the root. Re-running on a complete root only prints its facts.
#
#   FASTBEAT_TRIXIE_ROOT    where the root lives (default /var/cache/fastbeat/trixie-root)
#   FASTBEAT_TRIXIE_MIRROR  Debian mirror (default http://deb.debian.org/debian)
#   FASTBEAT_TRIXIE_SECURITY_MIRROR  (default http://deb.debian.org/debian-security)
set -euo pipefail

ROOT=${FASTBEAT_TRIXIE_ROOT:-/var/cache/fastbeat/trixie-root}
ROOT=${ROOT%/}
MIRROR=${FASTBEAT_TRIXIE_MIRROR:-http://deb.debian.org/debian}
SECURITY=${FASTBEAT_TRIXIE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# Written last: its presence (with the same package list) means "complete".
MARK=etc/fastbeat-trixie-root

PKGS=(
  php8.4-dev php8.4-cli php8.4-cgi php8.4-fpm php8.4-mysql php8.4-mbstring
  php8.4-xml php8.4-opcache php8.4-curl php8.4-gd
  libclang-dev gcc libc6-dev pkg-config make
  mariadb-server mariadb-client nginx-light
  # cargo (from the host toolchain) reads the system CA store for crates.io.
  ca-certificates
  # Satisfies php8.4-fpm's "systemd | systemd-tmpfiles" without pulling in
  # all of systemd (6 packages, a slow postinst) that nothing here runs.
  systemd-standalone-tmpfiles
)
WANT="packages=${PKGS[*]}"

complete() { [ -f "$ROOT/$MARK" ] && grep -qxF "$WANT" "$ROOT/$MARK"; }

facts() {
  local php
  php=$(chroot "$ROOT" php8.4 -r 'echo PHP_VERSION;' 2>/dev/null || echo '?')
  echo "trixie-root: $ROOT is complete: PHP $php" \
    "($(sed -n 's/^created=//p' "$ROOT/$MARK"), built in $(sed -n 's/^seconds=//p' "$ROOT/$MARK") s)"
}

if complete; then facts; exit 0; fi

if [ "$(id -u)" -ne 0 ]; then
  echo "trixie-root: $ROOT is missing or incomplete; run this script as root" >&2
  exit 1
fi

mkdir -p "$(dirname "$ROOT")"
# Exclusive lock: a concurrent run waits and then finds the root complete;
# tools/in-trixie.sh holds it shared, so a root in use is never replaced.
exec {lockfd}>>"$ROOT.lock"
flock -w 900 -x "$lockfd" || { echo "trixie-root: timed out waiting for $ROOT.lock" >&2; exit 1; }
if complete; then facts; exit 0; fi

if ! command -v mmdebstrap >/dev/null; then
  echo "trixie-root: installing mmdebstrap on the host"
  # Wait for another apt/dpkg run instead of failing on its lock.
  inst() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
             -o DPkg::Lock::Timeout=600 mmdebstrap >/tmp/fastbeat-mmdebstrap-apt.log 2>&1; }
  inst || { apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null && inst; } || {
    tail -20 /tmp/fastbeat-mmdebstrap-apt.log >&2; exit 1; }
fi

start=$SECONDS
# Build beside the final path and rename at the end, so $ROOT is either
# complete or absent. --one-file-system: never follow a stray mount.
rm -rf --one-file-system "$ROOT.new"
if [ -e "$ROOT" ]; then
  echo "trixie-root: $ROOT is incomplete or has another package list; recreating"
  rm -rf --one-file-system "$ROOT"
fi

opts=(
  --mode=root
  # Essential + apt only (no Priority:required extras); --include adds the rest.
  --variant=apt
  --components=main
  --include="$(IFS=,; echo "${PKGS[*]}")"
  # No translated descriptions: fewer index downloads. Permanent inside the root.
  --aptopt='Acquire::Languages "none"'
  --aptopt='APT::Install-Recommends "false"'
  # Docs, man pages and translations are the bulk of dpkg's file writes and
  # of no use here; copyright files stay.
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/groff/*'
  --dpkgopt='path-exclude=/usr/share/lintian/*'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-include=/usr/share/locale/locale.alias'
  # A permanent policy-rc.d (mmdebstrap's own temporary one would replace and
  # then remove it), in place before any package with a service is installed.
  --skip=chroot/policy-rc.d
  --essential-hook='printf "#!/bin/sh\n# fastbeat: never start services from dpkg\nexit 101\n" >"$1/usr/sbin/policy-rc.d" && chmod 755 "$1/usr/sbin/policy-rc.d"'
  # No package ships /etc/hosts; php, nginx and mariadb resolve "localhost".
  --customize-hook='printf "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" >"$1/etc/hosts"'
)
# dpkg without fsync is the largest single saving (the root is a rebuildable
# cache, not a system that must survive a crash). The eatmydata hook needs
# dpkg-architecture (dpkg-dev) on the host; without it, --force-unsafe-io.
if command -v dpkg-architecture >/dev/null && [ -d /usr/share/mmdebstrap/hooks/eatmydata ]; then
  opts+=(--hook-dir=/usr/share/mmdebstrap/hooks/eatmydata)
else
  opts+=(--dpkgopt=force-unsafe-io)
fi

echo "trixie-root: creating $ROOT (about 240 packages, ~220 MB download)"
log=/tmp/fastbeat-trixie-root.log
# Own mount namespace: whatever mmdebstrap mounts in the root (/proc, /sys,
# /dev) vanishes with it, even if it is killed.
if ! unshare --mount --propagation private -- mmdebstrap "${opts[@]}" trixie "$ROOT.new" \
      "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR trixie main" \
      "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR trixie-updates main" \
      "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $SECURITY trixie-security main" \
      >"$log" 2>&1; then
  tail -40 "$log" >&2
  echo "trixie-root: mmdebstrap failed; full log in $log" >&2
  rm -rf --one-file-system "$ROOT.new"
  exit 1
fi

# Everything the project runs inside must be there before the root counts.
for f in usr/bin/php8.4 usr/bin/php-cgi8.4 usr/sbin/php-fpm8.4 usr/bin/php-config8.4 \
         usr/sbin/mariadbd usr/bin/mariadb usr/sbin/nginx usr/bin/cc usr/bin/pkg-config \
         usr/bin/make usr/sbin/policy-rc.d; do
  [ -e "$ROOT.new/$f" ] || { echo "trixie-root: $f missing in the new root" >&2; exit 1; }
done
ls "$ROOT.new"/usr/lib/llvm-*/lib/libclang.so* >/dev/null 2>&1 \
  || { echo "trixie-root: libclang missing in the new root" >&2; exit 1; }

{
  echo "$WANT"
  echo "created=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "seconds=$((SECONDS - start))"
} >"$ROOT.new/$MARK"
mv -T "$ROOT.new" "$ROOT"
echo "trixie-root: created in $((SECONDS - start)) s, $(du -sh --one-file-system "$ROOT" | cut -f1)"
facts
