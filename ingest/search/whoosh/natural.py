"""A query typed as people type it, without quotes, AND, OR, NOT or brackets: every
word is preferred, none is required (unless written ``+word``).

- stop and question words, and frame phrases such as "other CSPs"
  (models/search/stop_words.txt), cost nothing: "what did other CSPs do on street
  pastors" ranks by "street" and "pastors"; a query of stop words alone searches them
  all;
- each remaining word scores BM25 by its best field of text, heading path and title,
  and a section matching more of them ranks higher: its score (every clause below
  included) is scaled by the share of the query's words it holds, each word weighing
  its rarity (idf), so a section missing a rare word loses more than one missing a
  word most sections hold ("community safety" in a CSP's papers), and one holding all
  but one of six words is not buried under one holding all of three;
- a word also finds its other forms that Porter2 keeps apart (models/search/
  word_forms.json: "merging" and "mergers", "children" and "child"), as the same word
  at that file's weight;
- a word the index does not hold at all also finds the index's words an edit or two
  from it ("knif": "knife"), at a lower weight;
- where the query's words stand together in a section, as typed (stop words included:
  "Spot It Stop It"), the phrase scores again, boosted, and so does each pair of
  neighbouring words;
- a heading that names every word scores again;
- a word or words naming one member of a synonym group (models/search/synonyms.json)
  also find the group's other names, at the file's weight, and words naming a domain
  concept or a kind of one (models/search/concepts.json: "burglary" is a kind of
  "acquisitive crime") find its other names, its broader names or its kinds, at that
  file's weights (less for a name longer than the words typed).

The weights are data, in models/search/ranking.json (`vocabulary.ranking`).  Each
extra clause only scores sections the words already match; the share of words
is read from the words' own matchers as Whoosh scores each match, and blocks of
matches that cannot reach the first results are skipped unread.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from math import log
from weakref import WeakKeyDictionary

from whoosh.matching import DisjunctionMaxMatcher, Matcher, NullMatcher
from whoosh.query import And, AndMaybe, DisjunctionMax, FuzzyTerm, Or, Phrase, Query, Term
from whoosh.searching import Searcher

from ingest.search.vocabulary import concepts, ranking, stop_words, synonyms, word_forms
from ingest.search.whoosh.schema import SEARCH_FIELDS, TOKEN_PATTERN, term_of

TOKEN = re.compile(TOKEN_PATTERN)
NOT_LETTERS = re.compile(r"[\W_]+")

# Where words standing together are looked for: positions are read in Python, so
# pairs only in the text, and the whole query not in the title (which every section
# of a document repeats).
PHRASE_FIELDS = ["text", "heading"]
PAIR_FIELDS = ["text"]


@dataclass
class Unit:
    """One whitespace-separated piece of the query and its indexed terms (several
    for "Spot-It" or "2019/20", searched as a phrase)."""

    terms: tuple[str, ...]
    start: int  # position of its first term in the query's term sequence
    required: bool
    stop: bool


@dataclass(frozen=True)
class Alternative:
    """Another name of something the query names, searched at `weight` times the
    score of the words typed (a synonym's, or a concept's relation's)."""

    name: str
    terms: tuple[str, ...]
    weight: float
    # The same name written apart, hyphenated or together ("re-offending"), searched
    # as the words typed.
    spelling: bool = False


@dataclass
class SynonymMatch:
    units: list[Unit]
    alternatives: list[Alternative]


@dataclass
class NaturalQuery:
    query: Query
    alternatives: list[Alternative] = field(default_factory=list)


def is_natural(cleaned: str) -> bool:
    """True for a cleaned query (`ingest.search.whoosh.query.clean_query`) without
    quotes, capitalised operators or brackets."""
    return '"' not in cleaned and not any(
        token in ("AND", "OR", "NOT", "(", ")") for token in cleaned.split()
    )


def terms_of(text: str) -> tuple[str, ...]:
    return tuple(term for word in TOKEN.findall(text) if (term := term_of(word)))


# What a query asks of the whole index, kept for as long as its searcher lives: Whoosh
# builds a query's matchers once per segment, and looking a word up in every segment
# for every segment cost more than scoring the matches.
_CONCEPT_WEIGHTS: WeakKeyDictionary[Searcher, dict[Coordinated, list[float]]] = WeakKeyDictionary()
_HELD_WORDS: WeakKeyDictionary[Searcher, dict[str, bool]] = WeakKeyDictionary()


def held_anywhere(searcher: Searcher, term: str) -> bool:
    """True if any field of any segment of the index holds `term`."""
    top = searcher.get_parent()
    held = _HELD_WORDS.setdefault(top, {})
    if term not in held:
        held[term] = any(top.doc_frequency(name, term) for name in SEARCH_FIELDS)
    return held[term]


class BestFieldMatcher(DisjunctionMaxMatcher):
    """Whoosh's DisjunctionMaxMatcher, corrected: it scores the current document with
    both sub-matchers even when one stands on a later document, and drops both when
    one runs out while skipping by quality."""

    def score(self) -> float:
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        if a.id() != b.id():
            return a.score() if a.id() < b.id() else b.score()
        return max(a.score(), b.score())

    def replace(self, minquality=0):
        a, b = self.a.replace(minquality), self.b.replace(minquality)
        if not a.is_active():
            return b
        if not b.is_active():
            return a
        if a is not self.a or b is not self.b:
            return self.__class__(a, b)
        return self


class BestField(DisjunctionMax):
    """The best-scoring of its subqueries (a word in the text, heading or title)."""

    def _matcher(self, subs, searcher, context):
        # A balanced tree, not one ordered by each part's estimated size: estimating
        # looks every word form up once more in every segment.
        return self._tree_matcher(subs, BestFieldMatcher, searcher, context, None)


class CoordinatedMatcher(Matcher):
    """The sections any concept matches, scored by the concepts' and the extras' sum
    times the share of the concepts' weight the section holds, to the ranking's
    coordination power.

    It bounds its blocks' scores as Whoosh's union does (the share never exceeds the
    share of the concepts not yet run out), so a top-N search skips the blocks that
    cannot reach the page instead of scoring every match."""

    def __init__(
        self,
        concepts: list[Matcher],
        weights: list[float],
        extras: Matcher,
        extras_best: float | None = None,
    ):
        self.power = ranking().coordination_power
        self.concepts = concepts
        self.weights = weights
        self.total = sum(weights) or 1.0
        self.extras = extras
        self.extras_best = (
            (extras.max_quality() if extras.is_active() else 0.0)
            if extras_best is None
            else extras_best
        )
        self._id = self._first()

    def _first(self) -> int | None:
        return min((m.id() for m in self.concepts if m.is_active()), default=None)

    def is_active(self) -> bool:
        return self._id is not None

    def id(self) -> int:
        assert self._id is not None
        return self._id

    def reset(self) -> None:
        for matcher in (*self.concepts, self.extras):
            matcher.reset()
        self._id = self._first()

    def copy(self) -> CoordinatedMatcher:
        return CoordinatedMatcher(
            [m.copy() for m in self.concepts], self.weights, self.extras.copy(), self.extras_best
        )

    def replace(self, minquality=0) -> Matcher:
        if not self.is_active() or (minquality and self.max_quality() < minquality):
            return NullMatcher()
        # Each concept drops its own run-out parts; none may drop matches, since a
        # section's share needs every concept it holds.
        concepts = [m.replace(0) if m.is_active() else m for m in self.concepts]
        if all(new is old for new, old in zip(concepts, self.concepts, strict=True)):
            return self
        return CoordinatedMatcher(concepts, self.weights, self.extras, self.extras_best)

    def children(self) -> list[Matcher]:
        return [*self.concepts, self.extras]

    def depth(self) -> int:
        return 1 + max(m.depth() for m in self.children())

    def next(self) -> bool:
        new_block = False
        for matcher in self.concepts:
            if matcher.is_active() and matcher.id() == self._id:
                new_block = bool(matcher.next()) or new_block
        self._id = self._first()
        return new_block

    def skip_to(self, target: int) -> None:
        for matcher in self.concepts:
            if matcher.is_active() and matcher.id() < target:
                matcher.skip_to(target)
        self._id = self._first()

    def _active_share(self) -> float:
        held = sum(w for m, w in zip(self.concepts, self.weights, strict=True) if m.is_active())
        return float((held / self.total) ** self.power)

    def max_quality(self) -> float:
        active = [m.max_quality() for m in self.concepts if m.is_active()]
        return (sum(active) + self.extras_best) * self._active_share()

    def supports_block_quality(self) -> bool:
        return all(m.supports_block_quality() for m in self.concepts if m.is_active())

    def block_quality(self) -> float:
        active = [m.block_quality() for m in self.concepts if m.is_active()]
        return (sum(active) + self.extras_best) * self._active_share()

    def skip_to_quality(self, minquality: float) -> int:
        """Skips blocks, the weakest concept's first, while the current blocks together
        cannot score above `minquality` (Whoosh's union, for any number of parts)."""
        skipped = 0
        while self._id is not None:
            share = self._active_share()
            if share <= 0:
                break
            qualities = [(m.block_quality(), m) for m in self.concepts if m.is_active()]
            needed = minquality / share - self.extras_best
            whole = sum(quality for quality, _ in qualities)
            if whole > needed:
                break
            quality, weakest = min(qualities, key=lambda pair: pair[0])
            moved = weakest.skip_to_quality(needed - (whole - quality)) or 0
            self._id = self._first()
            if not moved:
                break
            skipped += moved
        return skipped

    def score(self) -> float:
        current = self._id
        total = held = 0.0
        for matcher, weight in zip(self.concepts, self.weights, strict=True):
            if matcher.is_active() and matcher.id() == current:
                total += matcher.score()
                held += weight
        extras = self.extras
        if extras.is_active() and extras.id() < current:
            extras.skip_to(current)
        if extras.is_active() and extras.id() == current:
            total += extras.score()
        return total * (held / self.total) ** self.power


class Coordinated(Query):
    """One clause per concept of the query (a word, or a word and its synonyms) and
    extras that only score what the concepts match (phrases, headings); see
    `CoordinatedMatcher`.  A concept weighs its idf, from the estimated matches of its
    words as typed (`rarity`, one query per concept; the concept itself if not given):
    a word's other names and kinds widen what it finds, not how rare it is."""

    def __init__(
        self,
        concepts: list[Query],
        extras: list[Query],
        boost: float = 1.0,
        rarity: list[Query] | None = None,
    ):
        self.concepts = concepts
        self.extras = extras
        self.boost = boost
        self.rarity = concepts if rarity is None else rarity

    def __repr__(self) -> str:
        return f"Coordinated({self.concepts!r}, {self.extras!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Coordinated)
            and self.concepts == other.concepts
            and self.extras == other.extras
            and self.rarity == other.rarity
        )

    def __hash__(self) -> int:
        return hash((tuple(self.concepts), tuple(self.extras), tuple(self.rarity)))

    def is_leaf(self) -> bool:
        return False

    def children(self):
        return iter([*self.concepts, *self.extras])

    def apply(self, fn):
        return Coordinated(
            [fn(q) for q in self.concepts],
            [fn(q) for q in self.extras],
            rarity=[fn(q) for q in self.rarity],
        )

    def normalize(self) -> Query:
        return Coordinated(
            [q.normalize() for q in self.concepts],
            [q.normalize() for q in self.extras],
            rarity=[q.normalize() for q in self.rarity],
        )

    def estimate_size(self, ixreader) -> int:
        return sum(q.estimate_size(ixreader) for q in self.concepts)

    def weights(self, searcher: Searcher) -> list[float]:
        """Each concept's idf in the whole index, once per searcher."""
        top = searcher.get_parent()
        known = _CONCEPT_WEIGHTS.setdefault(top, {})
        if self not in known:
            reader = top.reader()
            sections = max(reader.doc_count_all(), 1)
            known[self] = [log(1 + sections / (q.estimate_size(reader) + 1)) for q in self.rarity]
        return known[self]

    def matcher(self, searcher, context=None) -> Matcher:
        weights = self.weights(searcher)
        concepts = [q.matcher(searcher, context) for q in self.concepts]
        extras = Or(self.extras).matcher(searcher, context) if self.extras else NullMatcher()
        return CoordinatedMatcher(concepts, weights, extras)


