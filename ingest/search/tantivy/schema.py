"""The tantivy schema, and a section as a tantivy document.

Words are analysed by the product's own analyzer (`ingest.search.whoosh.schema.ANALYZER`:
folding, short codes kept whole, Porter2) and handed to tantivy pre-tokenized, with
their positions and offsets, so both engines hold the same terms at the same positions
and one parse tree (`ingest.search.whoosh.query.parse_query`) serves both.  Facet
values are indexed lower-cased, whole, as fast fields for counting; years and pages are
fast integers.  What a hit shows is stored once, as the JSON of the fields Whoosh stores
(`ingest.search.whoosh.index.section_fields`), so `csp check` digests them identically.
"""

from __future__ import annotations

import hashlib
import json

import tantivy

from ingest.search.whoosh.schema import ANALYZER, facet_value, split_facet

# Bump whenever a field, or what is written into one, changes: an index built with
# another version must be rebuilt (the Whoosh index's SCHEMA_VERSION is its own).
TANTIVY_SCHEMA_VERSION = 2
VERSION_FILE = "csp_schema_version"

SEARCH_FIELDS = ("text", "heading", "title")
FACET_FIELDS = ("districts", "doc_type", "county", "initiatives", "partners", "themes")
NUMBER_FIELDS = ("year_from", "year_to", "page_start")
#: Fast integer keys of a section's document and near-duplicate cluster, for grouping
#: hits without reading their stored fields.
DOC_KEY = "doc_key"
CLUSTER_KEY = "cluster_key"
#: 1 for a section of a copy (a document whose cluster is another document's), else 0:
#: the clusters of several documents are those holding a copy's section.
COPY = "copy"
STORED = "stored"


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("section_id", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("doc_id", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("cluster_id", tokenizer_name="raw", index_option="basic")
    for name in SEARCH_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="position")
    for name in FACET_FIELDS:
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in (*NUMBER_FIELDS, DOC_KEY, CLUSTER_KEY, COPY):
        builder.add_integer_field(name, indexed=True, fast=True)
    builder.add_bytes_field(STORED, stored=True)
    return builder.build()


SCHEMA = build_schema()


def key_of(value: str) -> int:
    """A 64-bit integer naming a doc_id or cluster_id (collisions: about 2^-64 a pair)."""
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), signed=True)


def pre_tokenized(text: str) -> tantivy.PreTokenizedString:
    """`text` as the product's analyzer reads it: a dropped word leaves a gap in the
    positions, so a phrase never matches across it, as in Whoosh."""
    tokens = [
        tantivy.Token(token.text, token.pos, token.startchar, token.endchar)
        for token in ANALYZER(text, positions=True, chars=True)
    ]
    return tantivy.PreTokenizedString(text, tokens)


def tantivy_document(fields: dict) -> tantivy.Document:
    """The tantivy document of one section's fields (`section_fields`)."""
    document = tantivy.Document()
    for name in ("section_id", "doc_id", "cluster_id"):
        document.add_text(name, fields[name])
    document.add_integer(DOC_KEY, key_of(fields["doc_id"]))
    document.add_integer(CLUSTER_KEY, key_of(fields["cluster_id"]))
    document.add_integer(COPY, int(fields["cluster_id"] != fields["doc_id"]))
    for name in SEARCH_FIELDS:
        if fields.get(name):
            document.add_pre_tokenized_text(name, pre_tokenized(fields[name]))
    for name in FACET_FIELDS:
        for value in split_facet(fields.get(name)):
            document.add_text(name, facet_value(value))
    for name in NUMBER_FIELDS:
        if fields.get(name) is not None:
            document.add_integer(name, fields[name])
    document.add_bytes(STORED, json.dumps(fields, ensure_ascii=False).encode("utf-8"))
    return document


def stored_fields(document: tantivy.Document) -> dict:
    """The section fields a tantivy document was written from."""
    return json.loads(bytes(document.get_first(STORED) or b"{}"))
