"""What the index holds: the CSP areas, financial years and document types of its
documents, read from the catalog alone (never the search index, so the home page shows
it at once).

A document holds an area and a year when one of its sections is attributed to that area
and its years overlap that year: the same rule as the search's filters, so "no
documents for Maldon 2016-17 are indexed" means a search filtered on Maldon and 2016-17
can find nothing whatever its words, and a result filtered there always counts here.
Near-duplicates (a PDF and its text twin, a report and its copy in an agenda pack) are
one document.  `csp coverage` and the app's Coverage page show it; the app's "no
results" messages ask it whether the filters chose something that was never collected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.answers.kept import catalog_state, read_kept, write_kept
from ingest.answers.presentation import NO_AREA, NO_PERIOD, area_names, plural
from ingest.answers.queries import districts_of, open_catalog
from ingest.model import fy_label, period_label


@dataclass(frozen=True)
class Held:
    """One document holding one area in one financial year (None: no period)."""

    doc_id: str
    doc_type: str
    area: str
    year: int | None


@dataclass
class Coverage:
    """Every (document, area, year) the index holds, with the counts people ask for."""

    held: set[Held] = field(default_factory=set)
    #: The areas that are districts (not a county as a whole, not "area not identified").
    districts: set[str] = field(default_factory=set)

    def select(
        self,
        areas: Collection[str] = (),
        year_from: int | None = None,
        year_to: int | None = None,
        doc_types: Collection[str] = (),
    ) -> set[Held]:
        """What a search filtered on these areas, years (overlapping first..last) and
        types could find in; an empty choice lets everything through."""
        return {
            held
            for held in self.held
            if (not areas or held.area in areas)
            and (not doc_types or held.doc_type in doc_types)
            and in_years(held.year, year_from, year_to)
        }

    def documents(self, held: Iterable[Held] | None = None) -> int:
        return len({item.doc_id for item in (self.held if held is None else held)})

    def areas(self) -> list[str]:
        """Districts by name, then counties as a whole, then no area."""
        labels = {held.area for held in self.held}
        return sorted(labels, key=lambda area: (area not in self.districts, area == NO_AREA, area))

    def years(self) -> list[int]:
        return sorted({held.year for held in self.held if held.year is not None})

    def doc_types(self) -> dict[str, int]:
        """Each document type with its number of documents, most first."""
        documents: dict[str, set[str]] = defaultdict(set)
        for held in self.held:
            documents[held.doc_type].add(held.doc_id)
        counts = {kind: len(ids) for kind, ids in documents.items()}
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def matrix(self, doc_types: Collection[str] = ()) -> dict[str, dict[str, int]]:
        """{area: {period: documents}} of the documents of `doc_types` (all by default),
        areas as `areas` orders them, periods in year order, "period not identified"
        last; a year an area holds nothing in is absent."""
        documents: dict[str, dict[int | None, set[str]]] = defaultdict(lambda: defaultdict(set))
        for held in self.held:
            if not doc_types or held.doc_type in doc_types:
                documents[held.area][held.year].add(held.doc_id)
        return {
            area: {
                year_label(year): len(ids)
                for year, ids in sorted(documents[area].items(), key=year_order)
            }
            for area in self.areas()
            if area in documents
        }

    def rows(self) -> list[dict]:
        """One row per area, year and document type, with its number of documents: what
        `csp coverage --json` prints."""
        documents: dict[tuple[str, int | None, str], set[str]] = defaultdict(set)
        for held in self.held:
            documents[(held.area, held.year, held.doc_type)].add(held.doc_id)
        order = {area: number for number, area in enumerate(self.areas())}
        return [
            {
                "area": area,
                "year": year,
                "period": year_label(year),
                "doc_type": doc_type,
                "documents": len(ids),
            }
            for (area, year, doc_type), ids in sorted(
                documents.items(),
                key=lambda item: (order[item[0][0]], *year_order(item[0][1:]), item[0][2]),
            )
        ]

    def totals(self, areas: Collection[str] = (), doc_types: Collection[str] = ()) -> dict:
        """The documents of `doc_types` per area, per year and in all (each once), for
        the total column and row of `matrix`."""
        selected = self.select(areas, doc_types=doc_types)
        by_area: dict[str, set[str]] = defaultdict(set)
        by_year: dict[int | None, set[str]] = defaultdict(set)
        for held in selected:
            by_area[held.area].add(held.doc_id)
            by_year[held.year].add(held.doc_id)
        return {
            "areas": {area: len(ids) for area, ids in by_area.items()},
            "periods": {year_label(year): len(ids) for year, ids in by_year.items()},
            "all": self.documents(selected),
        }

    def summary(self) -> dict:
        """What the home page says is indexed."""
        years = self.years()
        return {
            "documents": self.documents(),
            "areas": len({held.area for held in self.held if held.area in self.districts}),
            "year_from": years[0] if years else None,
            "year_to": years[-1] if years else None,
            "doc_types": self.doc_types(),
        }


def year_order(item: tuple) -> tuple[bool, int]:
    """Years in order, no period last: the sort key of a (year, ...) pair."""
    year = item[0]
    return (year is None, year or 0)


def year_label(year: int | None) -> str:
    return fy_label(year) if year is not None else NO_PERIOD


def in_years(year: int | None, first: int | None, last: int | None) -> bool:
    if first is None and last is None:
        return True
    if year is None:  # sections without years never pass a year filter
        return False
    return (first is None or year >= first) and (last is None or year <= last)


def coverage(index_dir: Path, areas: Sequence[str] = ()) -> Coverage:
    """What the index at `index_dir` holds (of `areas`, by any of their names; a county
    stands for its districts and itself as a whole).

    Kept until the catalog is next written: the app asks on every run, and at 100,000
    sections reading it takes most of a second; the whole index's is also kept in the
    index folder for the next process (`kept`)."""
    key = (Path(index_dir).resolve(), tuple(areas))
    state = catalog_state(key[0])
    cached = _read.get(key)
    if cached is not None and cached[0] == state:
        return cached[1]
    held = None if areas else kept_coverage(key[0], state)
    if held is None:
        held = read_coverage(index_dir, areas)
        if not areas:
            write_kept(key[0], KEPT_NAME, state, coverage_json(held))
    _read[key] = (state, held)
    return held


_read: dict[tuple[Path, tuple[str, ...]], tuple[list, Coverage]] = {}
KEPT_NAME = "coverage"


def kept_coverage(index_dir: Path, state: list) -> Coverage | None:
    """The whole index's coverage as an earlier process kept it for `state`, or None."""
    kept = read_kept(index_dir, KEPT_NAME, state)
    if kept is None:
        return None
    return Coverage(
        held={Held(doc_id, doc_type, area, year) for doc_id, doc_type, area, year in kept["held"]},
        districts=set(kept["districts"]),
    )


