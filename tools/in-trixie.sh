#!/usr/bin/env bash
# Runs a command as root inside the Debian trixie root made by
# tools/trixie-root.sh (PHP 8.4, MariaDB, nginx), with the host's Rust
# toolchain and this repository visible at the same paths as on the host:
#
#   tools/in-trixie.sh bash -c 'cd /work/main && CARGO_TARGET_DIR=/tmp/fb-target-php84 cargo build --release'
#
# Mounts:  /proc /sys /dev (with /dev/pts, /dev/shm) and /tmp: the host's;
#          the repo (or /work, when the repo or $PWD is under it), and $PWD;
#          $RUSTUP_HOME read-only; $CARGO_HOME read-write (see below) with its
#          bin/ read-only; the host's CA bundle. The command starts in $PWD.
# All mounts live in a private mount namespace made for this one call: the
# host never sees them, two calls never share them, and the kernel removes
# them when the last process of the call exits (no unmount step to forget or
# to race with a daemon the command left running).
#
#   FASTBEAT_TRIXIE_ROOT   the root (default /var/cache/fastbeat/trixie-root)
#   FASTBEAT_TRIXIE_BIND   extra host paths (space-separated), read-only
#   FASTBEAT_TRIXIE_PIDNS=1  also a private PID namespace with its own /proc:
#                          every process the command started (php-fpm,
#                          mariadbd, nginx...) is killed when it exits.
set -euo pipefail

ROOT=${FASTBEAT_TRIXIE_ROOT:-/var/cache/fastbeat/trixie-root}
ROOT=${ROOT%/}
MARK=etc/fastbeat-trixie-root
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

die() { echo "in-trixie: $*" >&2; exit 1; }

