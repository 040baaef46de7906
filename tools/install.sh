#!/usr/bin/env bash
# Install Fastbeat into this machine's PHP and, optionally, into a WordPress site.
#   tools/install.sh install   [WORDPRESS_DIR]   (after cargo build --release)
#   tools/install.sh uninstall [WORDPRESS_DIR]
# Environment (for packaging or tests): FASTBEAT_EXT_DIR (default: php-config
# --extension-dir), FASTBEAT_INI_DIR (default: Debian's /etc/php/<ver>/mods-available,
# enabled for every SAPI with phpenmod; elsewhere PHP's scan dir), FASTBEAT_PLUGINS_DIR
# (default: <WORDPRESS_DIR>/wp-content/plugins, or WP_CONTENT_DIR from Debian's config).
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:-}"; wp="${2:-}"
so="target/release/libfastbeat.so"
ver="$(php -r 'echo PHP_MAJOR_VERSION.".".PHP_MINOR_VERSION;')"
ext_dir="${FASTBEAT_EXT_DIR:-$(php-config --extension-dir)}"
debian_mods="/etc/php/$ver/mods-available"
ini_dir="${FASTBEAT_INI_DIR:-}"
if [ -z "$ini_dir" ]; then
  if [ -d "$debian_mods" ] && command -v phpenmod >/dev/null; then ini_dir="$debian_mods"
  else ini_dir="$(php -r 'echo PHP_CONFIG_FILE_SCAN_DIR;')"; fi
fi

plugins_dir() {
  if [ -n "${FASTBEAT_PLUGINS_DIR:-}" ]; then echo "$FASTBEAT_PLUGINS_DIR"; return; fi
  [ -n "$wp" ] || return 0
  if [ -d "$wp/wp-content/plugins" ]; then echo "$wp/wp-content/plugins"; return; fi
  echo "install: cannot find wp-content/plugins under $wp; set FASTBEAT_PLUGINS_DIR" >&2
  return 1
}

case "$action" in
  install)
    [ -f "$so" ] || { echo "install: build first (cargo build --release)" >&2; exit 1; }
    install -d "$ext_dir" "$ini_dir"
    install -m 0644 "$so" "$ext_dir/fastbeat.so"
    printf '; Fastbeat: native WordPress heartbeat handlers\n; priority=30\nextension=fastbeat.so\n' >"$ini_dir/fastbeat.ini"
    if [ "$ini_dir" = "$debian_mods" ]; then phpenmod -v "$ver" fastbeat; fi
    echo "install: $ext_dir/fastbeat.so and $ini_dir/fastbeat.ini"
    if pd="$(plugins_dir)" && [ -n "$pd" ]; then
      rm -rf "$pd/fastbeat"; install -d "$pd/fastbeat"
      cp -R wp-plugin/. "$pd/fastbeat/"
      rm -rf "$pd/fastbeat/tests"
      echo "install: plugin copied to $pd/fastbeat (activate it in wp-admin → Plugins)"
    fi
    php -d "extension_dir=$ext_dir" -d extension=fastbeat.so --ri fastbeat >/dev/null 2>&1 \
      && echo "install: php --ri fastbeat OK" \
      || { echo "install: the extension does not load" >&2; exit 1; }
    echo "install: restart PHP-FPM (e.g. systemctl restart php$ver-fpm) so workers load it"
    ;;
  uninstall)
    if [ "$ini_dir" = "$debian_mods" ] && [ -f "$ini_dir/fastbeat.ini" ]; then phpdismod -v "$ver" fastbeat || true; fi
    rm -f "$ini_dir/fastbeat.ini" "$ext_dir/fastbeat.so"
    if pd="$(plugins_dir)" && [ -n "$pd" ]; then
      echo "install: deactivate and delete the plugin in wp-admin (runs uninstall.php); files left in $pd/fastbeat"
    fi
    echo "uninstall: removed; restart PHP-FPM. Core serves heartbeats again."
    ;;
  *) echo "usage: $0 install|uninstall [WORDPRESS_DIR]" >&2; exit 2 ;;
esac
