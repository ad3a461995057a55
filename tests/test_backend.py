"""Every search backend in `BACKENDS` keeps the `SearchBackend` contract, on the sample
corpus: each backend is filled from the catalog of the shared corpus index, as
`csp check --repair` fills an empty one."""

from __future__ import annotations

import shutil
import subprocess
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_runs import run

from ingest.answers.queries import forget_open_index
from ingest.errors import QueryError
from ingest.model import DocType, Document, Section
from ingest.search.backend import SearchBackend, SearchFilters
from ingest.search.registry import BACKEND_FILE, BACKENDS, open_backend, recorded_backend
from ingest.store.catalog import Catalog
from ingest.store.check import check_store, repair_store
from ingest.store.store import CATALOG_FILE

# The modules the Protocol's types may come from: ours and the standard library's.
ALLOWED_TYPE_MODULES = {
    "builtins",
    "typing",
    "types",
    "collections.abc",
    "contextlib",
    "pathlib",
    "ingest.search.backend",
    "ingest.model",
}
NEW_WORD = "kestrelford"


@dataclass
class Filled:
    """A backend filled from the corpus catalog, with the catalog (what ingest.store.check
    reads of a Store)."""

    catalog: Catalog
    index: SearchBackend


@pytest.fixture(scope="module", params=sorted(BACKENDS))
def filled(
    request: pytest.FixtureRequest, corpus_index: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Filled]:
    folder = tmp_path_factory.mktemp(f"backend-{request.param}")
    for part in corpus_index.glob(f"{CATALOG_FILE}*"):  # with its WAL, if any
        shutil.copy(part, folder / part.name)
    store = Filled(Catalog(folder / CATALOG_FILE), open_backend(folder, request.param))
    repair_store(store, check_store(store))
    yield store
    store.index.close()
    store.catalog.close()


def new_document(doc_id: str, texts: list[str]) -> Document:
    document = Document(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        file_sha256=doc_id,
        part=0,
        title="Kestrelford Community Safety Partnership Annual Report 2031-32",
        doc_type=DocType.ANNUAL_REPORT,
        districts=["Rochford"],
        year_from=2031,
        year_to=2031,
    )
    document.sections = [
        Section(
            section_id=f"{doc_id}:{n}",
            doc_id=doc_id,
            heading_path=["Kestrelford watch"],
            text=text,
            page_start=None,
            page_end=None,
            char_start=0,
            char_end=len(text),
            districts=["Rochford"],
            year_from=2031,
            year_to=2031,
        )
        for n, text in enumerate(texts)
    ]
    return document


def found(index: SearchBackend, query: str, filters: SearchFilters | None = None) -> set[str]:
    return {hit.section_id for hit in index.search(query, filters, limit=1000)}


def test_each_backend_is_a_search_backend(filled: Filled) -> None:
    assert isinstance(filled.index, SearchBackend)


def test_section_counts_agree_with_the_catalog(filled: Filled) -> None:
    in_catalog = {k: v for k, v in filled.catalog.section_counts().items() if v}
    assert filled.index.section_counts() == in_catalog
    assert filled.index.doc_ids() == set(in_catalog)
    assert filled.index.section_count() == sum(in_catalog.values()) > 100
    assert not check_store(filled).disagreements


def test_added_documents_are_found_and_deleted_ones_are_not(filled: Filled) -> None:
    index = filled.index
    generation = index.generation()
    document = new_document("new-kestrelford", ["The Kestrelford night watch began.", "More."])
    try:
        assert index.add_documents([document]) == 2
        assert index.generation() != generation
        assert found(index, NEW_WORD) == {"new-kestrelford:0", "new-kestrelford:1"}
        hits = index.search('"kestrelford night watch"')
        assert [hit.section_id for hit in hits] == ["new-kestrelford:0"]
        assert hits[0].districts == ["Rochford"]
        assert hits[0].year_from == 2031
        assert "«Kestrelford night watch»" in hits[0].snippet
        assert index.section_counts()["new-kestrelford"] == 2
    finally:
        index.delete_documents(["new-kestrelford"])
    assert found(index, NEW_WORD) == set()
    assert "new-kestrelford" not in index.doc_ids()
    assert not check_store(filled).disagreements


