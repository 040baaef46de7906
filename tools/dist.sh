#!/usr/bin/env bash
# `make dist`: the release artifacts, in dist/ (run as root on Debian 12):
#
#   php_fastbeat-<version>_php<X.Y>-x86_64-linux-glibc-nts.tgz   fastbeat.so for PHP X.Y
#       (8.2 natively, 8.4 in the trixie root), stripped, at the archive's root: the
#       name and layout PIE's pre-packaged-binary download looks for
#   fastbeat-<plugin version>.zip      the WordPress plugin (tools/plugin-zip.sh)
#   BUILDINFO.txt                      what each binary is built for and needs (GLIBC_)
#   SHA256SUMS                         sha256sum -c SHA256SUMS
#
# Each binary is built from a clean copy of the tracked tree (git archive; uncommitted
# changes to tracked files included and flagged in BUILDINFO.txt) exactly as PIE and
# PECL build from source: phpize, ./configure, make, make install into a scratch root
# (tools/phpize-build.sh checks each step). The two builds run in parallel, each with
# its own cargo target directory under target/dist/ (kept between runs).
#
#   tools/dist.sh [--php 8.2,8.4]
# Environment: FASTBEAT_DIST_DIR (default dist/), FASTBEAT_DIST_WORK (default target/dist).
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
REPO=$PWD
OUT=${FASTBEAT_DIST_DIR:-$REPO/dist}
WORK=${FASTBEAT_DIST_WORK:-$REPO/target/dist}
phps=(8.2 8.4)
while [ $# -gt 0 ]; do
  case $1 in
    --php) IFS=, read -r -a phps <<<"${2:?--php needs a list, e.g. 8.2,8.4}"; shift 2 ;;
    *) echo "usage: $0 [--php 8.2,8.4]" >&2; exit 2 ;;
  esac
done

pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
finish() { echo "dist: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
die() { bad "$*"; finish; }
# Adds the "N passed, N failed" of a sub-check's output to the totals.
tally() { local line p f; line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  if [ -z "$line" ]; then bad "$2: no result line"; return; fi
  p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
  pass=$((pass + p)); fail=$((fail + f)); }

for v in "${phps[@]}"; do
  case $v in 8.2|8.4) ;; *) die "PHP $v: only 8.2 (host) and 8.4 (trixie root) are built here" ;; esac
done
[ "$(uname -m)" = x86_64 ] || die "the artifacts are x86_64 builds; this machine is $(uname -m)"
[ "$(id -u)" -eq 0 ] || die "run as root (the PHP 8.4 build runs in the trixie root)"
for t in git objdump readelf strip sha256sum tar gzip; do
  command -v "$t" >/dev/null || die "$t not found"
done

version=$(sed -nE '0,/^version *= *"([^"]+)"/s//\1/p' Cargo.toml)
commit=$(git rev-parse HEAD)
# The tracked tree as it is now: HEAD, or a commit object of the uncommitted changes
# (git stash create: nothing in the repository or the working tree changes).
tree=$(git stash create 2>/dev/null || true)
if [ -n "$tree" ]; then dirty=yes; else tree=$commit; dirty=no; fi
epoch=$(git log -1 --format=%ct "$commit")
echo "dist: Fastbeat $version from $commit$([ "$dirty" = yes ] && echo ' + uncommitted changes'), PHP ${phps[*]}"

rm -rf "$OUT"; mkdir -p "$OUT" "$WORK"
rm -rf "$WORK/src"; mkdir -p "$WORK/src"
git archive --format=tar "$tree" | tar -x -C "$WORK/src" || die "git archive failed"

# --- the binaries ---------------------------------------------------------------------
build() { # build <php version>: a clean copy, then tools/phpize-build.sh (in the trixie root for 8.4)
  local v=$1 d="$WORK/php$1"
  rm -rf "$d/src" "$d/root"; mkdir -p "$d"
  cp -a "$WORK/src" "$d/src"
  local cmd=(env CARGO_TARGET_DIR="$d/target" FASTBEAT_PHPIZE_LOG="$d/build.log"
             bash "$REPO/tools/phpize-build.sh" "$d/src" "$v" "$d/root")
  if [ "$v" = 8.4 ]; then tools/in-trixie.sh "${cmd[@]}"; else "${cmd[@]}"; fi
}
for v in "${phps[@]}"; do
  if [ "$v" = 8.4 ]; then
    bash tools/trixie-root.sh >"$WORK/trixie-root.log" 2>&1 ||
      { cat "$WORK/trixie-root.log"; die "tools/trixie-root.sh failed"; }
    tail -1 "$WORK/trixie-root.log"
  fi
done
start=$SECONDS
pids=()
for v in "${phps[@]}"; do build "$v" >"$WORK/php$v.out" 2>&1 & pids+=($!); done
for i in "${!pids[@]}"; do wait "${pids[$i]}"; done
echo "dist: builds took $((SECONDS - start)) s (in parallel)"
for v in "${phps[@]}"; do
  echo "== PHP $v: phpize, configure, make, make install (full log: $WORK/php$v/build.log)"
  cat "$WORK/php$v.out"
  tally "$WORK/php$v.out" "PHP $v build"
done
[ "$fail" -eq 0 ] || finish

