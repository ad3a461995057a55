"""Search sections in Whoosh: the read side of the Whoosh backend (`SearchIndex`).

The query language and snippets are the contract of `ingest.backend.SearchBackend`;
`parse_query` reads it into a Whoosh query.  `clean_query` (control characters,
quotes, brackets, dangling operators), `collapse` and `highlight_text` (on a hit's
stored text) do not read the Whoosh index, so another backend can reuse them.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
import weakref
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, utils
from whoosh import highlight, qparser, sorting
from whoosh.analysis import Token
from whoosh.idsets import BitSet
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.query import And, Every, Not, NullQuery, NumericRange, Or, Phrase, Query, Term
from whoosh.searching import Hit as WhooshHit
from whoosh.searching import Searcher

from ingest.backend import FacetCounts, Hit, QueryError, SearchFilters
from ingest.schema import (
    MAX_TERM_CHARS,
    SCHEMA,
    SEARCH_FIELDS,
    TOKEN_PATTERN,
    facet_value,
    split_facet,
    term_of,
)

if TYPE_CHECKING:  # ingest.index imports this module: SearchIndex's read side is here
    from ingest.index import SearchIndex

MAX_QUERY_CHARS = 1000
MAX_DEPTH = 8
SNIPPET_CHARS = 200
SNIPPET_FRAGMENTS = 2
# A section this short is shown whole rather than cut around its matches.
WHOLE_TEXT_CHARS = 300
# Hits fetched per hit asked for, so collapsing near-duplicates still fills the page;
# fetched again, more of them, when it does not.
OVERFETCH = 3
MIN_EXTRA = 20
MAX_FETCH = 5000
SAME_PASSAGE_RATIO = 90
SAME_PASSAGE_CHARS = 500

QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"', "‘": "'", "’": "'"}
)
NOT_SHOWN = str.maketrans({"«": '"', "»": '"'})
JOINED_MARKS = re.compile(r"»(\s+)«")
WORD = re.compile(r"\w")
PHRASE_OR_WORD = re.compile(r'"[^"]*"|[^\s"]+')
OPERATORS = ("AND", "OR", "NOT")
TOKEN = re.compile(TOKEN_PATTERN)


ENTITY_FACETS = ("initiatives", "partners", "themes")
# A filter letting through at most this share of sections is ANDed with the query
# (`AllowedDocs`); a wider one is cheaper as Whoosh's filter.
SELECTIVE = 0.2
# Docsets kept per searcher (each one bit per section): facet values and years.
MAX_CACHED_DOCSETS = 512


def facet_values(filters: SearchFilters) -> list[tuple[str, list[str]]]:
    """(field, values as indexed) for each facet filtered on; any value matches."""
    named = [
        ("districts", filters.districts),
        ("doc_type", filters.doc_types),
        ("county", [filters.county] if filters.county else []),
        ("initiatives", filters.initiatives),
        ("partners", filters.partners),
        ("themes", filters.themes),
    ]
    return [(name, [facet_value(v) for v in values]) for name, values in named if values]


def allowed_bits(filters: SearchFilters, searcher: Searcher) -> int | None:
    """The sections the filters let through, as the bits of an int (bit n: document n
    of `searcher`), or None when nothing is filtered.

    Gives the same sections as `as_filter_query`, faster: Whoosh builds a filter's docset
    one posting at a time on every search, so a year range that lets most of 100,000
    sections through costs 100-300 ms each time.  Here each facet value's and each
    year's sections are read once per searcher and kept as a bit set in a Python int,
    so a filter is a few big-integer ANDs and ORs.
    """
    filters.check()
    parts = [
        union(value_bits(searcher, name, value) for value in values)
        for name, values in facet_values(filters)
    ]
    if filters.doc_id:
        parts.append(docs_bits(searcher, searcher.docs_for_query(Term("doc_id", filters.doc_id))))
    # Overlap, as in `as_filter_query`: sections without years hold no year terms.
    if (year_to := filters.year_to) is not None:
        parts.append(year_bits(searcher, "year_from", lambda year: year <= year_to))
    if (year_from := filters.year_from) is not None:
        parts.append(year_bits(searcher, "year_to", lambda year: year >= year_from))
    if not parts:
        return None
    allowed = parts[0]
    for part in parts[1:]:
        allowed &= part
    return allowed


def as_filter_query(filters: SearchFilters | None) -> Query | None:
    """The filters as a Whoosh query, or None when nothing is filtered."""
    if filters is None:
        return None
    filters.check()
    parts: list[Query] = [
        Or([Term(name, value) for value in values]) for name, values in facet_values(filters)
    ]
    if filters.doc_id:
        parts.append(Term("doc_id", filters.doc_id))
    # Overlap: the section starts no later than the range ends and ends no earlier
    # than it starts.  Sections without years hold no year terms, so never match.
    if filters.year_to is not None:
        parts.append(NumericRange("year_from", None, filters.year_to))
    if filters.year_from is not None:
        parts.append(NumericRange("year_to", filters.year_from, None))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


_docsets: weakref.WeakKeyDictionary[Searcher, dict[tuple[str, object], int]] = (
    weakref.WeakKeyDictionary()
)


def cached_bits(searcher: Searcher, key: tuple[str, object], build) -> int:
    """A docset of `searcher` kept until the searcher is replaced (at the next commit)."""
    cache = _docsets.setdefault(searcher, {})
    if key not in cache:
        if len(cache) >= MAX_CACHED_DOCSETS:
            cache.clear()
        cache[key] = build()
    return cache[key]


def docs_bits(searcher: Searcher, docnums: Iterable[int]) -> int:
    """Document numbers as the bits of one int (bit n set: document n)."""
    buffer = bytearray(searcher.doc_count_all() // 8 + 1)
    for docnum in docnums:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def value_bits(searcher: Searcher, name: str, value: object) -> int:
    return cached_bits(
        searcher,
        (name, value),
        lambda: docs_bits(searcher, searcher.docs_for_query(Term(name, value))),
    )


def year_bits(searcher: Searcher, name: str, keep) -> int:
    """The sections whose year field `name` holds a year `keep` accepts."""
    years = cached_bits(searcher, (name, None), lambda: field_years(searcher, name))
    return union(value_bits(searcher, name, year) for year in years if keep(year))


def field_years(searcher: Searcher, name: str) -> list[int]:
    field_type = searcher.schema[name]
    return [
        field_type.from_bytes(term) for term in field_type.sortable_terms(searcher.reader(), name)
    ]


def union(parts: Iterable[int]) -> int:
    total = 0
    for part in parts:
        total |= part
    return total


def make_parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(SEARCH_FIELDS, SCHEMA, group=qparser.AndGroup)
    for plugin in (
        qparser.FieldsPlugin,
        qparser.WildcardPlugin,
        qparser.RangePlugin,
        qparser.BoostPlugin,
        qparser.EveryPlugin,
        qparser.SingleQuotePlugin,
        qparser.OperatorsPlugin,
    ):
        parser.remove_plugin_class(plugin)
    parser.add_plugin(qparser.OperatorsPlugin(AndNot=None, AndMaybe=None, Require=None))
    return parser


PARSER = make_parser()


def drop_dangling_operators(text: str) -> str:
    """Without operators that join nothing: at either end, doubled, or by a bracket."""
    tokens = PHRASE_OR_WORD.findall(text)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        before = tokens[index - 1] if index else "("
        after = tokens[index + 1] if index + 1 < len(tokens) else ")"
        dangling = token in OPERATORS and (
            after in (")", "AND", "OR")
            or (token == "NOT" and after == "NOT")
            or (token != "NOT" and before in ("(", *OPERATORS))
        )
        if dangling:
            del tokens[index]
            index = max(index - 1, 0)  # the token before may dangle now
        else:
            index += 1
    return " ".join(tokens)


def parse_query(text: str) -> Query:
    """The Whoosh query for user text (the rules are in the module docstring)."""
    cleaned = clean_query(text if isinstance(text, str) else "")
    if not WORD.search(cleaned):
        raise QueryError('nothing to search for: type a word or a "quoted phrase"')
    try:
        query = PARSER.parse(cleaned).normalize()
    except Exception as error:  # Whoosh's parser raises assorted types on odd input
        raise QueryError(
            f"could not read the query ({error}): check its quotes and brackets"
        ) from error
    if query is NullQuery or isinstance(query, type(NullQuery)):
        if any(term_of(match.group()) is None for match in TOKEN.finditer(cleaned)):
            raise QueryError(
                f"nothing to search for: words over {MAX_TERM_CHARS} characters are not indexed"
            )
        raise QueryError('nothing to search for: type a word or a "quoted phrase"')
    if excludes_only(query):
        raise QueryError("NOT only excludes: say what to find first, e.g. J9 NOT training")
    return query


def clean_query(text: str) -> str:
    """The query with control characters gone, quotes and brackets paired, and spaces
    around brackets (so ``NOT(x)`` reads as NOT); QueryError if it is too long."""
    if len(text) > 4 * MAX_QUERY_CHARS:  # refused before the per-character pass
        raise QueryError(f"the query is too long: keep it under {MAX_QUERY_CHARS} characters")
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif category[0] != "C":  # drops format, surrogate, private-use and unassigned
            kept.append(char)
    cleaned = " ".join("".join(kept).translate(QUOTES).split())
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is too long ({len(cleaned)} characters): keep it under {MAX_QUERY_CHARS}"
        )
    if cleaned.count('"') % 2:
        last = cleaned.rindex('"')
        cleaned = cleaned[:last] + " " + cleaned[last + 1 :]
    return drop_dangling_operators(pair_brackets(cleaned))


def pair_brackets(text: str) -> str:
    """Brackets outside phrases kept only in pairs, spaced; QueryError if too deep."""
    parts: list[str] = []
    opened: list[int] = []
    in_phrase = False
    for char in text:
        if char == '"':
            in_phrase = not in_phrase
        elif not in_phrase and char == "(":
            opened.append(len(parts))
            char = " ( "
        elif not in_phrase and char == ")":
            char = " ) " if opened else " "
            if opened:
                opened.pop()
        parts.append(char)
    for position in opened:
        parts[position] = " "
    depth = deepest = 0
    for part in parts:
        depth += (part == " ( ") - (part == " ) ")
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise QueryError(f"too many nested brackets: use at most {MAX_DEPTH} levels")
    return " ".join("".join(parts).split())


def excludes_only(query: Query) -> bool:
    """True if some part of the query is a NOT with nothing positive ANDed to it."""
    if isinstance(query, Not):
        return True
    if isinstance(query, And):
        positive = [part for part in query.subqueries if not isinstance(part, Not)]
        return not positive or any(excludes_only(part) for part in positive)
    return any(excludes_only(child) for child in query.children())


def search(
    index: SearchIndex, query: str, filters: SearchFilters | None = None, limit: int = 20
) -> list[Hit]:
    """The best `limit` sections for `query`, best first, near-duplicates collapsed.

    An empty query with filters lists the filtered sections ("every section naming J9").
    Raises QueryError for a query (or filters) that cannot be run.
    """
    filter_query = as_filter_query(filters)
    blank = not (query or "").strip()
    parsed = Every() if blank and filter_query is not None else parse_query(query)
    if limit < 1:
        return []
    searcher = index.searcher()
    allowed = allowed_bits(filters, searcher) if filters and filter_query is not None else None
    if allowed == 0:
        return []
    matched, allow = parsed, None
    if allowed is not None:
        if not blank and allowed.bit_count() <= SELECTIVE * searcher.doc_count_all():
            matched = And([parsed, AllowedDocs(searcher, allowed)])
        else:
            allow = as_docset(allowed)
    fetch = max(limit * OVERFETCH, limit + MIN_EXTRA)
    # Not list(results): list() asks len(), and Whoosh counts every match to answer it.
    ranked = [result for result in searcher.search(matched, filter=allow, limit=fetch)]
    kept = collapse([candidate(result, rank) for rank, result in enumerate(ranked)])
    if len(kept) < limit and len(ranked) == fetch:
        # Near-duplicates folded too many away: search once more, for as many as could
        # be needed, and read them a window at a time (each search scores every match).
        results = searcher.search(matched, filter=allow, limit=MAX_FETCH)
        while len(kept) < limit and len(ranked) < results.scored_length():
            fetch = min(fetch * 4, MAX_FETCH)
            upto = min(fetch, results.scored_length())
            ranked += [results[rank] for rank in range(len(ranked), upto)]
            kept = collapse([candidate(result, rank) for rank, result in enumerate(ranked)])
    marks = Marks.of(parsed)
    hits = []
    for kept_candidate in kept[:limit]:
        kept_candidate.hit.snippet = snippet(kept_candidate.text, marks)
        hits.append(kept_candidate.hit)
    return hits


def allowed_docs(
    searcher: Searcher, filters: SearchFilters | None, filter_query: Query | None
) -> BitSet | Query | None:
    """The filter to give Whoosh: the cached docset, or the query when the docset is
    empty (Whoosh reads an empty docset as no filter at all)."""
    if filters is None or filter_query is None:
        return None
    allowed = allowed_bits(filters, searcher)
    return as_docset(allowed) if allowed else filter_query


def as_docset(bits: int) -> BitSet:
    docset = BitSet()
    docset.bits = array("B", bits.to_bytes(max(1, (bits.bit_length() + 7) // 8), "little"))
    return docset


class ZeroScoreList(ListMatcher):
    """Listed documents, adding nothing to the score of the query they are ANDed with."""

    def score(self) -> float:
        return 0.0

    def supports_block_quality(self) -> bool:
        return False


class AllowedDocs(Query):
    """The documents of a bit set (bit n: document n of `top`), as a query to AND with
    the user's.  Whoosh checks a filter only after matching the whole query, so a
    phrase of common words is checked in every section; ANDed, it is checked only in
    the sections the filter lets through (an area's, a year's)."""

    def __init__(self, top: Searcher, bits: int):
        self.top = top
        # The set bits' positions, via the binary digits lowest first.
        digits = bin(bits)[:1:-1]
        self.ids: list[int] = []
        at = digits.find("1")
        while at >= 0:
            self.ids.append(at)
            at = digits.find("1", at + 1)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def estimate_size(self, ixreader) -> int:
        return len(self.ids)

    def matcher(self, searcher: Searcher, context=None):
        offset = 0 if searcher is self.top else self.top._offset_for_subsearcher(searcher)
        start = bisect.bisect_left(self.ids, offset)
        end = bisect.bisect_left(self.ids, offset + searcher.doc_count_all())
        local = [docnum - offset for docnum in self.ids[start:end]]
        return ZeroScoreList(local) if local else NullMatcher()


@dataclass
class Candidate:
    """A hit before collapsing, with its text for comparing passages and for snippets."""

    hit: Hit
    text: str
    rank: int

    @property
    def heading_key(self) -> tuple[str, ...]:
        return tuple(" ".join(heading.lower().split()) for heading in self.hit.heading_path)


def candidate(result: WhooshHit, rank: int) -> Candidate:
    stored = result.fields()
    hit = Hit(
        section_id=stored["section_id"],
        doc_id=stored["doc_id"],
        cluster_id=stored["cluster_id"],
        title=stored.get("title", ""),
        source=stored.get("source", ""),
        doc_type=stored.get("doc_type", ""),
        districts=split_facet(stored.get("districts")),
        county=", ".join(split_facet(stored.get("county"))) or None,
        year_from=stored.get("year_from"),
        year_to=stored.get("year_to"),
        period=stored.get("period"),
        heading_path=json.loads(stored.get("heading_path") or "[]"),
        page=stored.get("page_start"),
        page_end=stored.get("page_end"),
        score=round(float(result.score or 0.0), 4),
        snippet="",
    )
    return Candidate(hit, stored.get("text", ""), rank)


def collapse(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per passage, best first.

    Within a near-duplicate cluster, a section of another document with the same
    heading path or nearly the same text is the same passage: it folds into the copy
    with a page number (the PDF), else the better-ranked one, which takes the best
    score of the copies and lists the others' sources in `also_in`.
    """
    kept_in_cluster: dict[str, list[Candidate]] = defaultdict(list)
    kept: list[Candidate] = []
    for current in sorted(candidates, key=lambda c: (c.hit.page is None, c.rank)):
        siblings = kept_in_cluster[current.hit.cluster_id]
        twin = next((k for k in siblings if same_passage(k, current)), None)
        if twin is None:
            siblings.append(current)
            kept.append(current)
            continue
        if current.rank < twin.rank:
            twin.hit.score, twin.rank = max(twin.hit.score, current.hit.score), current.rank
        if current.hit.source != twin.hit.source and current.hit.source not in twin.hit.also_in:
            twin.hit.also_in.append(current.hit.source)
    return sorted(kept, key=lambda c: c.rank)


