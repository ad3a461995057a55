"""End to end in headless Chromium: the chart of a broad search stays readable however
many CSP areas it finds (#18): a CSP x year heat map naming its top areas and summing the
rest, its years in order with a plan's span counted in each year it covers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsing import CHROMIUM, SCREENSHOTS

from ingest.answers.presentation import TOP_AREAS, area_names, document_cells
from ingest.answers.queries import search_documents
from ingest.model import fy_label

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,  # runs the Streamlit server
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

# Fifteen areas on the sample corpus.
BROAD = "partnership"
FINANCIAL_YEAR = re.compile(r"(\d{4})-(\d{2})")


def test_a_broad_search_charts_its_top_areas_by_year_with_spans_in_their_years(
    server: str, browser, corpus_index: Path
) -> None:
    hits = search_documents(corpus_index, BROAD, limit=500, passages=True).hits
    areas = {area for hit in hits for area, _ in document_cells(hit)}
    assert len(areas) > TOP_AREAS + 1, sorted(areas)  # more areas than the chart names
    passages = [passage for hit in hits for passage in [hit, *hit.passages]]
    span = next(found for found in passages if (found.year_to or 0) > (found.year_from or 0))

    page = browser.new_page(viewport={"width": 1400, "height": 1500})
    page.goto(f"{server}/?q={BROAD}&shown=500")
    page.get_by_text(f"of {len(hits)} documents (").wait_for(timeout=60_000)
    chart = page.locator("[data-testid='stTable'] table").first
    chart.wait_for(timeout=30_000)
    rows = [text.strip() for text in chart.locator("tbody th").all_inner_texts()]
    columns = [text.strip() for text in chart.locator("thead th").all_inner_texts()][1:]

    # The top areas by name, and one row for the rest.
    assert len(rows) == TOP_AREAS + 1, rows
    assert rows[-1] == f"{len(areas) - TOP_AREAS} other areas"
    assert set(rows[:-1]) < areas
    # Every financial year from the first to the last, in order: no span among them.
    years = [int(FINANCIAL_YEAR.fullmatch(label)[1]) for label in columns if label[:1].isdigit()]
    assert years == list(range(years[0], years[-1] + 1)), columns
    assert all(" to " not in label for label in columns)
    # A passage covering several years counts in each of them, in its area's row.
    area = area_names(span.districts, span.county)[0]
    row = rows.index(area) if area in rows else len(rows) - 1
    cells = chart.locator("tbody tr").nth(row).locator("td").all_inner_texts()
    for year in range(span.year_from, span.year_to + 1):
        assert cells[columns.index(fy_label(year))].strip() not in ("", "0"), (area, year)
    SCREENSHOTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / "search-area-year-grid.png"))
    page.close()
