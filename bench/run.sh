#!/usr/bin/env bash
# Fastbeat benchmarks, side by side in one run: floor, core, Fastbeat full path and fast
# lane; dashboard, post-editor and logged-out beats; bare and busy site; plus the
# in-process handler micro-benchmark. Writes report.md, chart.svg and data.json.
#
#   bench/run.sh [--short] [--out DIR] [--rounds R] [--duration S] [--busy-count N] [--down]
#
#   --short   CI mode (< 3 minutes): 2 rounds of 1 s runs; proves the benchmark still
#             produces every figure, not that they are fast.
#   --out     results folder (default bench/results/short or bench/results/full-<date>)
#   --down    stop the benchmark's test bed afterwards (bench/run.sh --down-only: just that)
#   --variants core,lane  --sites bare  --no-memory  --no-micro   a part of it (bench.py)
#
# FASTBEAT_VARIANT=proxy|redis|multisite (testbed/env.sh): the benchmark's test bed is of
# that variant (/tmp/fastbeat-bench-<variant>-wp<x.y>-php<x.y>, the variant's ports + 10),
# measured as its clients reach it (FASTBEAT_PROXY_FRONT, FASTBEAT_SITE_PATH).
#
# FASTBEAT_BENCH_FIXTURES="unreached-hooks send-counter": these deployed-lane fixtures
# (tests/lane/fixtures) installed as a site owner installs plugins for the whole run; the
# lane must then answer exactly the beat shapes they leave to it (bench.py checks).
#
# It stands up its own test bed with testbed/up.sh (state in /tmp/fastbeat-bench, ports
# 18091-18094 for WordPress 6.1 on PHP 8.2; for another FASTBEAT_WP / FASTBEAT_PHP
# (testbed/env.sh) /tmp/fastbeat-bench-wp<x.y>-php<x.y> and that test bed's ports + 10;
# override with FASTBEAT_BENCH_TESTBED_DIR / FASTBEAT_BENCH_PORT_BASE), so the
# busy phase never changes a site someone else is testing. The synthetic plugins are
# deactivated and removed again on exit, also on failure or Ctrl-C.
# Ends with `N passed, N failed`; exits non-zero if any figure is missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"

short=0
down=0
down_only=0
out=""
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=1; pass+=(--short) ;;
    --out) out="$2"; shift ;;
    --out=*) out="${1#--out=}" ;;
    --rounds|--duration|--busy-count|--variants|--sites) pass+=("$1" "$2"); shift ;;
    --no-memory|--no-micro) pass+=("$1") ;;
    --down) down=1 ;;
    --down-only) down_only=1 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

[ "$(id -u)" -eq 0 ] || { echo "bench: run as root (the test bed starts services)" >&2; exit 1; }
for bin in wrk python3 php mariadb; do
  command -v "$bin" >/dev/null 2>&1 || { echo "bench: $bin is missing (tools/setup.sh installs it)" >&2; exit 1; }
done

# A private test bed: same code (testbed/up.sh), own database, wp-content and ports, one
# per WordPress/PHP combination: 10 above the combination's own test bed's ports.
combo_port="$(unset FASTBEAT_PORT_CORE FASTBEAT_ENV_FOR; . "$REPO/testbed/env.sh" >/dev/null && echo "$FASTBEAT_PORT_CORE")"
combo="${FASTBEAT_WP:-6.1}/${FASTBEAT_PHP:-8.2}"
if [ "$combo" = 6.1/8.2 ]; then bench_dir=/tmp/fastbeat-bench; else bench_dir="/tmp/fastbeat-bench-wp${combo%/*}-php${combo#*/}"; fi
if [ -n "${FASTBEAT_VARIANT:-}" ]; then bench_dir="/tmp/fastbeat-bench-$FASTBEAT_VARIANT-wp${combo%/*}-php${combo#*/}"; fi
base="${FASTBEAT_BENCH_PORT_BASE:-$((combo_port + 10))}"
export FASTBEAT_TESTBED_DIR="${FASTBEAT_BENCH_TESTBED_DIR:-$bench_dir}"
export FASTBEAT_PORT_CORE="$base"
export FASTBEAT_PORT_FASTBEAT="$((base + 1))"
export FASTBEAT_PORT_PLUGIN_ONLY="$((base + 2))"
export FASTBEAT_PORT_EXT_ONLY="$((base + 3))"
export FASTBEAT_TESTBED_ACCESS_LOG=0
export FASTBEAT_FPM_WORKERS="${FASTBEAT_BENCH_FPM_WORKERS:-4}"
# shellcheck source=testbed/env.sh
. "$REPO/testbed/env.sh"

if [ "$down_only" = 1 ]; then exec bash "$REPO/testbed/down.sh"; fi

# The code under test is a snapshot of the working tree taken now (plugin, test bed, fixtures,
# the built extension), so editing or rebuilding the repository during a run cannot change
# what is being measured halfway through.
snap="$FASTBEAT_TESTBED_DIR-src"
rm -rf "$snap.new"
mkdir -p "$snap.new/ext"
for part in wp-plugin testbed tests/fixtures tools bench/handler-micro.php bench/floor.php; do
  mkdir -p "$snap.new/$(dirname "$part")"
  cp -a "$REPO/$part" "$snap.new/$part"
