#!/usr/bin/env bash
# One rule, one place: the plugin's PHP holds none of the lane's rules (tests/lane/literals.php)
# and has a message for every reason the extension gives (tests/lane/reason-messages.php).
# Last line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tmp="$(mktemp)"; trap 'rm -f "$tmp"' EXIT
pass=0; fail=0
count() { local line; line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$1" | tail -1)"
  pass=$((pass + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${line:-0 passed, 1 failed}")))
  fail=$((fail + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"${line:-0 passed, 1 failed}"))); }
if (cd "$repo" && cargo run -q --release --locked -p fastbeat-lane --example constants) >"$tmp"; then
  out="$(php "$here/literals.php" "$tmp")"; echo "$out" | grep -v '^ok'; count "$out"
else
  echo "not ok - the crate's constants example did not run"; fail=$((fail + 1))
fi
out="$(php -n -d "extension=${FASTBEAT_EXT:-$repo/target/release/libfastbeat.so}" "$here/reason-messages.php")"
echo "$out"; count "$out"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