def same_passage(first: Candidate, second: Candidate) -> bool:
    if first.hit.doc_id == second.hit.doc_id:
        return False
    # An empty heading path says nothing: every section of an unstructured file has it.
    if first.hit.heading_path and first.heading_key == second.heading_key:
        return True
    ratio = fuzz.token_set_ratio(
        first.text[:SAME_PASSAGE_CHARS],
        second.text[:SAME_PASSAGE_CHARS],
        processor=utils.default_process,
    )
    return ratio >= SAME_PASSAGE_RATIO


# Snippets ------------------------------------------------------------------------------


class Guillemets(highlight.Formatter):
    """Matched words between « and », the rest as plain text, cut text marked with …"""

    between = " … "

    def _text(self, text: str) -> str:
        return text.translate(NOT_SHOWN)

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"«{self._text(highlight.get_text(text, token, replace))}»"

    def format(self, fragments, replace: bool = False) -> str:
        if not fragments:
            return ""
        # Fragments start and end on words: take in punctuation up to the text's ends.
        first, last, text = fragments[0], fragments[-1], fragments[0].text
        if not WORD.search(text, 0, first.startchar):
            first.startchar = 0
        if not WORD.search(text, last.endchar):
            last.endchar = len(text)
        body = self.between.join(self.format_fragment(f, replace=replace) for f in fragments)
        head = "… " if first.startchar > 0 else ""
        tail = " …" if last.endchar < len(text) else ""
        return head + body + tail


