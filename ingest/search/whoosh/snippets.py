"""Snippets: a section's text with the query's matched words between « and », cut
around them.  Works on a hit's stored text, so another engine can reuse it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from whoosh import highlight
from whoosh.analysis import Token
from whoosh.query import Not, Phrase, Query, Term

from ingest.search.whoosh.schema import (
    TOKEN_PATTERN,
    term_of,
)

SNIPPET_CHARS = 200
SNIPPET_FRAGMENTS = 2
# A section this short is shown whole rather than cut around its matches.
WHOLE_TEXT_CHARS = 300

NOT_SHOWN = str.maketrans({"«": '"', "»": '"'})
JOINED_MARKS = re.compile(r"»(\s+)«")
WORD = re.compile(r"\w")
TOKEN = re.compile(TOKEN_PATTERN)


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
# The tokens either side of a match that can change the fragmenter's fragments: a
# fragment ends within 2 * surround characters of its last match, so tokens (a character
# each at least) past that are outside every fragment; and before a match, the context
# it reaches back for is within surround characters, so tokens before that have left
# the fragmenter's memory by the time it meets the match.  Tokens farther from every
# match are not given to it: its fragments are the same.
CONTEXT_TOKENS = 2 * FRAGMENTER.surround + 2
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
    terms = list(map(term_of, TOKEN.findall(text, 0, FRAGMENTER.charlimit)))
    # Many texts shown hold no word to mark (found by their title or heading): known
    # from the terms alone, before the tokens' places are read.
    present = set(terms)
    if marks.words.isdisjoint(present) and not any(
        present.issuperset(phrase) for phrase in marks.phrases
    ):
        return ""
    tokens = [
        (*match.span(), term)
        for match, term in zip(TOKEN.finditer(text, 0, FRAGMENTER.charlimit), terms, strict=True)
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
    near = bytearray(len(tokens))
    for first, last in last_of.items():
        low, high = max(first - CONTEXT_TOKENS, 0), min(last + CONTEXT_TOKENS + 1, len(tokens))
        near[low:high] = b"\1" * (high - low)

    def marked() -> Iterator[Token]:
        token = Token(chars=True)
        i = 0
        while i < len(tokens):
            if not near[i]:
                i += 1
                continue
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
