"""The fixed benchmark query set: terms, phrases, facet filters and entity filters.

Queries are built from the same data the corpus generator draws on (theme keywords,
initiative and partner names, the corpus's areas), seeded, so every engine and every
run sees the same 240 queries.  Words are plain lower-case letters and digits, so the
reference engines' tokenisers read them as the product's analyzer does.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass

from bench.corpus import open_data, sources
from ingest.model import DocType
from ingest.search.backend import SearchFilters

PER_KIND = 60
PLAIN_WORDS = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*$")
KINDS = ("term", "phrase", "facet", "entity")
DOC_TYPES = [t.value for t in DocType if t is not DocType.OTHER]


@dataclass(frozen=True)
class BenchQuery:
    """One query: parts are words (one-word tuples) or phrases, all ANDed, plus filters."""

    kind: str
    parts: tuple[tuple[str, ...], ...]
    districts: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    initiatives: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()

    def text(self) -> str:
        """The query as a user types it ("" for a filter-only query)."""
        return " ".join(
            part[0] if len(part) == 1 else '"' + " ".join(part) + '"' for part in self.parts
        )

    def filters(self) -> SearchFilters:
        return SearchFilters(
            districts=list(self.districts),
            doc_types=list(self.doc_types),
            year_from=self.year_from,
            year_to=self.year_to,
            initiatives=list(self.initiatives),
            partners=list(self.partners),
        )

    def facet_terms(self) -> dict[str, list[str]]:
        """Facet field -> values (any of them matches), as written."""
        named = {
            "districts": self.districts,
            "doc_type": self.doc_types,
            "initiatives": self.initiatives,
            "partners": self.partners,
        }
        return {name: list(values) for name, values in named.items() if values}


def plain(text: str) -> str | None:
    """`text` as plain lower-case words, or None if it has other characters."""
    words = " ".join(re.sub(r"[-/]", " ", text.lower()).split())
    return words if PLAIN_WORDS.match(words) else None


def query_set(areas: list[str], seed: int = 1) -> list[BenchQuery]:
    """PER_KIND queries of each kind; `areas` are the CSP areas sections are about,
    repeated as often as they are (so busier areas are filtered on more often)."""
    rng = random.Random(seed)
    data = sources()
    keywords = [
        words
        for line in open_data("themes/themes.jsonl")
        for keyword in json.loads(line)["keywords"]
        if (words := plain(keyword))
    ]
    names = [
        words
        for label in ("INITIATIVE", "PARTNER")
        for name in data.names[label]
        if (words := plain(name))
    ]
    singles = sorted({word for phrase in keywords + names for word in phrase.split()})
    phrases = sorted({phrase for phrase in keywords + names if " " in phrase})
    queries: list[BenchQuery] = []
    for _ in range(PER_KIND):
        count = rng.choice((1, 1, 2, 2, 3))
        queries.append(BenchQuery("term", tuple((w,) for w in rng.sample(singles, count))))
    for _ in range(PER_KIND):
        queries.append(BenchQuery("phrase", (tuple(rng.choice(phrases).split()),)))
    for _ in range(PER_KIND):
        parts = (
            ((rng.choice(singles),),)
            if rng.random() < 0.5
            else (tuple(rng.choice(phrases).split()),)
        )
        start = rng.randint(2010, 2024)
        choice = rng.randrange(3)
        queries.append(
            BenchQuery(
                "facet",
                parts,
                districts=tuple(rng.sample(areas, min(len(areas), rng.choice((1, 1, 2))))),
                doc_types=(rng.choice(DOC_TYPES),) if choice == 1 else (),
                year_from=start if choice != 1 else None,
                year_to=start + rng.choice((0, 1, 2)) if choice != 1 else None,
            )
        )
    for _ in range(PER_KIND):
        label = rng.choice(("INITIATIVE", "PARTNER"))
        name = rng.choice(data.names[label])
        parts = ((rng.choice(singles),),) if rng.random() < 0.5 else ()
        queries.append(
            BenchQuery(
                "entity",
                parts,
                initiatives=(name,) if label == "INITIATIVE" else (),
                partners=(name,) if label == "PARTNER" else (),
            )
        )
    return queries
