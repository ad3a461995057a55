"""The search backend: everything the rest of the code asks of the search index.

The pipeline, `csp check` and entity re-indexing write through it; the CLI, the app,
compare and tracing read through it.  Queries cross it as the user's text plus
`SearchFilters`, results as `Hit`s and `FacetCounts`: types of this module, so another
engine (tantivy, OpenSearch) implements the same contract its own way.  Whoosh
(`ingest.search.whoosh.index.SearchIndex`) is the one implementation and the default.  The catalog
holds everything an index holds, so any backend can be filled from it
(`csp check --repair` on an empty index).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from typing import Protocol, runtime_checkable

from ingest.errors import QueryError
from ingest.model import Document


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
    date: str | None  # the document's: the day it was published or its meeting held
    heading_path: list[str]
    page: int | None
    page_end: int | None
    score: float
    snippet: str
    also_in: list[str] = field(default_factory=list)
    # The other names of the query's words (models/search/synonyms.json) this section
    # was found by: "domestic abuse" for the query "DA".
    synonyms: list[str] = field(default_factory=list)
    # A document's hit (`SearchBackend.search_documents`): how many other passages of the
    # document match, and, when asked for, those passages, best first.
    more_passages: int = 0
    passages: list[Hit] = field(default_factory=list)
    # Where the document's file came from, from the catalog (`ingest.model.Provenance`;
    # the index does not hold it): the address it was published at, its publisher, the
    # day retrieved, and a readable name for the file (never a bare hash), else "".
    source_url: str | None = None
    publisher: str | None = None
    retrieved: str | None = None
    file_name: str = ""

    def to_dict(self) -> dict:
        """JSON-ready: exactly the fields above."""
        return asdict(self)


#: The orders `SearchBackend.search_documents` can list documents in: best match first;
#: latest financial year first; by CSP area (alphabetically, areas not identified last).
SORTS = ("relevance", "newest", "area")


@dataclass
class SearchPage:
    """One page of documents for a query: one `Hit` per document, its best passage.

    A document and its near-duplicates (a PDF and its text twin, a report and its copy
    in an agenda pack) are one document here, shown as one copy with the others'
    sources in `also_in`.  `total_documents` and `total_passages` count every match,
    not only this page's; the passages are those of the copies shown.  `unmatched`
    names the query's words that occur nowhere in the index, and `suggestion` is the
    query with misspelt words replaced by the closest words the index holds (None when
    there is nothing to correct).
    """

    total_documents: int
    total_passages: int
    hits: list[Hit]
    offset: int = 0
    sort: str = "relevance"
    suggestion: str | None = None
    unmatched: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready: exactly the fields above, each hit with its passages."""
        return asdict(self)


@dataclass
class SearchFilters:
    """Facet filters: every one given must hold; a list matches any of its values.

    Values are compared as the index holds them: case and runs of spaces do not matter.
    Years keep the sections whose years overlap the range; a section without years
    never passes a year filter.
    """

    districts: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    doc_types: list[str] = field(default_factory=list)
    county: str | None = None
    doc_id: str | None = None
    initiatives: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)

    def check(self) -> None:
        """QueryError for filters that cannot hold."""
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise QueryError(f"the years run backwards: {self.year_from} is after {self.year_to}")


@dataclass
class FacetCounts:
    """Matching sections, or documents (near-duplicates counted once, as
    `SearchBackend.search_documents` shows them), counted by area (lower-cased),
    document type, first year, initiative, partner and theme."""

    districts: dict[str, int]
    doc_types: dict[str, int]
    years: dict[int, int]
    initiatives: dict[str, int] = field(default_factory=dict)
    partners: dict[str, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)


