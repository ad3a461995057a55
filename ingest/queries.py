"""Search as users ask it: area names as they spell them, years as they write them.

The CLI and the app both call these, so "Southend" and "2019/20" mean the same in each.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ingest.index import SearchIndex
from ingest.periods import parse_year_option
from ingest.places import load_gazetteer
from ingest.schema import SchemaMismatch
from ingest.search import FacetCounts, Hit, SearchFilters, facet_counts, search


class FilterError(ValueError):
    """A filter value the user must correct, with a one-line message."""


def resolve_district(name: str) -> str:
    canonical = load_gazetteer().resolve(name)
    if canonical is None:
        raise FilterError(f"unknown CSP area {name!r}: use a district, borough or city name")
    return canonical


def parse_year(value: str, option: str) -> tuple[int, int]:
    try:
        return parse_year_option(value)
    except ValueError as error:
        raise FilterError(f"{option} {value!r}: {error}") from error


def build_filters(
    districts: Sequence[str] = (),
    year: str | None = None,
    year_from: str | None = None,
    year_to: str | None = None,
    doc_types: Sequence[str] = (),
) -> SearchFilters:
    """Filters from user input; raises FilterError with a message naming the bad value."""
    if year and (year_from or year_to):
        raise FilterError("use either --year or --from/--to, not both")
    first = last = None
    if year:
        first, last = parse_year(year, "--year")
    if year_from:
        first = parse_year(year_from, "--from")[0]
    if year_to:
        last = parse_year(year_to, "--to")[1]
    if first is not None and last is not None and first > last:
        raise FilterError(f"--from {first} is after --to {last}")
    gazetteer = load_gazetteer()
    areas, counties = [], []
    for name in districts:
        canonical = resolve_district(name)
        (counties if canonical in gazetteer.counties else areas).append(canonical)
    if counties:
        areas.extend(area for county in counties for area in gazetteer.districts_in(county))
    return SearchFilters(districts=areas, year_from=first, year_to=last, doc_types=list(doc_types))


_open_indexes: dict[Path, SearchIndex] = {}


def open_index(index_dir: Path) -> SearchIndex:
    """One open index (and cached searcher) per folder for the life of the process."""
    from ingest.pipeline import WHOOSH_DIR

    key = Path(index_dir).resolve()
    if key not in _open_indexes:
        whoosh_dir = key / WHOOSH_DIR
        if not whoosh_dir.exists():
            raise FilterError(f"no index at {key}: run `csp ingest` first")
        try:
            _open_indexes[key] = SearchIndex.open(whoosh_dir, create=False)
        except SchemaMismatch as error:
            raise FilterError(str(error)) from error
    return _open_indexes[key]


def run_search(
    index_dir: Path, query: str, filters: SearchFilters | None = None, limit: int = 20
) -> list[Hit]:
    return search(open_index(index_dir), query, filters, limit)


def run_facets(
    index_dir: Path, query: str | None = None, filters: SearchFilters | None = None
) -> FacetCounts:
    """Facet counts with areas under their canonical names ("colchester" -> "Colchester")."""
    counts = facet_counts(open_index(index_dir), query, filters)
    gazetteer = load_gazetteer()
    counts.districts = {
        (gazetteer.resolve(name) or name.title()): count for name, count in counts.districts.items()
    }
    return counts


def open_catalog(index_dir: Path):
    """The catalog of an index folder; FilterError if there is none yet."""
    from ingest.catalog import Catalog
    from ingest.pipeline import CATALOG_FILE

    path = Path(index_dir) / CATALOG_FILE
    if not path.exists():
        raise FilterError(f"no index at {Path(index_dir).resolve()}: run `csp ingest` first")
    return Catalog(path)


def section_text(index_dir: Path, section_id: str) -> str | None:
    """The full text of one section, for showing a text hit in context."""
    catalog = open_catalog(index_dir)
    try:
        section = catalog.section(section_id)
    finally:
        catalog.close()
    return section.text if section else None


def document_rows(index_dir: Path) -> list[dict]:
    """Every document in the index, one plain row each, as `csp docs --json` gives them."""
    catalog = open_catalog(index_dir)
    try:
        documents = catalog.documents()
        clusters = catalog.cluster_ids()
        sections = catalog.section_counts()
    finally:
        catalog.close()
    rows = []
    for document in documents:
        row = document.to_dict(with_sections=False)
        cluster = clusters[document.doc_id]
        row["duplicate_of"] = cluster if cluster != document.doc_id else None
        row["sections"] = sections.get(document.doc_id, 0)
        rows.append(row)
    return rows


def failed_files(index_dir: Path) -> list[dict]:
    """Files whose last ingest failed, with the reason."""
    catalog = open_catalog(index_dir)
    try:
        return [{"file": row["path"], "reason": row["reason"]} for row in catalog.failed_files()]
    finally:
        catalog.close()