def test_query_syntax(filled: Filled) -> None:
    index, catalog = filled.index, filled.catalog

    def words_of(section_id: str) -> str:
        section = catalog.section(section_id)
        assert section is not None
        return " ".join([section.text, *section.heading_path]).lower()

    j9 = found(index, "J9")
    assert j9, "the corpus names J9"
    assert found(index, "j9") == j9
    both = found(index, "J9 AND training")
    assert both and all("train" in words_of(s) for s in both)
    # Without operators, words are preferred, not required.
    assert both < found(index, "J9 training") == j9 | found(index, "training")
    assert both | found(index, "J9 NOT training") <= j9
    assert not any("training" in words_of(s) for s in found(index, "J9 NOT training"))
    assert found(index, "J9 OR zzznotaword") == j9
    assert found(index, "(J9 OR zzznotaword) AND training") == both
    phrase = found(index, '"Spot it, Stop it"')
    assert phrase and phrase == found(index, '"spot it stop it"')
    with pytest.raises(QueryError, match="NOT only excludes"):
        index.search("NOT training")


def test_filters_hold_for_every_hit(filled: Filled) -> None:
    index = filled.index
    filters = SearchFilters(districts=["Braintree"], year_from=2020, year_to=2022)
    hits = index.search("", filters, limit=1000)
    assert hits
    for hit in hits:
        assert "Braintree" in hit.districts
        assert hit.year_from is not None and hit.year_to is not None
        assert hit.year_from <= 2022 and hit.year_to >= 2020
    assert {h.section_id for h in index.search("J9", filters, 1000)} <= {h.section_id for h in hits}


def test_search_documents_lists_each_document_once(filled: Filled) -> None:
    index = filled.index
    page = index.search_documents("J9", limit=1000, passages=True)
    sections = index.search("J9", None, 1000)
    assert page.total_documents == len(page.hits) == len({hit.cluster_id for hit in sections})
    assert page.total_passages == len(sections) == sum(1 + h.more_passages for h in page.hits)
    assert all(hit.more_passages == len(hit.passages) for hit in page.hits)
    second = index.search_documents("J9", limit=1, offset=1)
    assert [hit.doc_id for hit in second.hits] == [page.hits[1].doc_id]
    braintree = index.search_documents("J9", SearchFilters(districts=["Braintree"]))
    assert [hit.districts for hit in braintree.hits] == [["Braintree"]]
    assert braintree.total_documents == 1


def test_facet_counts_with_filters(filled: Filled) -> None:
    index = filled.index
    whole = index.facet_counts()
    assert sum(whole.doc_types.values()) == index.section_count()
    assert {"braintree", "colchester", "rochford"} <= set(whole.districts)

    braintree = index.facet_counts(filters=SearchFilters(districts=["Braintree"]))
    # Every section counted has Braintree among its areas.
    assert braintree.districts["braintree"] == sum(braintree.doc_types.values())
    assert braintree.districts["braintree"] == whole.districts["braintree"]

    doc_type, count = max(whole.doc_types.items(), key=lambda item: item[1])
    typed = index.facet_counts(filters=SearchFilters(doc_types=[doc_type]))
    assert typed.doc_types == {doc_type: count}

    year = max(whole.years)
    dated = index.facet_counts(filters=SearchFilters(year_from=year))
    assert dated.years and max(dated.years) == year
    assert dated.years[year] == whole.years[year]

    j9 = index.facet_counts("J9", SearchFilters(districts=["Braintree"]))
    assert 0 < sum(j9.doc_types.values()) < sum(braintree.doc_types.values())
    with pytest.raises(QueryError, match="backwards"):
        index.facet_counts(filters=SearchFilters(year_from=2022, year_to=2020))


