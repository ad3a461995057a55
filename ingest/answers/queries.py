"""Search as users ask it: area names as they spell them, years as they write them.

The CLI and the app both call these, so "Southend" and "2019/20" mean the same in each.
"""

from __future__ import annotations

import copy
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from ingest.attribution.gazetteer import load_gazetteer
from ingest.attribution.periods import parse_year_option
from ingest.errors import FilterError, IndexMissing
from ingest.model import period_label
from ingest.search.backend import FacetCounts, Hit, SearchBackend, SearchFilters
from ingest.search.registry import open_backend


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
    initiatives: Sequence[str] = (),
    partners: Sequence[str] = (),
    themes: Sequence[str] = (),
) -> SearchFilters:
    """Filters from user input; raises FilterError with a message naming the bad value.

    Initiatives and partners may be spelled any way their aliases allow ("Spot it, Stop
    it" is Spot It Stop It); themes must be one of the taxonomy's.
    """
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
    return SearchFilters(
        districts=areas,
        year_from=first,
        year_to=last,
        doc_types=list(doc_types),
        initiatives=[resolve_entity(name, "INITIATIVE")[1] for name in initiatives],
        partners=[resolve_entity(name, "PARTNER")[1] for name in partners],
        themes=[resolve_theme(name) for name in themes],
    )


_open_indexes: dict[Path, SearchBackend] = {}


def open_index(index_dir: Path) -> SearchBackend:
    """One open search index (and cached searcher) per folder for the life of the process."""
    key = Path(index_dir).resolve()
    if key not in _open_indexes:
        try:
            _open_indexes[key] = open_backend(key, create=False)
        except FileNotFoundError as error:
            raise IndexMissing(f"no index at {key}: run `csp ingest` first") from error
    return _open_indexes[key]


def run_search(
    index_dir: Path, query: str, filters: SearchFilters | None = None, limit: int = 20
) -> list[Hit]:
    return open_index(index_dir).search(query, filters, limit)


def run_facets(
    index_dir: Path, query: str | None = None, filters: SearchFilters | None = None
) -> FacetCounts:
    """Facet counts with areas under their canonical names ("colchester" -> "Colchester").

    The counts over the whole index (no query, no filters), which the app asks for on
    every run, are kept until the index's next commit: at 100,000 sections they take
    about a second.
    """
    index = open_index(index_dir)
    key = Path(index_dir).resolve()
    whole = not (query and query.strip()) and filters is None
    if whole:
        generation = index.generation()
        cached = _whole_index_counts.get(key)
        if cached is not None and cached[0] == generation:
            return copy.deepcopy(cached[1])
    counts = index.facet_counts(query, filters)
    gazetteer = load_gazetteer()
    counts.districts = {
        (gazetteer.resolve(name) or name.title()): count for name, count in counts.districts.items()
    }
    names = canonical_names(index_dir)
    counts.initiatives = {names.get(k, k): v for k, v in counts.initiatives.items()}
    counts.partners = {names.get(k, k): v for k, v in counts.partners.items()}
    if whole:
        _whole_index_counts[key] = (generation, copy.deepcopy(counts))
    return counts


_whole_index_counts: dict[Path, tuple[int, FacetCounts]] = {}


def canonical_names(index_dir: Path) -> dict[str, str]:
    """Lower-cased canonical entity names (as the index holds them) to their own case."""
    catalog = open_catalog(index_dir)
    try:
        rows = catalog.connection.execute("SELECT DISTINCT canonical FROM mentions").fetchall()
    finally:
        catalog.close()
    return {" ".join(row[0].split()).lower(): row[0] for row in rows}


def open_catalog(index_dir: Path):
    """The catalog of an index folder; IndexMissing if there is none yet."""
    from ingest.store.catalog import Catalog
    from ingest.store.store import CATALOG_FILE

    path = Path(index_dir) / CATALOG_FILE
    if not path.exists():
        raise IndexMissing(f"no index at {Path(index_dir).resolve()}: run `csp ingest` first")
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
        mentions = catalog.mention_counts()
    finally:
        catalog.close()
    rows = []
    for document in documents:
        row = document.to_dict(with_sections=False)
        cluster = clusters[document.doc_id]
        row["duplicate_of"] = cluster if cluster != document.doc_id else None
        row["sections"] = sections.get(document.doc_id, 0)
        row["entities"] = mentions.get(document.doc_id, 0)
        rows.append(row)
    return rows


def failed_files(index_dir: Path) -> list[dict]:
    """Files whose last ingest failed, with the reason."""
    catalog = open_catalog(index_dir)
    try:
        return [{"file": row["path"], "reason": row["reason"]} for row in catalog.failed_files()]
    finally:
        catalog.close()


# Entities, priorities and figures ------------------------------------------------------

ENTITY_TYPES = {"initiative": "INITIATIVE", "partner": "PARTNER"}
SNIPPET_CONTEXT = 120
UNATTRIBUTED = "area unknown"


