"""Search as users ask it: area names as they spell them, years as they write them.

The CLI and the app both call these, so "Southend" and "2019/20" mean the same in each.
What the catalog holds comes from `ingest.store` (its queries live there); these
functions filter it and give each result the areas and years it counts for.

Reading commands load only what they use: the gazetteer when an area is named or facet
counts are asked for, the year parser when a year is given, the entity linker when an
entity is looked up; never spaCy or the PDF library.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ingest.answers.kept import catalog_state, read_kept, write_kept
from ingest.answers.presentation import NO_PERIOD, area_names, file_name
from ingest.errors import CspError, FilterError, IndexFailed, IndexMissing
from ingest.model import Provenance, fy_label, period_label
from ingest.search.backend import FacetCounts, Hit, SearchBackend, SearchFilters, SearchPage
from ingest.search.registry import open_backend

if TYPE_CHECKING:
    from ingest.store.catalog import Catalog
    from ingest.store.reads import Placement

Item = TypeVar("Item")


def open_catalog(index_dir: Path) -> Catalog:
    """The catalog of an index folder, to read; IndexMissing if there is none yet.

    The store is imported here, not above: `csp search` reads only the search index."""
    from ingest.store.store import open_catalog as open_store_catalog

    return open_store_catalog(index_dir)


def resolve_district(name: str) -> str:
    from ingest.attribution.gazetteer import load_gazetteer

    canonical = load_gazetteer().resolve(name)
    if canonical is None:
        raise FilterError(f"unknown CSP area {name!r}: use a district, borough or city name")
    return canonical


def parse_year(value: str, option: str) -> tuple[int, int]:
    from ingest.attribution.periods import parse_year_option

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
    return SearchFilters(
        districts=districts_of(districts),
        year_from=first,
        year_to=last,
        doc_types=list(doc_types),
        initiatives=[resolve_entity(name, "INITIATIVE")[1] for name in initiatives],
        partners=[resolve_entity(name, "PARTNER")[1] for name in partners],
        themes=[resolve_theme(name) for name in themes],
    )


def districts_of(names: Sequence[str]) -> list[str]:
    """The districts named, a county standing for all of its districts."""
    if not names:
        return []
    from ingest.attribution.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    areas: list[str] = []
    counties: list[str] = []
    for name in names:
        canonical = resolve_district(name)
        (counties if canonical in gazetteer.counties else areas).append(canonical)
    areas.extend(area for county in counties for area in gazetteer.districts_in(county))
    return areas


_open_indexes: dict[Path, SearchBackend] = {}


def open_index(index_dir: Path) -> SearchBackend:
    """One open search index (and cached searcher) per folder for the life of the process."""
    key = Path(index_dir).resolve()
    if key not in _open_indexes:
        try:
            _open_indexes[key] = open_backend(key, create=False)
        except FileNotFoundError as error:
            from ingest.store.store import CATALOG_FILE

            if (key / CATALOG_FILE).exists():  # the catalog can rebuild what was lost
                raise IndexFailed(
                    f"the search index at {key} is missing, but its catalog is there: "
                    f"rebuild the index with `csp check --repair --index {key}`"
                ) from error
            raise IndexMissing(f"no index at {key}: run `csp ingest` first") from error
    return _open_indexes[key]


def rebuild_index(index_dir: Path) -> str:
    """`csp check --repair` for the app: the search index rebuilt from the catalog where
    it is missing or damaged; what the check then finds, in one line."""
    from ingest.store.check import check_index

    forget_open_index(index_dir)
    _, after = check_index(index_dir, repair=True)
    forget_open_index(index_dir)
    assert after is not None  # a repair always checks again
    return after.summary()


def forget_open_index(index_dir: Path) -> None:
    """Close this folder's cached index, so the next search opens it afresh."""
    key = Path(index_dir).resolve()
    index = _open_indexes.pop(key, None)
    for counted_in_documents in (False, True):
        _whole_index_counts.pop((key, counted_in_documents), None)
    _canonical_names.pop(key, None)
    if index is not None:
        index.close()


