#!/usr/bin/env bash
# Checks tools/install.sh into a scratch PHP layout: the .so and ini land where they
# should, PHP loads the extension from there, the plugin is copied without its tests,
# and uninstall removes what install wrote.
set -uo pipefail
cd "$(dirname "$0")/.."
T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT
export FASTBEAT_EXT_DIR="$T/ext" FASTBEAT_INI_DIR="$T/ini" FASTBEAT_PLUGINS_DIR="$T/plugins"
pass=0; fail=0
check() { if eval "$2"; then pass=$((pass+1)); echo "ok   $1"; else fail=$((fail+1)); echo "FAIL $1"; fi; }
bash tools/install.sh install >"$T/out" 2>&1; rc=$?
check "install exits 0" "[ $rc -eq 0 ]"
check "extension copied" "[ -f '$T/ext/fastbeat.so' ]"
check "ini written" "grep -qx 'extension=fastbeat.so' '$T/ini/fastbeat.ini'"
check "PHP loads it from there" "php -n -d extension_dir='$T/ext' -d extension=fastbeat.so --ri fastbeat >/dev/null 2>&1"
check "plugin main file copied" "[ -f '$T/plugins/fastbeat/fastbeat.php' ]"
check "plugin tests not shipped" "[ ! -e '$T/plugins/fastbeat/tests' ]"
bash tools/install.sh uninstall >"$T/out2" 2>&1; rc=$?
check "uninstall exits 0" "[ $rc -eq 0 ]"
check "extension removed" "[ ! -e '$T/ext/fastbeat.so' ]"
check "ini removed" "[ ! -e '$T/ini/fastbeat.ini' ]"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
