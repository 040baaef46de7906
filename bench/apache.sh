#!/usr/bin/env bash
# Heartbeat cost on Apache 2.4 prefork + mod_php, core against Fastbeat (bench/apache.py):
# stands the Apache pair up (testbed/apache.sh: FASTBEAT_WP, default 7.1, on its own test
# bed) with FASTBEAT_APACHE_WORKERS children each (default 8: wrk's 8 keep-alive connections
# each hold one) and no access logs, then measures. Arguments go to bench/apache.py, e.g.
#
#   bench/apache.sh                          # 5 rounds, results in bench/results/apache-<date>-wp<x.y>
#   bench/apache.sh --rounds 7 --with-fpm    # also the same site on the bed's nginx + php-fpm
#
# Run it on a quiet machine (load average < 1.5; each round waits up to 2 min for one).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "bench/apache.sh: run as root" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/apache.sh: wrk is missing (tools/setup.sh)" >&2; exit 1; }
export FASTBEAT_WP="${FASTBEAT_WP:-7.1}"
export FASTBEAT_APACHE_WORKERS="${FASTBEAT_APACHE_WORKERS:-8}" FASTBEAT_FPM_WORKERS="${FASTBEAT_FPM_WORKERS:-4}"
export FASTBEAT_TESTBED_ACCESS_LOG=0
out="$REPO/bench/results/apache-$(date -u +%Y%m%d-%H%M)-wp$FASTBEAT_WP"
for a in "$@"; do case "$a" in --out|--out=*) out="" ;; esac; done
bash "$REPO/testbed/apache.sh" up
eval "$(bash "$REPO/testbed/apache.sh" env)"
if [ -n "$out" ]; then set -- --out "$out" "$@"; fi
exec python3 "$HERE/apache.py" "$@"