def run_search(
    index_dir: Path, query: str, filters: SearchFilters | None = None, limit: int = 20
) -> list[Hit]:
    """The best `limit` passages, one row each: what counts passages by CSP area and
    year (batch lookup, a theme's page) needs."""
    return with_provenance(index_dir, open_index(index_dir).search(query, filters, limit))


def search_documents(
    index_dir: Path,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    passages: bool = False,
    passage_snippets: bool = True,
) -> SearchPage:
    """`csp search` and the app's search page: one hit per document (its best passage,
    with the count of its other passages, and those passages when asked for), `limit`
    documents from `offset` in `sort` order, with the totals, the query's words that
    match nothing and a corrected query."""
    page = open_index(index_dir).search_documents(
        query, filters, limit, offset, sort, passages, passage_snippets
    )
    with_provenance(index_dir, page.hits)
    return page


def provenance_of(index_dir: Path, doc_ids: Sequence[str]) -> dict[str, Provenance]:
    """Where each document's file came from, from the catalog (one row per document);
    {} when the catalog cannot be read, which costs the results their links, not
    the search."""
    if not doc_ids:
        return {}
    try:
        catalog = open_catalog(index_dir)
    except CspError:
        return {}
    try:
        return catalog.provenance(doc_ids)
    finally:
        catalog.close()


def provenance_by_file(index_dir: Path, files: set[str]) -> dict[str, Provenance]:
    """Where each stored file came from, by its path (a document's `source`), for the
    files whose provenance is known (the CLI's `--json`)."""
    if not files:
        return {}
    catalog = open_catalog(index_dir)
    try:
        documents = [document for document in catalog.documents() if document.source in files]
        known = catalog.provenance([document.doc_id for document in documents])
    finally:
        catalog.close()
    return {doc.source: known[doc.doc_id] for doc in documents if doc.doc_id in known}


def with_provenance(index_dir: Path, hits: list[Hit]) -> list[Hit]:
    """The hits (and their passages) with their documents' source link, publisher, day
    retrieved and readable file name."""
    every = [passage for hit in hits for passage in (hit, *hit.passages)]
    known = provenance_of(index_dir, [hit.doc_id for hit in every])
    for hit in every:
        provenance = known.get(hit.doc_id)
        hit.file_name = file_name(hit.source, provenance)
        if provenance is not None:
            hit.source_url = provenance.url
            hit.publisher = provenance.publisher
            hit.retrieved = provenance.retrieved
    return hits


def run_facets(
    index_dir: Path,
    query: str | None = None,
    filters: SearchFilters | None = None,
    documents: bool = False,
) -> FacetCounts:
    """Facet counts with areas, entities and themes under their canonical names
    ("colchester" -> "Colchester", "domestic abuse and vawg" -> "domestic abuse and VAWG"):
    of passages, or with `documents` of the documents `search_documents` lists.

    The counts over the whole index (no query, no filters), which the app asks for on
    every run, are kept until the index's next commit: at 100,000 sections they take
    about a second.  They are also kept in the index folder for the next process
    (`kept`), with the catalog's state and the index's generation.
    """
    index = open_index(index_dir)
    key = (Path(index_dir).resolve(), documents)
    whole = not (query and query.strip()) and filters is None
    if whole:
        generation = index.generation()
        cached = _whole_index_counts.get(key)
        if cached is not None and cached[0] == generation:
            return copy.deepcopy(cached[1])
        name = "counts-documents" if documents else "counts-sections"
        state = [catalog_state(key[0]), type(index).__name__, generation]
        kept = read_kept(key[0], name, state)
        if kept is not None:
            counts = FacetCounts(**kept)
            counts.years = {int(year): count for year, count in counts.years.items()}
            _whole_index_counts[key] = (generation, copy.deepcopy(counts))
            return counts
    counts = named_counts(index_dir, index, index.facet_counts(query, filters, documents))
    if whole:
        _whole_index_counts[key] = (generation, copy.deepcopy(counts))
        write_kept(key[0], name, state, dataclasses.asdict(counts))
    return counts


