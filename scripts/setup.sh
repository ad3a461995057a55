#!/usr/bin/env bash
# Create .venv and install CSP Search with the pinned versions in constraints.txt.
# Safe to run again: it only installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "CSP Search needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>/dev/null || echo "not found")." \
        "Run again with PYTHON=/path/to/python3.11 (or newer)." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    # Debian's python3 leaves venv (ensurepip) to the python3-venv package.
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        if [ "$(id -u)" = 0 ]; then
            apt-get -o DPkg::Lock::Timeout=600 update -qq
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
                python3-venv >/dev/null
            "$PYTHON" -m venv .venv
        else
            echo "$PYTHON cannot create a virtual environment: install python3-venv" >&2
            exit 1
        fi
    fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
    -c constraints.txt -e ".[test,bench]"

# Debian packages: Chromium for the end-to-end tests (browsers cannot be downloaded
# here), Tesseract for OCR of pages without a text layer, strace for the durability
# tests' kills at each fsync.  The lock timeout lets other
# users of apt on the machine finish instead of failing this run.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
command -v strace >/dev/null 2>&1 || missing+=(strace)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
            "${missing[@]}" >/dev/null
    else
        echo "note: ${missing[*]} not installed; browser, OCR and fault-injection tests will be skipped" >&2
    fi
fi
