"""Golden files: the whole extraction of each sample, text and PDF (`golden_files.py`
says what they hold).

A change to reading, splitting, attribution or the entity stage shows here as a diff
to review.  To accept one, run `.venv/bin/python scripts/regenerate_golden.py`, read
`git diff tests/golden` and commit the files with the change.  The tests never write
them: with the old switch `CSP_REGENERATE_GOLDEN` set the suite fails instead, so no
run can rewrite expectations silently.
"""

from __future__ import annotations

import json
import os

import pytest

from golden_files import KINDS, golden_path, summary
from samples import ALL_SAMPLES, BRAINTREE_PACK, COLCHESTER_PACK, sample

# The two agenda packs take several seconds each to extract: they are in the slow tier.
STEMS = [
    pytest.param(stem, marks=pytest.mark.slow)
    if stem in (BRAINTREE_PACK, COLCHESTER_PACK)
    else stem
    for stem in ALL_SAMPLES
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("stem", STEMS)
def test_extraction_matches_golden_file(stem: str, kind: str) -> None:
    expected = json.loads(golden_path(stem, kind).read_text())["documents"]
    actual = summary(sample(stem, kind))["documents"]
    assert [doc["title"] for doc in actual] == [doc["title"] for doc in expected]
    for number, (document, golden) in enumerate(zip(actual, expected, strict=True), 1):
        where = f"document {number} ({golden['title']!r})"
        sections, golden_sections = document.pop("sections"), golden.pop("sections")
        assert document == golden, where
        headings = [section["heading_path"] for section in sections]
        assert headings == [section["heading_path"] for section in golden_sections], where
        for section, golden_section in zip(sections, golden_sections, strict=True):
            assert section == golden_section, f"{where}: {' > '.join(section['heading_path'])}"


def test_the_regenerate_switch_is_refused() -> None:
    assert "CSP_REGENERATE_GOLDEN" not in os.environ, (
        "the tests never rewrite golden files: unset CSP_REGENERATE_GOLDEN and run "
        "scripts/regenerate_golden.py"
    )
