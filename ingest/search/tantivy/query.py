"""The product's parse tree (`ingest.search.whoosh.query.parse_query`) as a tantivy
query, and `SearchFilters` as tantivy's.

One parser reads the query language for every engine; this module only translates its
tree, node by node: words and phrases per field, AND, OR, NOT, the best field of several
(`BestField`), a word's near spellings where the index lacks it (`Misspelt`), and the
concepts of a query typed without operators (`Coordinated`).  Whoosh's phrase slop
counts an adjacent word as 1, tantivy's as 0.
"""

from __future__ import annotations

import tantivy
from whoosh import query as wq

from ingest.errors import QueryError
from ingest.search.backend import SearchFilters
from ingest.search.tantivy.schema import CLUSTER_KEY, COPY, SCHEMA, SEARCH_FIELDS
from ingest.search.vocabulary import ranking
from ingest.search.whoosh.natural import BestField, Coordinated, Misspelt
from ingest.search.whoosh.reader import facet_values

MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


def translate(node: wq.Query, searcher: tantivy.Searcher) -> tantivy.Query:
    """The tantivy query for one node of the parse tree (and everything under it)."""
    boost = float(getattr(node, "boost", 1.0) or 1.0)
    query = translated(node, searcher)
    return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)


def translated(node: wq.Query, searcher: tantivy.Searcher) -> tantivy.Query:
    if isinstance(node, Misspelt):
        return misspelt(node, searcher)
    if isinstance(node, wq.Term):
        # Most of a word's forms (`word_forms.json`) are in no section: left out, they
        # score nothing all the same, and tantivy sets up no scorer for them in every
        # segment (a fifth of the engine's time on the bench's term queries).
        if not searcher.doc_freq(node.fieldname, node.text):
            return tantivy.Query.empty_query()
        return on_field(node.fieldname, tantivy.Query.term_query(SCHEMA, node.fieldname, node.text))
    if isinstance(node, wq.Phrase):
        slop = max(int(node.slop) - 1, 0)
        phrase = tantivy.Query.phrase_query(SCHEMA, node.fieldname, list(node.words), slop)
        return on_field(node.fieldname, phrase)
    if isinstance(node, wq.Every):
        return tantivy.Query.all_query()
    if isinstance(node, BestField | wq.DisjunctionMax):
        return tantivy.Query.disjunction_max_query(
            [translate(q, searcher) for q in node.subqueries]
        )
    if isinstance(node, Coordinated):
        return coordinated(node, searcher)
    if isinstance(node, wq.AndMaybe):
        required, optional = node.a, node.b
        return tantivy.Query.boolean_query(
            [(MUST, translate(required, searcher)), (SHOULD, translate(optional, searcher))]
        )
    if isinstance(node, wq.And):
        return tantivy.Query.boolean_query(
            [
                (MUST_NOT, translate(part.query, searcher))
                if isinstance(part, wq.Not)
                else (MUST, translate(part, searcher))
                for part in node.subqueries
            ]
        )
    if isinstance(node, wq.Or):
        return tantivy.Query.boolean_query(
            [(SHOULD, translate(part, searcher)) for part in node.subqueries]
        )
    if isinstance(node, wq.Not):
        # `parse_query` refuses a NOT with nothing to find; inside an Or it still
        # excludes only, so it matches what the query's other parts find.
        return tantivy.Query.boolean_query(
            [(SHOULD, tantivy.Query.all_query()), (MUST_NOT, translate(node.query, searcher))]
        )
    if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
        return tantivy.Query.empty_query()
    raise QueryError(f"the tantivy index cannot run this part of the query yet: {node!r}")


