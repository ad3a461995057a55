"""Snippets: a section's text with the query's matched words between « and », cut
around them.  Works on a hit's stored text, so another engine can reuse it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
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
    if not marks.words and not marks.phrases:  # a query of filters only, or only NOTs
        return ""
    # The analyzer's own tokenizer and term function, without Whoosh's per-token overhead.
    terms = list(map(term_of, TOKEN.findall(text, 0, FRAGMENTER.charlimit)))
    # Many texts shown hold no word to mark (found by their title or heading): known
    # from the terms alone, before the tokens' places are read.
    present = set(terms)
    if marks.words.isdisjoint(present) and not any(
        present.issuperset(phrase) for phrase in marks.phrases
    ):
        return ""
    # Unindexed tokens stay in the list (as None), so a phrase is a run of consecutive tokens.
    last_of = {i: i for i, term in enumerate(terms) if term in marks.words}
    for phrase in marks.phrases:
        length = len(phrase)
        for i, term in enumerate(terms):
            if term == phrase[0] and tuple(terms[i : i + length]) == phrase:
                last_of[i] = max(last_of.get(i, i), i + length - 1)
    if not last_of:
        return ""
    near = bytearray(len(terms))
    for first, last in last_of.items():
        low, high = max(first - CONTEXT_TOKENS, 0), min(last + CONTEXT_TOKENS + 1, len(terms))
        near[low:high] = b"\1" * (high - low)
    places = list(TOKEN.finditer(text, 0, FRAGMENTER.charlimit))
    starts, ends = list(map(re.Match.start, places)), list(map(re.Match.end, places))
    runs = Runs(starts, ends, terms, last_of, near)
    if len(text) <= WHOLE_TEXT_CHARS:
        return FORMATTER.format([highlight.Fragment(text, runs.matched())])
    fragments = highlight.top_fragments(
        iter(runs.fragments(text)), SNIPPET_FRAGMENTS, FRAGMENT_SCORER, highlight.FIRST
    )
    return FORMATTER.format(fragments)


class Runs:
    """A text's tokens (their `starts` and `ends`) as the fragmenter is given them: each
    run of a phrase as one token (`last_of`: a matched run's first token to its last),
    and only the tokens within CONTEXT_TOKENS of a match (`near`)."""

    def __init__(
        self,
        starts: list[int],
        ends: list[int],
        terms: list[str | None],
        last_of: dict[int, int],
        near: bytearray,
    ):
        self.starts, self.ends, self.terms = starts, ends, terms
        self.last_of, self.near = last_of, near

    def spans(self) -> list[tuple[int, int, int, bool]]:
        """(first token, start, end, matched) of each token or run, in text order."""
        starts, ends, last_of, near = self.starts, self.ends, self.last_of, self.near
        spans = []
        i = 0
        while i < len(starts):
            if not near[i]:
                i += 1
                continue
            last = last_of.get(i, i)
            spans.append((i, starts[i], ends[last], i in last_of))
            i = last + 1
        return spans

    def token(self, i: int, start: int, end: int) -> Token:
        return Token(chars=True, startchar=start, endchar=end, text=self.terms[i], matched=True)

    def matched(self) -> list[Token]:
        return [self.token(i, start, end) for i, start, end, matched in self.spans() if matched]

    def fragments(self, text: str) -> list[highlight.Fragment]:
        """Whoosh's `ContextFragmenter.fragment_tokens` over these tokens: the same
        fragments, without a Token object for each token, and without walking the
        tokens between fragments one by one.  Between fragments a token only tells where
        the next fragment's context starts: the first token within `surround`
        characters of the token before its match (Whoosh's `firsts`), found by
        bisection.  (Its check of `charlimit` is left out: no token is found past it.)"""
        starts, ends, last_of, near = self.starts, self.ends, self.last_of, self.near
        maxchars, surround = FRAGMENTER.maxchars, FRAGMENTER.surround
        fragments: list[highlight.Fragment] = []
        at = 0
        for match in sorted(last_of):
            if match < at:  # inside a run or a fragment already made
                continue
            # Whoosh's `firsts` since the last fragment: the tokens within `surround`
            # characters of the end of the one before the match (none if it is the first).
            context = None
            if match > at:
                before = bisect_left(starts, ends[match - 1] - surround, at, match)
                context = starts[before] if before < match else None
            first: int | None = None
            countdown, length, endchar = -1, 0, 0
            tokens: list[Token] = []
            at = match
            # Inside a fragment: token by token, as Whoosh counts it down.
            while at < len(starts):
                if not near[at]:
                    at += 1
                    continue
                token, last = at, last_of.get(at, at)
                startchar, endchar = starts[token], ends[last]
                at = last + 1
                size = endchar - startchar
                if length + size > maxchars:
                    countdown = 0
                elif token in last_of:
                    countdown = surround
                    if first is None:
                        if context is not None:
                            first = context
                        else:
                            first = startchar
                            countdown += surround
                    tokens.append(self.token(token, startchar, endchar))
                length += size
                countdown -= size
                if countdown <= 0:
                    fragments.append(highlight.mkfrag(text, tokens, first, endchar))
                    if countdown < 0:
                        break
                    tokens, first, context, length = [], None, None, 0
            else:
                if tokens:
                    fragments.append(highlight.mkfrag(text, tokens, first, endchar))
        return fragments


def opening(text: str) -> str:
    """The first SNIPPET_CHARS or so of the text, cut at a space."""
    # No more words than characters shown are needed (each is one or more, and a space).
    words = text.split(None, SNIPPET_CHARS + 1)[: SNIPPET_CHARS + 1]
    flat = " ".join(words)
    if len(flat) <= SNIPPET_CHARS:
        return flat.translate(NOT_SHOWN)
    cut = flat.rfind(" ", 0, SNIPPET_CHARS)
    return flat[: cut if cut > SNIPPET_CHARS // 2 else SNIPPET_CHARS].translate(NOT_SHOWN) + " …"