class OtherForms(BestField):
    """A word's other forms (`other_forms`), the best of them: only those the index
    holds are searched, since most candidate forms are no words at all."""

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        held = [q for q in self.subqueries if (q.fieldname, q.text) in reader]
        if not held:
            return NullMatcher()
        return BestField(held, boost=self.boost).matcher(searcher, context)


class Misspelt(FuzzyTerm):
    """The words of the index within an edit or two of a query word the index does not
    hold at all ("knif": "knife"); nothing for a word it holds."""

    def estimate_size(self, ixreader) -> int:
        # Whoosh orders a query's parts by their estimated sizes; a fuzzy term's estimate
        # walks the whole vocabulary, for a word that is almost always known.
        return 0

    def matcher(self, searcher, context=None):
        if held_anywhere(searcher, self.text):
            return NullMatcher()
        return super().matcher(searcher, context)


def misspelt(term: str, name: str) -> list[Query]:
    """Within one edit (two from the ranking's length), at its fuzzy weight; shorter
    words are codes or too ambiguous."""
    weights = ranking()
    if len(term) < weights.min_fuzzy_chars or any(char.isdigit() for char in term):
        return []
    edits = 1 if len(term) < weights.two_edits_chars else 2
    boost = weights.fuzzy_weight * field_weight(name)
    return [Misspelt(name, term, boost, edits, prefixlength=1, constantscore=False)]


