#!/usr/bin/env bash
# The suite once more with the declared minimum versions (.ci/constraints-floor.txt) in a venv of
# its own. SVG snapshot tests are left out: Textual renders differently from one version to the
# next, and the snapshots are taken with the newest one.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TMPDIR:-/tmp}/reviewer-floor-venv"
rm -rf "$venv"
python -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
"$venv/bin/python" -m pip install -q -c .ci/constraints-floor.txt '.[test]'
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider --ignore=tests/tui/test_snapshots.py
