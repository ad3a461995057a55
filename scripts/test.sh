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
# The full tier then runs the suite a second time with every index the tests build a
# tantivy one, in the tests' process and in the `csp` commands, app servers and workers
# they start (tests/conftest.py's --backend), browser tests too, leaving out the tests
# parametrised over the engines, which the first pass ran on each engine already, and the
# files below, which build no index.
set -euo pipefail
cd "$(dirname "$0")/.."

# The test files that build no index (reading, extraction, attribution, the data files):
# the tantivy pass leaves them out.  A new test file is in the tantivy pass unless listed.
NO_INDEX=(
    test_attribution_national test_attribution_real test_encodings test_entity_data
    test_eval_data test_extract_samples test_figures test_gazetteer_data test_golden
    test_html_reader test_isolation test_packaging test_pages test_pdf_reader
    test_pdf_titles test_periods test_places test_priorities test_real_data
    test_real_periods test_real_types test_render test_split test_structure test_themes
)
LEFT_OUT=()
for name in "${NO_INDEX[@]}"; do
    LEFT_OUT+=(--ignore "tests/$name.py")
done

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
    .venv/bin/python -m pytest -q --backend tantivy --unparametrised-only "${LEFT_OUT[@]}" "$@"
    .venv/bin/python -m bench --quick
fi