def field_weight(name: str) -> float:
    return ranking().field_weights.get(name, 1.0)


@lru_cache(maxsize=1)
def family_terms() -> list[frozenset[str]]:
    """word_forms.json's irregular families, each as its indexed terms."""
    return [
        frozenset(term for word in family for term in terms_of(word))
        for family in word_forms().families
    ]


@lru_cache(maxsize=4096)
def other_forms(term: str) -> tuple[str, ...]:
    """The indexed forms of the word `term` stems that Porter2 keeps apart: its irregular
    family, and its root with each derivational ending ("merg": "merger"; "merger":
    "merg").  Forms the index does not hold cost a lookup and match nothing.  Codes and
    short words have none."""
    forms = word_forms()
    if len(term) < forms.min_root or any(char.isdigit() for char in term):
        return ()
    found: set[str] = set()
    for family in family_terms():
        if term in family:
            found |= family
    root = next(
        (
            term[: -len(suffix)]
            for suffix in forms.suffixes
            if term.endswith(suffix) and len(term) - len(suffix) >= forms.min_root
        ),
        term,
    )
    found.add(root)
    found.update(root + suffix for suffix in forms.suffixes)
    found.discard(term)
    return tuple(sorted(found))


def on_fields(
    terms: tuple[str, ...],
    boost: float = 1.0,
    slop: int = 1,
    names: list[str] = SEARCH_FIELDS,
    forms: bool = True,
) -> Query:
    """The terms (one word, or a phrase) in the text, the heading path or the title; a
    word with its other forms unless `forms` is False (a "+word" is the word as typed)."""
    if len(terms) == 1:
        parts: list[Query] = [Term(name, terms[0], boost=field_weight(name)) for name in names]
        if forms and (found := other_forms(terms[0])):
            weight = word_forms().weight
            parts.append(
                OtherForms(
                    [
                        Term(name, form, boost=weight * field_weight(name))
                        for form in found
                        for name in names
                    ]
                )
            )
        parts += [near for name in names for near in misspelt(terms[0], name)]
    else:
        parts = [Phrase(name, list(terms), slop=slop, boost=field_weight(name)) for name in names]
    # The best field's score, not their sum: a common word in the title of every
    # section of a document would otherwise outweigh a rare one in the text.
    return BestField(parts, boost=boost)


