"""What the search page keeps between queries and between processes, on the real sample
index: the postings kept on disk beside each segment (`postings.field_postings`) are
Whoosh's own, read afresh; a query's matches, kept per searcher and shared by its
counts and its documents, give what a new process gives; and after an ingest adds a
document, the counts and the documents are the new index's at once."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.query import Term

from ingest.answers.queries import open_index, search_documents, search_page_facets
from ingest.pipeline.ingest import ingest_paths
from ingest.search.backend import SearchFilters
from ingest.search.whoosh import postings
from ingest.search.whoosh.facets import FACET_FIELDS
from ingest.search.whoosh.index import WHOOSH_DIR

# A phrase no sample holds, in the document the test adds.
ADDED_WORDS = "Operation Quillfeather"
QUERY = "domestic abuse"
CHOSEN = SearchFilters(doc_types=["annual report"])


@pytest.fixture
def copied(corpus_index: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(corpus_index, target)
    return target


# Whoosh's own files, so on Whoosh alone: the tantivy pass (`--backend tantivy`) leaves it out.
@pytest.mark.parametrize("backend_name", ["whoosh"], indirect=True)
def test_kept_postings_are_whooshs_own(engine_corpus_index: Path, tmp_path: Path) -> None:
    copied = tmp_path / "index"
    shutil.copytree(engine_corpus_index, copied)
    kept = sorted(path.name for path in (copied / WHOOSH_DIR).glob("csp-postings-*.npz"))
    # The ingest kept every map field of every segment.
    searcher = open_index(copied).searcher()
    segments = [reader.segment().segment_id() for reader, _ in searcher.reader().leaf_readers()]
    fields = (*FACET_FIELDS, *postings.MAP_FIELDS)
    assert kept == sorted(f"csp-postings-{s}-{f}.npz" for s in segments for f in fields)
    for name in fields:
        held = postings.field_postings(searcher, name)
        assert held, name
        for term, ids in held.items():
            expected = sorted(searcher.docs_for_query(Term(name, term)))
            assert ids.tolist() == expected, (name, term)


def page_and_counts(index: Path) -> dict:
    counts = search_page_facets(index, QUERY, CHOSEN)
    page = search_documents(index, QUERY, CHOSEN, 20, 0, "relevance", passages=True)
    return {
        "counts": {name: getattr(counts, name) for name in ("districts", "doc_types", "themes")},
        "totals": [page.total_documents, page.total_passages],
        "hits": [
            [hit.section_id, hit.score, hit.more_passages, [p.section_id for p in hit.passages]]
            for hit in page.hits
        ],
    }


def in_new_process(index: Path) -> dict:
    """The same, from a process that keeps nothing in memory yet."""
    script = (
        "import json, sys; from pathlib import Path; "
        "from tests.test_kept_postings import page_and_counts; "
        "print(json.dumps(page_and_counts(Path(sys.argv[1]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(index)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return json.loads(done.stdout)


def as_json(found: dict) -> dict:
    return json.loads(json.dumps(found))


def test_counts_and_documents_follow_an_ingest(copied: Path, tmp_path: Path) -> None:
    before = page_and_counts(copied)
    assert as_json(before) == in_new_process(copied)
    assert not search_documents(copied, f'"{ADDED_WORDS}"').total_documents

    # A new document on the query, unlike any sample (so not one of their twins).
    added = tmp_path / "added" / "maldon-csp-annual-report-2019-20.txt"
    added.parent.mkdir()
    added.write_text(
        "Maldon Community Safety Partnership\nAnnual Report 2019-20\n\n"
        f"{ADDED_WORDS}\n\n{ADDED_WORDS} brought the domestic abuse outreach workers of "
        "the partnership into every ward of the district, and 214 victims of domestic "
        "abuse were referred to the independent advisers in the year.\n"
    )
    report = ingest_paths([added], copied)
    assert not report.failed

    after = page_and_counts(copied)
    assert after != before
    assert search_documents(copied, f'"{ADDED_WORDS}"').total_documents == 1
    assert as_json(after) == in_new_process(copied)