done
if [ -f "$FASTBEAT_EXT_SO" ]; then cp "$FASTBEAT_EXT_SO" "$snap.new/ext/libfastbeat.so"; fi
rm -rf "$snap"
mv "$snap.new" "$snap"
export FASTBEAT_BENCH_SOURCE_REPO="$REPO"
export FASTBEAT_REPO="$snap"
export FASTBEAT_EXT_SO="$snap/ext/libfastbeat.so"
unset FASTBEAT_FIXTURE_DIR FASTBEAT_CARGO_TARGET_DIR
# shellcheck source=testbed/env.sh
. "$snap/testbed/env.sh"
if [ -z "$out" ]; then
  suffix=""; [ "$combo" = 6.1/8.2 ] || suffix="-wp${combo%/*}-php${combo#*/}"
  if [ -n "${FASTBEAT_VARIANT:-}" ]; then
    suffix="-$FASTBEAT_VARIANT${FASTBEAT_PROXY_FRONT:+-$FASTBEAT_PROXY_FRONT}-wp${combo%/*}-php${combo#*/}"
    site="${FASTBEAT_SITE_PATH:-/}"; site="${site//\//}"; [ -z "$site" ] || suffix+="-$site"
  fi
  fx_list="${FASTBEAT_BENCH_FIXTURES:-}"
  if [ -n "$fx_list" ]; then suffix+="-fx-${fx_list// /+}"; fi
  if [ "$short" = 1 ]; then out="$HERE/results/short$suffix"; else out="$HERE/results/full-$(date -u +%Y%m%d-%H%M)$suffix"; fi
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"

t0=$(date +%s)
echo "bench: [setup] test bed: $FASTBEAT_TESTBED_DIR, ports $FASTBEAT_PORT_CORE-$FASTBEAT_PORT_EXT_ONLY, $FASTBEAT_FPM_WORKERS php-fpm workers per pool"
[ -f "$FASTBEAT_EXT_SO" ] || echo "bench: [setup] WARNING: $FASTBEAT_EXT_SO is missing (cargo build --release): Fastbeat variants would run core code"
echo "bench: [setup] code under test: snapshot of $REPO in $snap"
if ! bash "$snap/testbed/up.sh" >"$out/testbed-up.log" 2>&1; then
  tail -20 "$out/testbed-up.log" >&2
  echo "bench: testbed/up.sh failed (log: $out/testbed-up.log)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
grep -E '^testbed: (core|fastbeat|plugin-only|ext-only|up:|NOTE)' "$out/testbed-up.log" | sed 's/^/bench: [setup] /'
rm -f "$out/testbed-up.log"

restore() {
  # Deactivate the synthetic plugins (restores active_plugins and removes what they
  # created) and delete their files. Idempotent; bench.py does the same on its way out.
  php -d display_errors=stderr -d 'error_reporting=E_ALL&~E_DEPRECATED' \
    "$HERE/busy-plugins/toggle.php" off >/dev/null 2>&1 || echo "bench: WARNING: could not deactivate the busy plugins" >&2
  python3 "$HERE/busy-plugins/gen.py" "$FASTBEAT_TESTBED_DIR/wp-content/plugins" --remove || true
  if [ -n "${FASTBEAT_BENCH_FIXTURES:-}" ]; then
    # shellcheck disable=SC2086 # a list of names
    python3 "$REPO/tests/lane/fixture_set.py" uninstall $FASTBEAT_BENCH_FIXTURES >/dev/null ||
      echo "bench: WARNING: could not remove the fixtures $FASTBEAT_BENCH_FIXTURES" >&2
  fi
  if [ "$down" = 1 ]; then bash "$REPO/testbed/down.sh" | sed 's/^/bench: /'; fi
}
trap restore EXIT
# bench.py runs in the background so that a signal reaches these traps at once; it restores
# the site itself on SIGINT/SIGTERM, and the EXIT trap does it again whatever happened.
pypid=""
stop() { trap '' INT TERM; [ -n "$pypid" ] && kill -TERM "$pypid" 2>/dev/null; wait "$pypid" 2>/dev/null; exit 130; }
trap stop INT TERM

if [ -n "${FASTBEAT_BENCH_FIXTURES:-}" ]; then
  # shellcheck disable=SC2086 # a list of names
  python3 "$REPO/tests/lane/fixture_set.py" install $FASTBEAT_BENCH_FIXTURES | sed 's/^/bench: [setup] /'
  # shellcheck disable=SC2086
  FASTBEAT_BENCH_LANE_SHAPES="$(python3 "$REPO/tests/lane/fixture_set.py" lane-shapes $FASTBEAT_BENCH_FIXTURES)"
  export FASTBEAT_BENCH_LANE_SHAPES
  echo "bench: [setup] the lane may answer: ${FASTBEAT_BENCH_LANE_SHAPES:-no beat shape}"
fi

rc=0
python3 "$HERE/bench.py" --out "$out" "${pass[@]}" &
pypid=$!
wait "$pypid" || rc=$?
echo "bench: total $(( $(date +%s) - t0 )) s"
exit "$rc"
