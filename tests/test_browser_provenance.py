"""End to end, in headless Chromium: every result says where its document came from (a
link to the publisher's page, the publisher), names no file by a bare hash, and offers
the original file for download, from a hit, the Documents page and a commitment."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import CHROMIUM, SCREENSHOTS

from samples import ALL_SAMPLES, BRAINTREE_2022, sample

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,  # each test runs the Streamlit server
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

BRAINTREE_SITE = "https://www.braintree.gov.uk"


HASHES = [stem.split("_", 1)[1] for stem in ALL_SAMPLES]


def no_hash_in(text: str) -> bool:
    return not any(digest in text for digest in HASHES)


def test_a_hit_links_to_its_source_and_names_no_hashed_file(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1500})
    page.goto(f"{server}/?q=J9")
    page.locator("h2", has_text="Rochford").first.wait_for(timeout=30_000)
    link = page.locator(f'a[href="{BRAINTREE_SITE}"]').first
    link.wait_for(timeout=30_000)
    assert link.is_visible()
    assert page.get_by_text("Braintree District Community Safety Partnership").first.is_visible()
    assert page.get_by_text("Safer Essex").first.is_visible()
    assert no_hash_in(page.locator("body").inner_text())
    page.close()


def test_a_hit_downloads_its_original_file_under_a_readable_name(
    server: str,
    browser,
) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1500})
    page = context.new_page()
    page.goto(f"{server}/?q=J9&district=Braintree")
    button = page.get_by_role("button", name="Download the original (PDF file)").first
    button.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as started:
        button.click()
    download = started.value
    assert download.suggested_filename == (
        "Braintree District Community Safety Partnership Annual Report 2022-23.pdf"
    )
    assert Path(download.path()).read_bytes() == sample(BRAINTREE_2022, "pdf").read_bytes()
    context.close()


def test_the_documents_page_shows_publishers_and_downloads_an_original(
    server: str,
    browser,
) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    page.goto(f"{server}/documents")
    page.get_by_text("documents from 10 files").wait_for(timeout=30_000)
    chooser = page.get_by_role("combobox", name="Download a document's original file")
    chooser.click()
    # Typed, so the option is among the few the (virtual) list renders.
    chooser.fill("Safer Essex Prospectus (PDF")
    page.get_by_role("option", name="Safer Essex Prospectus (PDF file)", exact=True).click()
    button = page.get_by_role("button", name="Download the original (PDF file)")
    try:
        button.wait_for(timeout=60_000)
    finally:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "documents-download.png"), full_page=True)
    with page.expect_download(timeout=30_000) as started:
        button.click()
    download = started.value
    assert download.suggested_filename == "Safer Essex Prospectus.pdf"
    assert Path(download.path()).read_bytes() == sample(ALL_SAMPLES[3], "pdf").read_bytes()
    assert no_hash_in(page.locator("body").inner_text())
    context.close()


def test_a_commitment_links_to_its_documents_source(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    page.goto(f"{server}/commitments?district=Braintree&year=2018")
    page.get_by_text("commitments for Braintree 2018-19").wait_for(timeout=30_000)
    page.get_by_text("in progress — Expand the Spot It, Stop It").first.click()
    # Every commitment's (closed) expander holds its link; the opened one shows it.
    link = page.locator(f'a[href="{BRAINTREE_SITE}"]:visible').first
    link.wait_for(timeout=30_000)
    assert link.is_visible()
    page.close()
