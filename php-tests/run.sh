#!/usr/bin/env bash
# Runs the fastbeat phpt suite with PHP's own run-tests.php.
#
#   php-tests/run.sh              # every test, against target/release/libfastbeat.so
#   php-tests/run.sh --valgrind   # the same under valgrind memcheck (run-tests -m)
#   php-tests/run.sh nonce_*.phpt # only some tests (paths relative to php-tests/ or absolute)
#   php-tests/run.sh --clock      # every test at chosen instants under faketime (see CLOCK below)
#
# Environment:
#   FASTBEAT_EXT   the extension to test (default: <repo>/target/release/libfastbeat.so)
#   PHP, PHP_CGI   the php and php-cgi binaries (default: from PATH)
#   JOBS           parallel workers (default: 2)
#   FB_WP_DIR      the WordPress tree whose core files the stub loads (default: the test
#                  bed's, FASTBEAT_WP=6.1|6.8|7.1 in testbed/env.sh; 6.1 = /usr/share/wordpress).
#                  The .phpt expectations are 6.1's; for another release line x.y the suite
#                  runs from a staged copy with versions/x.y.diff applied (core's own output
#                  on that line; made by versions/make.py).
#
# Builds nothing. Fails loudly when the extension does not load. Any FAIL, BORK,
# LEAK, WARN or SKIP counts as a failure (the one exception: under --valgrind,
# the test that needs Zend MM's memory_limit skips itself, and that skip is
# reported but allowed). A test that failed because a nonce tick boundary passed
# while it ran (the stub prints "[clock] ..." then) is run once more. The last
# line is exactly "N passed, N failed".
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

