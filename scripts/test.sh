#!/usr/bin/env bash
# Set everything up and run the checks CI runs: lint, format check, tests, then the
# quick benchmark, whose table goes to the log (it asserts nothing: speed is measured,
# not tested).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
.venv/bin/python -m pytest -q "$@"
.venv/bin/python -m bench --quick