FRAGMENTER = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
FORMATTER = Guillemets()
FRAGMENT_SCORER = highlight.BasicFragmentScorer()


@dataclass
class Marks:
    """What to mark in section text: words, and phrases as runs of words.

    Whoosh's highlighter marks each word of a phrase wherever it occurs (every "it" for
    "Spot it Stop it"), and its strict-phrase mode compares raw text with analyzed
    words, so phrases are found here among the analyzed tokens.
    """

    words: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)

    @classmethod
    def of(cls, query: Query) -> Marks:
        marks = cls()
        marks.collect(query)
        return marks

    def collect(self, query: Query) -> None:
        if isinstance(query, Not):
            return
        if isinstance(query, Phrase):
            if query.fieldname == "text":
                # A sloppy phrase ("a b"~3) may have other words between: mark its words.
                if query.slop <= 1:
                    self.phrases.add(tuple(query.words))
                else:
                    self.words.update(query.words)
            return
        if isinstance(query, Term):
            if query.fieldname == "text":
                self.words.add(query.text)
            return
        for child in query.children():
            self.collect(child)


def snippet(text: str, marks: Marks) -> str:
    """Highlighted fragments of the section text, else its opening words."""
    highlighted = highlight_text(text, marks)
    if highlighted:
        return JOINED_MARKS.sub(r"\1", " ".join(highlighted.split()))
    return opening(text)


