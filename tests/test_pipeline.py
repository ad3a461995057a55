"""`ingest_paths` on real files: parallel workers and near-duplicate documents."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ingest.answers.queries import run_search
from ingest.errors import SchemaMismatch
from ingest.paths import MODELS_DIR
from ingest.pipeline.ingest import ingest_paths
from ingest.search.registry import open_backend
from ingest.store.catalog import CATALOG_VERSION, Catalog
from ingest.store.store import CATALOG_FILE

from samples import BRAINTREE_PACK, PDF_DIR, TEXT_DIR, sample


def documents(index: Path) -> list[tuple]:
    catalog = Catalog(index / CATALOG_FILE)
    found = sorted(
        (Path(d.source).name, d.part, d.doc_type.value, tuple(d.districts), d.year_from)
        for d in catalog.documents()
    )
    catalog.close()
    return found


@pytest.mark.slow
def test_two_workers_store_the_same_as_one(tmp_path: Path) -> None:
    one = ingest_paths([TEXT_DIR, PDF_DIR], tmp_path / "one", workers=1)
    two = ingest_paths([TEXT_DIR, PDF_DIR], tmp_path / "two", workers=2)
    assert one.counts == two.counts == {"ingested": 10}
    assert documents(tmp_path / "one") == documents(tmp_path / "two")


@pytest.mark.slow
def test_a_report_inside_a_pack_and_on_its_own_is_shown_once(tmp_path: Path) -> None:
    lines = sample(BRAINTREE_PACK, "text").read_text(encoding="utf-8").splitlines()
    start = lines.index("# Braintree District Community Safety Partnership")
    end = next(i for i, line in enumerate(lines) if line.startswith("Braintree District  "))
    standalone = tmp_path / "annual-report-2017-18.txt"
    standalone.write_text("\n".join(lines[start:end]), encoding="utf-8")
    index = tmp_path / "index"

    ingest_paths([sample(BRAINTREE_PACK, "pdf"), standalone], index)

    catalog = Catalog(index / CATALOG_FILE)
    clusters = catalog.cluster_ids()
    by_source = {(Path(d.source).name, d.doc_type.value): d.doc_id for d in catalog.documents()}
    catalog.close()
    own = by_source[("annual-report-2017-18.txt", "annual report")]
    in_pack = by_source[(f"{BRAINTREE_PACK}.pdf", "annual report")]
    assert clusters[own] == clusters[in_pack]
    hits = [hit for hit in run_search(index, '"Gangs & Gang Crime guide"')]
    assert len(hits) == 1
    assert hits[0].source.endswith(".pdf")
    assert hits[0].also_in == [str(standalone.resolve())]


@pytest.mark.slow
def test_a_run_cut_short_inside_an_index_batch_is_repaired_by_the_next(
    tmp_path: Path, backend_name: str
) -> None:
    index_dir = tmp_path / "index"
    ingest_paths([TEXT_DIR], index_dir, backend=backend_name)
    stored = {document[0] for document in documents(index_dir)}
    # What a run killed between a file's catalog commit and the batch's index commit
    # leaves: the catalog has the file, the index does not, and the run never finished.
    search_index = open_backend(index_dir)
    lost = sorted(search_index.doc_ids())[:3]
    search_index.delete_documents(lost)
    catalog = Catalog(index_dir / CATALOG_FILE)
    catalog.start_run({"paths": [str(TEXT_DIR)]})
    catalog.close()

    again = ingest_paths([TEXT_DIR], index_dir)

    assert again.counts == {"unchanged": 5}
    assert again.notices == [
        "the last ingest (run 2) was interrupted: repaired the search index "
        "(3 documents missing from the index)"
    ]
    repaired = open_backend(index_dir)
    assert set(lost) <= repaired.doc_ids()
    assert {document[0] for document in documents(index_dir)} == stored
    assert ingest_paths([TEXT_DIR], index_dir).notices == []


@pytest.mark.slow
def test_whole_index_facet_counts_are_kept_until_the_next_commit(
    tmp_path: Path, monkeypatch
) -> None:
    from ingest.answers.queries import open_index, run_facets

    index_dir = tmp_path / "index"
    ingest_paths([sample(BRAINTREE_PACK, "text")], index_dir)
    index = open_index(index_dir)
    counted = []
    facet_counts = index.facet_counts

    def counting(query=None, filters=None, documents=False):
        counted.append(query)
        return facet_counts(query, filters, documents)

    monkeypatch.setattr(index, "facet_counts", counting)
    first = run_facets(index_dir)
    assert run_facets(index_dir) == first
    first.districts.clear()  # a caller's change never reaches the kept counts
    assert run_facets(index_dir).districts
    assert counted == [None], "the whole index's counts were counted again"

    ingest_paths([TEXT_DIR], index_dir)

    after = run_facets(index_dir)
    assert counted == [None, None], "the kept counts outlived a commit"
    assert "Colchester" in after.districts
    assert run_facets(index_dir) == after and len(counted) == 2
    # Counts for a query are not kept: each is its own.
    braintree = run_facets(index_dir, "Braintree")
    assert sum(after.doc_types.values()) > sum(braintree.doc_types.values())
    assert counted == [None, None, "Braintree"]


def test_the_catalog_keeps_a_documents_date_and_period(tmp_path: Path) -> None:
    # Minutes of a meeting held on Thursday, 11 October 2018 that review 2017-18.
    minutes = MODELS_DIR / "real" / "docs" / "171_north-hampshire_minutes.txt"
    ingest_paths([minutes], tmp_path / "index")
    catalog = Catalog(tmp_path / "index" / CATALOG_FILE)
    (document,) = catalog.documents()
    catalog.close()
    assert (document.date, document.period) == ("2018-10-11", "2018-19")


def test_a_catalog_from_before_dates_asks_to_be_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "index" / CATALOG_FILE
    path.parent.mkdir()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE documents (doc_id TEXT PRIMARY KEY)")
        connection.execute("PRAGMA user_version=5")
    connection.close()
    with pytest.raises(SchemaMismatch, match=f"version 5, this one needs {CATALOG_VERSION}"):
        Catalog(path)