def units_of(cleaned: str) -> tuple[list[Unit], list[str]]:
    """The query's units and its whole term sequence, stop words marked."""
    units: list[Unit] = []
    sequence: list[str] = []
    stops = stop_words()
    for chunk in cleaned.split():
        required = chunk.startswith("+")
        words = TOKEN.findall(chunk)
        terms = tuple(term for word in words if (term := term_of(word)))
        if not terms:
            continue
        stop = not required and len(words) == 1 and words[0].lower() in stops
        units.append(Unit(terms, len(sequence), required, stop))
        sequence.extend(terms)
    for phrase in stop_phrases():
        size = len(phrase)
        for start in range(len(units) - size + 1):
            run = units[start : start + size]
            if tuple(unit.terms for unit in run) == phrase:
                for unit in run:
                    unit.stop = unit.stop or not unit.required
    if all(unit.stop for unit in units):
        for unit in units:
            unit.stop = False
    return units, sequence


@lru_cache(maxsize=1)
def stop_phrases() -> list[tuple[tuple[str, ...], ...]]:
    """The stop list's phrases ("other CSPs"), each word as its terms."""
    return [
        tuple(terms_of(word) for word in entry.split()) for entry in stop_words() if " " in entry
    ]


def same_letters(name: str, other: str) -> bool:
    """True for one name written apart, hyphenated or together ("Pub Watch", "Pubwatch")."""
    return NOT_LETTERS.sub("", name.lower()) == NOT_LETTERS.sub("", other.lower())


@lru_cache(maxsize=1)
def expansions() -> dict[tuple[str, ...], tuple[Alternative, ...]]:
    """For each name a query may hold (as its terms), the other names it also finds,
    each at its share of the typed words' score: its synonym group's other names
    (synonyms.json), and its concepts' other names, broader names or narrower terms
    (concepts.json); the highest share where several of these give one name."""
    found: dict[tuple[str, ...], dict[tuple[str, ...], Alternative]] = defaultdict(dict)

    def relate(sources: tuple[str, ...], targets: tuple[str, ...], weight: float) -> None:
        for source in sources:
            terms = terms_of(source)
            for name in targets:
                target = terms_of(name)
                if not terms or not target or target == terms:
                    continue
                spelling = same_letters(source, name) or "".join(terms) == "".join(target)
                alternative = Alternative(name, target, 1.0 if spelling else weight, spelling)
                known = found[terms].get(target)
                if known is None or known.weight < alternative.weight:
                    found[terms][target] = alternative

    for group in synonyms().groups:
        relate(group, group, synonyms().weight)
    domain = concepts()
    for concept in domain.concepts:
        relate(concept.names, concept.names, domain.same)
        relate(concept.narrower, concept.names, domain.broader)
        relate(concept.names, concept.narrower, domain.narrower)
    return {terms: tuple(others.values()) for terms, others in found.items()}


