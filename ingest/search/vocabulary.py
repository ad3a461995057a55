"""The words a query typed without operators treats specially, as data in models/search/:
the stop words that cost nothing, the groups of names that mean the same thing, the
domain's concepts with their kinds, the forms of one word that the index's stemmer
keeps apart, and the ranking's weights.

Engine-free, so every engine reads the same lists (its own term function turns them
into indexed terms).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.paths import MODELS_DIR

SEARCH_MODELS = MODELS_DIR / "search"
STOP_WORDS_FILE = SEARCH_MODELS / "stop_words.txt"
SYNONYMS_FILE = SEARCH_MODELS / "synonyms.json"
CONCEPTS_FILE = SEARCH_MODELS / "concepts.json"
WORD_FORMS_FILE = SEARCH_MODELS / "word_forms.json"
RANKING_FILE = SEARCH_MODELS / "ranking.json"


@dataclass(frozen=True)
class Synonyms:
    """Groups of names for one thing ("ASB", "anti-social behaviour"), and the share of
    a typed word's score a group's other names earn."""

    weight: float
    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Concept:
    """Names treated as the same thing in a search, and the kinds or parts of it."""

    names: tuple[str, ...]
    narrower: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concepts:
    """The domain's concepts, and the share of a typed word's score each relation
    earns: another name of the concept (`same`), the concept found from a narrower
    term typed (`broader`), a narrower term found from the concept typed (`narrower`)."""

    same: float
    broader: float
    narrower: float
    concepts: tuple[Concept, ...]


@dataclass(frozen=True)
class WordForms:
    """Derivational endings ("er": "merging" also finds "mergers") and irregular
    families ("child", "children"), and the share of a typed word's score they earn."""

    weight: float
    min_root: int
    suffixes: tuple[str, ...]
    families: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Ranking:
    """The weights of a query typed without operators (models/search/ranking.json;
    its README says what each does)."""

    field_weights: dict[str, float]
    coordination_power: float
    phrase_boost: float
    pair_boost: float
    heading_boost: float
    phrase_slop: int
    fuzzy_weight: float
    min_fuzzy_chars: int
    two_edits_chars: int
    tantivy_heading_field_boost: float
    tantivy_all_concepts_boost: float


@lru_cache(maxsize=1)
def stop_words(path: Path = STOP_WORDS_FILE) -> frozenset[str]:
    """Lower-case words, one a line; # starts a comment."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if (word := line.split("#", 1)[0].strip().lower()))


@lru_cache(maxsize=1)
def synonyms(path: Path = SYNONYMS_FILE) -> Synonyms:
    data = json.loads(path.read_text(encoding="utf-8"))
    weight = float(data["weight"])
    if not 0 < weight <= 1:
        raise ValueError(f"{path}: weight must be in (0, 1], not {weight}")
    groups = tuple(tuple(str(name) for name in group) for group in data["groups"])
    return Synonyms(weight, groups)


@lru_cache(maxsize=1)
def concepts(path: Path = CONCEPTS_FILE) -> Concepts:
    data = json.loads(path.read_text(encoding="utf-8"))
    weights = {name: float(data[f"{name}_weight"]) for name in ("same", "broader", "narrower")}
    if not all(0 < weight <= 1 for weight in weights.values()):
        raise ValueError(f"{path}: weights must be in (0, 1], not {weights}")
    found = tuple(
        Concept(
            tuple(str(name) for name in concept["names"]),
            tuple(str(name) for name in concept.get("narrower", ())),
        )
        for concept in data["concepts"]
    )
    return Concepts(**weights, concepts=found)


@lru_cache(maxsize=1)
def word_forms(path: Path = WORD_FORMS_FILE) -> WordForms:
    data = json.loads(path.read_text(encoding="utf-8"))
    weight = float(data["weight"])
    if not 0 < weight <= 1:
        raise ValueError(f"{path}: weight must be in (0, 1], not {weight}")
    suffixes = tuple(sorted({str(s).lower() for s in data["suffixes"]}, key=len, reverse=True))
    families = tuple(tuple(str(word) for word in family) for family in data["families"])
    return WordForms(weight, int(data["min_root"]), suffixes, families)


@lru_cache(maxsize=1)
def ranking(path: Path = RANKING_FILE) -> Ranking:
    data = json.loads(path.read_text(encoding="utf-8"))
    weights = {str(name): float(weight) for name, weight in data["field_weights"].items()}
    if any(weight < 0 for weight in weights.values()):
        raise ValueError(f"{path}: field weights must not be negative: {weights}")
    return Ranking(
        field_weights=weights,
        coordination_power=float(data["coordination_power"]),
        phrase_boost=float(data["phrase_boost"]),
        pair_boost=float(data["pair_boost"]),
        heading_boost=float(data["heading_boost"]),
        phrase_slop=int(data["phrase_slop"]),
        fuzzy_weight=float(data["fuzzy_weight"]),
        min_fuzzy_chars=int(data["min_fuzzy_chars"]),
        two_edits_chars=int(data["two_edits_chars"]),
        tantivy_heading_field_boost=float(data["tantivy"]["heading_field_boost"]),
        tantivy_all_concepts_boost=float(data["tantivy"]["all_concepts_boost"]),
    )
