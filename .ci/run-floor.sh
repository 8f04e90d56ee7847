#!/usr/bin/env bash
# The suite once more with the declared minimum versions (.ci/constraints-floor.txt) in a venv of
# its own. SVG snapshot tests are left out: Textual renders differently from one version to the
# next, and the snapshots are taken with the newest one. REVIEWER_FLOOR_TESTS (paths) narrows the
# run when CI time gets short.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TMPDIR:-/tmp}/reviewer-floor-venv"
rm -rf "$venv"
python -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
"$venv/bin/python" -m pip install -q -c .ci/constraints-floor.txt '.[test]'
"$venv/bin/python" -m pip list 2>/dev/null | grep -iE '^(b4|liblore|gitpython|textual|tree-sitter|tree-sitter-c) '
# shellcheck disable=SC2086
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider --ignore=tests/tui/screens/test_snapshots.py \
    ${REVIEWER_FLOOR_TESTS:-}
