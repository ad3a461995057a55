"""Golden files: what `csp extract` says of each sample, text and PDF.

A change to splitting or attribution shows here as a diff to review.  To accept one,
run `CSP_REGENERATE_GOLDEN=1 pytest tests/test_golden.py` and commit the new files;
CI refuses to run with the switch on, so it never rewrites expectations silently.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest.pipeline.extract import extract_file

from samples import ALL_SAMPLES, sample

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("CSP_REGENERATE_GOLDEN") == "1"


def summary(path: Path) -> dict:
    extraction = extract_file(path)
    return {
        "documents": [
            {
                "title": doc.title,
                "doc_type": doc.doc_type.value,
                "districts": doc.districts,
                "county": doc.county,
                "period": doc.period,
                "pages": [doc.page_start, doc.page_end],
                "sections": len(doc.sections),
            }
            for doc in extraction.documents
        ]
    }


@pytest.mark.parametrize("kind", ["text", "pdf"])
@pytest.mark.parametrize("stem", ALL_SAMPLES)
def test_extraction_matches_golden_file(stem: str, kind: str) -> None:
    golden = GOLDEN / f"{stem}.{kind}.json"
    actual = summary(sample(stem, kind))
    if REGENERATE:
        golden.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
    assert actual == json.loads(golden.read_text())


def test_regenerate_switch_is_off_in_ci() -> None:
    assert not (REGENERATE and os.environ.get("CI")), "CSP_REGENERATE_GOLDEN must not run in CI"
