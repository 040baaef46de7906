#!/usr/bin/env python3
"""Writes php-tests/versions/<x.y>.diff: the phpt expectations for another WordPress
release line, as a unified diff against the reference (6.1.9) expectations.

    python3 php-tests/versions/make.py /var/cache/fastbeat/wp/sid/root/usr/share/wordpress

Every expectation is core's real output, as the reference ones were made: the suite runs
with FB_IMPL=core and without the extension (the stub then serves the native names with
core's handlers, so fb_compare() runs core twice) once on the reference tree and once on
the target tree. Where the two outputs agree, the reference expectation line is kept as it
is (with its %d/%x placeholders); where they differ, the target's line is taken, keeping
the reference line whenever its pattern still matches (server_time, nonces). The result is
checked: the suite must pass on the target tree with FB_IMPL=core, twice (so no literal
clock or nonce value slipped in), before the file is written. A test whose reference
expectation does not hold under FB_IMPL=core (the extension's own facts) is left alone.

Options: --ref DIR (the reference tree; default /usr/share/wordpress), --php, --php-cgi.
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.dirname(HERE)
SECTION = re.compile(r"^--EXPECTF--\n", re.M)


def wp_version(tree):
    with open(os.path.join(tree, "wp-includes", "version.php"), encoding="utf-8") as f:
        m = re.search(r"^\$wp_version = '([^']+)';", f.read(), re.M)
    if not m:
        sys.exit(f"make.py: no $wp_version in {tree}")
    return m.group(1)


def split_test(text):
    m = SECTION.search(text)
    if not m:
        return None
    return text[: m.end()], text[m.end():]


def expectf_regex(line):
    """One EXPECTF line as a regex (run-tests.php's placeholders that stay on one line)."""
    out = ""
    i = 0
    while i < len(line):
        if line.startswith("%r", i):
            j = line.find("%r", i + 2)
            if j < 0:
                raise ValueError("unterminated %r")
            out += "(" + line[i + 2: j] + ")"
            i = j + 2
            continue
        two = line[i: i + 2]
        rep = {"%e": re.escape(os.sep), "%s": r"[^\r\n]+", "%S": r"[^\r\n]*", "%a": r".+", "%A": r".*",
               "%w": r"\s*", "%i": r"[+-]?\d+", "%d": r"\d+", "%x": r"[0-9a-fA-F]+",
               "%f": r"[+-]?(?:\d+|(?=\.\d))(?:\.\d*)?(?:[Ee][+-]?\d+)?", "%c": r".", "%0": r"\x00",
               "%%": "%"}.get(two)
        if rep is not None:
            out += rep
            i += 2
        else:
            out += re.escape(line[i])
            i += 1
    return re.compile(out + r"\Z", re.S)


def matches(pattern_line, line):
    try:
        return expectf_regex(pattern_line).match(line) is not None
    except (ValueError, re.error):
        return False


def stage(dest, expectations=None, bogus=False):
    """Copies the suite to dest without --EXTENSIONS-- (FB_IMPL=core runs without the
    extension); bogus: every expectation replaced, so that run-tests keeps each .out."""
    os.makedirs(dest, exist_ok=True)
    for name in os.listdir(SUITE):
        src = os.path.join(SUITE, name)
        if name.endswith(".inc"):
            shutil.copy(src, dest)
        elif name.endswith(".phpt"):
            with open(src, encoding="utf-8") as f:
                text = f.read()
            text = re.sub(r"^--EXTENSIONS--\nfastbeat\n", "", text, flags=re.M)
            parts = split_test(text)
            if parts and bogus:
                text = parts[0] + "@@ no expectation @@\n"
            elif parts and expectations and name in expectations:
                text = parts[0] + expectations[name]
            with open(os.path.join(dest, name), "w", encoding="utf-8") as f:
                f.write(text)


def run_tests(php, php_cgi, directory, tree):
    api = subprocess.run([php, "-n", "-r", "echo PHP_EXTENSION_DIR;"], capture_output=True, text=True,
                         check=True).stdout.rsplit("/", 1)[-1]
    bindir = subprocess.run([php, "-n", "-r", "echo PHP_BINDIR;"], capture_output=True, text=True,
                            check=True).stdout
    runner = os.path.join(bindir, "..", "lib", "php", api, "build", "run-tests.php")
    if not os.path.isfile(runner):
        runner = f"/usr/lib/php/{api}/build/run-tests.php"
    env = dict(os.environ, FB_IMPL="core", FB_WP_DIR=tree, TEST_PHP_EXECUTABLE=php,
               TEST_PHP_CGI_EXECUTABLE=php_cgi, NO_INTERACTION="1")
    r = subprocess.run([php, runner, "-q", "--no-color", "--no-progress", "-j4", directory],
                       env=env, capture_output=True, text=True)
    failed = sorted(set(re.findall(r"^FAIL .*\[(?:.*/)?([^/\]]+\.phpt)\]", r.stdout, re.M)))
    borked = re.findall(r"^(?:BORK|SKIP).*", r.stdout, re.M)
    return failed, borked


def outputs(php, php_cgi, tree, work):
    d = os.path.join(work, "out-" + wp_version(tree))
    stage(d, bogus=True)
    run_tests(php, php_cgi, d, tree)
    out = {}
    for name in os.listdir(d):
        if name.endswith(".out"):
            with open(os.path.join(d, name), encoding="utf-8", errors="surrogateescape") as f:
                out[name[:-4] + ".phpt"] = f.read()
    return out


def merge(expect, ref_out, new_out, tree):
    """The target's expectation: reference lines where outputs agree or still match.
    In a line of its own, the target tree's directory (in a message PHP printed itself)
    becomes %s: where a tree is installed is not WordPress's behaviour."""
    # run-tests.php trims both ends of the output and of the expectation before comparing.
    e, a, b = (t.strip().split("\n") for t in (expect, ref_out, new_out))
    if len(e) != len(a) or not all(matches(p, l) for p, l in zip(e, a)):
        # Multi-line placeholders (%A): keep the reference when it still holds.
        joined = expectf_regex("\n".join(e))
        if joined.match("\n".join(b)):
            return expect
        return None
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(e[i1:i2])
            continue
        p = i1
        for line in b[j1:j2]:
            q = next((k for k in range(p, i2) if matches(e[k], line)), None)
            if q is None:
                out.append(line.replace("%", "%%").replace(tree.rstrip("/").replace("%", "%%"), "%s"))
            else:
                out.append(e[q])
                p = q + 1
    # Keep the reference's own last line when it is unchanged (trailing blanks included).
    last = expect.rstrip("\n").split("\n")[-1]
    if out and out[-1] == last.strip():
        out[-1] = last
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tree", help="the WordPress tree of the release line to write expectations for")
    ap.add_argument("--ref", default="/usr/share/wordpress", help="the reference (6.1.9) tree")
    ap.add_argument("--php", default=shutil.which("php"))
    ap.add_argument("--php-cgi", default=shutil.which("php-cgi"))
    args = ap.parse_args()
    ref_v, new_v = wp_version(args.ref), wp_version(args.tree)
    if not ref_v.startswith("6.1."):
        sys.exit(f"make.py: the reference tree {args.ref} is WordPress {ref_v}, not 6.1.x")
    line = ".".join(new_v.split(".")[:2])
    if line == "6.1":
        sys.exit("make.py: 6.1 is the reference; its expectations are the .phpt files themselves")
    work = tempfile.mkdtemp(prefix="fastbeat-phpt-versions-")
    try:
        ref_out = outputs(args.php, args.php_cgi, args.ref, work)
        new_out = outputs(args.php, args.php_cgi, args.tree, work)
        expectations, originals, kept = {}, {}, []
        for name in sorted(os.listdir(SUITE)):
            if not name.endswith(".phpt"):
                continue
            with open(os.path.join(SUITE, name), encoding="utf-8") as f:
                text = f.read()
            parts = split_test(text)
            if not parts or name not in ref_out or name not in new_out:
                kept.append(name)
                continue
            merged = merge(parts[1], ref_out[name], new_out[name], args.tree)
            if merged is None:
                kept.append(name)
                continue
            originals[name] = text
            expectations[name] = merged
        # The new expectations must hold on the target tree, twice.
        check = os.path.join(work, "check")
        stage(check, expectations)
        for attempt in (1, 2):
            failed, borked = run_tests(args.php, args.php_cgi, check, args.tree)
            failed = [n for n in failed if n not in kept]
            if failed or borked:
                sys.exit(f"make.py: run {attempt} of the merged expectations on {new_v} failed: "
                         f"{failed + borked} (files in {check})")
        diff = []
        changed = []
        for name, text in originals.items():
            new = split_test(text)[0] + expectations[name]
            if new == text:
                continue
            changed.append(name)
            diff.extend(difflib.unified_diff(text.split("\n"), new.split("\n"), f"a/{name}", f"b/{name}",
                                             lineterm=""))
        dest = os.path.join(HERE, f"{line}.diff")
        with open(dest, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(f"# The phpt expectations for WordPress {line} (made on {new_v}, reference {ref_v}):\n"
                    f"# core's own output on that tree, as a diff against the .phpt files.\n"
                    f"# {len(changed)} tests differ. Generated by php-tests/versions/make.py; "
                    f"applied by php-tests/run.sh (versions/apply.php).\n")
            f.write("\n".join(diff) + "\n")
        print(f"make.py: wrote {dest}: {len(changed)} tests differ on {new_v}"
              + (f"; reference kept for {', '.join(kept)}" if kept else ""))
    finally:
        if not os.environ.get("FASTBEAT_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
