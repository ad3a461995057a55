#!/usr/bin/env bash
# Set everything up and run the checks CI runs: lint, format check, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -q "$@"