def resolve_entity(name: str, label: str | None = None) -> tuple[str, str]:
    """(label, canonical name) for a name as a user spells it; unknown names as given."""
    from ingest.nlp.linking import LABELS, load_linker, tidy

    linker = load_linker()
    for candidate in [label] if label else list(LABELS):
        linked = linker.link(candidate, name)
        if linked is not None and (linked.key in linker.by_key[linked.label] or label):
            return linked.label, linked.canonical
    return (label or "INITIATIVE"), tidy(name)


def resolve_theme(name: str) -> str:
    from ingest.nlp.themes import theme_names

    wanted = " ".join(name.lower().split())
    for theme in theme_names():
        if theme == wanted:
            return theme
    raise FilterError(f"unknown theme {name!r}: choose one of {', '.join(theme_names())}")


def mention_snippet(text: str, start: int, end: int) -> str:
    """The mention with some context either side, cut at word boundaries."""
    left = max(0, start - SNIPPET_CONTEXT)
    right = min(len(text), end + SNIPPET_CONTEXT)
    if left > 0:
        left = text.find(" ", left, start) + 1 or left
    if right < len(text):
        right = text.rfind(" ", end, right) if text.rfind(" ", end, right) > 0 else right
    snippet = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")


def area_of(districts: list[str], county: str | None) -> list[str]:
    """The areas a row counts for: its districts, else its county, else unknown."""
    if districts:
        return districts
    return [f"{county} (county-wide)"] if county else [UNATTRIBUTED]


def mention_rows(index_dir: Path, key: str | None = None, label: str | None = None) -> list[dict]:
    """Every stored mention (of one entity key, or of one label) with where it was found."""
    catalog = open_catalog(index_dir)
    conditions, parameters = [], []
    if key is not None:
        conditions.append("m.entity_key = ?")
        parameters.append(key)
    if label is not None:
        conditions.append("m.label = ?")
        parameters.append(label)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    try:
        rows = catalog.connection.execute(
            "SELECT m.*, s.text AS section_text, s.heading_path, s.districts AS section_districts,"
            " s.year_from AS s_year_from, s.year_to AS s_year_to, d.title, d.doc_type,"
            " d.source AS file, d.districts AS doc_districts, d.county, d.year_from AS d_year_from,"
            " d.year_to AS d_year_to, d.cluster_id"
            " FROM mentions m JOIN sections s ON s.section_id = m.section_id JOIN documents d"
            f" ON d.doc_id = m.doc_id {where} ORDER BY d.source, m.section_id, m.start",
            parameters,
        ).fetchall()
    finally:
        catalog.close()
    results = []
    for row in rows:
        districts = json.loads(row["section_districts"]) or []
        year = row["s_year_from"] if row["s_year_from"] is not None else row["d_year_from"]
        results.append(
            {
                "label": row["label"],
                "text": row["text"],
                "canonical": row["canonical"],
                "key": row["entity_key"],
                "found_by": row["source"],
                "areas": area_of(districts, row["county"]),
                "year": year,
                "period": fy_or_none(year),
                "doc_id": row["doc_id"],
                "duplicate_of": row["cluster_id"] if row["cluster_id"] != row["doc_id"] else None,
                "title": row["title"],
                "doc_type": row["doc_type"],
                "file": row["file"],
                "section_id": row["section_id"],
                "heading_path": json.loads(row["heading_path"]),
                "page": row["page"],
                "snippet": mention_snippet(row["section_text"], row["start"], row["end"]),
            }
        )
    return results


def fy_or_none(year: int | None) -> str | None:
    from ingest.model import fy_label

    return fy_label(year) if year is not None else None


