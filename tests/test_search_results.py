"""One result per document on the real sample corpus: best passage first with the count
of the others, totals, paging, sorting, near-duplicates once, and help when a word
matches nothing; through the backend, `csp search` and its `--json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runs import run

from ingest.answers.queries import open_index, run_facets, search_documents
from ingest.errors import QueryError
from ingest.search.backend import SORTS, SearchFilters, SearchPage

# Words many documents of the sample corpus use, several times each.
BROAD = "domestic abuse"


def every_document(index: Path, query: str, sort: str = "relevance") -> SearchPage:
    return search_documents(index, query, limit=1000, sort=sort, passages=True)


def test_one_row_per_document_with_its_other_passages(engine_corpus_index: Path) -> None:
    page = every_document(engine_corpus_index, BROAD)
    assert page.total_documents == len(page.hits) > 5
    assert len({hit.doc_id for hit in page.hits}) == len(page.hits)
    assert len({hit.cluster_id for hit in page.hits}) == len(page.hits)
    assert any(hit.more_passages >= 2 for hit in page.hits)
    for hit in page.hits:
        assert hit.more_passages == len(hit.passages)
        assert {passage.doc_id for passage in hit.passages} <= {hit.doc_id}
        sections = [hit.section_id] + [passage.section_id for passage in hit.passages]
        assert len(set(sections)) == len(sections)
        scores = [passage.score for passage in hit.passages]
        assert scores == sorted(scores, reverse=True)
        assert all(hit.score >= score for score in scores), "the best passage comes first"
        # A passage may match by its headings or title alone, so not every one marks words.
        assert all(passage.snippet for passage in hit.passages)


def test_passages_without_snippets_are_the_same_passages(engine_corpus_index: Path) -> None:
    marked = every_document(engine_corpus_index, BROAD)
    unmarked = search_documents(
        engine_corpus_index, BROAD, limit=1000, passages=True, passage_snippets=False
    )
    assert [hit.snippet for hit in unmarked.hits] == [hit.snippet for hit in marked.hits]

    def places(page: SearchPage) -> list[list[tuple]]:
        return [
            [(p.section_id, p.districts, p.county, p.year_from, p.year_to) for p in hit.passages]
            for hit in page.hits
        ]

    assert places(unmarked) == places(marked)
    assert any(hit.passages for hit in unmarked.hits)
    assert not any(passage.snippet for hit in unmarked.hits for passage in hit.passages)


def test_totals_count_distinct_documents_and_their_passages(engine_corpus_index: Path) -> None:
    page = every_document(engine_corpus_index, BROAD)
    # The section-level search collapses the same near-duplicates, one row per passage.
    sections = open_index(engine_corpus_index).search(BROAD, None, 1000)
    assert page.total_documents == len({hit.cluster_id for hit in sections})
    assert page.total_passages == len(sections)
    assert page.total_passages == sum(1 + hit.more_passages for hit in page.hits)
    first = search_documents(engine_corpus_index, BROAD, limit=3)
    assert (first.total_documents, first.total_passages) == (
        page.total_documents,
        page.total_passages,
    )
    assert len(first.hits) == 3 and not first.hits[0].passages


@pytest.mark.parametrize("sort", SORTS)
def test_offset_pages_without_overlap_and_covers_every_document(
    engine_corpus_index: Path, sort: str
) -> None:
    whole = [hit.doc_id for hit in every_document(engine_corpus_index, BROAD, sort).hits]
    paged: list[str] = []
    for offset in range(0, len(whole) + 4, 4):
        page = search_documents(engine_corpus_index, BROAD, limit=4, offset=offset, sort=sort)
        assert page.offset == offset and page.total_documents == len(whole)
        paged += [hit.doc_id for hit in page.hits]
    assert paged == whole


def test_each_sort_order(engine_corpus_index: Path) -> None:
    by = {sort: every_document(engine_corpus_index, BROAD, sort).hits for sort in SORTS}
    assert len({frozenset(hit.doc_id for hit in hits) for hits in by.values()}) == 1
    scores = [hit.score for hit in by["relevance"]]
    assert scores == sorted(scores, reverse=True)
    years = [(hit.year_to, hit.year_from) for hit in by["newest"] if hit.year_to is not None]
    assert years == sorted(years, reverse=True) and len(set(years)) > 2
    assert [hit.year_to for hit in by["newest"]][len(years) :] == [None] * (
        len(by["newest"]) - len(years)
    ), "documents without a year come last"
    areas = [", ".join(hit.districts) or hit.county or "" for hit in by["area"]]
    named = [area.lower() for area in areas if area]
    assert named == sorted(named) and len(set(named)) > 2
    assert by["newest"] != by["relevance"] != by["area"]
    with pytest.raises(QueryError, match="unknown sort"):
        search_documents(engine_corpus_index, BROAD, sort="oldest")


def test_text_twins_show_once_with_also_in(engine_corpus_index: Path) -> None:
    hits = every_document(engine_corpus_index, "J9").hits
    braintree = [hit for hit in hits if hit.districts == ["Braintree"]]
    assert len(braintree) == 1
    assert braintree[0].source.endswith(".pdf") and braintree[0].page == 5
    assert [Path(source).suffix for source in braintree[0].also_in] == [".txt"]
    # Every sample file has its text twin, so every document is "also in" one.
    assert all(len(hit.also_in) == 1 for hit in hits)


@pytest.mark.parametrize(
    ("typed", "unmatched", "meant"),
    [
        ("knif crime", ["knif"], "knife crime"),
        ("Spot It Stpo It", ["Stpo"], "Spot It Stop It"),
    ],
)
def test_did_you_mean_uses_the_index_vocabulary(
    engine_corpus_index: Path, typed: str, unmatched: list[str], meant: str
) -> None:
    page = search_documents(engine_corpus_index, typed)
    assert page.unmatched == unmatched
    assert page.suggestion == meant
    assert search_documents(engine_corpus_index, meant).total_documents > 0


def test_words_found_everywhere_need_no_help(engine_corpus_index: Path) -> None:
    page = search_documents(engine_corpus_index, "Spot It Stop It")
    assert page.hits and page.unmatched == [] and page.suggestion is None
    # A word with no close indexed word is named but not corrected.
    far = search_documents(engine_corpus_index, "J9 zzqxv")
    assert far.unmatched == ["zzqxv"] and far.suggestion is None


def test_cli_lists_documents_with_totals_and_passages(engine_corpus_index: Path) -> None:
    index = ["--index", str(engine_corpus_index)]
    code, output = run("search", BROAD, "--limit", "3", *index)
    assert code == 0, output
    lines = output.splitlines()
    total = every_document(engine_corpus_index, BROAD)
    assert (
        lines[0] == f"1–3 of {total.total_documents} documents ({total.total_passages} passages)."
    )
    assert [line[:3] for line in lines if line[:1].isdigit()][1:] == ["1. ", "2. ", "3. "]
    assert "more passages in this document" in output and "   - " not in output
    assert lines[-1] == "More: add --offset 3."

    code, listed = run("search", BROAD, "--limit", "3", "--passages", *index)
    assert code == 0, listed
    lines = listed.splitlines()
    for number, line in enumerate(lines):
        if line.endswith("more passages in this document:"):
            more = int(line.split()[0])
            following = lines[number + 1 : number + 1 + 2 * more]
            assert [entry.startswith("   - ") for entry in following[::2]] == [True] * more
            assert all(entry.startswith("     ") for entry in following[1::2])

    code, last = run("search", BROAD, "--offset", str(total.total_documents - 1), *index)
    assert code == 0 and "More:" not in last
    assert last.startswith(f"{total.total_documents} of {total.total_documents} documents")


def test_cli_names_unmatched_words_and_suggests(engine_corpus_index: Path) -> None:
    code, output = run("search", "knif crime", "--index", str(engine_corpus_index))
    assert code == 0, output
    # The ranking still finds documents (by "crime", and "knife" as a near spelling);
    # the help comes under the totals.
    assert output.splitlines()[0].endswith("passages).")
    assert output.splitlines()[1:3] == [
        "No passage contains “knif”.",
        "Did you mean: knife crime",
    ]
    code, output = run("search", "zzqxv", "--index", str(engine_corpus_index))
    assert code == 0, output
    assert output.splitlines() == ["No documents match.", "No passage contains “zzqxv”."]


def test_cli_json_is_complete(engine_corpus_index: Path) -> None:
    code, output = run(
        "search", BROAD, "--json", "--limit", "2", "--offset", "1", "--sort", "newest",
        "--index", str(engine_corpus_index),
    )  # fmt: skip
    assert code == 0, output
    page = json.loads(output)
    assert set(page) == {
        "total_documents", "total_passages", "hits", "offset", "sort", "suggestion", "unmatched",
    }  # fmt: skip
    assert (page["offset"], page["sort"], len(page["hits"])) == (1, "newest", 2)
    for hit in page["hits"]:
        assert hit["more_passages"] == len(hit["passages"])
        assert {"section_id", "heading_path", "page", "snippet", "score"} <= set(
            hit["passages"][0] if hit["passages"] else hit
        )
    code, output = run("search", BROAD, "--sort", "oldest", "--index", str(engine_corpus_index))
    assert code == 2 and "oldest" in output


@pytest.mark.parametrize("query", [BROAD, "Spot It Stop It"])
def test_document_facet_counts_are_what_choosing_the_value_gives(
    engine_corpus_index: Path, query: str
) -> None:
    counts = run_facets(engine_corpus_index, query, documents=True)
    chosen = {
        "districts": counts.districts,
        "doc_types": counts.doc_types,
        "initiatives": counts.initiatives,
        "themes": counts.themes,
    }
    assert all(chosen.values()), chosen
    for name, values in chosen.items():
        for value, count in values.items():
            page = search_documents(engine_corpus_index, query, SearchFilters(**{name: [value]}))
            assert page.total_documents == count, (name, value)
    passages = run_facets(engine_corpus_index, query)
    # Passages count both copies of a twin; documents count it once.
    assert sum(passages.doc_types.values()) > sum(counts.doc_types.values())
