"""End to end: the real Streamlit server on the sample corpus, in headless Chromium.

Debian's chromium is driven by Playwright's Python package (browser downloads are not
possible here); scripts/setup.sh installs it.  Screenshots go to tests/screenshots/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browsing import CHROMIUM, running_app, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,  # each test runs the Streamlit server
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


def test_searching_j9_shows_braintree_colchester_and_rochford(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1500})
    page.goto(f"{server}/?q=J9")
    page.get_by_text(" documents (").wait_for(timeout=30_000)
    # The groups render one after another (Braintree, Rochford, Colchester): wait for each.
    for area in ("Braintree", "Colchester", "Rochford"):
        page.locator("h2", has_text=area).first.wait_for(timeout=30_000)
    assert page.get_by_text("'J9' Domestic Abuse training").first.is_visible()
    screenshot(page, "search-j9.png")
    page.close()


def test_the_app_shows_no_deploy_button_or_developer_menu(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/?q=J9")
    page.get_by_text("CSP Search").first.wait_for(timeout=30_000)
    page.locator("h2", has_text="Braintree").first.wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Deploy").count() == 0
    assert page.get_by_text("Deploy", exact=True).count() == 0
    page.close()


def test_typing_a_query_puts_it_in_the_url(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(server)
    box = page.get_by_role("textbox", name="Search")
    box.fill("Spot It Stop It")
    box.press("Enter")
    page.get_by_text(" documents (").wait_for(timeout=30_000)
    page.wait_for_function("() => window.location.search.includes('Spot')", timeout=10_000)
    assert "q=Spot" in page.url
    page.close()


def test_documents_come_with_totals_more_passages_and_show_more(
    server: str, browser, corpus_index: Path
) -> None:
    from ingest.answers.queries import search_documents

    documents = search_documents(corpus_index, "domestic abuse").total_documents
    shown = search_documents(corpus_index, "domestic abuse", limit=2, passages=True).hits
    first = next(hit for hit in shown if hit.passages)  # the first expander on the page
    page = browser.new_page(viewport={"width": 1400, "height": 1500})
    page.goto(f"{server}/?q=domestic+abuse&shown=2")
    page.get_by_text(f"1–2 of {documents} documents").wait_for(timeout=30_000)
    page.get_by_text("more passages in this document").first.click()
    passage = first.passages[0]
    heading = " > ".join(passage.heading_path)
    page.get_by_text(f"p. {passage.page} · {heading}").first.wait_for(timeout=10_000)
    screenshot(page, "search-documents.png")
    page.get_by_role("button", name=f"Show more (2 of {documents} shown)").click()
    page.wait_for_function("() => window.location.search.includes('shown=22')", timeout=10_000)
    page.get_by_text(f"of {documents} documents").wait_for(timeout=30_000)
    page.close()


def test_a_did_you_mean_suggestion_runs_when_clicked(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(f"{server}/?q=knif+crime")
    page.get_by_text("No passage contains “knif”.").wait_for(timeout=30_000)
    page.get_by_role("button", name="Did you mean: knife crime").click()
    page.wait_for_function("() => window.location.search.includes('knife')", timeout=10_000)
    assert "q=knife+crime" in page.url or "q=knife%20crime" in page.url
    page.close()


def test_opening_a_pdf_hit_shows_the_page_image(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1500})
    page.goto(f"{server}/?q=%22J9+logo%22")
    page.get_by_text("Open page 5").first.wait_for(timeout=30_000)
    page.get_by_text("Open page 5").first.click()
    image = page.locator("img[src*='media']").first
    image.wait_for(timeout=30_000)
    assert image.bounding_box()["width"] > 400
    image.scroll_into_view_if_needed()
    screenshot(page, "open-pdf-page.png")
    page.close()


def test_documents_page_lists_every_document(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/documents")
    page.get_by_text("documents from 10 files").wait_for(timeout=30_000)
    assert page.get_by_text("0 files failed").is_visible()
    screenshot(page, "documents.png")
    page.close()


def test_the_spot_it_stop_it_page_shows_its_matrix(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{server}/entities?entity=Spot+It+Stop+It")
    table = page.locator("table").first
    table.wait_for(timeout=30_000)
    rows = table.locator("tbody th").all_inner_texts()
    assert {"Braintree", "Colchester"} <= {row.strip() for row in rows}
    assert "2019-20" in table.locator("thead").inner_text()
    screenshot(page, "entity-spot-it-stop-it.png")
    page.close()


def test_the_commitments_page_opens_spot_it_stop_it_evidence(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    page.goto(f"{server}/commitments?district=Braintree&year=2018")
    page.get_by_text("commitments for Braintree 2018-19").wait_for(timeout=30_000)
    page.get_by_text("in progress — Expand the Spot It, Stop It").first.click()
    quote = page.get_by_text("continued to develop and expand the Spot it Stop it scheme")
    quote.first.wait_for(timeout=30_000)
    assert page.get_by_text("Annual Report 2022-23 (2022-23, p. 3)").first.is_visible()
    screenshot(page, "commitments-braintree.png")
    page.close()


def test_the_compare_page_shows_braintree_priorities_by_year(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{server}/compare?district=Braintree&year=2017&year=2018")
    table = page.locator("table").first
    table.wait_for(timeout=30_000)
    header = table.locator("thead").inner_text()
    assert "Braintree 2017-18" in header and "Braintree 2018-19" in header
    assert "Tackle the trafficking of drugs in the community" in table.inner_text()
    screenshot(page, "compare-braintree.png")
    page.close()


def test_uploading_a_broken_pdf_shows_why_and_keeps_the_index(
    badpdfs: Path, corpus_index: Path, tmp_path: Path, browser
) -> None:
    from ingest.answers.queries import document_rows

    index = tmp_path / "index"
    shutil.copytree(corpus_index, index)
    before = document_rows(index)
    with running_app(index) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(f"{url}/documents")
        page.get_by_text("Add documents").wait_for(timeout=30_000)
        page.locator("input[type=file]").set_input_files(
            str(badpdfs / "encrypted__encryption_openpassword.pdf")
        )
        page.get_by_role("button", name="Ingest these files").click()
        error = page.get_by_text("encrypted__encryption_openpassword.pdf: failed")
        error.wait_for(timeout=60_000)
        assert "password" in error.inner_text()
        screenshot(page, "upload-broken-pdf.png")
        page.close()
    assert document_rows(index) == before


def test_a_script_tag_in_a_document_is_shown_as_text(tmp_path: Path, browser) -> None:
    from bench.render import render_pdf
    from ingest.pipeline.ingest import ingest_paths

    pdf = tmp_path / "hostile.pdf"
    render_pdf(
        "# Safer Sutton Partnership Annual Report 2021/22\n\n"
        "The Purple Flag scheme &lt;script&gt;alert('x')&lt;/script&gt; continued.\n",
        pdf,
    )
    index = tmp_path / "index"
    ingest_paths([pdf], index)
    with running_app(index) as url:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{url}/?q=Purple+Flag")
        page.get_by_text("scheme <script>", exact=False).first.wait_for(timeout=30_000)
        shown = page.locator("section.main, [data-testid='stMain']").first.inner_text()
        assert "<script>alert(" in shown
        assert page.locator("script", has_text="alert('x')").count() == 0
        assert dialogs == []
        page.close()
