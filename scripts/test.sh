#!/usr/bin/env bash
# Set everything up and run the checks CI runs: lint, format check, the import layers,
# types, every test, then the quick benchmark, whose table goes to the log (it asserts nothing:
# speed is measured, not tested).
#
#   bash scripts/test.sh            the full tier (what .ci/run runs)
#   bash scripts/test.sh --fast     the fast tier for everyday work: the same checks and
#                                   the tests not marked slow, browser or e2e; no benchmark
#
# Further arguments go to pytest (a file, -k EXPRESSION, -x, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

fast=0
if [ "${1:-}" = "--fast" ]; then
    fast=1
    shift
fi

bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
.venv/bin/mypy
if [ "$fast" = 1 ]; then
    .venv/bin/python -m pytest -q -m "not slow and not browser and not e2e" "$@"
else
    .venv/bin/python -m pytest -q "$@"
    .venv/bin/python -m bench --quick
fi
