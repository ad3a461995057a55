"""The query language of `ingest.search.backend.SearchBackend`, read into a Whoosh query.

A query with quotes, AND, OR, NOT or brackets is read strictly by Whoosh's parser
(every word required); any other query is ranked by `ingest.search.whoosh.natural`.
`clean_query` (control characters, quotes, brackets, dangling operators) reads no
index, so another engine can reuse it.
"""

from __future__ import annotations

import re
import unicodedata

from whoosh import qparser
from whoosh.query import And, Not, NullQuery, Query

from ingest.errors import QueryError
from ingest.search.whoosh.natural import Alternative, is_natural, natural_query
from ingest.search.whoosh.schema import (
    MAX_TERM_CHARS,
    SCHEMA,
    SEARCH_FIELDS,
    TOKEN_PATTERN,
    term_of,
)

MAX_QUERY_CHARS = 1000
MAX_DEPTH = 8

QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"', "‘": "'", "’": "'"}
)
PHRASE_OR_WORD = re.compile(r'"[^"]*"|[^\s"]+')
OPERATORS = ("AND", "OR", "NOT")
WORD = re.compile(r"\w")
TOKEN = re.compile(TOKEN_PATTERN)


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
    if is_natural(cleaned):
        natural = natural_query(cleaned)
        if natural is None:
            raise QueryError(
                f"nothing to search for: words over {MAX_TERM_CHARS} characters are not indexed"
            )
        return natural.query
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


def synonyms_searched(text: str) -> list[Alternative]:
    """The other names a query also searched (models/search/synonyms.json)."""
    cleaned = clean_query(text if isinstance(text, str) else "")
    natural = natural_query(cleaned) if is_natural(cleaned) else None
    return natural.alternatives if natural else []


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
