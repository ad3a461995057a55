"""What an upload reports: a PDF pymupdf had to repair, and a near-duplicate of a
document already stored, are stored with a warning that says so, not a plain success."""

from __future__ import annotations

from pathlib import Path

from ingest.answers.presentation import upload_outcome
from ingest.pipeline.ingest import ingest_paths
from ingest.pipeline.uploads import Upload, ingest_uploads

from samples import BRAINTREE_2022, BRENTWOOD_PLAN, sample

BRAINTREE_TITLE = "Braintree District Community Safety Partnership Annual Report 2022-23"


def truncated(pdf: Path, cut: int = 200) -> bytes:
    """The PDF without its last bytes (the cross-reference trailer): pymupdf repairs it."""
    return pdf.read_bytes()[:-cut]


def test_a_truncated_copy_of_a_stored_pdf_is_a_repaired_near_duplicate(tmp_path: Path) -> None:
    index = tmp_path / "index"
    original = sample(BRAINTREE_2022, "pdf")
    ingest_paths([original], index)
    [result] = ingest_uploads([Upload("braintree.pdf", truncated(original))], index)
    assert result.status == "ingested"
    assert result.also_in == [BRAINTREE_TITLE]
    level, line = upload_outcome(result)
    assert level == "warning"
    assert line == (
        f"braintree.pdf: ingested — file was damaged and repaired; also in {BRAINTREE_TITLE}"
    )


def test_a_new_clean_upload_is_a_success_and_a_refused_one_an_error(tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest_paths([sample(BRAINTREE_2022, "pdf")], index)
    empty, clean = ingest_uploads(  # refused files come first
        [Upload("brentwood.pdf", sample(BRENTWOOD_PLAN, "pdf").read_bytes()), Upload("e.pdf", b"")],
        index,
    )
    assert clean.also_in == []
    assert upload_outcome(clean) == ("success", "brentwood.pdf: ingested")
    assert upload_outcome(empty) == ("error", "e.pdf: failed — empty file")