def synonym_matches(content: list[Unit], sequence: list[str]) -> list[SynonymMatch]:
    """Names the query holds that have other names, longest first, each query word
    in at most one."""
    found: list[tuple[int, int, list[Alternative]]] = []
    for name, alternatives in expansions().items():
        size = len(name)
        for start in range(len(sequence) - size + 1):
            if tuple(sequence[start : start + size]) == name:
                found.append((start, start + size, list(alternatives)))
    matches: list[SynonymMatch] = []
    taken: set[int] = set()
    for start, end, others in sorted(found, key=lambda match: match[0] - match[1]):
        covered = [unit for unit in content if start <= unit.start < end]
        if covered and not taken.intersection(map(id, covered)):
            taken.update(map(id, covered))
            matches.append(SynonymMatch(covered, others))
    return matches


def names_found(alternatives: list[Alternative], texts: list[str]) -> list[str]:
    """The alternatives written in any of the texts (one hit's text, title, headings)."""
    if not alternatives:
        return []
    found: list[str] = []
    for text in texts:
        terms = terms_of(text)
        joined = f" {' '.join(terms)} "
        found += [
            alt.name
            for alt in alternatives
            if alt.name not in found and f" {' '.join(alt.terms)} " in joined
        ]
    return found


def other_names(match: SynonymMatch) -> Query:
    """The other names of what the query names, each at its weight, and less when it
    is longer than the words typed: a phrase adds up the weights of its words, so
    "domestic abuse" would otherwise outscore the "DA" typed."""
    typed = sum(len(unit.terms) for unit in match.units)
    return Or(
        [
            on_fields(
                alt.terms,
                boost=alt.weight if alt.spelling else alt.weight * min(1.0, typed / len(alt.terms)),
            )
            for alt in match.alternatives
        ]
    )


@lru_cache(maxsize=256)
def natural_query(cleaned: str) -> NaturalQuery | None:
    """The ranking query for a cleaned natural query; None if no word is indexed."""
    units, sequence = units_of(cleaned)
    if not units:
        return None
    content = [unit for unit in units if not unit.stop]
    matches = synonym_matches(content, sequence)
    match_of = {id(unit): match for match in matches for unit in match.units}

    concepts: list[Query] = []  # one per concept, scoring each of its words
    rarity: list[Query] = []  # one per concept, its words as typed
    required: list[Query] = []  # the concepts written "+word", as they must match
    done: set[int] = set()
    for unit in content:
        if id(unit) in done:
            continue
        match = match_of.get(id(unit))
        if match is None:
            concepts.append(on_fields(unit.terms, forms=not unit.required))
            rarity.append(concepts[-1])
            if unit.required:
                required.append(concepts[-1])
            continue
        done.update(map(id, match.units))
        typed = [on_fields(part.terms) for part in match.units]
        others = other_names(match)
        concepts.append(Or([*typed, others]))
        rarity.append(Or(typed))
        if any(part.required for part in match.units):
            required.append(Or([typed[0] if len(typed) == 1 else And(typed), others]))

    should: list[Query] = []
    weights = ranking()
    # Standing together means adjacent, in order (Whoosh's slop 1): "Spot it, Stop it",
    # not "Stop the Traffik ... It is".
    slop = weights.phrase_slop
    if len(content) > 1:
        should.append(on_fields(tuple(sequence), weights.phrase_boost, slop, PHRASE_FIELDS))
    if len(content) > 2:
        for first, second in pairwise(content):
            pair = tuple(sequence[first.start : second.start + len(second.terms)])
            should.append(on_fields(pair, weights.pair_boost, slop, names=PAIR_FIELDS))
    should.append(
        And(
            [Or([Term("heading", term) for term in unit.terms]) for unit in content],
            boost=weights.heading_boost,
        )
    )
    optional: Query = Coordinated(concepts, should, rarity=rarity)
    query = AndMaybe(And(required), optional) if required else optional
    alternatives = [alt for match in matches for alt in match.alternatives]
    return NaturalQuery(query.normalize(), alternatives)
