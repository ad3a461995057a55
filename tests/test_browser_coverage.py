"""End to end, in headless Chromium on the sample corpus: what the index holds (the home
page's summary, the Coverage page, "no results" told from "not collected") and the
entity pages (passages counted once, years without documents, totals, cells that open
the filtered search, passages that open their page).  The server and the browser are
started as `test_browser.py` starts them."""

from __future__ import annotations

import pytest
from browsing import CHROMIUM, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

SPOT_IT = "entities?entity=Spot+It+Stop+It"


def matrix_cells(page, area: str) -> dict[str, str]:
    """The first matrix's row for `area`, by column heading."""
    table = page.locator("table.csp-matrix").first
    table.wait_for(timeout=30_000)
    headings = [text.strip() for text in table.locator("thead th").all_inner_texts()][1:]
    row = table.locator("tbody tr", has=page.locator("th", has_text=area)).first
    cells = [text.strip() for text in row.locator("td").all_inner_texts()]
    return dict(zip(headings, cells, strict=True))


def test_the_home_page_says_what_is_indexed_and_opens_the_coverage(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(server)
    summary = page.get_by_text("Indexed: 19 documents from 14 CSP areas, 2009-10 to 2022-23")
    summary.wait_for(timeout=30_000)
    assert "committee report (8)" in summary.inner_text()
    page.get_by_role("link", name="What is indexed, by CSP area and year →").click()
    page.wait_for_url("**/coverage**", timeout=30_000)
    maldon = matrix_cells(page, "Maldon")
    assert (maldon["2012-13"], maldon["2016-17"], maldon["total"]) == ("1", "–", "1")
    braintree = matrix_cells(page, "Braintree")
    assert (braintree["2017-18"], braintree["2022-23"]) == ("5", "1")
    screenshot(page, "coverage.png", full_page=True)
    page.close()


def test_the_coverage_page_narrows_to_a_document_type_from_its_url(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/coverage?type=action+plan")
    table = page.locator("table.csp-matrix").first
    table.wait_for(timeout=30_000)
    areas = [text.strip() for text in table.locator("tbody th").all_inner_texts()]
    assert areas == ["Braintree", "total"]
    braintree = matrix_cells(page, "Braintree")
    assert (braintree["2017-18"], braintree["2018-19"], braintree["total"]) == ("1", "1", "2")
    page.close()


def test_no_results_for_an_area_and_year_never_collected_say_so(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/?q=J9&district=Maldon&from=2016&to=2016")
    page.get_by_text("No documents for Maldon 2016-17 are indexed.").wait_for(timeout=30_000)
    page.get_by_role("link", name="What is indexed →").click()
    page.wait_for_url("**/coverage?district=Maldon**", timeout=30_000)
    table = page.locator("table.csp-matrix").first
    table.wait_for(timeout=30_000)
    areas = [text.strip() for text in table.locator("tbody th").all_inner_texts()]
    assert areas == ["Maldon", "total"]
    page.close()


def test_no_results_where_documents_exist_say_none_matches(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/?q=J9&district=Maldon&from=2012&to=2012")
    message = "1 document for Maldon 2012-13 is indexed, but none matches."
    page.get_by_text(message).wait_for(timeout=30_000)
    assert page.get_by_text("are indexed.").count() == 0
    page.close()


def test_the_entity_matrix_counts_passages_once_and_tells_no_documents_from_none(
    server: str, browser
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{server}/{SPOT_IT}")
    braintree = matrix_cells(page, "Braintree")
    # The 2022-23 annual report's one passage names it twice; Braintree has no 2019-20
    # document, and Colchester none before 2016-17.
    assert braintree == {
        "2017-18": "2",
        "2018-19": "1",
        "2019-20": "–",
        "2020-21": "–",
        "2021-22": "–",
        "2022-23": "1",
        "total": "4",
    }
    colchester = matrix_cells(page, "Colchester")
    assert (colchester["2017-18"], colchester["2018-19"], colchester["2019-20"]) == ("0", "0", "1")
    total = matrix_cells(page, "total")
    assert (total["2017-18"], total["total"]) == ("2", "5")
    screenshot(page, "entity-matrix-coverage.png")
    page.close()


def test_an_entity_matrix_cell_opens_the_search_for_its_area_and_year(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{server}/{SPOT_IT}")
    table = page.locator("table.csp-matrix").first
    table.wait_for(timeout=30_000)
    row = table.locator("tbody tr", has=page.locator("th", has_text="Braintree")).first
    row.get_by_role("link", name="1").last.click()  # 2022-23
    page.wait_for_url("**/search?**", timeout=30_000)
    for part in ("district=Braintree", "from=2022", "to=2022", "initiative=Spot"):
        assert part in page.url
    page.get_by_text("1 of 1 document (1 passage)").wait_for(timeout=30_000)
    page.locator("h2", has_text="Braintree").first.wait_for(timeout=30_000)
    periods = [text.strip() for text in page.locator("h3").all_inner_texts()]
    assert "2022-23" in periods and "2017-18" not in periods
    page.close()


def test_a_passage_on_the_entity_page_opens_its_pdf_page(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1500})
    page.goto(f"{server}/{SPOT_IT}")
    opener = page.get_by_text("Open page 3").first
    opener.wait_for(timeout=30_000)
    opener.click()
    image = page.locator("img[src*='media']").first
    image.wait_for(timeout=30_000)
    assert image.bounding_box()["width"] > 400
    page.close()


def test_compare_says_which_columns_hold_no_documents(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{server}/compare?district=Braintree&year=2019&year=2022")
    page.get_by_text("No documents for Braintree 2019-20 are indexed.").wait_for(timeout=30_000)
    assert page.get_by_text("No documents for Braintree 2022-23").count() == 0
    page.get_by_role("link", name="What is indexed →").wait_for(timeout=30_000)
    page.close()
