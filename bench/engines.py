"""The baselines and references the product is measured against, over the same sections.

- raw Whoosh: the product's schema (ingest/search/whoosh/schema.py) written and searched with plain
  Whoosh calls, no product code in between: the ceiling the product's index writer and
  search can reach on this engine;
- raw tantivy: plain tantivy calls on the product's tantivy index, the same ceiling
  for the product on tantivy;
- tantivy and SQLite FTS5: what a faster engine gives on the same sections and queries
  (their own tokenisers, no stemming), for docs/scaling.md.

Every searcher returns the stored fields of its top `limit` hits, as a results page
needs them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

import tantivy
from whoosh import index as whoosh_index
from whoosh import qparser
from whoosh.query import And, Every, NumericRange, Or, Query, Term

from bench.queries import BenchQuery
from ingest.search.tantivy.schema import SEARCH_FIELDS as PRODUCT_TEXT_FIELDS
from ingest.search.tantivy.schema import STORED
from ingest.search.whoosh.schema import (
    SCHEMA,
    SEARCH_FIELDS,
    facet_value,
    split_facet,
    term_of,
)

FACET_FIELDS = ("districts", "county", "doc_type", "initiatives", "partners", "themes")
TEXT_FIELDS = ("title", "heading", "text")
LIMIT = 20


def write_raw_whoosh(path: Path, rows: Iterable[dict]) -> int:
    """Rows (the product's section fields) through one plain Whoosh writer."""
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), SCHEMA)
    writer = ix.writer()
    written = 0
    for row in rows:
        writer.add_document(**row)
        written += 1
    writer.commit()
    return written


class RawWhoosh:
    """Plain Whoosh search on an index folder: the stock parser, filters as Term and
    NumericRange queries, stored fields of the top hits."""

    def __init__(self, path: Path):
        self.ix = whoosh_index.open_dir(str(path))
        self.searcher = self.ix.searcher()
        self.parser = qparser.MultifieldParser(SEARCH_FIELDS, self.ix.schema)

    def filter_of(self, query: BenchQuery) -> Query | None:
        parts: list[Query] = [
            Or([Term(name, facet_value(value)) for value in values])
            for name, values in query.facet_terms().items()
        ]
        if query.year_to is not None:
            parts.append(NumericRange("year_from", None, query.year_to))
        if query.year_from is not None:
            parts.append(NumericRange("year_to", query.year_from, None))
        return And(parts) if parts else None

    def search(self, query: BenchQuery) -> list[dict]:
        text = query.text()
        parsed = self.parser.parse(text) if text else Every()
        results = self.searcher.search(parsed, filter=self.filter_of(query), limit=LIMIT)
        return [hit.fields() for hit in results]

    def close(self) -> None:
        self.searcher.close()


class Tantivy:
    """The same sections in tantivy: text fields with its default tokeniser, facets as
    raw (untokenised) lower-cased values, years as fast integer fields."""

    def __init__(self, path: Path):
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("section_id", stored=True, tokenizer_name="raw")
        for name in TEXT_FIELDS:
            builder.add_text_field(name, stored=name != "heading")
        for name in FACET_FIELDS:
            builder.add_text_field(name, stored=True, tokenizer_name="raw")
        for name in ("year_from", "year_to"):
            builder.add_integer_field(name, stored=True, indexed=True, fast=True)
        self.schema = builder.build()
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path))
        self.searcher: tantivy.Searcher | None = None

    def write(self, rows: Iterable[dict]) -> int:
        # One indexing thread, as the Whoosh writer has one.
        writer = self.index.writer(heap_size=256_000_000, num_threads=1)
        written = 0
        for row in rows:
            document = tantivy.Document()
            document.add_text("section_id", row["section_id"])
            for name in TEXT_FIELDS:
                document.add_text(name, row.get(name, ""))
            for name in FACET_FIELDS:
                for value in split_facet(row.get(name)):
                    document.add_text(name, facet_value(value))
            for name in ("year_from", "year_to"):
                if row.get(name) is not None:
                    document.add_integer(name, row[name])
            writer.add_document(document)
            written += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        return written

    def query_of(self, query: BenchQuery) -> tantivy.Query:
        return tantivy_query(self.schema, query, TEXT_FIELDS, lambda word: word)

    def search(self, query: BenchQuery) -> list[dict]:
        assert self.searcher is not None, "write() first"
        found = self.searcher.search(self.query_of(query), LIMIT)
        return [self.searcher.doc(address).to_dict() for _, address in found.hits]


