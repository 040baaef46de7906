#!/usr/bin/env bash
# Fetches Debian's WordPress of another suite into a private root, idempotently:
#   tools/wp-fetch.sh bookworm|trixie|sid|all        (as root)
# Per suite: ${FASTBEAT_WP_ROOT:-/var/cache/fastbeat/wp}/<suite>/{apt,debs,root}.
# apt runs with its own config, sources list, lists, cache and an empty dpkg status:
# the host's apt set-up is neither used nor changed, and a running host apt-get does
# not block it. stdout, per suite: "<wp version> <root>/usr/share/wordpress".
set -euo pipefail

BASE=${FASTBEAT_WP_ROOT:-/var/cache/fastbeat/wp}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
THEME=wordpress-theme-twentytwentythree
log() { echo "wp-fetch: $*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root"
[ -r "$KEYRING" ] || die "$KEYRING missing (package debian-archive-keyring)"
command -v dpkg-deb >/dev/null && command -v apt-get >/dev/null || die "needs apt-get and dpkg-deb"

# The host's mirror (first deb line or URIs: field ending in /<dir>), else deb.debian.org.
host_uri() {
  local f files=()
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  [ "${#files[@]}" -gt 0 ] || return 0
  sed -nE "s#^(URIs:|deb(\s+\[[^]]*\])?)\s+(\S*/$1)/?(\s.*)?\$#\3#p" "${files[@]}" | sed -n 1p
}
MIRROR=$(host_uri debian); MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=$(host_uri debian-security); SECURITY=${SECURITY:-http://deb.debian.org/debian-security}

declare -A UPDATED=()
# apt-get/apt-cache ($1) on suite $2's private state only: its own config file is read
# before, and instead of, /etc/apt/apt.conf.d (no host hooks, lists, caches or locks).
apt_() {
  local tool=$1 s=$2; shift 2
  APT_CONFIG="$BASE/$s/apt/apt.conf" "$tool" -q "$@"
}

# Writes the suite's apt config and sources list; refreshes its lists once per run.
prepare() {
  local s=$1 d="$BASE/$1/apt" o="[signed-by=$KEYRING target=Packages]" k
  [ -n "${UPDATED[$s]:-}" ] && return 0
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/empty" "$BASE/$s/debs"
  {
    for k in parts sourceparts preferencesparts; do echo "Dir::Etc::$k \"$d/empty\";"; done
    for k in main preferences; do echo "Dir::Etc::$k \"$d/empty/none\";"; done
    echo "Dir::Etc::sourcelist \"$d/sources.list\";"
    echo "Dir::State::Lists \"$d/lists\"; Dir::State::extended_states \"$d/empty/none\";"
    echo "Dir::State::status \"/dev/null\"; Dir::Cache \"$d/cache\"; Dir::Cache::srcpkgcache \"\";"
    echo 'Acquire::Languages "none"; Acquire::GzipIndexes "true";'
    # Keep the host's proxy and date checks (a frozen mirror needs them relaxed).
    apt-config dump 2>/dev/null |
      grep -E '^Acquire::((https?|ftp)::Proxy|Check-Valid-Until|Check-Date)[": ]' || true
  } >"$d/apt.conf"
  case $s in
    sid) echo "deb $o $MIRROR sid main" >"$d/sources.list" ;;
    *) printf 'deb %s %s %s main\n' "$o" "$MIRROR" "$s" "$o" "$MIRROR" "$s-updates" \
         "$o" "$SECURITY" "$s-security" >"$d/sources.list" ;;
  esac
  # Offline re-runs may keep working from the previous lists.
  apt_ apt-get "$s" -qq update ||
    { compgen -G "$d/lists/*_Packages*" >/dev/null && log "$s: update failed, using old lists"; } ||
    die "$s: apt-get update failed"
  UPDATED[$s]=1
}

