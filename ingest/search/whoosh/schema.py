"""The one Whoosh schema and analyzer: ingest writes with it, search reads with it.

Text fields (text, heading, title) are matched the same way at index and query time:

- case, accents, ligatures and punctuation do not matter ("Spot It, Stop It" =
  "spot it stop it");
- every word counts, however short: no stop list, so "it" is searchable and phrases
  are exact, and codes keep their digits ("J9" -> "j9", "SOS+" -> "sos");
- possessives and apostrophes fold ("Women's" = "womens" = "women");
- words are stemmed by Porter2 (Snowball English): "partnerships" meets
  "partnership", "exploited" meets "exploitation", while "communication" and
  "community" stay apart.  Short codes are kept whole: words of three letters or
  fewer and words with digits are never stemmed ("DA", "ASB", "IOM", "J9"), and a
  plural code loses only its "s" ("CSPs" -> "csp", "PCSOs" -> "pcso").

Facet fields (districts, doc_type, county, and the canonical initiatives, partners and
themes a section names) hold whole values, one per line, matched
exactly after lower-casing, so an area named "Bournemouth, Christchurch and Poole"
stays one value.  Year and page fields are left out of a document that has none, so
range filters never match it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from whoosh import fields
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StripFilter, Token
from whoosh.lang import porter2
from whoosh.support.charset import accent_map

from ingest.errors import SchemaMismatch

# Bump whenever a field, the analyzer or what is written into a field changes: an index
# built with another version must be rebuilt, not silently half-read.
SCHEMA_VERSION = 5
MARKER_PREFIX = "csp_schema_v"
# Longer "words" are extraction debris (run-together URLs, base64); they are not indexed.
MAX_TERM_CHARS = 64
FACET_SEPARATOR = "\n"

# A code's plural as written ("CSPs", "PCSOs", "VRUs"), and a plural without a vowel
# before its "s" as typed in lower case ("csps", "pccs"): Porter2 would keep the "s".
CODE_PLURAL = re.compile(r"[A-Z][A-Z0-9]+s")
VOWELLESS_PLURAL = re.compile(r"[^aeiouy\W]{3,}s")


def stem(term: str, written: str = "") -> str:
    """The stem of one folded, lower-cased word; `written` is the word as it was typed,
    so that a plural code ("PCSOs") is kept whole without its "s"."""
    if CODE_PLURAL.fullmatch(written) or VOWELLESS_PLURAL.fullmatch(term):
        return term[:-1]
    if len(term) <= 3 or any(char.isdigit() for char in term):
        return term
    return porter2.stem(term)


# Accents, plus the ligatures PDFs are full of ("ﬁ" -> "fi").
FOLDING = accent_map | {
    code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)
}
TOKEN_PATTERN = r"\w+(?:['’]\w+)*"
POSSESSIVE = re.compile(r"['’]s$")
APOSTROPHE = re.compile(r"['’]")


@lru_cache(maxsize=200_000)
def term_of(word: str) -> str | None:
    """The indexed form of one token (TOKEN_PATTERN match), or None if it is not indexed."""
    term = APOSTROPHE.sub("", POSSESSIVE.sub("", word.translate(FOLDING).lower()))
    # No stop words: only over-long debris is dropped.
    if not term or len(term) > MAX_TERM_CHARS:
        return None
    return stem(term, word)


class TermFilter(Filter):
    """Each token to its `term_of`: one cached call per distinct word, which indexes
    several times faster than a chain of Whoosh filters doing the same."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            term = term_of(token.text)
            if term is None:
                # Like Whoosh's StopFilter (without renumbering): dropped when indexing
                # and querying, kept but flagged when highlighting, so a phrase never
                # matches across it.
                token.stopped = True
                if token.removestops:
                    continue
            else:
                token.stopped = False
                token.text = term
            yield token


ANALYZER = RegexTokenizer(TOKEN_PATTERN) | TermFilter()

FACET_ANALYZER = RegexTokenizer(r"[^\n]+") | StripFilter() | LowercaseFilter()


def text_field(*, stored: bool = False, field_boost: float = 1.0) -> fields.TEXT:
    # A query word that analyzes to several tokens ("Spot-It", "2019/20", "x:y") is
    # searched as a phrase of them, not as unrelated words.
    return fields.TEXT(
        analyzer=ANALYZER,
        stored=stored,
        phrase=True,
        field_boost=field_boost,
        multitoken_query="phrase",
    )


def facet_field() -> fields.KEYWORD:
    """Whole values, one per line, lower-cased for matching; stored as written."""
    field = fields.KEYWORD(stored=True, scorable=False)
    field.analyzer = FACET_ANALYZER
    return field


def facet_value(value: str) -> str:
    """One facet value as it is indexed, for building filter terms."""
    return " ".join(value.split()).lower()


def join_facet(values: Iterable[str]) -> str:
    """Values for one facet field, in the form the facet analyzer splits ("" for none)."""
    return FACET_SEPARATOR.join(cleaned for value in values if (cleaned := " ".join(value.split())))


def split_facet(stored: str | None) -> list[str]:
    """The values `join_facet` joined, as written."""
    return [value for value in (stored or "").split(FACET_SEPARATOR) if value]


def build_schema() -> fields.Schema:
    return fields.Schema(
        section_id=fields.ID(stored=True, unique=True),
        doc_id=fields.ID(stored=True),
        cluster_id=fields.ID(stored=True),
        title=text_field(stored=True),
        source=fields.STORED(),
        doc_type=facet_field(),
        districts=facet_field(),
        county=facet_field(),
        initiatives=facet_field(),
        partners=facet_field(),
        themes=facet_field(),
        year_from=fields.NUMERIC(int, bits=32, stored=True),
        year_to=fields.NUMERIC(int, bits=32, stored=True),
        heading_path=fields.STORED(),  # JSON list
        heading=text_field(field_boost=1.5),
        page_start=fields.NUMERIC(int, bits=32, stored=True),
        page_end=fields.NUMERIC(int, bits=32, stored=True),
        text=text_field(stored=True),
        period=fields.STORED(),
        date=fields.STORED(),  # the document's: the day it was published or its meeting held
        # Never written: its name records the schema version in the index's own table of
        # contents, so the version travels with the index and cannot get out of step.
        **{f"{MARKER_PREFIX}{SCHEMA_VERSION}": fields.STORED()},
    )


SCHEMA = build_schema()
SEARCH_FIELDS = ["text", "heading", "title"]


def check_schema(found: fields.Schema, path: Path) -> None:
    """Raise SchemaMismatch unless `found` (an index's schema) is this version's schema."""
    markers = [name for name in found.names() if name.startswith(MARKER_PREFIX)]
    version = markers[0][len(MARKER_PREFIX) :] if len(markers) == 1 else "unknown (older)"
    same_fields = {name: type(found[name]) for name in found.names()} == {
        name: type(SCHEMA[name]) for name in SCHEMA.names()
    }
    if version != str(SCHEMA_VERSION) or not same_fields:
        raise SchemaMismatch(rebuild_message(path, version))


def rebuild_message(path: Path, version: str) -> str:
    return (
        f"the search index at {path} was built with schema version {version}, but this "
        f"CSP Search needs version {SCHEMA_VERSION}: rebuild it by deleting that folder and "
        "running `csp ingest --force` on your documents"
    )