# GLIBC_x.y versions an ELF file's dynamic symbols need, oldest first.
glibc_needs() { objdump -T "$1" | grep -oE 'GLIBC_[0-9]+(\.[0-9]+)+' | sort -u -V; }
{
  echo "Fastbeat $version release artifacts"
  echo "source: $commit$([ "$dirty" = yes ] && echo ' with uncommitted changes (not a release build)')"
  echo "source date: $(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ) (commit time; the archives' file times)"
  echo "compiler: $(rustc --version 2>/dev/null || echo 'rustc ?'), ext-php-rs $(sed -nE 's/^ext-php-rs = "=?([^"]+)"/\1/p' Cargo.toml)"
  echo
} >"$OUT/BUILDINFO.txt"
for v in "${phps[@]}"; do
  d="$WORK/php$v"
  so=$(find "$d/root" -name fastbeat.so -type f | head -1)
  [ -n "$so" ] || die "PHP $v: no installed fastbeat.so under $d/root"
  asset="php_fastbeat-${version}_php${v}-x86_64-linux-glibc-nts.tgz"
  stage="$d/asset"; rm -rf "$stage"; mkdir -p "$stage"
  cp "$so" "$stage/fastbeat.so"
  strip --strip-unneeded "$stage/fastbeat.so" || die "strip failed"
  chmod 0755 "$stage/fastbeat.so"; touch -d "@$epoch" "$stage/fastbeat.so"
  # The stripped module still loads, into the PHP it was built for.
  if [ "$v" = 8.4 ]; then run=(tools/in-trixie.sh php8.4); else run=(php8.2); fi
  ri=$("${run[@]}" -n -d "extension=$stage/fastbeat.so" --ri fastbeat 2>&1)
  check "PHP $v: the stripped fastbeat.so loads (php$v --ri fastbeat)" grep -q '^built for PHP => ' <<<"$ri"
  built_for=$(sed -n 's/^built for PHP => //p' <<<"$ri")
  elf=$(readelf -h "$stage/fastbeat.so")
  check "PHP $v: an ELF shared object" grep -qE '^ *Type: +DYN ' <<<"$elf"
  check "PHP $v: for x86-64, as the name's 'x86_64' says" grep -qE '^ *Machine: +Advanced Micro Devices X86-64$' <<<"$elf"
  needed=$(readelf -d "$stage/fastbeat.so" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p' | paste -sd' ')
  check "PHP $v: links glibc (libc.so.6), as the name's 'glibc' says" grep -qw 'libc.so.6' <<<"$needed"
  check "PHP $v: stripped (no .symtab)" bash -c "! readelf -S '$stage/fastbeat.so' | grep -q '\.symtab'"
  glibc=$(glibc_needs "$stage/fastbeat.so")
  glibc_max=$(tail -1 <<<"$glibc")
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$stage" -cf - fastbeat.so |
    gzip -n -9 >"$OUT/$asset" || die "tar failed"
  if [ "$v" = 8.4 ]; then built_on="Debian 13 trixie root, glibc $(tools/in-trixie.sh ldd --version | sed -nE '1s/.* ([0-9.]+)$/\1/p')"
  else built_on="Debian 12 bookworm, glibc $(ldd --version | sed -nE '1s/.* ([0-9.]+)$/\1/p')"; fi
  {
    echo "$asset"
    echo "  fastbeat.so for PHP $built_for"
    echo "  size $(stat -c %s "$stage/fastbeat.so") bytes (stripped), sha256 $(sha256sum "$stage/fastbeat.so" | cut -d' ' -f1)"
    echo "  built on: $built_on"
    echo "  needs (DT_NEEDED): $needed"
    all=${glibc//GLIBC_/}
    echo "  highest glibc symbol version: $glibc_max (all: ${all//$'\n'/ })"
    echo
  } >>"$OUT/BUILDINFO.txt"
  ok "PHP $v: $asset ($(stat -c %s "$OUT/$asset") bytes; needs $glibc_max)"
done
cat >>"$OUT/BUILDINFO.txt" <<'EOF'
A binary loads only into the PHP minor version and API it was built for (NTS, non-debug,
x86_64) and needs a glibc at least as new as its highest GLIBC_ symbol version.
EOF

# --- the plugin -----------------------------------------------------------------------
if zip=$(bash tools/plugin-zip.sh "$WORK/src/wp-plugin" "$OUT" "$epoch" 2>"$WORK/plugin-zip.log"); then
  ok "plugin: $(basename "$zip") ($(stat -c %s "$zip") bytes)"
else
  cat "$WORK/plugin-zip.log"; die "tools/plugin-zip.sh failed"
fi

(cd "$OUT" && sha256sum -- *.tgz *.zip BUILDINFO.txt >SHA256SUMS)
check "SHA256SUMS verifies (sha256sum -c)" bash -c "cd '$OUT' && sha256sum --quiet -c SHA256SUMS"

# --- what PIE and WordPress will make of them -----------------------------------------
php8.2 -n -d extension=phar -d extension=tokenizer "$REPO/tests/pack/dist-check.php" "$REPO" "$OUT" "$WORK/src/wp-plugin" >"$WORK/dist-check.out" 2>&1
cat "$WORK/dist-check.out"
tally "$WORK/dist-check.out" "tests/pack/dist-check.php"

echo
echo "dist: $OUT"
find "$OUT" -maxdepth 1 -type f -printf '  %s\t%f\n' | sort -k2
sed 's/^/  /' "$OUT/BUILDINFO.txt"
finish
