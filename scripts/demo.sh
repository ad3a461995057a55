#!/usr/bin/env bash
# Set everything up, ingest the sample corpus (text and PDFs), run two demo searches,
# then serve the app at http://localhost:8501 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
if [ -z "${CSP_INDEX:-}" ]; then
    # The demo's own index is rebuilt each time, so it always matches this version.
    export CSP_INDEX=$PWD/var/index
    rm -rf "$CSP_INDEX"
fi

.venv/bin/csp ingest corpus/text corpus/pdf --sources corpus/sources.csv --workers 2 || true
echo
echo '$ csp search "J9"'
.venv/bin/csp search "J9" --limit 5
echo
echo '$ csp search "Spot It Stop It" --district Colchester --year 2019'
.venv/bin/csp search "Spot It Stop It" --district Colchester --year 2019 --limit 3
echo
echo "Opening the app at http://localhost:${CSP_PORT:-8501}/?q=J9 (Ctrl-C to stop)"
exec .venv/bin/streamlit run search_app.py --server.headless true \
    --browser.gatherUsageStats false --server.port "${CSP_PORT:-8501}"
