#!/usr/bin/env bash
# The whole phpt suite under valgrind memcheck (USE_ZEND_ALLOC=0, full leak check), on a
# private copy of php-tests/ (the suite's own directory is left untouched).
#
#   tests/hardening/valgrind-phpt.sh [--jobs N] [--keep DIR] [--fuzz-handler N] [test.phpt ...]
#     --fuzz-handler N   also run N iterations of tests/hardening/fuzz-handler.php (real
#                        WordPress, opcache on) under memcheck and count its log the same way
#
# Counts, from every test's valgrind log:
#   - invalid reads / writes / frees and uses of uninitialised memory (anywhere): must be 0;
#   - bytes "definitely lost" whose allocation stack passes through libfastbeat.so, split
#     into tests on a documented PHP bailout path (E_USER_ERROR, memory_limit,
#     max_execution_time: a fatal error longjmps over Rust frames, see
#     /work/shared/reference/ext-php-rs-notes.md item 4) and all others: the others must be 0.
# Losses that never touch the extension (PHP's own, e.g. after a fatal error) are reported
# but not counted against it. The phpt verdicts themselves are the suite's business
# (php-tests/run.sh); this script only reads the memory logs.
# Env: FASTBEAT_EXT (default target/release/libfastbeat.so), PHP, PHP_CGI.
# Last line: "N passed, N failed" (checks: memory errors, extension leaks, logs present).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jobs=1
keep=""
fh=0
tests=()
while [ $# -gt 0 ]; do
	case "$1" in
		--jobs) jobs="$2"; shift ;;
		--keep) keep="$2"; shift ;;
		--fuzz-handler) fh="$2"; shift ;;
		-h|--help) sed -n '2,19p' "$0"; exit 0 ;;
		*) tests+=("$1") ;;
	esac
	shift
done

php="${PHP:-$(command -v php)}"
php_cgi="${PHP_CGI:-$(command -v php-cgi)}"
ext="$(realpath "${FASTBEAT_EXT:-$repo/target/release/libfastbeat.so}")"
command -v valgrind >/dev/null || { echo "valgrind not installed (apt-get install valgrind)"; echo "0 passed, 1 failed"; exit 1; }
[ -f "$ext" ] || { echo "extension not found: $ext"; echo "0 passed, 1 failed"; exit 1; }

work="${keep:-$(mktemp -d /tmp/fastbeat-valgrind.XXXXXX)}"
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
cp "$repo"/php-tests/*.phpt "$repo"/php-tests/*.inc "$work"/
# A private copy of the extension: a rebuild during the run must not mix builds.
cp "$ext" "$work/libfastbeat.so"
ext="$work/libfastbeat.so"
sel=()
if [ ${#tests[@]} -gt 0 ]; then
	for t in "${tests[@]}"; do sel+=("$work/$(basename "$t")"); done
else
	sel=("$work")
fi

api="$("$php" -n -r 'echo PHP_EXTENSION_DIR;' | sed 's#.*/##')"
run_tests="/usr/lib/php/$api/build/run-tests.php"
[ -f "$run_tests" ] || { echo "run-tests.php not found (php-dev)"; echo "0 passed, 1 failed"; exit 1; }

echo "valgrind-phpt: $(valgrind --version), extension $ext, ${#sel[@]} path(s) in $work, -j$jobs"
start=$(date +%s)
# run-tests -m sets USE_ZEND_ALLOC=0 and ZEND_DONT_UNLOAD_MODULES=1 for each test;
# VALGRIND_OPTS adds the full leak check with stacks deep enough to reach the extension.
# pcre.jit=0: PCRE's JIT code makes memcheck report uninitialised jumps in generated code
# (frames "???"), a known false positive; PHP's own CI runs valgrind the same way.
VALGRIND_OPTS="--leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --num-callers=50" \
TEST_PHP_EXECUTABLE="$php" TEST_PHP_CGI_EXECUTABLE="$php_cgi" NO_INTERACTION=1 \
	nice -n 19 "$php" "$run_tests" -q --no-color -m -j"$jobs" -d "extension=$ext" -d pcre.jit=0 "${sel[@]}" >"$work/run-tests.log" 2>&1
echo "valgrind-phpt: run-tests finished in $(( $(date +%s) - start )) s: $(grep -E '^Tests (passed|failed|leaked|skipped)' "$work/run-tests.log" | tr -s ' ' | paste -sd';')"