def named_counts(index_dir: Path, index: SearchBackend, counts: FacetCounts) -> FacetCounts:
    """`counts` with areas, entities and themes under their canonical names."""
    from ingest.attribution.gazetteer import load_gazetteer
    from ingest.nlp.taxonomy import theme_names

    gazetteer = load_gazetteer()
    counts.districts = {
        (gazetteer.resolve(name) or name.title()): count for name, count in counts.districts.items()
    }
    names = canonical_names(index_dir, index.generation())
    counts.initiatives = {names.get(k, k): v for k, v in counts.initiatives.items()}
    counts.partners = {names.get(k, k): v for k, v in counts.partners.items()}
    themes = {theme.lower(): theme for theme in theme_names()}
    counts.themes = {themes.get(k, k): v for k, v in counts.themes.items()}
    return counts


_whole_index_counts: dict[tuple[Path, bool], tuple[int, FacetCounts]] = {}

#: The search page's multi-select filters: a facet of `FacetCounts` and the
#: `SearchFilters` field that chooses its values.
CHOSEN_FACETS = ("districts", "doc_types", "initiatives", "partners", "themes")


def search_page_facets(index_dir: Path, query: str, filters: SearchFilters) -> FacetCounts:
    """The search page's counts of documents: each facet's values counted under the
    query and every filter chosen in the other facets, so a value's count is the number
    of documents choosing it (alone in its facet) lists, and a chosen value's count
    follows the other choices.  One count for the whole choice, plus one for each facet
    with a value chosen."""
    counts = run_facets(index_dir, query, unless_empty(filters), documents=True)
    for facet in CHOSEN_FACETS:
        if getattr(filters, facet):
            others = copy.copy(filters)
            setattr(others, facet, [])
            alone = run_facets(index_dir, query, unless_empty(others), documents=True)
            setattr(counts, facet, getattr(alone, facet))
    return counts


def unless_empty(filters: SearchFilters) -> SearchFilters | None:
    """None for filters that choose nothing: the whole index's counts are kept."""
    return None if filters == SearchFilters() else filters


