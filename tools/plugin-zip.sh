#!/usr/bin/env bash
# The plugin's release zip, installable from wp-admin (Plugins → Add New → Upload Plugin):
#
#   tools/plugin-zip.sh PLUGIN_DIR OUT_DIR [EPOCH]
#
# writes OUT_DIR/fastbeat-<Version>.zip with one top-level folder, fastbeat/: the runtime
# plugin only (PLUGIN_DIR minus what its .distignore lists: tests, dev tools, phpcs
# config), plus languages/fastbeat.pot made with xgettext. The zip's readme.txt gets the
# "Requires at least" and "Requires PHP" lines from fastbeat.php's header, their one
# place in the source. EPOCH (default: now) is the files' time in the zip and the POT's
# creation date, so the same source and EPOCH give the same zip.
set -euo pipefail

src=${1:?usage: $0 PLUGIN_DIR OUT_DIR [EPOCH]}
out=${2:?usage: $0 PLUGIN_DIR OUT_DIR [EPOCH]}
epoch=${3:-$(date +%s)}
die() { echo "plugin-zip: $*" >&2; exit 1; }
for t in xgettext msgcat msgfmt zip; do
  command -v "$t" >/dev/null || die "$t not found (Debian: apt-get install gettext zip; tools/setup.sh does)"
done
[ -f "$src/fastbeat.php" ] || die "$src/fastbeat.php not found"

# A header field as WordPress's get_file_data() reads it.
header() { sed -nE "0,/^[ \\t/*#@]*$1:(.*)\$/s//\\1/p" "$src/fastbeat.php" | sed -E 's/^[[:space:]]+|[[:space:]]+$//g'; }
version=$(header 'Version')
requires_wp=$(header 'Requires at least')
requires_php=$(header 'Requires PHP')
name=$(header 'Plugin Name')
description=$(header 'Description')
author=$(header 'Author')
domain=$(header 'Text Domain')
if [ -z "$version" ] || [ -z "$requires_wp" ] || [ -z "$requires_php" ]; then
  die "fastbeat.php lacks Version, Requires at least or Requires PHP"
fi
[ "$domain" = fastbeat ] || die "Text Domain is '$domain', expected fastbeat"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
stage="$tmp/fastbeat"; mkdir "$stage"

# .distignore: top-level entries (/tests, /tools, ...) that stay out of releases.
declare -A ignore=()
while IFS= read -r line; do
  line=${line%%#*}; line=${line//[[:space:]]/}; line=${line#/}; line=${line%/}
  [ -n "$line" ] || continue
  case $line in */*|*'*'*) die ".distignore: only top-level names are supported, not '$line'" ;; esac
  ignore[$line]=1
done <"$src/.distignore"
shopt -s dotglob nullglob
for f in "$src"/*; do
  [ -z "${ignore[$(basename "$f")]:-}" ] || continue
  cp -a "$f" "$stage/"
done
shopt -u dotglob nullglob

# languages/fastbeat.pot: WordPress's gettext functions with xgettext's keyword specs
# (N: the msgid is argument N; N,M: singular N, plural M; Kc: argument K is the context).
mkdir -p "$stage/languages"
mapfile -t php_files < <(cd "$stage" && find . -name '*.php' -not -path './languages/*' | sed 's#^\./##' | LC_ALL=C sort)
# shellcheck disable=SC2054  # the commas belong to xgettext's keyword specs
keywords=(
  __:1 _e:1 esc_html__:1 esc_html_e:1 esc_attr__:1 esc_attr_e:1
  _x:1,2c _ex:1,2c esc_html_x:1,2c esc_attr_x:1,2c
  _n:1,2 _n_noop:1,2 _nx:1,2,4c _nx_noop:1,2,3c
)
(cd "$stage" && xgettext --language=PHP --from-code=UTF-8 --no-wrap --add-comments=translators: \
  --keyword "${keywords[@]/#/--keyword=}" --package-name="$name" --package-version="$version" \
  --msgid-bugs-address='https://wordpress.org/support/plugin/fastbeat' \
  -o "$tmp/code.pot" "${php_files[@]}")
[ -s "$tmp/code.pot" ] || die "xgettext found no translatable strings"
created=$(date -u -d "@$epoch" '+%Y-%m-%d %H:%M+0000')
year=$(date -u -d "@$epoch" '+%Y')
# The plugin's header strings, as WordPress's tooling extracts them (translated by
# WordPress when it lists the plugin).
pot_str() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
{
  printf '#. Plugin Name of the plugin\n#: fastbeat.php\nmsgid "%s"\nmsgstr ""\n\n' "$(pot_str "$name")"
  printf '#. Description of the plugin\n#: fastbeat.php\nmsgid "%s"\nmsgstr ""\n\n' "$(pot_str "$description")"
  printf '#. Author of the plugin\n#: fastbeat.php\nmsgid "%s"\nmsgstr ""\n' "$(pot_str "$author")"
} >"$tmp/header-strings.po"
sed -n '1,/^$/p' "$tmp/code.pot" >"$tmp/head.pot"
cat "$tmp/head.pot" "$tmp/header-strings.po" >"$tmp/header.pot"
msgcat --use-first --no-wrap -o "$tmp/all.pot" "$tmp/header.pot" "$tmp/code.pot"
sed -e "1,4c\\# Copyright (C) $year Fastbeat contributors\\n# This file is distributed under the GPL-2.0-or-later license, as the Fastbeat plugin." \
    -e "s/^\"POT-Creation-Date: .*\\\\n\"\$/\"POT-Creation-Date: $created\\\\n\"/" \
    -e 's/charset=CHARSET/charset=UTF-8/' \
    -e "s/^\"Content-Transfer-Encoding: 8bit\\\\n\"\$/&\\n\"X-Domain: $domain\\\\n\"/" \
    "$tmp/all.pot" >"$stage/languages/fastbeat.pot"
# A template keeps the default header values, so only formats and domains are checked.
msgfmt --check-format --check-domain -o /dev/null "$stage/languages/fastbeat.pot" ||
  die "msgfmt --check-format rejects the POT"

# readme.txt: the requirements from the header, where WordPress.org's format puts them.
awk -v wp="$requires_wp" -v php="$requires_php" '
  /^Tested up to:/ && !a { print "Requires at least: " wp; a = 1 }
  { print }
  /^Stable tag:/ && !b { print "Requires PHP: " php; b = 1 }
  END { if (!a || !b) exit 1 }' "$src/readme.txt" >"$stage/readme.txt" ||
  die "readme.txt needs 'Tested up to:' and 'Stable tag:' lines"

# Reproducible: fixed times, sorted entries, no extra attributes; read-only for others.
find "$stage" -exec touch -h -d "@$epoch" {} +
chmod -R u=rwX,go=rX "$stage"
mkdir -p "$out"
zipfile="$(cd "$out" && pwd)/fastbeat-$version.zip"
rm -f "$zipfile"
(cd "$tmp" && find fastbeat | LC_ALL=C sort | TZ=UTC zip -X -q -@ "$zipfile")
echo "$zipfile"
