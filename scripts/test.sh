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
#
# The full tier runs the app, search and index test files a second time with every index
# they build a tantivy one (tests/conftest.py's --backend), leaving out the tests
# parametrised over the engines, which the first pass ran on each engine already.
set -euo pipefail
cd "$(dirname "$0")/.."

# The test files whose indexes the second pass builds on tantivy.
TANTIVY_PASS=(
    tests/test_app.py
    tests/test_compare.py
    tests/test_coverage.py
    tests/test_facet_counts.py
    tests/test_facet_maps.py
    tests/test_pipeline.py
    tests/test_presentation.py
    tests/test_provenance.py
    tests/test_read_path.py
)

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
    .venv/bin/python -m pytest -q --backend tantivy --unparametrised-only -m "not browser" \
        "${TANTIVY_PASS[@]}" "$@"
    .venv/bin/python -m bench --quick
fi