if [ "$fh" -gt 0 ]; then
	# Needs the test bed (it boots its WordPress). The memory log goes where the phpt ones are.
	echo "valgrind-phpt: fuzz-handler.php $fh iterations under memcheck"
	USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 nice -n 19 valgrind -q --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --num-callers=50 --log-file="$work/fuzz-handler.mem" \
		"$php" -d opcache.enable_cli=1 -d pcre.jit=0 -d "extension=$ext" "$here/fuzz-handler.php" "$fh" 7 | tail -1
	echo "--TEST--" >"$work/fuzz-handler.phpt.fh"
fi

python3 - "$work" <<'PY'
import glob, os, re, sys
work = sys.argv[1]
bailout_rx = re.compile(r"E_USER_ERROR|memory_limit|max_execution_time")
mem_err_rx = re.compile(r"Invalid (read|write|free)|Mismatched free|uninitialised|Source and destination overlap|Jump to the invalid address|Process terminating")
tests = sorted(glob.glob(os.path.join(work, "*.phpt"))) + sorted(glob.glob(os.path.join(work, "*.phpt.fh")))
errors, fb_leak, fb_leak_bailout, other_leak = [], [], [], []
for t in tests:
    name = os.path.basename(t)[:-5] if t.endswith(".phpt") else os.path.basename(t)[:-8]
    mem = os.path.join(work, name + ".mem")
    if not os.path.exists(mem):
        continue
    src = open(t, errors="replace").read()
    bail = bool(bailout_rx.search(src))
    text = open(mem, errors="replace").read()
    # Records are separated by "==PID== " blank lines.
    records = re.split(r"\n==\d+== \n", text)
    for rec in records:
        first = rec.strip().splitlines()[0] if rec.strip() else ""
        if mem_err_rx.search(first):
            errors.append((name, rec.strip()))
            continue
        m = re.search(r"([\d,]+) (?:\([\d,]+ direct, [\d,]+ indirect\) )?bytes in [\d,]+ blocks are definitely lost", rec)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        if "libfastbeat" in rec:
            # Zend-allocated (emalloc: freed by Zend MM at request end in production) or
            # Rust heap (malloc straight from an extension frame: survives the request).
            kind = "zend" if "__zend_malloc" in rec or "_emalloc" in rec else "rust"
            (fb_leak_bailout if bail else fb_leak).append((name, n, rec.strip(), kind))
        else:
            other_leak.append((name, n))

def total(l):
    return sum(x[1] for x in l)

m = re.search(r"Number of tests :\s+(\d+)", open(os.path.join(work, "run-tests.log"), errors="replace").read())
ran = f"{m.group(1) if m else 0} phpt tests" + (" + fuzz-handler" if os.path.exists(os.path.join(work, "fuzz-handler.mem")) else "")
def kinds(l):
    return ", ".join(f"{k} heap {sum(x[1] for x in l if x[3] == k)} B" for k in ("rust", "zend"))

print(f"valgrind-phpt: {ran}; memory errors: {len(errors)}; definitely lost through libfastbeat.so: "
      f"{total(fb_leak)} B outside bailout paths ({len(fb_leak)} records), {total(fb_leak_bailout)} B on bailout paths "
      f"({len(fb_leak_bailout)} records: {kinds(fb_leak_bailout)}; tests: {', '.join(sorted({x[0] for x in fb_leak_bailout})) or '-'}); "
      f"PHP's own (no extension frame): {total(other_leak)} B in {len({x[0] for x in other_leak})} tests")
for name, rec in errors[:5]:
    print(f"--- memory error in {name}:\n{rec[:3000]}")
for name, n, rec, _ in fb_leak[:5]:
    print(f"--- {n} B definitely lost through the extension in {name}:\n{rec[:3000]}")
for name, n, rec, _ in fb_leak_bailout[:3]:
    print(f"--- (bailout path, allowed) {n} B in {name}:\n{rec[:1500]}")
passed = failed = 0
for ok in (not errors, not fb_leak):
    passed += ok
    failed += not ok
log = open(os.path.join(work, "run-tests.log"), errors="replace").read()
m = re.search(r"Number of tests :\s+(\d+)", log)
ok = bool(m and int(m.group(1)) > 0)
if not ok:
    print("valgrind-phpt: run-tests ran no tests:\n" + log[-2000:])
passed += ok
failed += not ok
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