valgrind=0
clock=0
tests=()
for arg in "$@"; do
	case "$arg" in
		--valgrind) valgrind=1 ;;
		--clock) clock=1 ;;
		-h|--help) sed -n '2,20p' "$0"; exit 0 ;;
		/*) tests+=("$arg") ;;
		*) tests+=("$here/$arg") ;;
	esac
done
[ ${#tests[@]} -gt 0 ] || tests=("$here")

# Names are looked up in PATH (PHP=php8.4 works as well as a path).
php="$(command -v "${PHP:-php}" || true)"
php_cgi="$(command -v "${PHP_CGI:-php-cgi}" || true)"
[ -x "$php" ] || { echo "run.sh: php not found" >&2; echo "0 passed, 1 failed"; exit 1; }
# Without php-cgi every --POST--/--COOKIE-- test would be skipped: refuse.
[ -x "$php_cgi" ] || { echo "run.sh: php-cgi not found (needed for --POST--/--COOKIE-- tests)" >&2; echo "0 passed, 1 failed"; exit 1; }

ext="${FASTBEAT_EXT:-$repo/target/release/libfastbeat.so}"
if [ ! -f "$ext" ]; then
	echo "run.sh: extension not found: $ext (build it first: cargo build --release)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
ext="$(realpath "$ext")"

# The extension must really load: `php -d extension=missing.so` only warns and exits 0.
if ! ri="$("$php" -n -d "extension=$ext" --ri fastbeat 2>&1)"; then
	echo "run.sh: FASTBEAT EXTENSION DOES NOT LOAD: $ext" >&2
	echo "$ri" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
echo "$ri" | sed -n '1,6p'
# php-cgi must load it too (it is what runs the request-shaped tests).
if ! "$php_cgi" -n -d "extension=$ext" -m 2>/dev/null | grep -qx fastbeat; then
	echo "run.sh: the extension does not load in php-cgi ($php_cgi)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

# CLOCK: instants at which the suite must pass whatever the real date, each with the
# property of the stub user's heartbeat nonces (user 9, session "sess") or of the tick's
# text it stands for, checked before the run (php-tests/clock-probe.inc) so that the
# matrix cannot go stale unnoticed. faketime moves PHP's clock, which the extension reads
# too (php_time()). The instants are UTC (faketime runs with TZ=UTC) and sit 7 minutes
# past a half-hour mark, so that no test starts on a boundary of wp-stub.inc's 1800 s
# grid (fb_check_clock) and the suite has 23 minutes before the next one.
if [ $clock -eq 1 ]; then
	command -v faketime >/dev/null || { echo "run.sh: faketime not found (apt-get install faketime)" >&2; echo "0 passed, 1 failed"; exit 1; }
	instants=(
		"2026-12-07 13:07:00|current=digits previous=letters"   # issue 14's tick: this tick's nonce has no letters
		"2045-05-27 06:07:00|current=digits previous=digits"    # neither valid nonce has letters
		"2026-12-08 03:07:00|current=letters"                   # an ordinary tick
		"2026-12-12 06:07:00|precision4=4.16E+4"                # tick 41599: at precision=4 the text has 3 digits, not 4 (ticks 41595-41604)
		"2027-06-10 06:07:00|precision3=4.2E+4"                 # tick 41959: at precision=3 it has 2, not 3 (ticks 41950-42049)
	)
	# Absolute, so that `cd php-tests && bash run.sh --clock` works too; the extension
	# as resolved here, so that the inner runs test the same file.
	self="$(realpath "$0")"
	export FASTBEAT_EXT="$ext"
	total_p=0; total_f=0
	for entry in "${instants[@]}"; do
		at="${entry%%|*}"; want="${entry#*|}"
		probe="$(TZ=UTC faketime "$at" "$php" -n -d "extension=$ext" "$here/clock-probe.inc" 2>&1)" || true
		missing=""
		for word in $want; do
			[[ " $probe " == *" $word "* ]] || missing+=" $word"
		done
		if [ -n "$missing" ]; then
			echo "run.sh --clock: at $at UTC expected $want, the stub says: $probe" >&2
			total_f=$((total_f + 1)); continue
		fi
		echo "=== at $at UTC ($probe)"
		line="$(TZ=UTC faketime "$at" bash "$self" "${tests[@]}" | tee /dev/stderr | tail -n1)"
		p="$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<<"$line")"
		f="$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<<"$line")"
		total_p=$((total_p + ${p:-0})); total_f=$((total_f + ${f:-1}))
	done
	echo "$total_p passed, $total_f failed"
	[ $total_f -eq 0 ]
	exit
fi

# The WordPress tree, and the expectations of its release line.
if [ -z "${FB_WP_DIR:-}" ]; then
	FB_WP_DIR="$(. "$repo/testbed/env.sh" >/dev/null && echo "$FASTBEAT_WP_DIR")" || { echo "0 passed, 1 failed"; exit 1; }
fi
FB_WP_DIR="${FB_WP_DIR%/}"
export FB_WP_DIR
if [ ! -f "$FB_WP_DIR/wp-includes/version.php" ]; then
	echo "run.sh: no WordPress at $FB_WP_DIR (FB_WP_DIR; tools/wp-fetch.sh fetches trixie's and sid's)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
wp_version="$("$php" -n -r 'include $argv[1]; echo $wp_version;' "$FB_WP_DIR/wp-includes/version.php")"
wp_line="$(cut -d. -f1-2 <<<"$wp_version")"
stage=""
if [ "$wp_line" != 6.1 ]; then
	patch="$here/versions/$wp_line.diff"
	[ -f "$patch" ] || { echo "run.sh: no expectations for WordPress $wp_line ($patch): run php-tests/versions/make.py $FB_WP_DIR" >&2; echo "0 passed, 1 failed"; exit 1; }
	stage="$(mktemp -d "${TMPDIR:-/tmp}/fastbeat-phpt-wp$wp_line.XXXXXX")"
	cp "$here"/*.phpt "$here"/*.inc "$stage/"
	if ! "$php" -n "$here/versions/apply.php" "$patch" "$stage" >/dev/null; then
		rm -rf "$stage"
		echo "0 passed, 1 failed"
		exit 1
	fi
	for i in "${!tests[@]}"; do
		case "${tests[$i]}" in "$here"|"$here"/*) tests[$i]="$stage${tests[$i]#"$here"}" ;; esac
	done
	echo "WordPress $wp_version at $FB_WP_DIR: expectations of versions/$wp_line.diff, staged in $stage"
else
	echo "WordPress $wp_version at $FB_WP_DIR"
fi

api="$("$php" -n -r 'echo PHP_EXTENSION_DIR;' | sed 's#.*/##')"
run_tests="$("$php" -n -r 'echo PHP_BINDIR;')/../lib/php/$api/build/run-tests.php"
[ -f "$run_tests" ] || run_tests="/usr/lib/php/$api/build/run-tests.php"
[ -f "$run_tests" ] || { echo "run.sh: run-tests.php not found (install php-dev)" >&2; echo "0 passed, 1 failed"; exit 1; }