@runtime_checkable
class SearchBackend(Protocol):
    """A search index of sections, one entry per `Section` of each `Document`.

    Query syntax, the same in every backend (`ingest.search.whoosh.query` reads it for Whoosh):

    - a query without quotes, capitalised operators or brackets is typed as people type
      questions, and ranked, not filtered: ``J9 training`` finds sections with either
      word, those with both first.  Stop and question words cost nothing ("what did
      other CSPs do on street pastors" ranks by "street pastors"; the lists are
      `models/search/stop_words.txt`); sections with more of the words, with the words
      standing together as typed ("Spot It Stop It", the scheme before "Stop the
      Traffik ... It is") and with headings naming them rank higher; an acronym or a
      name in `models/search/synonyms.json` also finds the others of its group, at a
      lower weight, and each hit lists those that found it (`Hit.synonyms`).
      ``+word`` makes a word required;
    - a query with ``"double-quoted phrases"``, ``AND``, ``OR``, ``NOT`` or brackets is
      strict: every word is required and synonyms are not searched.  Phrases match
      words in that order; curly quotes work too, and an unpaired quote is dropped;
    - ``AND``, ``OR`` and ``NOT`` are operators only in capitals; lower-case ``and``,
      ``or`` and ``not`` are stop words.  An operator that joins nothing (``J9 AND``,
      ``OR OR``, ``(AND J9)``) is ignored;
    - brackets group: ``(J9 OR "Spot it Stop it") NOT training``; unpaired brackets are
      dropped and nesting deeper than `ingest.search.whoosh.query.MAX_DEPTH` is refused;
    - ``NOT`` only excludes, so a query must also say what to find: ``NOT training`` and
      ``J9 OR NOT training`` are refused;
    - case, accents, punctuation and word endings do not matter (Porter2 stemming:
      "partnerships" finds "partnership", "exploited" "exploitation"), while short codes
      are kept whole (``J9``, ``DA``, ``ASB``, ``IOM``: words of three letters or fewer,
      or with digits); ``Spot It, Stop It`` and ``"spot it stop it"`` both work; a word
      with punctuation inside (``Spot-It``, ``2019/20``, ``x:y``) is searched as a
      phrase of its parts;
    - there is no field, wildcard, range or boost syntax: ``title:J9``, ``J*``,
      ``[a TO b]`` and ``^2`` are read as plain words, so no query reaches other fields;
    - control characters are removed, and a query over MAX_QUERY_CHARS (Whoosh's:
      `ingest.search.whoosh.query`) is refused; words over MAX_TERM_CHARS
      (`ingest.search.whoosh.schema`) are not indexed, so they are left out (alone,
      they are refused).

    Words are looked up in the section text, its headings (boosted) and the document
    title.  A query or filters that cannot be run raise `QueryError`.

    Snippets are plain text with the matched words of the section text between « and »
    (a matched phrase, or adjacent matched words, share one pair) and … where text was
    cut; « and » in the document text itself become ".  Nothing in a snippet is markup.
    """

    # Write side: the pipeline, `csp check --repair` and entity re-indexing.

    def add_documents(
        self,
        documents: Iterable[Document],
        cluster_ids: dict[str, str] | None = None,
    ) -> int:
        """Index every section of these documents as they are (attribution has given
        each section its areas and years), replacing any earlier version of each;
        returns the number of sections written.  `cluster_ids` maps a doc_id to its
        near-duplicate cluster (default: itself)."""
        ...

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        """Remove every section of these documents."""
        ...

    def batch(self) -> AbstractContextManager[None]:
        """Writes inside are committed together at the end (a long batch also every
        so often before): until then searches see the last commit.  A document written
        twice in one batch ends as its last version.  A batch inside a batch is part of
        the outer one."""
        ...

    def clear(self) -> None:
        """Remove every section."""
        ...

    def reset(self) -> None:
        """Start again with an empty index, whatever state its files are in."""
        ...

    def stored_digests(self) -> dict[str, tuple[int, str]]:
        """Each document's section count and a digest of what the index holds of its
        sections, every part of the index read; `IndexFailed` if any cannot be read."""
        ...

    def expected_digests(
        self, documents: Iterable[Document], cluster_ids: dict[str, str]
    ) -> dict[str, tuple[int, str]]:
        """What `stored_digests` gives for these documents once they are indexed."""
        ...

    def doc_ids(self) -> set[str]:
        """The doc_ids with at least one section in the index."""
        ...

    def section_counts(self) -> dict[str, int]:
        """Sections per doc_id, for documents with any (what `csp check` compares)."""
        ...

    def section_count(self) -> int:
        """Sections in the index."""
        ...

    def generation(self) -> int:
        """A number that changes whenever a commit changes the index."""
        ...

    def close(self) -> None: ...

    # Read side: the CLI, the app, compare and tracing.

    def search(
        self, query: str, filters: SearchFilters | None = None, limit: int = 20
    ) -> list[Hit]:
        """The best `limit` sections for `query`, best first, near-duplicates collapsed
        into one hit with the others' sources in `also_in`.  An empty query with filters
        lists the filtered sections."""
        ...

    def search_documents(
        self,
        query: str,
        filters: SearchFilters | None = None,
        limit: int = 20,
        offset: int = 0,
        sort: str = "relevance",
        passages: bool = False,
        passage_snippets: bool = True,
    ) -> SearchPage:
        """Documents matching `query`, one hit each (its best passage, with the number
        of its other matching passages), in the order `sort` names (one of SORTS),
        `limit` of them from `offset`; with `passages`, each hit also lists its other
        passages, their snippets left empty unless `passage_snippets` (their places,
        areas and years are what a chart of the page needs; marking a broad query's
        hundreds of snippets is most of its time).  Near-duplicate documents count and
        show once.  QueryError for a query, filters or sort that cannot be run."""
        ...

    def facet_counts(
        self,
        query: str | None = None,
        filters: SearchFilters | None = None,
        documents: bool = False,
    ) -> FacetCounts:
        """Counts over every section matching `query` (every section when it is None)
        and `filters`; with `documents`, the documents those sections are in, so each
        count is the number of documents choosing that value gives."""
        ...

    def sections_matching_any(
        self, words: list[str], doc_ids: list[str], limit: int
    ) -> list[tuple[str, float]]:
        """Section ids with scores, best first, in the given documents, that contain
        any of `words` (taken as words, never operators): tracing's recall step."""
        ...