def test_a_batch_commits_at_its_end_and_keeps_the_last_version(filled: Filled) -> None:
    index = filled.index
    first = new_document("batch-one", ["Kestrelford first version.", "Kestrelford again."])
    try:
        with index.batch():
            index.add_documents([first])
            with index.batch():  # part of the outer batch
                index.add_documents([new_document("batch-two", ["Kestrelford second."])])
            assert found(index, NEW_WORD) == set()
            index.add_documents([new_document("batch-one", ["Kestrelford replaced."])])
        assert found(index, NEW_WORD) == {"batch-one:0", "batch-two:0"}
        assert index.section_counts()["batch-one"] == 1
        assert "replaced" in index.search(NEW_WORD, SearchFilters(doc_id="batch-one"))[0].snippet
        with index.batch():
            index.delete_documents(["batch-one", "batch-two"])
            assert len(found(index, NEW_WORD)) == 2
        assert found(index, NEW_WORD) == set()
    finally:
        index.delete_documents(["batch-one", "batch-two"])
    assert not check_store(filled).disagreements


def test_sections_matching_any_stay_in_the_given_documents(filled: Filled) -> None:
    index, catalog = filled.index, filled.catalog
    doc_ids = sorted(index.doc_ids())[:3]
    matches = index.sections_matching_any(["crime", "J9", "NOT"], doc_ids, 50)
    assert matches
    scores = [score for _, score in matches]
    assert scores == sorted(scores, reverse=True)
    for section_id, _ in matches:
        section = catalog.section(section_id)
        assert section is not None and section.doc_id in doc_ids
    assert index.sections_matching_any([NEW_WORD], doc_ids, 50) == []
    assert index.sections_matching_any(["crime"], [], 50) == []


def test_clear_empties_a_backend(tmp_path: Path) -> None:
    for name in BACKENDS:
        index = open_backend(tmp_path / name, name)
        index.add_documents([new_document("cleared", ["Kestrelford."])])
        assert index.doc_ids() == {"cleared"}
        index.clear()
        assert index.doc_ids() == set() and index.section_count() == 0
        index.close()
        with pytest.raises(FileNotFoundError):
            open_backend(tmp_path / "none", name, create=False)


def type_modules(annotation: object) -> Iterator[str]:
    """The modules of an annotation's types, the arguments of generics included."""
    origin = typing.get_origin(annotation)
    if origin is None:
        yield getattr(annotation, "__module__", type(annotation).__module__)
    else:
        yield getattr(origin, "__module__", "typing")
    for argument in typing.get_args(annotation):
        yield from type_modules(argument)


def test_the_protocol_names_no_engine_types() -> None:
    methods = {
        name: member
        for name, member in vars(SearchBackend).items()
        if callable(member) and not name.startswith("_")
    }
    assert {"search", "facet_counts", "sections_matching_any", "add_documents", "batch"} <= set(
        methods
    )
    for name, method in methods.items():
        hints = typing.get_type_hints(method)
        assert "return" in hints, f"{name} has no return annotation"
        modules = {module for hint in hints.values() for module in type_modules(hint)}
        assert modules <= ALLOWED_TYPE_MODULES, (name, modules - ALLOWED_TYPE_MODULES)


def test_the_interface_loads_no_search_engine() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, ingest.search.backend; print(sorted(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "whoosh" not in loaded


def test_csp_ingest_backend_switches_an_index_and_every_command_follows(
    corpus_index: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    for part in corpus_index.glob(f"{CATALOG_FILE}*"):
        shutil.copy(part, folder / part.name)
    code, whoosh_output = run("search", "J9", "--index", str(folder))
    assert code == 1 and "csp check --repair" in whoosh_output  # Whoosh's index is absent

    code, output = run("ingest", "--backend", "tantivy", "--index", str(folder))
    assert code == 0, output
    assert recorded_backend(folder) == "tantivy"
    assert (folder / BACKEND_FILE).read_text().strip() == "tantivy"
    assert not (folder / "whoosh").exists() and (folder / "tantivy").is_dir()
    forget_open_index(folder)
    code, output = run("search", "J9", "--index", str(folder))
    assert code == 0 and "J9" in output
    code, output = run("check", "--index", str(folder))
    assert code == 0 and output.startswith("catalog and index agree")

    code, output = run("ingest", "--backend", "whoosh", "--index", str(folder))
    assert code == 0, output
    assert not (folder / BACKEND_FILE).exists() and recorded_backend(folder) == "whoosh"
    forget_open_index(folder)
    assert run("check", "--index", str(folder))[0] == 0
