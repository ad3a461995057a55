#!/usr/bin/env bash
# Set everything up, ingest the sample corpus (text and PDFs) and run demo searches.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export CSP_INDEX=${CSP_INDEX:-$PWD/var/index}

.venv/bin/csp ingest corpus/text corpus/pdf --workers 2 || true
echo
echo '$ csp search "J9"'
.venv/bin/csp search "J9" --limit 5
echo
echo '$ csp search "Spot It Stop It" --district Colchester --year 2019'
.venv/bin/csp search "Spot It Stop It" --district Colchester --year 2019 --limit 3
