"""End to end in headless Chromium, issue #18's polish: the Search button and syntax
help, filter counts that follow the filters chosen, Batch lookup's grid with its terms
in the URL, an upload that was repaired or is a near-duplicate, and a phone-wide screen.

Reuses the server and browser of test_browser.py on the sample corpus.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browsing import CHROMIUM, SCREENSHOTS, running_app

from ingest.answers.queries import build_filters, search_documents, search_page_facets
from ingest.search.backend import SearchFilters

from samples import BRAINTREE_2022, sample

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
PHONE = {"width": 390, "height": 844}


def test_the_search_button_runs_the_query_and_the_syntax_help_opens(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(server)
    page.get_by_role("textbox", name="Search").fill("J9")
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator("h2", has_text="Braintree").first.wait_for(timeout=30_000)
    assert "q=J9" in page.url
    page.get_by_text("How to search").click()
    help_text = page.get_by_text("quoted phrase").first
    help_text.wait_for(timeout=10_000)
    assert page.get_by_text("+word").first.is_visible()
    page.close()


def test_a_chosen_area_updates_the_counts_of_the_other_filters_and_its_own(
    server: str, browser, corpus_index: Path
) -> None:
    everywhere = search_page_facets(corpus_index, "safety", SearchFilters())
    braintree = search_page_facets(corpus_index, "safety", build_filters(["Braintree"]))
    # A type whose count in Braintree differs from its count everywhere.
    doc_type = next(t for t, n in braintree.doc_types.items() if n != everywhere.doc_types[t])
    chosen = search_page_facets(
        corpus_index, "safety", build_filters(["Braintree"], doc_types=[doc_type])
    )
    listed = search_documents(
        corpus_index, "safety", build_filters(["Braintree"], doc_types=[doc_type])
    ).total_documents
    assert chosen.districts["Braintree"] == listed == chosen.doc_types[doc_type]
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(f"{server}/?q=safety&district=Braintree&type={doc_type.replace(' ', '+')}")
    page.get_by_text(f"of {listed} document").first.wait_for(timeout=30_000)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text(f"Braintree ({listed})").wait_for(timeout=10_000)
    assert sidebar.get_by_text(f"{doc_type} ({listed})").is_visible()
    page.close()


def test_batch_lookup_shows_a_grid_per_term_kept_in_the_url(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    page.goto(f"{server}/batch")
    box = page.get_by_role("textbox", name="Initiatives or terms, one per line")
    box.fill("J9\nSpot It Stop It")
    box.press("Control+Enter")
    page.wait_for_function("() => window.location.search.includes('term=J9')", timeout=30_000)
    page.locator("h3", has_text="Spot It Stop It").wait_for(timeout=30_000)
    page.reload()
    page.locator("h3", has_text="Spot It Stop It").wait_for(timeout=30_000)
    assert page.locator("h3", has_text="J9").count() == 1
    assert page.get_by_role("textbox").first.input_value() == "J9\nSpot It Stop It"
    page.locator("[data-testid=stDataFrame]").nth(1).wait_for(timeout=30_000)
    assert page.locator("[data-testid=stDataFrame]").count() == 2
    with page.expect_download() as download:
        page.get_by_role("button", name="Download (CSV)").click()
    csv = Path(download.value.path()).read_text()
    assert csv.splitlines()[0] == "term,CSP area,period,documents,error"
    assert "J9,Braintree,2022-23,1," in csv
    page.screenshot(path=str(SCREENSHOTS / "batch-lookup.png"))
    page.close()


def test_a_truncated_copy_of_a_stored_pdf_warns_and_the_counts_refresh(
    corpus_index: Path, tmp_path: Path, browser
) -> None:
    index = tmp_path / "index"
    shutil.copytree(corpus_index, index)
    original = sample(BRAINTREE_2022, "pdf")
    truncated = tmp_path / "braintree-report.pdf"
    truncated.write_bytes(original.read_bytes()[:-200])  # no trailer: pymupdf repairs it
    with running_app(index) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(f"{url}/documents")
        page.get_by_text("documents from 10 files").wait_for(timeout=30_000)
        page.locator("input[type=file]").set_input_files(str(truncated))
        page.get_by_role("button", name="Ingest these files").click()
        warning = page.locator("[data-testid=stAlertContentWarning]")
        warning.wait_for(timeout=120_000)
        text = warning.inner_text()
        assert "braintree-report.pdf: ingested" in text
        assert "damaged and repaired" in text
        assert "also in Braintree District Community Safety Partnership Annual Report" in text
        assert page.locator("[data-testid=stAlertContentSuccess]").count() == 0
        # The page's counts include the new file without a reload.
        page.get_by_text("documents from 11 files").wait_for(timeout=30_000)
        page.screenshot(path=str(SCREENSHOTS / "upload-near-duplicate.png"))
        page.close()


def test_at_phone_width_the_search_button_and_pages_fit_the_screen(server: str, browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server}/?q=J9")
    page.get_by_text(" documents (").wait_for(timeout=30_000)
    button = page.get_by_role("button", name="Search", exact=True)
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    for path, shown in [
        ("/?q=J9", " documents ("),
        ("/commitments?district=Braintree&year=2018", "commitments for Braintree"),
        ("/compare?district=Braintree&year=2017&year=2018", "Priorities by theme"),
        ("/entities?entity=Spot+It+Stop+It", "Where and when"),
    ]:
        page.goto(server + path)
        page.get_by_text(shown).first.wait_for(timeout=30_000)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], path
    page.goto(f"{server}/commitments?district=Braintree&year=2018")
    page.get_by_text("commitments for Braintree").wait_for(timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "commitments-phone.png"))
    page.close()