def coordinated(node: Coordinated, searcher: tantivy.Searcher) -> tantivy.Query:
    """The sections any concept matches, scored by the concepts and by the extras
    (phrases, headings) they hold.  tantivy cannot scale a section's score by the share
    of the query's concepts it holds (`natural.CoordinatedMatcher`): a section holding
    every concept scores again instead, `all_concepts_boost` times (models/search/
    ranking.json), as the ranking did before coordination (#16)."""
    concepts = [translate(concept, searcher) for concept in node.concepts]
    clauses = [(MUST, tantivy.Query.boolean_query([(SHOULD, c) for c in concepts]))]
    clauses += [(SHOULD, translate(extra, searcher)) for extra in node.extras]
    if len(concepts) > 1:
        every = tantivy.Query.boolean_query([(MUST, concept) for concept in concepts])
        boost = ranking().tantivy_all_concepts_boost
        clauses.append((SHOULD, tantivy.Query.boost_query(every, boost)))
    return tantivy.Query.boolean_query(clauses)


def on_field(name: str, query: tantivy.Query) -> tantivy.Query:
    """The weight Whoosh's schema gives a word found in the heading path when it indexes
    it (`text_field`), given at query time (models/search/ranking.json)."""
    if name != "heading":
        return query
    return tantivy.Query.boost_query(query, ranking().tantivy_heading_field_boost)


def misspelt(node: Misspelt, searcher: tantivy.Searcher) -> tantivy.Query:
    """The index's words an edit or two from a word it does not hold at all; nothing
    for a word it holds."""
    if any(searcher.doc_freq(name, node.text) for name in SEARCH_FIELDS):
        return tantivy.Query.empty_query()
    return tantivy.Query.fuzzy_term_query(SCHEMA, node.fieldname, node.text, int(node.maxdist))


def filter_query(filters: SearchFilters | None) -> tantivy.Query | None:
    """The filters as a tantivy query that adds nothing to the score, or None when
    nothing is filtered; QueryError for filters that cannot hold."""
    if filters is None:
        return None
    filters.check()
    parts = [
        tantivy.Query.term_set_query(SCHEMA, name, values) for name, values in facet_values(filters)
    ]
    if filters.doc_id:
        parts.append(tantivy.Query.term_query(SCHEMA, "doc_id", filters.doc_id))
    # Overlap: the section starts no later than the range ends and ends no earlier than
    # it starts.  Sections without years hold no year values, so never match.
    integer = tantivy.FieldType.Integer
    if filters.year_to is not None:
        parts.append(tantivy.Query.range_query(SCHEMA, "year_from", integer, None, filters.year_to))
    if filters.year_from is not None:
        parts.append(tantivy.Query.range_query(SCHEMA, "year_to", integer, filters.year_from, None))
    if not parts:
        return None
    return tantivy.Query.const_score_query(
        tantivy.Query.boolean_query([(MUST, part) for part in parts]), 0.0
    )


def filtered(query: tantivy.Query, filters: tantivy.Query | None) -> tantivy.Query:
    if filters is None:
        return query
    return tantivy.Query.boolean_query([(MUST, query), (MUST, filters)])


def any_of_docs(doc_ids: list[str]) -> tantivy.Query:
    return tantivy.Query.const_score_query(
        tantivy.Query.term_set_query(SCHEMA, "doc_id", list(doc_ids)), 0.0
    )


def any_of_clusters(cluster_keys: list[int]) -> tantivy.Query:
    return tantivy.Query.const_score_query(
        tantivy.Query.term_set_query(SCHEMA, CLUSTER_KEY, list(cluster_keys)), 0.0
    )


def cluster_keys_between(low: int, high: int) -> tantivy.Query:
    """The sections whose cluster key is from `low` to `high`, both included."""
    integer = tantivy.FieldType.Integer
    return tantivy.Query.const_score_query(
        tantivy.Query.range_query(SCHEMA, CLUSTER_KEY, integer, low, high), 0.0
    )


def copies_only() -> tantivy.Query:
    """The sections of copies (`schema.COPY`)."""
    return tantivy.Query.const_score_query(tantivy.Query.term_query(SCHEMA, COPY, 1), 0.0)
