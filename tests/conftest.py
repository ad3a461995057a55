"""Shared fixtures: the shipped sample corpus ingested once into a real index, and the
hostile PDFs of ../shared/badpdfs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import CHROMIUM, CHROMIUM_ARGS, running_app

from ingest.search.registry import BACKENDS, DEFAULT_BACKEND

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


@pytest.fixture(scope="session", params=sorted(BACKENDS))
def backend_name(request: pytest.FixtureRequest) -> str:
    """Each search engine in turn: a test asking for it (or for a fixture built on it)
    runs once per engine."""
    return request.param


@pytest.fixture(scope="session")
def engine_corpus_index(
    backend_name: str, corpus_index: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The sample corpus index served by each engine: Whoosh's as ingested; another's
    a copy of its catalog switched to that engine the way a user does it, with `csp
    ingest --backend NAME` and no files, which rebuilds the search index from the
    catalog."""
    if backend_name == DEFAULT_BACKEND:
        return corpus_index
    import shutil

    from ingest.pipeline.ingest import ingest_paths
    from ingest.store.store import CATALOG_FILE

    index_dir = tmp_path_factory.mktemp(f"corpus-index-{backend_name}")
    for part in corpus_index.glob(f"{CATALOG_FILE}*"):  # with its WAL, if any
        shutil.copy(part, index_dir / part.name)
    report = ingest_paths([], index_dir, backend=backend_name)
    assert not report.failed
    return index_dir


@pytest.fixture(scope="session")
def badpdfs() -> Path:
    """The folder of hostile PDFs; a test that asks for it is skipped where it is absent."""
    if not BADPDFS.is_dir():
        pytest.skip(f"no hostile PDFs at {BADPDFS} (../shared/badpdfs, or set CSP_BADPDFS)")
    return BADPDFS.resolve()  # as `csp ingest` names files: ../shared may be a link


@pytest.fixture(autouse=True)
def main_module_kept() -> Iterator[None]:
    """Streamlit's AppTest runs its script as `__main__` and leaves it there; a process
    spawned later in the same run (a Dask worker) would then re-run that script."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(scope="module")
def server(corpus_index: Path) -> Iterator[str]:
    """The real app served on the sample corpus's index, once a module."""
    with running_app(corpus_index) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Playwright, once a module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
