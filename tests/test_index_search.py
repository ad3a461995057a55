"""The Whoosh index and search on hand-built documents: matching, filters, collapsing."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.index import SearchIndex
from ingest.model import DocType, Document, Section
from ingest.schema import SchemaMismatch
from ingest.search import QueryError, SearchFilters, search


def document(
    doc_id: str,
    source: str,
    districts: list[str],
    year: int | None,
    texts: list[str],
    page: int | None = None,
    doc_type: DocType = DocType.ANNUAL_REPORT,
) -> Document:
    doc = Document(
        doc_id=doc_id,
        source=source,
        file_sha256=doc_id,
        part=0,
        title=f"{districts[0] if districts else 'County'} report",
        doc_type=doc_type,
        districts=districts,
        year_from=year,
        year_to=year,
    )
    doc.sections = [
        Section(
            section_id=f"{doc_id}:{n}",
            doc_id=doc_id,
            heading_path=["Report", f"Part {n}"],
            text=text,
            page_start=page,
            page_end=page,
            char_start=0,
            char_end=len(text),
            districts=districts,
            year_from=year,
            year_to=year,
        )
        for n, text in enumerate(texts)
    ]
    return doc


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    index = SearchIndex.open(tmp_path / "whoosh")
    index.add_documents(
        [
            document(
                "braintree",
                "b.pdf",
                ["Braintree"],
                2022,
                [
                    "The CSP commissioned Safer Places to deliver 'J9' training.",
                    "Work continued to expand the Spot it Stop it scheme.",
                ],
                page=5,
            ),
            document(
                "colchester",
                "c.txt",
                ["Colchester"],
                2019,
                [
                    "J9 Domestic Abuse Awareness sessions for staff.",
                    "Spot It, Stop It: local businesses can play a positive role.",
                ],
            ),
            document(
                "rochford",
                "r.txt",
                ["Rochford"],
                2011,
                ["In June 2011 Rochford District CSP launched the J9 initiative."],
                doc_type=DocType.PROSPECTUS,
            ),
            document(
                "undated", "u.txt", ["Basildon"], None, ["Street Pastors patrol on weekends."]
            ),
        ]
    )
    return index


def areas(hits) -> list[str]:
    return sorted(hit.districts[0] for hit in hits)


def test_short_codes_and_punctuation_insensitive_phrases(index: SearchIndex) -> None:
    assert areas(search(index, "J9")) == ["Braintree", "Colchester", "Rochford"]
    assert areas(search(index, '"Spot It, Stop It"')) == ["Braintree", "Colchester"]
    assert areas(search(index, "spot it stop it")) == ["Braintree", "Colchester"]


def test_boolean_operators(index: SearchIndex) -> None:
    assert areas(search(index, "J9 AND training")) == ["Braintree"]
    assert areas(search(index, "J9 NOT training")) == ["Colchester", "Rochford"]
    assert areas(search(index, '"Street Pastors" OR Rochford')) == ["Basildon", "Rochford"]


def test_filters(index: SearchIndex) -> None:
    assert areas(search(index, "J9", SearchFilters(districts=["Colchester"]))) == ["Colchester"]
    assert areas(search(index, "J9", SearchFilters(year_from=2019, year_to=2019))) == ["Colchester"]
    assert areas(search(index, "J9", SearchFilters(year_from=2015))) == ["Braintree", "Colchester"]
    assert areas(search(index, "J9", SearchFilters(doc_types=["prospectus"]))) == ["Rochford"]


def test_sections_without_a_year_are_kept_unless_a_year_is_asked_for(index: SearchIndex) -> None:
    assert areas(search(index, "Pastors")) == ["Basildon"]
    assert search(index, "Pastors", SearchFilters(year_from=2000, year_to=2030)) == []


def test_snippets_mark_terms_as_plain_text(index: SearchIndex) -> None:
    (hit,) = search(index, "Pastors")
    assert "«Pastors»" in hit.snippet
    assert "<" not in hit.snippet
    assert hit.heading_path == ["Report", "Part 0"]


def test_near_duplicates_collapse_into_the_copy_with_pages(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "whoosh")
    text = ["Safer Places delivered J9 training to 40 staff across the district."]
    index.add_documents(
        [
            document("pdf", "report.pdf", ["Braintree"], 2022, text, page=3),
            document("txt", "report.txt", ["Braintree"], 2022, text),
        ],
        cluster_ids={"pdf": "pdf", "txt": "pdf"},
    )
    (hit,) = search(index, "J9")
    assert (hit.source, hit.page, hit.also_in) == ("report.pdf", 3, ["report.txt"])


def test_deleted_documents_disappear_from_an_open_searcher(index: SearchIndex) -> None:
    assert search(index, "Pastors")
    index.delete_documents(["undated"])
    assert search(index, "Pastors") == []
    assert "undated" not in index.doc_ids()


def test_an_index_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    SearchIndex.open(tmp_path / "whoosh")
    (tmp_path / "whoosh" / "csp-schema-version").write_text("0")
    with pytest.raises(SchemaMismatch, match="rebuild"):
        SearchIndex.open(tmp_path / "whoosh")


@pytest.mark.parametrize("query", ["", "   ", "AND", '"', "((", "*", "x:y", "\x00\x07", "🙂"])
def test_hostile_queries_give_results_or_a_clear_error(index: SearchIndex, query: str) -> None:
    try:
        search(index, query)
    except QueryError as error:
        assert str(error)


def test_overlong_query_is_refused_clearly(index: SearchIndex) -> None:
    with pytest.raises(QueryError, match="too long"):
        search(index, "J9 " * 5000)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_any_text_is_a_query_or_a_query_error(index: SearchIndex, query: str) -> None:
    with contextlib.suppress(QueryError):
        search(index, query)
