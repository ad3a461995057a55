"""Shared fixtures: the shipped sample corpus ingested once into a real index, and the
hostile PDFs of ../shared/badpdfs."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples import BADPDFS, PDF_DIR, SOURCES, TEXT_DIR


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole sample corpus (texts and rendered PDFs) ingested into one index, with
    where each came from (corpus/sources.csv), as the demo ingests it."""
    from ingest.pipeline.ingest import ingest_paths

    index_dir = tmp_path_factory.mktemp("corpus-index")
    report = ingest_paths([TEXT_DIR, PDF_DIR], index_dir, sources=SOURCES)
    assert not report.failed, [result.line() for result in report.failed]
    return index_dir


@pytest.fixture(scope="session")
def badpdfs() -> Path:
    """The folder of hostile PDFs; a test that asks for it is skipped where it is absent."""
    if not BADPDFS.is_dir():
        pytest.skip(f"no hostile PDFs at {BADPDFS} (../shared/badpdfs, or set CSP_BADPDFS)")
    return BADPDFS.resolve()  # as `csp ingest` names files: ../shared may be a link