def entity_summaries(index_dir: Path, label: str | None = None) -> list[dict]:
    """Canonical entities with their mention counts and the areas and years they appear in."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in mention_rows(index_dir, label=label):
        if row["duplicate_of"] is None:
            groups[(row["label"], row["key"])].append(row)
    summaries = []
    for (entity_label, key), rows in groups.items():
        years_by_area: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            for area in row["areas"]:
                years_by_area[area].add(row["period"] or "year unknown")
        summaries.append(
            {
                "name": Counter(row["canonical"] for row in rows).most_common(1)[0][0],
                "type": entity_label.lower(),
                "key": key,
                "mentions": len(rows),
                "documents": len({row["doc_id"] for row in rows}),
                "areas": {area: sorted(years) for area, years in sorted(years_by_area.items())},
            }
        )
    return sorted(summaries, key=lambda item: (-item["mentions"], item["name"].lower()))


def entity_detail(index_dir: Path, name: str) -> dict | None:
    """One entity: canonical name, type, aliases, and every area and year it appears in,
    each with its mentions (snippet, heading path, page); None if it is never mentioned."""
    from ingest.nlp.linking import load_linker, normalise

    label, canonical = resolve_entity(name)
    rows = [
        row
        for row in mention_rows(index_dir, key=normalise(canonical))
        if row["duplicate_of"] is None
    ]
    if not rows:
        return None
    label = Counter(row["label"] for row in rows).most_common(1)[0][0]
    info = load_linker().entity(label, canonical)
    appearances: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        for area in row["areas"]:
            appearances[(area, row["period"] or "year unknown")].append(
                {
                    key: row[key]
                    for key in (
                        "text",
                        "title",
                        "doc_type",
                        "file",
                        "section_id",
                        "heading_path",
                        "page",
                        "snippet",
                        "found_by",
                    )
                }
            )
    spellings = sorted({row["text"] for row in rows})
    return {
        "name": canonical,
        "type": label.lower(),
        "kind": info.kind,
        "themes": info.themes,
        "aliases": sorted(set(info.aliases) | (set(spellings) - {canonical})),
        "spellings_found": spellings,
        "mentions": len(rows),
        "matrix": {
            area: {
                period: len(found)
                for (a, period), found in sorted(appearances.items())
                if a == area
            }
            for area in sorted({area for area, _ in appearances})
        },
        "appearances": [
            {"area": area, "period": period, "mentions": found}
            for (area, period), found in sorted(appearances.items())
        ],
    }


def document_filter_rows(
    index_dir: Path, table: str, district: str | None, year: str | None
) -> list[dict]:
    """Rows of `table` (priorities or figures) joined to their documents, filtered by the
    document's or section's area and an overlapping financial year (a priority's own
    year where it has one)."""
    first = last = None
    if year:
        first, last = parse_year(year, "--year")
    area = resolve_district(district) if district else None
    catalog = open_catalog(index_dir)
    try:
        rows = catalog.connection.execute(
            f"SELECT t.*, s.districts AS section_districts, s.year_from AS s_year_from,"
            " s.year_to AS s_year_to, s.heading_path, d.title, d.doc_type,"
            " d.source AS file, d.districts AS doc_districts, d.county,"
            " d.year_from AS d_year_from, d.year_to AS d_year_to, d.cluster_id"
            f" FROM {table} t JOIN documents d ON d.doc_id = t.doc_id"
            " LEFT JOIN sections s ON s.section_id = t.section_id"
            " ORDER BY d.source, d.part, t.rowid"
        ).fetchall()
    finally:
        catalog.close()
    gazetteer = load_gazetteer()
    results = []
    for row in rows:
        if row["cluster_id"] != row["doc_id"]:
            continue
        districts = json.loads(row["section_districts"] or "[]") or json.loads(row["doc_districts"])
        if table == "priorities" and row["year"] is not None:  # a priority's own year
            year_from, year_to = row["year"], row["year"]
        elif row["s_year_from"] is not None:
            year_from, year_to = row["s_year_from"], row["s_year_to"]
        else:
            year_from, year_to = row["d_year_from"], row["d_year_to"]
        year_to = year_to if year_to is not None else year_from
        if area is not None:
            in_county = area in gazetteer.counties and row["county"] == area
            if area not in districts and not in_county:
                continue
        if first is not None and (year_from is None or year_from > last or year_to < first):
            continue
        results.append(
            {
                "areas": area_of(districts, row["county"]),
                "period": period_label(year_from, year_to),
                "title": row["title"],
                "doc_type": row["doc_type"],
                "file": row["file"],
                "section_id": row["section_id"],
                "heading_path": json.loads(row["heading_path"] or "[]"),
                "page": row["page"],
                "row": row,
            }
        )
    return results


def priority_rows(
    index_dir: Path, district: str | None = None, year: str | None = None
) -> list[dict]:
    """Stated priorities, each with its themes, CSP, period and where it is stated."""
    results = []
    for item in document_filter_rows(index_dir, "priorities", district, year):
        row = item.pop("row")
        results.append({"priority": row["text"], "themes": json.loads(row["themes"]), **item})
    return results


def figure_rows(
    index_dir: Path, district: str | None = None, year: str | None = None
) -> list[dict]:
    """Reported figures with value, unit, what is counted and direction, and where."""
    results = []
    for item in document_filter_rows(index_dir, "figures", district, year):
        row = item.pop("row")
        section = row["section_id"]
        results.append(
            {
                "figure": row["text"],
                "value": row["value"],
                "unit": row["unit"],
                "counted": row["counted"],
                "direction": row["direction"],
                **item,
                "section_id": section,
            }
        )
    return results


def run_history(index_dir: Path, run_id: int | None = None, runs: int = 20) -> dict:
    """`csp report`: one run's files (the latest by default) and the latest runs."""
    catalog = open_catalog(index_dir)
    try:
        history = catalog.runs(limit=runs)
        if run_id is None:
            run_id = history[0]["run_id"] if history else None
        elif run_id not in {run["run_id"] for run in history} and not catalog.run_files(run_id):
            raise FilterError(f"no run {run_id} in {Path(index_dir).resolve()}")
        files = catalog.run_files(run_id) if run_id is not None else []
    finally:
        catalog.close()
    return {"run_id": run_id, "files": files, "runs": history}