def highlight_text(text: str, marks: Marks) -> str:
    """Up to SNIPPET_FRAGMENTS fragments of `text` with marked words in «»; "" if none.

    A phrase is marked as one run, punctuation inside it included: «Spot It, Stop It».
    """
    # The analyzer's own tokenizer and term function, without Whoosh's per-token overhead.
    tokens = [
        (match.start(), match.end(), term_of(match.group()))
        for match in TOKEN.finditer(text, 0, FRAGMENTER.charlimit)
    ]
    # Unindexed tokens stay in the list (as None), so a phrase is a run of consecutive tokens.
    last_of = {i: i for i, (_, _, word) in enumerate(tokens) if word in marks.words}
    for phrase in marks.phrases:
        for i in range(len(tokens) - len(phrase) + 1):
            if tokens[i][2] == phrase[0] and all(
                tokens[i + k][2] == word for k, word in enumerate(phrase)
            ):
                last_of[i] = max(last_of.get(i, i), i + len(phrase) - 1)
    if not last_of:
        return ""

    def marked() -> Iterator[Token]:
        token = Token(chars=True)
        i = 0
        while i < len(tokens):
            last = last_of.get(i, i)
            token.startchar, token.endchar, token.text = tokens[i][0], tokens[last][1], tokens[i][2]
            token.matched = i in last_of
            yield token
            i = last + 1

    if len(text) <= WHOLE_TEXT_CHARS:
        matches = [token.copy() for token in marked() if token.matched]
        return FORMATTER.format([highlight.Fragment(text, matches)])
    fragments = highlight.top_fragments(
        FRAGMENTER.fragment_tokens(text, marked()),
        SNIPPET_FRAGMENTS,
        FRAGMENT_SCORER,
        highlight.FIRST,
    )
    return FORMATTER.format(fragments)