if [ "${_FASTBEAT_IN_TRIXIE_STAGE:-}" != inner ]; then
  [ $# -gt 0 ] || die "usage: $0 COMMAND [ARG...]"
  [ "$(id -u)" -eq 0 ] || die "must run as root (chroot and mounts)"
  [ -f "$ROOT/$MARK" ] || die "$ROOT is not a complete root; run tools/trixie-root.sh first"
  # Shared lock, held by the command itself through the inherited fd:
  # tools/trixie-root.sh takes it exclusively before replacing a root, so a
  # root is never deleted under a running command. Calls never block each other.
  # (A descriptor number >= 10 from bash, so scripts using 9>&- etc. keep it.)
  exec {lockfd}>>"$ROOT.lock"
  flock -s -w 900 "$lockfd" || die "timed out waiting for $ROOT.lock"
  ns=(--mount --propagation private)
  [ "${FASTBEAT_TRIXIE_PIDNS:-0}" = 1 ] && ns+=(--pid --fork --kill-child)
  _FASTBEAT_IN_TRIXIE_STAGE=inner exec unshare "${ns[@]}" -- "$BASH" "${BASH_SOURCE[0]}" "$@"
fi
unset _FASTBEAT_IN_TRIXIE_STAGE

# --- from here on: inside this call's own mount namespace -------------------

# A mount target inside the root must not pass through a symlink: an
# absolute link (e.g. var/run -> /run) would be followed on the host's side.
target() {
  local rel=${1#/} p=$ROOT
  local IFS=/
  for part in $rel; do
    p=$p/$part
    [ -L "$p" ] && die "refusing to mount over $p: it is a symlink in the root"
  done
  if [ -d "$1" ]; then mkdir -p "$ROOT$1"
  else mkdir -p "$(dirname "$ROOT$1")"; [ -e "$ROOT$1" ] || : >"$ROOT$1"; fi
}

bind() {  # bind SRC [ro]: SRC at the same path inside the root
  target "$1"
  mount --rbind "$1" "$ROOT$1"
  if [ "${2:-}" = ro ]; then mount -o remount,bind,ro "$ROOT$1"; fi
}

if [ "${FASTBEAT_TRIXIE_PIDNS:-0}" = 1 ]; then
  target /proc; mount -t proc proc "$ROOT/proc"   # this PID namespace's view
else
  bind /proc
fi
bind /sys
bind /dev    # recursive: brings /dev/pts and /dev/shm along
[ -d "$ROOT/dev/pts" ] && mountpoint -q "$ROOT/dev/pts" || bind /dev/pts
[ -d "$ROOT/dev/shm" ] && mountpoint -q "$ROOT/dev/shm" || bind /dev/shm
bind /tmp

# The project: the repo and the caller's directory, as /work when under it
# (so sibling checkouts and shared files there are visible too).
bound=(/tmp)
covered() { local b; for b in "${bound[@]}"; do case "$1/" in "$b"/*) return 0;; esac; done; return 1; }
for d in "$REPO" "$(pwd -P)"; do
  case "$d/" in /work/*) [ -d /work ] && d=/work ;; esac
  [ "$d" = / ] && continue
  covered "$d" && continue
  bind "$d"; bound+=("$d")
done

# Extra host paths the command needs, read-only (e.g. the host's WordPress:
# FASTBEAT_TRIXIE_BIND="/usr/share/wordpress /etc/wordpress").
for d in ${FASTBEAT_TRIXIE_BIND:-}; do
  case "$d" in /?*) ;; *) die "FASTBEAT_TRIXIE_BIND: $d is not an absolute path" ;; esac
  [ -e "$d" ] || die "FASTBEAT_TRIXIE_BIND: $d does not exist"
  covered "$d" || bind "$d" ro
done

# Rust: the host's toolchains read-only. CARGO_HOME stays writable so that
# cargo inside and outside share one registry cache and one set of lock files
# (.package-cache etc.: with a separate CARGO_HOME two cargos could unpack the
# same crate at once); its bin/ (the rustup proxies) is read-only on top.
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
cargo_home=${CARGO_HOME:-$HOME/.cargo}
[ -d "$rustup_home" ] || die "no rustup home at $rustup_home (set RUSTUP_HOME)"
[ -d "$cargo_home/bin" ] || die "no cargo home at $cargo_home (set CARGO_HOME)"
rustup_home=$(cd "$rustup_home" && pwd -P)
cargo_home=$(cd "$cargo_home" && pwd -P)
covered "$rustup_home" || bind "$rustup_home" ro
covered "$cargo_home" || bind "$cargo_home"
bind "$cargo_home/bin" ro

# DNS for cargo (crates.io). Written atomically: a concurrent call may be
# doing the same, and a symlinked resolv.conf in the root is replaced, not followed.
if [ -r /etc/resolv.conf ]; then
  tmp=$(mktemp "$ROOT/etc/.resolv.conf.XXXXXX")
  cat /etc/resolv.conf >"$tmp"; chmod 644 "$tmp"; mv -fT "$tmp" "$ROOT/etc/resolv.conf"
fi

# The host's CA bundle, not the root's own: it carries the host's local CAs
# (/usr/local/share/ca-certificates, e.g. an egress proxy's), without which
# cargo's TLS to crates.io fails with "self-signed certificate in chain".
[ -f /etc/ssl/certs/ca-certificates.crt ] && bind /etc/ssl/certs/ca-certificates.crt ro

# Host-only settings that would mislead the tools inside.
unset LD_PRELOAD LD_LIBRARY_PATH
case "${PHP_CONFIG:-}" in /*) [ -e "$ROOT$PHP_CONFIG" ] || unset PHP_CONFIG ;; esac

cwd=$(pwd -P); [ -d "$ROOT$cwd" ] || cwd=/
exec chroot "$ROOT" /usr/bin/env --chdir="$cwd" \
  HOME=/root \
  PATH="$cargo_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  RUSTUP_HOME="$rustup_home" CARGO_HOME="$cargo_home" \
  "$@"
