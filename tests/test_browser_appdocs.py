"""End to end in headless Chromium, the points of issue #18 that only AppTest covered:
theme pages and theme filters whose names keep their capitals (point 1), sorting the
results (point 3), the results' CSV naming each document's source (point 4), and
Compare's year on year and figures (point 6).  docs/app-acceptance.md maps every point
to its browser tests and shows each failing on the app as it was when #18 was filed.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from browsing import CHROMIUM, SCREENSHOTS

from ingest.answers.presentation import area_label, period_label
from ingest.answers.queries import build_filters, search_documents, search_page_facets
from ingest.search.backend import SearchFilters

from samples import ALL_SAMPLES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,  # each test runs the Streamlit server
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

# Two themes whose names have capitals: lower-cased, they used to raise FilterError.
CAPITALISED_THEMES = ("domestic abuse and VAWG", "extremism and Prevent")
HASHES = [stem.split("_", 1)[1] for stem in ALL_SAMPLES]
# A grid's rows as {column heading: cell text}: Streamlit's dataframe draws on a canvas
# and keeps the rows it shows in an accessible table beside it.
GRID_ROWS = """frame => {
    const table = frame.querySelector('table');
    const headings = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    return [...table.querySelectorAll('tbody tr')].map(row => Object.fromEntries(
        [...row.querySelectorAll('td')].map((td, i) => [headings[i], td.textContent.trim()])));
}"""


def no_traceback(page) -> bool:
    return page.locator("[data-testid=stException]").count() == 0


def grid(page, column: str) -> list[dict[str, str]]:
    """The rows of the first dataframe with a column headed `column`."""
    heading = page.locator("th", has_text=re.compile(f"^{re.escape(column)}$"))
    frame = page.locator("[data-testid=stDataFrame]", has=heading).first
    frame.locator("td[role=gridcell]").first.wait_for(state="attached", timeout=30_000)
    return frame.evaluate(GRID_ROWS)


@pytest.mark.parametrize("theme", CAPITALISED_THEMES)
def test_a_theme_with_capitals_in_its_name_opens_its_page(server: str, browser, theme) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{server}/entities?theme={quote_plus(theme)}")
    page.locator("h2", has_text=theme).wait_for(timeout=30_000)
    page.get_by_text("Passages on this theme by CSP area and financial year").wait_for(
        timeout=30_000
    )
    page.locator("table.csp-matrix").first.wait_for(timeout=30_000)
    assert no_traceback(page)
    page.close()


def test_a_theme_in_the_url_is_kept_applied_and_counted_with_its_capitals(
    server: str, browser, corpus_index: Path
) -> None:
    theme = CAPITALISED_THEMES[0]
    counts = search_page_facets(corpus_index, "abuse", build_filters(themes=[theme]))
    listed = search_documents(corpus_index, "abuse", build_filters(themes=[theme]))
    assert counts.themes[theme] == listed.total_documents > 0
    assert theme in search_page_facets(corpus_index, "abuse", SearchFilters()).themes
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(f"{server}/?q=abuse&theme={quote_plus(theme)}")
    page.get_by_text(f"of {listed.total_documents} document").first.wait_for(timeout=30_000)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text(f"{theme} ({listed.total_documents})").wait_for(timeout=10_000)
    assert f"theme={quote_plus(theme)}" in page.url
    assert no_traceback(page)
    assert page.get_by_text("unknown theme").count() == 0
    page.close()


def test_sorting_by_newest_puts_the_latest_documents_first_and_in_the_url(
    server: str, browser, corpus_index: Path
) -> None:
    newest = search_documents(corpus_index, "safety", sort="newest").hits[0]
    best = search_documents(corpus_index, "safety").hits[0]
    assert newest.period != best.period  # the order changes what leads
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(f"{server}/?q=safety")
    page.get_by_text(" documents (").first.wait_for(timeout=30_000)
    page.get_by_role("combobox", name="Sort by").click()
    page.get_by_role("option", name="Newest first").click()
    page.wait_for_function("() => window.location.search.includes('sort=newest')", timeout=30_000)
    lead = page.locator("h2", has_text=area_label(newest.districts, newest.county)).first
    lead.wait_for(timeout=30_000)
    page.locator("h3", has_text=period_label(newest.period)).first.wait_for(timeout=30_000)
    headings = [text.strip() for text in page.locator("h3").all_inner_texts()]
    periods = [text for text in headings if " of " not in text]  # after the totals line
    assert periods[0] == period_label(newest.period), headings
    page.close()


def test_the_results_csv_gives_each_documents_source_link_and_no_server_path(
    server: str, browser
) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1500})
    page = context.new_page()
    page.goto(f"{server}/?q=J9")
    button = page.get_by_role("button", name="Download results (CSV)")
    button.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as started:
        button.click()
    text = Path(started.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    braintree = next(row for row in rows if row["CSP area"] == "Braintree")
    assert braintree["source link"].startswith("https://www.braintree.gov.uk")
    assert braintree["publisher"]
    # The Safer Essex prospectus has a publisher but no known address.
    assert all(row["source link"].startswith("https://") or row["publisher"] for row in rows)
    assert {row["source link"] for row in rows} - {""}
    assert not any(digest in text for digest in HASHES)
    assert "/corpus/" not in text and "uploads/" not in text
    context.close()


def test_compare_year_on_year_treats_restated_priorities_as_unchanged(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(f"{server}/compare?district=Braintree&year=2017&year=2018")
    page.get_by_text("Year on year").wait_for(timeout=60_000)
    changes = {row["what"]: row["items"] for row in grid(page, "items")}
    # 2018-19 restates 2017-18's priorities ("Driving Down Violence and Disorder within
    # the Community" / "Drive down violence and disorder within the community").
    assert changes["priorities added"] == ""
    assert "violence and disorder" not in changes["priorities dropped"].lower()
    assert "hidden harms" not in changes["priorities dropped"].lower()
    page.close()


def test_compare_figures_are_outcomes_with_a_unit_and_a_counted_thing(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(f"{server}/compare?district=Braintree&year=2017&year=2018")
    page.get_by_role("heading", name="Figures").wait_for(timeout=60_000)
    figures = grid(page, "figure")
    assert len(figures) >= 5
    assert all(row["unit"] and row["what"] for row in figures), figures
    counted = {row["what"].lower() for row in figures}
    assert not counted & {"topic areas", "priorities", "themes", "objectives"}
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "compare-year-on-year.png"), full_page=True)
    page.close()