def tantivy_query(
    schema: tantivy.Schema,
    query: BenchQuery,
    text_fields: tuple[str, ...],
    term: Callable[[str], str | None],
) -> tantivy.Query:
    """`query` in plain tantivy queries: each word or phrase (its words as `term` gives
    the indexed terms) in any of `text_fields`, every part required; facets as raw
    terms, years as integer ranges."""
    must = tantivy.Occur.Must
    should = tantivy.Occur.Should
    clauses = []
    for part in query.parts:
        terms = [found for word in part if (found := term(word)) is not None]
        if len(terms) == 1:
            alternatives = [tantivy.Query.term_query(schema, f, terms[0]) for f in text_fields]
        else:
            alternatives = [tantivy.Query.phrase_query(schema, f, terms) for f in text_fields]
        clauses.append((must, tantivy.Query.boolean_query([(should, a) for a in alternatives])))
    for name, values in query.facet_terms().items():
        alternatives = [tantivy.Query.term_query(schema, name, facet_value(v)) for v in values]
        clauses.append((must, tantivy.Query.boolean_query([(should, a) for a in alternatives])))
    integer = tantivy.FieldType.Integer
    if query.year_to is not None:
        ending = tantivy.Query.range_query(schema, "year_from", integer, None, query.year_to)
        clauses.append((must, ending))
    if query.year_from is not None:
        starting = tantivy.Query.range_query(schema, "year_to", integer, query.year_from, None)
        clauses.append((must, starting))
    if not clauses:
        return tantivy.Query.all_query()
    return tantivy.Query.boolean_query(clauses)


class RawTantivy:
    """Plain tantivy search on the product's tantivy index folder: the query's words
    turned into the terms the index holds (the product's analyzer, `term_of`, as
    RawWhoosh's parser uses the schema's), tantivy term, phrase and range queries, and
    the stored fields of the top hits: the ceiling the product's search can reach on
    this engine."""

    def __init__(self, path: Path):
        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def search(self, query: BenchQuery) -> list[dict]:
        tantivy_query_ = tantivy_query(self.schema, query, PRODUCT_TEXT_FIELDS, term_of)
        found = self.searcher.search(tantivy_query_, LIMIT)
        return [
            json.loads(bytes(self.searcher.doc(address).get_first(STORED) or b"{}"))
            for _, address in found.hits
        ]


class Fts5:
    """The same sections in SQLite FTS5 (unicode61 tokeniser, bm25 ranking), with the
    facets and years in ordinary indexed tables beside it."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path)
        self.connection.executescript(
            """
            CREATE VIRTUAL TABLE fts USING fts5(
                title, heading, text, tokenize = 'unicode61 remove_diacritics 2');
            CREATE TABLE meta(rowid INTEGER PRIMARY KEY, section_id TEXT,
                year_from INTEGER, year_to INTEGER);
            CREATE TABLE facets(name TEXT, value TEXT, rowid INTEGER);
            """
        )

    def write(self, rows: Iterable[dict]) -> int:
        written = 0
        with self.connection:
            for rowid, row in enumerate(rows, start=1):
                self.connection.execute(
                    "INSERT INTO fts(rowid, title, heading, text) VALUES (?, ?, ?, ?)",
                    (rowid, row.get("title", ""), row.get("heading", ""), row.get("text", "")),
                )
                self.connection.execute(
                    "INSERT INTO meta VALUES (?, ?, ?, ?)",
                    (rowid, row["section_id"], row.get("year_from"), row.get("year_to")),
                )
                self.connection.executemany(
                    "INSERT INTO facets VALUES (?, ?, ?)",
                    [
                        (name, facet_value(value), rowid)
                        for name in FACET_FIELDS
                        for value in split_facet(row.get(name))
                    ],
                )
                written += 1
            self.connection.execute("CREATE INDEX facets_value ON facets(name, value, rowid)")
            self.connection.execute("CREATE INDEX meta_years ON meta(year_from, year_to)")
        return written

    def search(self, query: BenchQuery) -> list[tuple]:
        conditions, arguments = [], []
        for name, values in query.facet_terms().items():
            marks = ", ".join("?" * len(values))
            conditions.append(
                f"fts.rowid IN (SELECT rowid FROM facets WHERE name = ? AND value IN ({marks}))"
            )
            arguments += [name, *(facet_value(v) for v in values)]
        if query.year_to is not None:
            conditions.append("fts.rowid IN (SELECT rowid FROM meta WHERE year_from <= ?)")
            arguments.append(query.year_to)
        if query.year_from is not None:
            conditions.append("fts.rowid IN (SELECT rowid FROM meta WHERE year_to >= ?)")
            arguments.append(query.year_from)
        columns = "SELECT fts.rowid, fts.title, fts.text FROM fts"
        if query.parts:
            match = " AND ".join('"' + " ".join(part) + '"' for part in query.parts)
            where = " AND ".join(["fts MATCH ?", *conditions])
            sql = f"{columns} WHERE {where} ORDER BY rank LIMIT {LIMIT}"
            arguments.insert(0, match)
        else:
            sql = f"{columns} WHERE {' AND '.join(conditions)} LIMIT {LIMIT}"
        return self.connection.execute(sql, arguments).fetchall()

    def close(self) -> None:
        self.connection.close()
