"""Search sections: the plain functions behind `csp search` and the app.

Query language: words are ANDed; "double-quoted phrases"; upper-case AND, OR, NOT and
brackets; case, punctuation and accents do not matter.  Field syntax (`x:y`),
wildcards and single quotes are read as plain words, so no input can reach parts of
the index it should not or make a query explode.  Snippets are plain text with the
matched words between « and »; nothing in them is markup.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz
from whoosh import highlight, qparser, sorting
from whoosh.query import And, Every, NullQuery, NumericRange, Or, Query, Term

from ingest.index import SearchIndex
from ingest.schema import SCHEMA, SEARCH_FIELDS

MAX_QUERY_CHARS = 1000
SNIPPET_CHARS = 220
# Hits fetched per hit asked for, so collapsing near-duplicates still fills the page.
OVERFETCH = 4
SAME_PASSAGE_RATIO = 90
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class QueryError(ValueError):
    """A query that cannot be run, with a one-line message a user can act on."""


@dataclass
class Hit:
    section_id: str
    doc_id: str
    cluster_id: str
    title: str
    source: str
    doc_type: str
    districts: list[str]
    county: str | None
    year_from: int | None
    year_to: int | None
    period: str | None
    heading_path: list[str]
    page: int | None
    page_end: int | None
    score: float
    snippet: str
    also_in: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchFilters:
    districts: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    doc_types: list[str] = field(default_factory=list)
    county: str | None = None
    doc_id: str | None = None

    def query(self) -> Query | None:
        parts: list[Query] = []
        if self.districts:
            parts.append(Or([Term("districts", d.lower()) for d in self.districts]))
        if self.year_from is not None or self.year_to is not None:
            # Overlap: the section starts no later than the range ends, and ends no
            # earlier than it starts.  Sections with no year never match a year filter.
            parts.append(Term("has_year", True))
            # Explicit bounds: Whoosh's open-ended ranges on unsigned fields match everything.
            if self.year_to is not None:
                parts.append(NumericRange("year_from", EARLIEST_YEAR, self.year_to))
            if self.year_from is not None:
                parts.append(NumericRange("year_to", self.year_from, LATEST_YEAR))
        if self.doc_types:
            parts.append(Or([Term("doc_type", t.lower()) for t in self.doc_types]))
        if self.county:
            parts.append(Term("county", self.county.lower()))
        if self.doc_id:
            parts.append(Term("doc_id", self.doc_id))
        return And(parts) if parts else None


def make_parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(SEARCH_FIELDS, SCHEMA, group=qparser.AndGroup)
    for plugin in (
        qparser.FieldsPlugin,
        qparser.WildcardPlugin,
        qparser.RangePlugin,
        qparser.BoostPlugin,
        qparser.EveryPlugin,
        qparser.SingleQuotePlugin,
    ):
        parser.remove_plugin_class(plugin)
    return parser


PARSER = make_parser()


def parse_query(text: str) -> Query:
    """The Whoosh query for user text; raises QueryError for nothing to search for."""
    cleaned = CONTROL_CHARS.sub(" ", text or "").strip()
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(cleaned)} characters; at most {MAX_QUERY_CHARS})")
    if cleaned.count('"') % 2:
        cleaned = cleaned.replace('"', " ")
    if cleaned.count("(") != cleaned.count(")"):
        cleaned = cleaned.replace("(", " ").replace(")", " ")
    if not re.search(r"\w", cleaned):
        raise QueryError("nothing to search for: type a word or a phrase")
    try:
        query = PARSER.parse(cleaned)
    except Exception as error:
        raise QueryError(f"could not read the query: {error}") from error
    query = query.normalize()
    if query is NullQuery or isinstance(query, type(NullQuery)):
        raise QueryError("nothing to search for: type a word or a phrase")
    return query


class Guillemets(highlight.Formatter):
    """Matched words between « and », the rest as plain text."""

    between = " … "

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"«{highlight.get_text(text, token, replace)}»"


FRAGMENTER = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80)


def search(
    index: SearchIndex, query: str, filters: SearchFilters | None = None, limit: int = 20
) -> list[Hit]:
    """Best-scoring sections for `query`, near-duplicates collapsed into `also_in`."""
    parsed = parse_query(query)
    searcher = index.searcher()
    results = searcher.search(
        parsed, filter=(filters.query() if filters else None), limit=limit * OVERFETCH, terms=True
    )
    results.fragmenter = FRAGMENTER
    results.formatter = Guillemets()
    return collapse([(to_hit(result), result["text"]) for result in results])[:limit]


def to_hit(result) -> Hit:
    stored = result.fields()
    snippet = result.highlights("text", top=2) or stored["text"][:SNIPPET_CHARS]
    return Hit(
        section_id=stored["section_id"],
        doc_id=stored["doc_id"],
        cluster_id=stored["cluster_id"],
        title=stored["title"],
        source=stored["source"],
        doc_type=stored["doc_type"],
        districts=json.loads(stored["districts_display"]),
        county=stored.get("county") or None,
        year_from=stored.get("year_from"),
        year_to=stored.get("year_to"),
        period=stored.get("period"),
        heading_path=json.loads(stored["heading_path"]),
        page=stored.get("page_start"),
        page_end=stored.get("page_end"),
        score=round(float(result.score), 4),
        snippet=" ".join(snippet.split()),
    )


def collapse(hits: list[tuple[Hit, str]]) -> list[Hit]:
    """One hit per passage: the same passage from a near-duplicate document folds into
    the copy with a page number (the PDF), else the better-scoring one."""
    kept: list[tuple[Hit, str]] = []
    for hit, text in sorted(hits, key=lambda pair: (pair[0].page is None, -pair[0].score)):
        twin = next((k for k, k_text in kept if same_passage(k, k_text, hit, text)), None)
        if twin is None:
            kept.append((hit, text))
        elif hit.source != twin.source and hit.source not in twin.also_in:
            twin.also_in.append(hit.source)
    return sorted((hit for hit, _ in kept), key=lambda hit: -hit.score)


def same_passage(first: Hit, first_text: str, second: Hit, second_text: str) -> bool:
    if first.cluster_id != second.cluster_id or first.doc_id == second.doc_id:
        return False
    if first.heading_path == second.heading_path:
        return True
    return fuzz.token_set_ratio(first_text[:500], second_text[:500]) >= SAME_PASSAGE_RATIO


@dataclass
class FacetCounts:
    """Matching sections counted by area (lower-cased), document type and first year."""

    districts: dict[str, int]
    doc_types: dict[str, int]
    years: dict[int, int]


def facet_counts(
    index: SearchIndex, query: str | None = None, filters: SearchFilters | None = None
) -> FacetCounts:
    """Counts over every section matching `query` (every section when it is None)."""
    parsed = parse_query(query) if query else Every()
    facets = sorting.Facets()
    facets.add_field("districts", allow_overlap=True)
    facets.add_field("doc_type")
    facets.add_field("year_from")
    results = index.searcher().search(
        parsed,
        filter=(filters.query() if filters else None),
        groupedby=facets,
        maptype=sorting.Count,
        limit=1,
    )
    return FacetCounts(
        districts={k: v for k, v in results.groups("districts").items() if k},
        doc_types=dict(results.groups("doc_type")),
        years={k: v for k, v in results.groups("year_from").items() if k is not None},
    )
