"""Every view of the app on the sample corpus renders or explains itself (issue #18):
each value of each search filter, each entity and theme page, each CSP over every year
on Compare, each commitments area, year and filter, run by
AppTest through the app's own code with no exception raised."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, page_test, run_page

from ingest.answers.queries import entity_summaries, run_facets
from ingest.nlp.taxonomy import theme_names

pytestmark = pytest.mark.slow


def failures(tests: list[tuple[str, AppTest]]) -> list[tuple[str, str]]:
    """The views that raised, with the first line of the exception."""
    return [
        (view, test.exception[0].value.splitlines()[0]) for view, test in tests if test.exception
    ]


def search(index: Path, **params: str) -> AppTest:
    test = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        test.query_params[name] = value
    return test.run()


def test_every_value_of_every_search_filter(corpus_index: Path, monkeypatch) -> None:
    monkeypatch.setenv("CSP_INDEX", str(corpus_index))
    overview = run_facets(corpus_index, documents=True)
    views = []
    for param, facet in [
        ("district", overview.districts),
        ("type", overview.doc_types),
        ("initiative", overview.initiatives),
        ("partner", overview.partners),
        ("theme", overview.themes),
    ]:
        for value in sorted(facet):
            views.append((f"{param}={value}", search(corpus_index, q="safety", **{param: value})))
    for year in sorted(overview.years):
        views.append(
            (
                f"year {year}",
                search(corpus_index, q="safety", **{"from": str(year), "to": str(year)}),
            )
        )
    assert len(views) > 250
    assert failures(views) == []


def test_every_entity_and_theme_page(corpus_index: Path, monkeypatch) -> None:
    views = [
        (name, page_test("entities_page", corpus_index, monkeypatch, entity=name))
        for name in (summary["name"] for summary in entity_summaries(corpus_index))
    ]
    views += [
        (theme, page_test("entities_page", corpus_index, monkeypatch, theme=theme))
        for theme in theme_names()
    ]
    assert len(views) > 200
    assert failures(views) == []


def compare(index: Path, monkeypatch, areas: list[str], years: list[int]) -> AppTest:
    monkeypatch.setenv("CSP_INDEX", str(index))
    test = AppTest.from_function(
        run_page, args=("compare_page", f"{index}|{Path(APP).parent}", {}), default_timeout=60
    )
    test.query_params["district"] = areas
    test.query_params["year"] = [str(year) for year in years]
    return test.run()


def test_compare_each_csp_over_every_year(corpus_index: Path, monkeypatch) -> None:
    overview = run_facets(corpus_index)
    areas, years = sorted(overview.districts), sorted(overview.years)
    pairings = [[area] for area in areas]
    views = [(" + ".join(p), compare(corpus_index, monkeypatch, p, years)) for p in pairings]
    assert failures(views) == []


def test_every_commitments_area_year_and_filter(corpus_index: Path, monkeypatch) -> None:
    first = page_test("commitments_page", corpus_index, monkeypatch)
    views = []
    for area in first.selectbox(key="commitments_area").options:
        years = page_test("commitments_page", corpus_index, monkeypatch, district=area)
        for year in years.selectbox(key="commitments_year").options:
            test = page_test(
                "commitments_page", corpus_index, monkeypatch, district=area, year=year[:4]
            )
            views.append((f"{area} {year}", test))
            for key in ("commitments_status", "commitments_priority"):
                for option in test.multiselect(key=key).options:
                    test.multiselect(key=key).set_value([option]).run()
                    views.append((f"{area} {year} {option}", test))
                    test.multiselect(key=key).set_value([]).run()
    assert len(views) > 10
    assert failures(views) == []


def test_the_commitments_status_is_the_first_column_and_pinned(
    corpus_index: Path, monkeypatch
) -> None:
    # A phone's screen shows the first columns; the status must be among them.
    test = page_test("commitments_page", corpus_index, monkeypatch, district="Braintree")
    table = test.dataframe[0]
    assert table.value.columns[0] == "status"
    assert '"pinned": true' in table.proto.columns.replace('":true', '": true')
