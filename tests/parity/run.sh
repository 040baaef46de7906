#!/usr/bin/env bash
# Fastbeat parity suite: every case is sent to two test bed variants (default: core
# and fastbeat) and must come back identical (status line, headers incl. order, body;
# only Date and clock-derived values may differ, by <= 2 s).
#
#   tests/parity/run.sh                              # core vs fastbeat
#   tests/parity/run.sh --variants core,plugin-only  # any pair (first = reference)
#   tests/parity/run.sh --variants core,fastbeat,plugin-only,ext-only
#   tests/parity/run.sh -k '^nonce/' -k fixture/echo -q
#   tests/parity/run.sh --list | --self-test | --report out.json
#
# Starts (or refreshes) the test bed first unless FASTBEAT_PARITY_NO_UP=1.
# Last line: "N passed, N failed"; exit status non-zero on any difference.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=testbed/env.sh
. "$REPO/testbed/env.sh"

if [ "${FASTBEAT_PARITY_NO_UP:-0}" != 1 ]; then
  case " $* " in
    *" --list "*) ;;
    *) "$REPO/testbed/up.sh" >&2 ;;
  esac
fi
export PYTHONDONTWRITEBYTECODE=1
exec python3 "$HERE/parity.py" "$@"