args=(-q --no-color --no-progress --show-diff -j"${JOBS:-2}" -d "extension=$ext" -g FAIL,BORK,LEAK,SKIP,WARN)
# PCRE's JIT emits code valgrind cannot see into (false "uninitialised value" reports).
[ $valgrind -eq 1 ] && args+=(-m -d pcre.jit=0)

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
[ -z "$stage" ] || trap 'rm -f "$log"; [ "${bad:-1}" -ne 0 ] || rm -rf "$stage"' EXIT
set +e
# System php.ini is kept (not -n): mbstring must be there, as on real servers,
# for wp_json_encode's invalid-UTF-8 fallback to behave as in production.
TEST_PHP_EXECUTABLE="$php" TEST_PHP_CGI_EXECUTABLE="$php_cgi" NO_INTERACTION=1 REPORT_EXIT_STATUS=1 \
	"$php" "$run_tests" "${args[@]}" "${tests[@]}" 2>&1 | tee "$log" \
	| sed -n '/^Running selected tests/,$p' | grep -v '^$'
set -e

count() { sed -n "s/^$1 *: *\([0-9]*\).*/\1/p" "$log" | tail -n1; }
passed="$(count 'Tests passed')"; passed="${passed:-0}"
failed="$(count 'Tests failed')"; failed="${failed:-0}"
borked="$(count 'Tests borked')"; borked="${borked:-0}"
warned="$(count 'Tests warned')"; warned="${warned:-0}"
leaked="$(count 'Tests leaked')"; leaked="${leaked:-0}"
skipped="$(count 'Tests skipped')"; skipped="${skipped:-0}"
# Tests that failed only because a nonce tick boundary passed while they ran: once more.
mapfile -t again < <(grep -a '^FAIL .*\.phpt\] *$' "$log" | sed -E 's/.*\[(.*\.phpt)\] *$/\1/' | sort -u |
	while read -r t; do
		case "$t" in /*) ;; *) t="$repo/$t" ;; esac
		grep -qs '^\[clock\] a nonce tick boundary passed' "${t%.phpt}.out" && echo "$t"
	done)
if [ ${#again[@]} -gt 0 ]; then
	echo "run.sh: a nonce tick boundary passed during ${#again[@]} test(s); running them again: ${again[*]##*/}"
	relog="$(mktemp)"
	set +e
	TEST_PHP_EXECUTABLE="$php" TEST_PHP_CGI_EXECUTABLE="$php_cgi" NO_INTERACTION=1 REPORT_EXIT_STATUS=1 \
		"$php" "$run_tests" "${args[@]}" "${again[@]}" >"$relog" 2>&1
	set -e
	grep -aE '^(PASS|FAIL|SKIP|BORK)' "$relog" || true
	rerun_passed="$(sed -n 's/^Tests passed *: *\([0-9]*\).*/\1/p' "$relog" | tail -n1)"
	passed=$((passed + ${rerun_passed:-0}))
	failed=$((failed - ${rerun_passed:-0}))
	rm -f "$relog"
fi
allowed_skips=0
if [ $valgrind -eq 1 ]; then
	allowed_skips="$(grep -c '^SKIP .*reason: .*(valgrind)' "$log" || true)"
fi
bad=$((failed + borked + warned + leaked + skipped - allowed_skips))
total="$(count 'Number of tests')"
if [ -z "$total" ] || [ "$total" -eq 0 ]; then
	echo "run.sh: run-tests.php ran no tests" >&2
	bad=$((bad + 1))
fi

if [ $bad -eq 0 ]; then
	# Passing tests leave nothing behind; remove leftovers of earlier failed runs too.
	find "$here" -maxdepth 1 -type f \( -name '*.out' -o -name '*.diff' -o -name '*.exp' -o -name '*.log' \
		-o -name '*.mem' -o -name '*.php' -o -name '*.sh' -o -name '*.skip.php' -o -name '*.clean.php' \
		-o -name '*.post' -o -name '*.cookie' -o -name '*.get' \) ! -name run.sh -delete
	[ "$allowed_skips" -gt 0 ] && echo "($allowed_skips test(s) skipped under valgrind by design)"
else
	echo "failure details: files next to the tests in ${stage:-$here} (*.diff, *.out)" >&2
fi
echo "$passed passed, $bad failed"
[ $bad -eq 0 ]