def opening(text: str) -> str:
    """The first SNIPPET_CHARS or so of the text, cut at a space."""
    flat = " ".join(text.split()).translate(NOT_SHOWN)
    if len(flat) <= SNIPPET_CHARS:
        return flat
    cut = flat.rfind(" ", 0, SNIPPET_CHARS)
    return flat[: cut if cut > SNIPPET_CHARS // 2 else SNIPPET_CHARS] + " …"


# Facets --------------------------------------------------------------------------------


def facet_counts(
    index: SearchIndex, query: str | None = None, filters: SearchFilters | None = None
) -> FacetCounts:
    """Counts over every section matching `query` (every section when it is None)."""
    parsed = parse_query(query) if query else Every()
    facets = sorting.Facets()
    facets.add_field("districts", allow_overlap=True)
    facets.add_field("doc_type")
    facets.add_field("year_from")
    for name in ENTITY_FACETS:
        facets.add_field(name, allow_overlap=True)
    searcher = index.searcher()
    filter_query = as_filter_query(filters)
    results = searcher.search(
        parsed,
        filter=allowed_docs(searcher, filters, filter_query),
        groupedby=facets,
        maptype=sorting.Count,
        limit=1,
    )
    return FacetCounts(
        districts={k: v for k, v in results.groups("districts").items() if k},
        doc_types={k: v for k, v in results.groups("doc_type").items() if k},
        years={k: v for k, v in results.groups("year_from").items() if k is not None},
        **{name: {k: v for k, v in results.groups(name).items() if k} for name in ENTITY_FACETS},
    )


def sections_matching_any(
    index: SearchIndex, words: list[str], doc_ids: list[str], limit: int
) -> list[tuple[str, float]]:
    """Section ids (with scores, best first) in the given documents that contain any of
    `words`: the recall step of tracing a commitment into later documents."""
    # Lower-case words only: "NOT" or "OR" would be read as operators.
    words = [word.lower() for word in words if WORD.search(word)]
    if not words or not doc_ids:
        return []
    query = parse_query(" OR ".join(words))
    within = Or([Term("doc_id", doc_id) for doc_id in doc_ids])
    results = index.searcher().search(query, filter=within, limit=limit)
    return [(result["section_id"], float(result.score or 0.0)) for result in results]