def coverage_json(held: Coverage) -> dict:
    return {
        "held": [[item.doc_id, item.doc_type, item.area, item.year] for item in held.held],
        "districts": sorted(held.districts),
    }


def read_coverage(index_dir: Path, areas: Sequence[str] = ()) -> Coverage:
    """`coverage`, read afresh from the catalog."""
    from ingest.store.reads import held_passages

    catalog = open_catalog(index_dir)
    try:
        passages = held_passages(catalog)
    finally:
        catalog.close()
    wanted = set(districts_of(areas)) if areas else set()
    wanted_counties = set(areas_as_counties(areas))
    result = Coverage()
    for passage in passages:
        labels = area_names(passage.districts, passage.county)
        if areas:
            county_wide = not passage.districts and passage.county in wanted_counties
            labels = [label for label in labels if label in wanted or county_wide]
        result.districts.update(passage.districts)
        years: list[int | None] = [None]
        if passage.year_from is not None:
            last = passage.year_to if passage.year_to is not None else passage.year_from
            years = list(range(passage.year_from, last + 1))
        result.held.update(
            Held(passage.doc_id, passage.doc_type, label, year)
            for label in labels
            for year in years
        )
    return result


def areas_as_counties(names: Sequence[str]) -> list[str]:
    """The counties among the names given (as the gazetteer spells them)."""
    if not names:
        return []
    from ingest.attribution.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    canonical = (gazetteer.resolve(name) for name in names)
    return [name for name in canonical if name in gazetteer.counties]


def years_label(first: int | None, last: int | None) -> str:
    """'2016-17', '2016-17 to 2018-19', 'from 2016-17', 'up to 2018-19' or ''."""
    if first is not None and last is not None:
        return period_label(first, last) or ""
    if first is not None:
        return f"from {fy_label(first)}"
    return f"up to {fy_label(last)}" if last is not None else ""


def gap_message(
    held: Coverage,
    areas: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    doc_types: Sequence[str] = (),
) -> str:
    """Why a search filtered this way found nothing: 'No documents for Maldon 2016-17 are
    indexed.' when the index holds nothing the filters let through, else that documents
    exist there but none matches."""
    chosen = " ".join(
        part for part in (" or ".join(areas), years_label(year_from, year_to)) if part
    )
    kinds = "documents" + (f" of type {' or '.join(doc_types)}" if doc_types else "")
    selected = held.select(areas, year_from, year_to, doc_types)
    if not selected:
        return f"No {kinds}{' for ' + chosen if chosen else ''} are indexed."
    found = held.documents(selected)
    message = (
        f"{plural(found, 'document')} for {chosen or 'these filters'} "
        f"{'is' if found == 1 else 'are'} indexed, but none matches."
    )
    empty = [area for area in areas if not held.select([area], year_from, year_to, doc_types)]
    if empty:
        where = " ".join(
            part for part in (" or ".join(empty), years_label(year_from, year_to)) if part
        )
        message += f" No {kinds} for {where} are indexed."
    return message


def with_gaps(
    matrix: dict[str, dict[str, int]], held: Coverage
) -> tuple[list[str], dict[str, dict[str, int | None]]]:
    """An area x period matrix of counts (an entity's passages) over every financial
    year from its first to its last: a cell with nothing counted is 0 where the index
    holds documents of that area and year, None where it holds none."""
    labels = {period for row in matrix.values() for period in row}
    years = sorted(int(label[:4]) for label in labels if label != NO_PERIOD)
    columns = [fy_label(year) for year in range(years[0], years[-1] + 1)] if years else []
    if NO_PERIOD in labels:
        columns.append(NO_PERIOD)
    documents = held.matrix()
    return columns, {
        area: {
            period: row.get(period, 0 if documents.get(area, {}).get(period) else None)
            for period in columns
        }
        for area, row in matrix.items()
    }
