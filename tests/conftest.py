"""Shared fixtures: the shipped sample corpus ingested once into a real index, and the
hostile PDFs of ../shared/badpdfs.

`--backend NAME` (or CSP_TEST_BACKEND=NAME) builds every index folder the tests make with
that engine, in this process and in the `csp` commands, app servers and workers it
starts, and runs the tests parametrised over the engines with it alone:
`scripts/test.sh` runs the suite a second time on tantivy."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import CHROMIUM, CHROMIUM_ARGS, running_app
from child_processes.new_folders import ENGINE_VARIABLE, FOLDER, build_new_folders_with

from ingest.nlp.linking import ENTITIES_DIR
from ingest.search import registry
from ingest.search.registry import BACKENDS, DEFAULT_BACKEND

from samples import BADPDFS, PDF_DIR, SOURCES, TEXT_DIR


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=sorted(BACKENDS),
        default=os.environ.get(ENGINE_VARIABLE) or None,
        help="build every index the tests make with this search engine, and run the tests "
        "parametrised over the engines with it alone (default: $CSP_TEST_BACKEND, else "
        "each engine where a test asks for one, Whoosh elsewhere)",
    )
    parser.addoption(
        "--unparametrised-only",
        action="store_true",
        help="with --backend, leave out the tests parametrised over the engines (a run "
        "without --backend has run them on every engine)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    chosen = config.getoption("--backend")
    if not chosen:
        return
    unparametrised_only = config.getoption("--unparametrised-only")
    kept, left_out = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("backend_name") if callspec else None
        (
            kept if engine is None or (engine == chosen and not unparametrised_only) else left_out
        ).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def test_backend(pytestconfig: pytest.Config) -> Iterator[str]:
    """The engine of new index folders, here and in the Python processes the tests
    start (`child_processes/`): with `--backend`, a folder that names no engine and
    holds no engine's index yet is recorded as that engine's the first time it is
    opened, unless the process chose the default engine for it by name."""
    chosen = pytestconfig.getoption("--backend") or DEFAULT_BACKEND
    if chosen == DEFAULT_BACKEND:
        yield chosen
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENGINE_VARIABLE, chosen)
        patch.setenv(
            "PYTHONPATH", os.pathsep.join(filter(None, [str(FOLDER), os.environ.get("PYTHONPATH")]))
        )
        undo = build_new_folders_with(chosen)
        try:
            yield chosen
        finally:
            undo()


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
    """Each search engine in turn (with `--backend`, that one): a test asking for it (or
    for a fixture built on it) runs once per engine."""
    return request.param


@pytest.fixture(scope="session")
def engine_corpus_index(
    backend_name: str, corpus_index: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The sample corpus index served by each engine: Whoosh's as ingested; another's
    a copy of its catalog switched to that engine the way a user does it, with `csp
    ingest --backend NAME` and no files, which rebuilds the search index from the
    catalog."""
    if backend_name == registry.recorded_backend(corpus_index):
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


@pytest.fixture
def entities_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of models/entities that this test's entity edits change, not the shipped data."""
    copy = tmp_path / "entities"
    shutil.copytree(ENTITIES_DIR, copy)
    monkeypatch.setenv("CSP_ENTITIES_DIR", str(copy))
    return copy
