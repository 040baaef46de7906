#!/usr/bin/env bash
# Every benchmark the version matrix (issue 17) and the real-site conditions (issue 18)
# report, one after another on a quiet machine, then one table (bench/matrix.py):
#
#   cells       WordPress 6.1 / 6.8 / 7.1 on PHP 8.2 and 7.1 on PHP 8.4: core, the full path
#               and the lane side by side, 9 interleaved rounds of 1 s runs (bench/run.sh)
#   conditions  WordPress 7.1 on PHP 8.2: HTTPS behind the X-Forwarded-Proto and CF-Visitor
#               fronts, Redis's object cache, a network's main site and /site2/, Apache
#               with mod_php (bench/apache.sh), and the plugin shapes (deployed-lane
#               fixtures installed for the run): core and the lane, 3 rounds of 2 s runs (2
#               for plugins)
#
#   bench/matrix.sh [--out DIR] [--only cells|conditions|plugins] [--rounds-scale F]
#
# Results: DIR (default bench/results/matrix-<date>) with one folder per run and
# summary.md. Takes about 45 minutes. Last line "N passed, N failed".
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$HERE/results/matrix-$(date -u +%Y%m%d-%H%M)" only="" scale=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift ;;
    --only) only="$2"; shift ;;
    --rounds-scale) scale="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "matrix: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
unset FASTBEAT_VARIANT FASTBEAT_PROXY_FRONT FASTBEAT_SITE_PATH FASTBEAT_BENCH_FIXTURES FASTBEAT_ENV_FOR
r() { awk -v n="$1" -v s="$scale" 'BEGIN { x = int(n * s + 0.5); print (x < 1 ? 1 : x) }'; }
runs=()
# run <name> <label> <env...> -- <bench args...>
run() {
  local name="$1" label="$2" envs=()
  shift 2
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  mkdir -p "$out/$name"
  echo "$label" >"$out/$name/label"
  echo "=== matrix: $name ($label) $(date -u +%H:%M:%S)"
  env "${envs[@]}" bash "$HERE/run.sh" --out "$out/$name" "$@" >"$out/$name/log" 2>&1
  echo "=== matrix: $name: $(tail -1 "$out/$name/log")"
  runs+=("$out/$name")
}
common=(--sites bare --no-memory --no-micro --duration 2)

if [ -z "$only" ] || [ "$only" = cells ]; then
  for combo in 6.1/8.2 6.8/8.2 7.1/8.2 7.1/8.4; do
    # The floor (a trivial PHP file on the same pool) once, on the current release: it
    # bounds what any answer can reach on this machine.
    variants=core,full,lane; [ "$combo" = 7.1/8.2 ] && variants=floor,core,full,lane
    run "cell-wp${combo%/*}-php${combo#*/}" "WordPress ${combo%/*} / PHP ${combo#*/}" \
      FASTBEAT_WP="${combo%/*}" FASTBEAT_PHP="${combo#*/}" -- --sites bare --no-memory --no-micro --duration 1 \
      --variants "$variants" --rounds "$(r 9)" --down
  done
fi
if [ -z "$only" ] || [ "$only" = conditions ]; then
  v71=(FASTBEAT_WP=7.1 FASTBEAT_PHP=8.2)
  run proxy-tls "7.1: HTTPS via X-Forwarded-Proto front" "${v71[@]}" FASTBEAT_VARIANT=proxy FASTBEAT_PROXY_FRONT=tls -- \
    "${common[@]}" --variants core,lane --rounds "$(r 3)"
  run proxy-cf "7.1: HTTPS via CF-Visitor front" "${v71[@]}" FASTBEAT_VARIANT=proxy FASTBEAT_PROXY_FRONT=cf -- \
    "${common[@]}" --variants core,lane --rounds "$(r 3)" --down
  run redis "7.1: Redis object cache" "${v71[@]}" FASTBEAT_VARIANT=redis -- \
    "${common[@]}" --variants core,lane --rounds "$(r 3)" --down
  run multisite-main "7.1: network, main site" "${v71[@]}" FASTBEAT_VARIANT=multisite -- \
    "${common[@]}" --variants core,lane --rounds "$(r 3)"
  run multisite-site2 "7.1: network, /site2/" "${v71[@]}" FASTBEAT_VARIANT=multisite FASTBEAT_SITE_PATH=/site2/ -- \
    "${common[@]}" --variants core,lane --rounds "$(r 3)" --down
  mkdir -p "$out/apache"
  echo "7.1: Apache 2.4 + mod_php" >"$out/apache/label"
  echo "=== matrix: apache $(date -u +%H:%M:%S)"
  FASTBEAT_WP=7.1 bash "$HERE/apache.sh" --rounds "$(r 3)" --seconds 2 --duration 2 --out "$out/apache" >"$out/apache/log" 2>&1
  echo "=== matrix: apache: $(tail -1 "$out/apache/log")"
  FASTBEAT_WP=7.1 bash "$(dirname "$HERE")/testbed/apache.sh" down >/dev/null 2>&1
  runs+=("$out/apache")
fi
if [ -z "$only" ] || [ "$only" = plugins ]; then
  for fx in unreached-hooks capability-grants keyed-received keyed-received-declared send-counter settings-interval \
            received-writes-meta received-writes-meta-declared; do
    run "plugin-$fx" "7.1: plugin $fx" FASTBEAT_WP=7.1 FASTBEAT_PHP=8.2 FASTBEAT_BENCH_FIXTURES="$fx" -- \
      "${common[@]}" --variants core,lane --rounds "$(r 2)"
  done
  FASTBEAT_WP=7.1 FASTBEAT_PHP=8.2 bash "$HERE/run.sh" --down-only >/dev/null 2>&1
fi
python3 "$HERE/matrix.py" "${runs[@]}" | tee "$out/summary.md"
