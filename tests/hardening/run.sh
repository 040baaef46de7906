#!/usr/bin/env bash
# The quick CI slice of the hardening checks (about 3 minutes on 2 cores):
#   fuzz        fuzz/ (stable Rust): 12 targets (6 of them the lane crate's) against models + 2,000 inputs each
#               through real PHP, and the self-test (mutants must be caught)
#   fuzz-handler  in-process: random requests and response values, core vs fastbeat
#   forgery     100,000 forged nonces through fastbeat's native verification and core's
#   faults      callbacks that throw / exit / fatal / OOM / time out, database down or slow,
#               extension without plugin and plugin without extension: exactly core's result
#   cookies     forged and broken auth cookies, core vs each lane, request by request
#   http-fuzz   300 random heartbeats over HTTP (random seed, printed), core vs each lane
#               (http-fuzz.py; FASTBEAT_HTTP_FUZZ_COUNT / FASTBEAT_HTTP_FUZZ_SEED override)
#   http-fuzz-fixtures  the same with 5 random lane fixtures active (--fixtures)
#   soak        wrk, 16 connections, 10 s per lane (soak.sh --short)
#   soak-fixtures  the fast and logged-out lanes with six lane fixtures active
#
#   tests/hardening/run.sh [--lanes full,fast] [--only STAGE[,STAGE]] [--valgrind] [--full-soak]
#     --valgrind   also run the whole phpt suite under valgrind (slow: ~20 min)
#     --full-soak  soak 300 s per lane instead of 10 s
# Starts or refreshes the test bed first (testbed/up.sh) unless FASTBEAT_HARDENING_NO_UP=1.
# Every stage prints "N passed, N failed"; so does this script, last, with the totals.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
lanes="${FASTBEAT_HARDENING_LANES:-full,fast}"
only=""
valgrind=0
soak_args=(--short)
while [ $# -gt 0 ]; do
	case "$1" in
		--lanes) lanes="$2"; shift ;;
		--only) only="$2"; shift ;;
		--valgrind) valgrind=1 ;;
		--full-soak) soak_args=() ;;
		-h|--help) sed -n '2,21p' "$0"; exit 0 ;;
		*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
export FASTBEAT_HARDENING_LANES="$lanes"
export PYTHONDONTWRITEBYTECODE=1

# shellcheck source=../../testbed/env.sh
. testbed/env.sh
if [ "${FASTBEAT_HARDENING_NO_UP:-0}" != 1 ]; then
	bash testbed/up.sh >/dev/null 2>&1 || echo "run.sh: testbed/up.sh failed (continuing: stages will say what is missing)"
fi
ext="${FASTBEAT_EXT_SO:-$repo/target/release/libfastbeat.so}"
php_ext=()
php -m 2>/dev/null | grep -qx fastbeat || php_ext=(-d "extension=$ext")

total_p=0; total_f=0; rows=()
stage() { # stage NAME command...
	local name="$1"; shift
	if [ -n "$only" ] && [[ ",$only," != *",$name,"* ]]; then return; fi
	local log start rc line p f
	log="$(mktemp)"; start=$(date +%s)
	echo "=== hardening: $name: $*"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line="$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)"
	p="$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${line:-0 passed}")"
	f="$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"${line:-x 1 failed}")"
	[ -n "$line" ] || f=1
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	total_p=$((total_p + p)); total_f=$((total_f + f))
	rows+=("$(printf '%-14s %7s passed %4s failed %5ss' "$name" "$p" "$f" "$(( $(date +%s) - start ))")")
	rm -f "$log"
}

fuzz_stage() {
	cargo build --release --offline --quiet --manifest-path fuzz/Cargo.toml || { echo "0 passed, 1 failed"; return 1; }
	local seed="${FASTBEAT_FUZZ_SEED:-$(date +%s)}" out1 out2 p f
	out1="$(fuzz/target/release/fastbeat-fuzz --seconds 14 --php 2000 --seed "$seed")"
	echo "$out1"
	out2="$(fuzz/target/release/fastbeat-fuzz --self-test --seconds 6 --seed "$seed")"
	echo "$out2" | sed 's/^\([0-9]* passed, [0-9]* failed\)$/self-test: \1/'
	# One closing line for the stage: the sum of both runs.
	p=$(( $(tail -1 <<<"$out1" | cut -d' ' -f1) + $(tail -1 <<<"$out2" | cut -d' ' -f1) ))
	f=$(( $(tail -1 <<<"$out1" | cut -d' ' -f3) + $(tail -1 <<<"$out2" | cut -d' ' -f3) ))
	echo "$p passed, $f failed"
	[ "$f" -eq 0 ]
}

stage fuzz fuzz_stage
stage fuzz-handler timeout 300 php "${php_ext[@]}" tests/hardening/fuzz-handler.php 3000
stage forgery timeout 300 php "${php_ext[@]}" tests/hardening/nonce-forgery.php 100000
stage faults timeout 600 python3 tests/hardening/faults.py --lanes "$lanes"
stage cookies timeout 300 python3 tests/hardening/auth-cookies.py --lanes "$lanes"
# Lanes -> parity variants, sent in this order after core (the reference).
fuzz_variants="core"
for l in ${lanes//,/ }; do
	case "$l" in
		fast) fuzz_variants+=",fastbeat" ;;
		full) fuzz_variants+=",fastbeat-full" ;;
		core) ;;
		*) fuzz_variants+=",$l" ;;
	esac
done
stage http-fuzz timeout 300 python3 tests/hardening/http-fuzz.py --variants "$fuzz_variants" \
	--count "${FASTBEAT_HTTP_FUZZ_COUNT:-300}" --seed "${FASTBEAT_HTTP_FUZZ_SEED:-$(date +%s)}"
# The same with a random subset of the lane fixtures active (chosen by the printed seed).
stage http-fuzz-fixtures timeout 300 python3 tests/hardening/http-fuzz.py --variants "$fuzz_variants" \
	--count "${FASTBEAT_HTTP_FUZZ_COUNT:-300}" --seed "${FASTBEAT_HTTP_FUZZ_SEED:-$(( $(date +%s) + 1 ))}" \
	--fixtures "${FASTBEAT_HTTP_FUZZ_FIXTURES:-5}"
stage soak bash tests/hardening/soak.sh "${soak_args[@]}"
# Soaked among plugins that keep each lane's answer shape: some shapes on the lane, some not.
stage soak-fixtures bash tests/hardening/soak.sh "${soak_args[@]}" --lanes fast,logged-out \
	--fixtures "unreached-hooks keyed-received-declared capability-grants settings-interval received-writes-meta send-counter"
[ $valgrind -eq 1 ] && stage valgrind bash tests/hardening/valgrind-phpt.sh

echo
echo "=== hardening summary"
printf '%s\n' "${rows[@]}"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