# Appends to DEBS the .debs of packages $2... of suite $1, downloading only versions
# not already in its debs/.
fetch() {
  local s=$1; shift
  local debs="$BASE/$s/debs" uri file rest f n=${#DEBS[@]} missing=()
  [ "$#" -gt 0 ] || return 0
  prepare "$s"
  while read -r uri file rest; do
    [ -s "$debs/$file" ] || missing+=("${file%%_*}")
    DEBS+=("$debs/$file")
  done < <(apt_ apt-get "$s" -qq download --print-uris "$@")
  [ "$((${#DEBS[@]} - n))" -eq "$#" ] || { log "$s: not all of $* found"; return 1; }
  if [ "${#missing[@]}" -gt 0 ]; then
    log "$s: downloading ${missing[*]}"
    # _apt (apt's sandbox user) must be able to write the target directory.
    chown _apt "$debs" 2>/dev/null || true
    (cd "$debs" && apt_ apt-get "$s" -qq download "${missing[@]}") >&2
  fi
  for f in "${DEBS[@]:n}"; do [ -s "$f" ] || die "$s: $f not downloaded"; done
}

one() {
  local s=$1 dir="$BASE/$1" libs tmp wp bad l t
  DEBS=()
  fetch "$s" wordpress || exit 1
  # Its wp-includes links point into /usr/share/{php,javascript}/<dir>: map dirs to packages.
  libs=$(dpkg-deb -c "${DEBS[0]}" |
    sed -nE 's#.* -> (/usr/share/|(\.\./)+)(php|javascript)/([^/]+)/.*#\3/\4#p' | sort -u |
    sed -E 's#^javascript/#libjs-#; s#^php/getid3$#php-getid3#; s#^php/(libphp-)#\1#')
  # shellcheck disable=SC2086
  fetch "$s" $libs || exit 1
  # The theme from bookworm when the suite has none.
  if apt_ apt-cache "$s" show "$THEME" >/dev/null 2>&1; then fetch "$s" "$THEME"
  else fetch bookworm "$THEME"; fi || exit 1

  if [ ! -d "$dir/root" ] || ! cmp -s "$dir/root.debs" <(printf '%s\n' "${DEBS[@]}" | sort); then
    log "$s: extracting ${#DEBS[@]} packages"
    tmp="$dir/root.tmp"; rm -rf "$tmp"; mkdir -p "$tmp"
    for l in "${DEBS[@]}"; do dpkg-deb -x "$l" "$tmp"; done
    # Absolute links to files this root has (the theme under /var/lib/wordpress,
    # /etc/wordpress/htaccess, any /usr/share/{php,javascript} one) become relative,
    # so the tree does not fall back on the host's files.
    while IFS= read -r -d '' l; do
      t=$(readlink "$l")
      if [ -e "$tmp$t" ] || [ -L "$tmp$t" ]; then
        ln -sfn "$(realpath -sm --relative-to="$(dirname "$l")" "$tmp$t")" "$l"
      fi
    done < <(find "$tmp" -type l -lname '/*' -print0)
    wp="$tmp/usr/share/wordpress"
    [ -f "$wp/wp-includes/version.php" ] && [ -d "$wp/wp-content/themes/twentytwentythree" ] ||
      die "$s: incomplete tree in $tmp"
    # Every link resolves, inside the root (ca-bundle.crt is the host's CA file by design).
    bad=$(find "$wp" \( -xtype l -o -lname '/*' \) ! -path '*/wp-includes/certificates/ca-bundle.crt')
    [ -z "$bad" ] || die "$s: links not resolved inside the root:"$'\n'"$bad"
    rm -rf "$dir/root"; mv "$tmp" "$dir/root"
    printf '%s\n' "${DEBS[@]}" | sort >"$dir/root.debs"
    # Older versions' .debs are no longer needed.
    find "$dir/debs" -name '*.deb' | { grep -vxF -f "$dir/root.debs" || true; } | xargs -r rm -f
  fi
  wp="$dir/root/usr/share/wordpress"
  [ -e "$wp/wp-includes/certificates/ca-bundle.crt" ] ||
    log "$s: host lacks /etc/ssl/certs/ca-certificates.crt (package ca-certificates)"
  echo "$(sed -nE "s/^\\\$wp_version = '([^']+)';.*/\1/p" "$wp/wp-includes/version.php") $wp"
}

case ${1:-} in
  bookworm|trixie|sid) one "$1" ;;
  all) for s in bookworm trixie sid; do one "$s"; done ;;
  *) echo "usage: $0 bookworm|trixie|sid|all" >&2; exit 2 ;;
esac