def canonical_names(index_dir: Path, generation: int) -> dict[str, str]:
    """Lower-cased canonical entity names (as the index holds them) to their own case.

    Kept until the index's next commit (`generation`): every facet count needs them, and
    reading them from the catalog's mentions takes about 0.09 s at 100,000 sections; the
    mentions change only with an ingest or an entity edit, both of which commit the index.
    """
    from ingest.store import reads

    key = Path(index_dir).resolve()
    cached = _canonical_names.get(key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    catalog = open_catalog(index_dir)
    try:
        names = reads.canonical_names(catalog)
    finally:
        catalog.close()
    lowered = {" ".join(name.split()).lower(): name for name in names}
    _canonical_names[key] = (generation, lowered)
    return lowered


_canonical_names: dict[Path, tuple[int, dict[str, str]]] = {}


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
        provenance = catalog.provenance()
    finally:
        catalog.close()
    rows = []
    for document in documents:
        row = document.to_dict(with_sections=False)
        known = provenance.get(document.doc_id) or Provenance()
        row["source_url"] = known.url
        row["publisher"] = known.publisher
        row["retrieved"] = known.retrieved
        row["file_name"] = file_name(document.source, known)
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
    from ingest.nlp.taxonomy import theme_names

    wanted = " ".join(name.lower().split())
    for theme in theme_names():
        if theme.lower() == wanted:  # names keep their capitals ("domestic abuse and VAWG")
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


def mention_rows(index_dir: Path, key: str | None = None, label: str | None = None) -> list[dict]:
    """Every stored mention (of one entity key, or of one label) with where it was found:
    the areas of its section (else its county, else none) and the first year of its
    section (else of its document)."""
    from ingest.store import reads

    catalog = open_catalog(index_dir)
    try:
        placed = reads.placed_mentions(catalog, key=key, label=label)
    finally:
        catalog.close()
    results = []
    for found in placed:
        mention, where = found.mention, found.where
        year, year_to = where.section_year_from, where.section_year_to
        if year is None:
            year, year_to = where.doc_year_from, where.doc_year_to
        results.append(
            {
                "label": mention.label,
                "text": mention.text,
                "canonical": mention.canonical,
                "key": found.key,
                "found_by": mention.source,
                "areas": area_names(where.section_districts or [], where.county),
                "year": year,
                "year_to": year_to if year_to is not None else year,
                "period": fy_label(year) if year is not None else None,
                "doc_id": where.doc_id,
                "duplicate_of": where.duplicate_of,
                "title": where.title,
                "doc_type": where.doc_type,
                "file": where.source,
                "section_id": where.section_id,
                "heading_path": where.heading_path,
                "page": mention.page,
                "snippet": mention_snippet(found.section_text, mention.start, mention.end),
            }
        )
    return results


def entity_summaries(index_dir: Path, label: str | None = None) -> list[dict]:
    """Canonical entities with the number of passages naming them (each once, as
    `entity_detail` counts them), of mentions and of documents, and the areas and years
    they appear in (every year of a passage's span)."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    copies: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in mention_rows(index_dir, label=label):
        (copies if row["duplicate_of"] else groups)[(row["label"], row["key"])].append(row)
    summaries = []
    for (entity_label, key), rows in groups.items():
        years_by_area: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            years = [year_label(year) for year in passage_years(row["year"], row["year_to"])]
            for area in row["areas"]:
                years_by_area[area].update(years)
        summaries.append(
            {
                "name": Counter(row["canonical"] for row in rows).most_common(1)[0][0],
                "type": entity_label.lower(),
                "key": key,
                "passages": len(entity_passages(rows, copies[(entity_label, key)])),
                "mentions": len(rows),
                "documents": len({row["doc_id"] for row in rows}),
                "areas": {area: sorted(years) for area, years in sorted(years_by_area.items())},
            }
        )
    return sorted(
        summaries, key=lambda item: (-item["passages"], -item["mentions"], item["name"].lower())
    )


def entity_detail(index_dir: Path, name: str) -> dict | None:
    """One entity: canonical name, type, aliases, and every area and year it appears in,
    each with the passages naming it (snippet, heading path, page); None if it is never
    mentioned.

    A passage counts once however often it names the entity, and a near-duplicate's copy
    of it (a PDF and its text twin, a report and its copy in an agenda pack) is the same
    passage, shown from the copy with page numbers.  `matrix` counts passages by CSP area
    and financial year, a passage about several years in each of them, as the search's
    year filter finds it; `totals` counts each passage once per area, per year and in `all`.
    """
    from ingest.nlp.linking import load_linker, normalise

    label, canonical = resolve_entity(name)
    every = mention_rows(index_dir, key=normalise(canonical))
    rows = [row for row in every if row["duplicate_of"] is None]
    if not rows:
        return None
    label = Counter(row["label"] for row in rows).most_common(1)[0][0]
    info = load_linker().entity(label, canonical)
    passages = entity_passages(rows, [row for row in every if row["duplicate_of"] is not None])
    appearances: dict[tuple[str, int | None, str], list[dict]] = defaultdict(list)
    cells: dict[str, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    area_totals: Counter[str] = Counter()
    year_totals: Counter[int | None] = Counter()
    for passage in passages:
        years = passage_years(passage["year"], passage["year_to"])
        year_totals.update(years)
        for area in passage["areas"]:
            area_totals[area] += 1
            appearances[(area, passage["year"], passage["period"] or NO_PERIOD)].append(passage)
            for year in years:
                cells[area][year] += 1
    spellings = sorted({row["text"] for row in rows})
    return {
        "name": canonical,
        "type": label.lower(),
        "kind": info.kind,
        "themes": info.themes,
        "aliases": sorted(set(info.aliases) | (set(spellings) - {canonical})),
        "spellings_found": spellings,
        "mentions": len(rows),
        "passages": len(passages),
        "matrix": {
            area: {
                year_label(year): count for year, count in sorted(cells[area].items(), key=by_year)
            }
            for area in sorted(cells)
        },
        "totals": {
            "areas": {area: area_totals[area] for area in sorted(area_totals)},
            "periods": {
                year_label(year): count for year, count in sorted(year_totals.items(), key=by_year)
            },
            "all": len(passages),
        },
        "appearances": [
            {"area": area, "period": period, "mentions": found}
            for (area, _, period), found in sorted(
                appearances.items(), key=lambda item: (item[0][0], *by_year(item[0][1:]))
            )
        ],
    }


def theme_matrix(index_dir: Path, theme: str) -> dict:
    """The passages on a theme by CSP area and financial year, counted as an entity's
    are (`entity_detail`): a passage about several areas or years in each, near-duplicate
    copies once; `totals` per area, per year and in `all`.  Every passage, not a first
    page of them."""
    filters = build_filters(themes=[theme])
    total = open_index(index_dir).search_documents("", filters, limit=0).total_passages
    hits = run_search(index_dir, "", filters, total) if total else []
    cells: dict[str, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    area_totals: Counter[str] = Counter()
    year_totals: Counter[int | None] = Counter()
    for hit in hits:
        years = passage_years(hit.year_from, hit.year_to)
        year_totals.update(years)
        for area in area_names(hit.districts, hit.county):
            area_totals[area] += 1
            for year in years:
                cells[area][year] += 1
    return {
        "matrix": {
            area: {
                year_label(year): count for year, count in sorted(cells[area].items(), key=by_year)
            }
            for area in sorted(cells)
        },
        "totals": {
            "areas": dict(sorted(area_totals.items())),
            "periods": {
                year_label(year): count for year, count in sorted(year_totals.items(), key=by_year)
            },
            "all": len(hits),
        },
    }


def entity_passages(rows: list[dict], copies: list[dict]) -> list[dict]:
    """The mention rows of one entity as passages, each once: the mentions of one section
    together (their spellings and snippets), each taking the page of its copy in a PDF
    twin (`copies`: the mentions in near-duplicates) when its own document has none."""
    by_section: dict[str, dict] = {}
    for row in rows:
        passage = by_section.get(row["section_id"])
        if passage is None:
            passage = by_section[row["section_id"]] = {
                **{key: row[key] for key in PASSAGE_KEYS},
                # A span's passage is listed once, under its span ("2010-11 to 2011-12").
                "period": period_label(row["year"], row["year_to"]),
                "spellings": [],
                "snippets": [],
                "also_in": [],
            }
        if row["text"] not in passage["spellings"]:
            passage["spellings"].append(row["text"])
        if row["snippet"] not in passage["snippets"]:
            passage["snippets"].append(row["snippet"])
    # Two sections of a text can be one section of its PDF twin (the text's sections are
    # cut finer): shown from the twin, they are one passage.
    shown: dict[str, dict] = {}
    for passage in by_section.values():
        if passage["page"] is None:
            twin = paged_twin(passage, copies)
            if twin is not None:
                passage["also_in"] = [passage["file"]]
                passage.update({key: twin[key] for key in ("file", "section_id", "page")})
        kept = shown.setdefault(passage["section_id"], passage)
        if kept is not passage:
            for key in ("spellings", "snippets"):
                kept[key] += [value for value in passage[key] if value not in kept[key]]
    return list(shown.values())


# What a passage of `entity_detail` keeps of its first mention's row.
PASSAGE_KEYS = (
    "text", "title", "doc_type", "file", "doc_id", "section_id", "heading_path", "page",
    "snippet", "found_by", "areas", "year", "year_to",
)  # fmt: skip
# A copy's mention is the same passage's when their snippets are this alike (0-100).
SAME_SNIPPET_RATIO = 90


def paged_twin(passage: dict, copies: list[dict]) -> dict | None:
    """The mention, in a near-duplicate of the passage's document, of the same passage
    with a page number: the most alike in snippet of those under the same headings (a
    heading can head several sections), else one with nearly the same snippet."""
    from rapidfuzz import fuzz, utils

    def alike(twin: dict) -> float:
        return fuzz.token_set_ratio(
            passage["snippet"], twin["snippet"], processor=utils.default_process
        )

    def headings_of(row: dict) -> list[str]:
        return [" ".join(heading.lower().split()) for heading in row["heading_path"]]

    candidates = [
        copy
        for copy in copies
        if copy["duplicate_of"] == passage["doc_id"] and copy["page"] is not None
    ]
    headings = headings_of(passage)
    same_headings = [twin for twin in candidates if headings and headings_of(twin) == headings]
    if same_headings:
        return max(same_headings, key=alike)
    best = max(candidates, key=alike, default=None)
    return best if best is not None and alike(best) >= SAME_SNIPPET_RATIO else None


def passage_years(year_from: int | None, year_to: int | None) -> list[int | None]:
    """Each financial year of a span, or [None] without one."""
    if year_from is None:
        return [None]
    return list(range(year_from, (year_to if year_to is not None else year_from) + 1))


def year_label(year: int | None) -> str:
    return fy_label(year) if year is not None else NO_PERIOD


def by_year(item: tuple) -> tuple[bool, int]:
    """The sort key of a (year, ...) pair: years in order, no period last."""
    return (item[0] is None, item[0] or 0)


def in_area_and_year(
    index_dir: Path,
    read: Callable[[Catalog], list[tuple[Item, Placement]]],
    district: str | None,
    year: str | None,
    own_year: Callable[[Item], int | None] = lambda item: None,
) -> list[tuple[Item, dict]]:
    """The annotations `read` gives (priorities or figures) of the CSP `district` (a
    county: those of its county-wide documents) whose years overlap `year`, each with the
    fields every row has: areas, period and where it was found.  An annotation counts
    for its section's areas and years, else its document's; `own_year` (a priority's
    own year) comes first.  Only one document of a near-duplicate cluster counts."""
    first = last = None
    if year:
        first, last = parse_year(year, "--year")
    area = resolve_district(district) if district else None
    counties: set[str] = set()
    if area is not None:
        from ingest.attribution.gazetteer import load_gazetteer

        counties = set(load_gazetteer().counties)
    catalog = open_catalog(index_dir)
    try:
        placed = read(catalog)
    finally:
        catalog.close()
    results = []
    for item, where in placed:
        if where.duplicate_of is not None:
            continue
        districts = where.section_districts or where.doc_districts
        if own_year(item) is not None:
            year_from, year_to = own_year(item), own_year(item)
        elif where.section_year_from is not None:
            year_from, year_to = where.section_year_from, where.section_year_to
        else:
            year_from, year_to = where.doc_year_from, where.doc_year_to
        year_to = year_to if year_to is not None else year_from
        if area is not None:
            in_county = area in counties and where.county == area
            if area not in districts and not in_county:
                continue
        if first is not None and last is not None and not overlaps(year_from, year_to, first, last):
            continue
        results.append(
            (
                item,
                {
                    "areas": area_names(districts, where.county),
                    "period": period_label(year_from, year_to),
                    "title": where.title,
                    "doc_type": where.doc_type,
                    "file": where.source,
                    "section_id": where.section_id,
                    "heading_path": where.heading_path,
                },
            )
        )
    return results


def overlaps(year_from: int | None, year_to: int | None, first: int, last: int) -> bool:
    """Whether the years from `year_from` to `year_to` (None: unknown) meet first..last."""
    return year_from is not None and year_to is not None and year_from <= last and year_to >= first


def priority_rows(
    index_dir: Path, district: str | None = None, year: str | None = None
) -> list[dict]:
    """Stated priorities, each with its themes, CSP, period and where it is stated."""
    from ingest.store.reads import placed_priorities

    selected = in_area_and_year(
        index_dir, placed_priorities, district, year, own_year=lambda item: item.year
    )
    return [
        {"priority": priority.text, "themes": priority.themes, **where, "page": priority.page}
        for priority, where in selected
    ]


def figure_rows(
    index_dir: Path, district: str | None = None, year: str | None = None
) -> list[dict]:
    """Reported figures with value, unit, what is counted and direction, and where."""
    from ingest.store.reads import placed_figures

    return [
        {
            "figure": figure.text,
            "value": figure.value,
            "unit": figure.unit,
            "counted": figure.counted,
            "direction": figure.direction,
            **where,
            "page": figure.page,
        }
        for figure, where in in_area_and_year(index_dir, placed_figures, district, year)
    ]


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
