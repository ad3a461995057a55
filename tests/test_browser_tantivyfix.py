"""End to end in headless Chromium on the sample corpus's tantivy index (#20): the app
served by the tantivy engine shows its results with their source links, and filter
counts that add up to the documents listed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import CHROMIUM, SCREENSHOTS, running_app

from ingest.answers.queries import search_documents, search_page_facets
from ingest.search.backend import SearchFilters
from ingest.search.registry import recorded_backend

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.parametrize("backend_name", ["tantivy"], scope="session"),
]
BRAINTREE_SITE = "https://www.braintree.gov.uk"


@pytest.fixture(scope="module")
def server(engine_corpus_index: Path) -> Iterator[str]:
    """The real app served on the sample corpus's tantivy index."""
    assert recorded_backend(engine_corpus_index) == "tantivy"
    with running_app(engine_corpus_index) as url:
        yield url


def test_a_search_on_tantivy_shows_sources_and_counts_that_add_up(
    server: str, browser, engine_corpus_index: Path
) -> None:
    found = search_documents(engine_corpus_index, "J9")
    counts = search_page_facets(engine_corpus_index, "J9", SearchFilters())
    # Every document has one type: the type counts add up to the documents listed.
    assert sum(counts.doc_types.values()) == found.total_documents >= 3
    page = browser.new_page(viewport={"width": 1400, "height": 1500})
    page.goto(f"{server}/?q=J9")
    page.get_by_text(f"of {found.total_documents} documents (").wait_for(timeout=30_000)
    for area in ("Braintree", "Colchester", "Rochford"):
        page.locator("h2", has_text=area).first.wait_for(timeout=30_000)
    assert page.locator(f'a[href="{BRAINTREE_SITE}"]').first.is_visible()
    # The type filter's options, each with the documents choosing it would list.
    page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(
        has_text="Document type"
    ).click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=10_000)
    shown = options.all_inner_texts()
    for doc_type, count in counts.doc_types.items():
        assert f"{doc_type} ({count})" in shown, shown
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-tantivy.png"))
    page.close()
