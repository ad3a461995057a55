"""Where the test inputs live: the shipped sample corpus and ../shared/badpdfs."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ingest.paths import CORPUS_DIR

SHARED = Path(__file__).resolve().parents[2] / "shared"
#: Hostile PDFs from council websites and PDF test suites; tests ask for them through the
#: `badpdfs` fixture, which skips them where the folder is absent.  CSP_BADPDFS points
#: elsewhere.
BADPDFS = Path(os.environ.get("CSP_BADPDFS", SHARED / "badpdfs"))

TEXT_DIR = CORPUS_DIR / "text"
PDF_DIR = CORPUS_DIR / "pdf"
#: Where the samples came from (publisher, link), as `csp ingest --sources` reads it.
SOURCES = CORPUS_DIR / "sources.csv"

BRAINTREE_PACK = "000_cbfd611bb349a817"
BRAINTREE_2022 = "001_830debaf43ef9f6c"
BRENTWOOD_PLAN = "002_8216942259ceca4c"
SAFER_ESSEX = "003_2ad0478eaf9859a7"
COLCHESTER_PACK = "004_ab386c09ba5ad95e"
ALL_SAMPLES = [BRAINTREE_PACK, BRAINTREE_2022, BRENTWOOD_PLAN, SAFER_ESSEX, COLCHESTER_PACK]


def sample(stem: str, kind: str) -> Path:
    """A sample as 'text' (corpus/text/*.txt) or 'pdf' (corpus/pdf/*.pdf)."""
    return TEXT_DIR / f"{stem}.txt" if kind == "text" else PDF_DIR / f"{stem}.pdf"


STATUS_LINE = re.compile(r"^(\w+)(?:: (.*))? (/\S+?)(?: \(\d+ documents, \d+ sections\))?$")


def file_statuses(output: str) -> dict[str, tuple[str, str | None]]:
    """`csp ingest`'s status lines (its last line is the summary) as file name ->
    (status, reason)."""
    found = {}
    for line in output.splitlines()[:-1]:
        status, reason, path = STATUS_LINE.match(line).groups()
        found[Path(path).name] = (status, reason)
    return found
