"""Canonical entities: every way of writing an initiative or partner mapped to one name.

The data is the entity ruler's own pattern files in models/entities (one line per way of
writing a name, its `id` the canonical name), the metadata in entities.jsonl (kind,
themes), a drop list, and the partners the gazetteer already knows (councils, police
forces, county services).  A mention is linked by, in order: the pattern that matched it,
its normalised form among the aliases, an acronym written exactly, and a close fuzzy match
(rapidfuzz) among aliases of the same label.  A mention that matches nothing keeps its
own tidied name, so initiatives found only by the trained model still group together
across documents under one key.

`csp entities merge/alias/drop` edit these files through `EntityData`; the catalog then
re-links the stored mentions without re-reading any document.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.attribution.gazetteer import GAZETTEER_DIR, Gazetteer, load_gazetteer, read_jsonl
from ingest.paths import MODELS_DIR

ENTITIES_DIR = MODELS_DIR / "entities"
LABELS = ("INITIATIVE", "PARTNER")
PATTERN_FILES = {"INITIATIVE": "initiatives.jsonl", "PARTNER": "partners.jsonl"}
METADATA_FILE = "entities.jsonl"
DROPPED_FILE = "dropped.jsonl"
FILTERS_FILE = "filters.json"
FIRST_NAMES_FILE = "first_names.txt"

# Words that say what kind of thing a name is rather than which one: "the Spot It Stop It
# scheme" is Spot It Stop It.  Both sides of a comparison lose them.
GENERIC_TAIL = frozenset(
    [
        "scheme",
        "schemes",
        "campaign",
        "campaigns",
        "project",
        "projects",
        "programme",
        "programmes",
        "program",
        "initiative",
        "initiatives",
        "training",
        "sessions",
        "session",
        "roadshow",
        "roadshows",
        "event",
        "events",
    ]
)
# The canonical name of every partnership the gazetteer names ends so.
PARTNERSHIP = " Community Safety Partnership"
FUZZY_CUTOFF = 92
# Below this many characters a fuzzy match is a guess ("DA" vs "DAT"): exact only.
FUZZY_MIN_CHARS = 8
MAX_UNKNOWN_WORDS = 8
POSSESSIVE = re.compile(r"'s\b")
PUNCTUATION = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """The comparison key of a name: case, punctuation, '&', 'the' and kind words folded."""
    key = text.lower().replace("&", " and ").replace("’", "'")
    key = PUNCTUATION.sub(" ", POSSESSIVE.sub("s", key))
    words = key.split()
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in GENERIC_TAIL:
        words.pop()
    return " ".join(words)


def tidy(text: str) -> str:
    """A mention as a display name: outer quotes, 'the' and spacing removed."""
    name = " ".join(text.split()).strip(" '\"‘’“”,.;:()-–")
    if name.lower().startswith("the "):
        name = name[4:]
    return name


@dataclass
class EntityInfo:
    name: str
    label: str
    kind: str | None = None
    themes: list[str] = field(default_factory=list)
    note: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class Linked:
    label: str
    canonical: str
    key: str


def entities_dir() -> Path:
    """$CSP_ENTITIES_DIR (a copy to experiment on), else models/entities."""
    configured = os.environ.get("CSP_ENTITIES_DIR")
    return Path(configured) if configured else ENTITIES_DIR


class EntityData:
    """The editable entity files in one folder (`entities_dir()` by default)."""

    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory) if directory else entities_dir()

    def pattern_path(self, label: str) -> Path:
        return self.directory / PATTERN_FILES[label]

    def pattern_lines(self, label: str) -> list[dict]:
        path = self.pattern_path(label)
        return read_jsonl(path) if path.exists() else []

    def metadata(self) -> list[dict]:
        path = self.directory / METADATA_FILE
        return read_jsonl(path) if path.exists() else []

    def dropped(self) -> set[str]:
        path = self.directory / DROPPED_FILE
        return {normalise(row["name"]) for row in read_jsonl(path)} if path.exists() else set()

    def filters(self) -> dict:
        path = self.directory / FILTERS_FILE
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def first_names(self) -> frozenset[str]:
        path = self.directory / FIRST_NAMES_FILE
        if not path.exists():
            return frozenset()
        lines = path.read_text(encoding="utf-8").splitlines()
        return frozenset(line.strip() for line in lines if line.strip() and line[0] != "#")

    def ruler_patterns(self, exact: bool = False) -> list[dict]:
        """The pattern lines in the form spaCy's entity ruler takes: those matched on
        lower-cased tokens, or (`exact`) the acronyms and names that are everyday phrases
        in lower case ("Victim Support"), matched only as written."""
        return [
            {"label": label, "pattern": line["pattern"], "id": line["id"]}
            for label in LABELS
            for line in self.pattern_lines(label)
            if is_exact(line) == exact
        ]

    # Edits ---------------------------------------------------------------------------

    def write_lines(self, path: Path, lines: Iterable[dict]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        path.write_text(text, encoding="utf-8")

    def add_alias(self, name: str, alias: str, label: str) -> None:
        lines = self.pattern_lines(label)
        if not any(line["id"] == name and line["pattern"] == alias for line in lines):
            lines.append({"label": label, "pattern": alias, "id": name})
        if not any(line["id"] == name and line["pattern"] == name for line in lines):
            lines.append({"label": label, "pattern": name, "id": name})
        self.write_lines(self.pattern_path(label), lines)
        self.forget_dropped(name)

    def merge(self, keep: str, absorb: str, label: str) -> None:
        """Make `absorb` and all its aliases spellings of `keep`."""
        lines = self.pattern_lines(label)
        for line in lines:
            if line["id"] == absorb:
                line["id"] = keep
        self.write_lines(self.pattern_path(label), lines)
        self.add_alias(keep, absorb, label)
        metadata = self.metadata()
        if any(row["name"] == absorb for row in metadata):
            kept = [row for row in metadata if row["name"] != absorb]
            if not any(row["name"] == keep for row in kept):
                kept.append({**next(r for r in metadata if r["name"] == absorb), "name": keep})
            self.write_lines(self.directory / METADATA_FILE, kept)

    def drop(self, name: str) -> None:
        """`name` is not an entity: remove its patterns and ignore the model's finds of it."""
        for label in LABELS:
            lines = self.pattern_lines(label)
            kept = [line for line in lines if line["id"] != name]
            if len(kept) != len(lines):
                self.write_lines(self.pattern_path(label), kept)
        metadata = self.metadata()
        kept_rows = [row for row in metadata if row["name"] != name]
        if len(kept_rows) != len(metadata):
            self.write_lines(self.directory / METADATA_FILE, kept_rows)
        path = self.directory / DROPPED_FILE
        rows = read_jsonl(path) if path.exists() else []
        if not any(normalise(row["name"]) == normalise(name) for row in rows):
            self.write_lines(path, [*rows, {"name": name}])

    def forget_dropped(self, name: str) -> None:
        path = self.directory / DROPPED_FILE
        if path.exists():
            rows = read_jsonl(path)
            kept = [row for row in rows if normalise(row["name"]) != normalise(name)]
            if len(kept) != len(rows):
                self.write_lines(path, kept)


def is_exact(line: dict) -> bool:
    """A pattern line matched only as written, never lower-cased."""
    return bool(line.get("acronym") or line.get("case_sensitive"))


def gazetteer_partners(gazetteer: Gazetteer) -> Iterator[tuple[str, str]]:
    """(canonical, spelling) for the partners the gazetteer names: councils, county
    councils and services, police forces and multi-area bodies."""
    force_spellings = {}
    for force_name, force in gazetteer.forces.items():
        for alias in [force_name, *force.get("aliases", [])]:
            force_spellings[alias.lower()] = force_name
            yield force_name, alias
    for area in gazetteer.areas.values():
        for name in [area.name, *area.aliases]:
            for template in gazetteer.templates["council"]:
                yield area.official_name, template.format(name=name)
        yield area.official_name, area.official_name
    for county_name, county in gazetteer.counties.items():
        council = f"{county_name} County Council"
        yield council, council
        for alias in county.get("aliases", []):
            if alias.lower().endswith("council"):
                yield council, alias
        canonical_template: dict[str, str] = gazetteer.templates.get("county_service_names", {})
        for template in gazetteer.templates["county_services"]:
            if "(" in template:  # "Essex County Council (Education)": a department
                continue
            spelling = template.format(name=county_name)
            canonical = canonical_template.get(template, template).format(name=county_name)
            # "Norfolk Police" is the force the gazetteer calls Norfolk Constabulary.
            canonical = force_spellings.get(canonical.lower(), canonical)
            if spelling.lower() in force_spellings:
                continue
            yield normalise_ampersand(canonical), spelling
    bodies = GAZETTEER_DIR / "partner_bodies.jsonl"
    for row in read_jsonl(bodies):
        for alias in [row["name"], *row.get("aliases", [])]:
            yield row["name"], alias
    yield from partnership_names(gazetteer)


def partnership_names(gazetteer: Gazetteer) -> Iterator[tuple[str, str]]:
    """(canonical, spelling) for every area's, joint and county partnership: a
    partnership named as an organisation is a partner, the document's own included.
    Each has one canonical name, "{name} Community Safety Partnership", whichever
    phrasing the document uses ("Safer Colchester Partnership", "Colchester CSP"); a
    community safety team is a body of its own ("Kent Community Safety Team")."""
    named: list[tuple[str, list[str]]] = [
        (area.name, [area.name, *area.aliases]) for area in gazetteer.areas.values()
    ]
    named += [(name, [name, *gazetteer.joint_aliases.get(name, [])]) for name in gazetteer.joint]
    named += [
        (name, [name, *(a for a in county.get("aliases", []) if not a.endswith("Council"))])
        for name, county in gazetteer.counties.items()
    ]
    for name, spellings in named:
        canonical = name + PARTNERSHIP
        for spelling in spellings:
            for template in gazetteer.templates["csp"]:
                if "(" in template:  # "... Partnership (CSP)": the acronym is its own mention
                    continue
                phrase = template.format(name=spelling)
                yield (phrase if template.endswith("Team") else canonical), phrase


def normalise_ampersand(name: str) -> str:
    return re.sub(r"\s*&\s*", " and ", name)


class Linker:
    """Links mentions to canonical entities; built once per process from the data."""

    def __init__(self, data: EntityData, gazetteer: Gazetteer):
        self.info: dict[tuple[str, str], EntityInfo] = {}
        self.by_key: dict[str, dict[str, str]] = {label: {} for label in LABELS}
        self.exact: dict[str, tuple[str, str]] = {}
        # Acronyms that mean one council only in that council's own documents ("BDC").
        self.area_of_acronym: dict[str, str] = {}
        for row in data.metadata():
            self.info[(row["label"], row["name"])] = EntityInfo(
                row["name"], row["label"], row.get("kind"), row.get("themes", []), row.get("note")
            )
        for label in LABELS:
            for line in data.pattern_lines(label):
                if not isinstance(line["pattern"], str):
                    continue
                if is_exact(line):
                    self.exact[line["pattern"]] = (label, line["id"])
                    self.add_alias_info(label, line["id"], line["pattern"])
                    if line.get("area"):
                        self.area_of_acronym[line["pattern"]] = line["area"]
                else:
                    self.add(label, line["id"], line["pattern"])
        for canonical, spelling in gazetteer_partners(gazetteer):
            self.add("PARTNER", canonical, spelling, override=False)
        self.dropped = data.dropped()
        filters = data.filters()
        self.not_last_words = set(filters.get("last_words", []))
        self.not_first_words = set(filters.get("first_words", []))
        self.not_entities = {normalise(name) for name in self.place_names(gazetteer)}
        self.choices = {label: list(keys) for label, keys in self.by_key.items()}

    def add(self, label: str, canonical: str, spelling: str, override: bool = True) -> None:
        key = normalise(spelling)
        if not key or (not override and key in self.by_key[label]):
            return
        self.by_key[label][key] = canonical
        self.add_alias_info(label, canonical, spelling)

    def add_alias_info(self, label: str, canonical: str, spelling: str) -> None:
        info = self.info.setdefault((label, canonical), EntityInfo(canonical, label))
        if spelling != canonical and spelling not in info.aliases:
            info.aliases.append(spelling)

    @staticmethod
    def place_names(gazetteer: Gazetteer) -> Iterator[str]:
        """Names of places and partnerships themselves: a CSP is not its own partner."""
        for strength, _target, phrase in gazetteer.phrase_patterns():
            if strength in ("csp", "name", "town", "county") and not phrase.endswith("Council"):
                yield phrase
            if strength == "name":
                for kind in ("Borough", "District", "City", "County"):
                    yield f"{phrase} {kind}"

    def link(self, label: str, text: str, ruler_id: str = "") -> Linked | None:
        """The canonical entity of one mention, or None when it is not an entity."""
        key = normalise(text)
        if not key or key in self.dropped:
            return None
        if ruler_id:  # the pattern files name it explicitly
            return Linked(label, ruler_id, normalise(ruler_id))
        if key in self.not_entities and key not in self.by_key["PARTNER"]:
            return None
        if text.strip() in self.exact:
            found_label, canonical = self.exact[text.strip()]
            return Linked(found_label, canonical, normalise(canonical))
        for candidate_label in (label, *[other for other in LABELS if other != label]):
            if key in self.by_key[candidate_label]:
                canonical = self.by_key[candidate_label][key]
                return Linked(candidate_label, canonical, normalise(canonical))
        if len(key) >= FUZZY_MIN_CHARS and self.choices[label]:
            # Imported here: reading commands that only look names up need no rapidfuzz.
            from rapidfuzz import fuzz, process

            match = process.extractOne(
                key, self.choices[label], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if match is not None:
                canonical = self.by_key[label][match[0]]
                return Linked(label, canonical, normalise(canonical))
        if not plausible_name(text):
            return None
        return Linked(label, tidy(text), key)

    def is_listed(self, label: str, text: str) -> bool:
        return normalise(text) in self.by_key[label]

    def not_a_name(self, text: str) -> bool:
        """A job title, plan or Act rather than an initiative or partner."""
        words = text.lower().split()
        while len(words) > 1 and words[-1][:1].isdigit():  # "... Plan 2013"
            words.pop()
        return bool(words) and (
            words[-1] in self.not_last_words or words[0] in self.not_first_words
        )

    def fits_area(self, text: str, districts: list[str]) -> bool:
        """False for a council acronym ("BDC") outside its own council's documents."""
        area = self.area_of_acronym.get(text)
        return area is None or area in districts

    def entity(self, label: str, canonical: str) -> EntityInfo:
        return self.info.get((label, canonical)) or EntityInfo(canonical, label)

    def themes(self, label: str, canonical: str) -> list[str]:
        return self.entity(label, canonical).themes


def plausible_name(text: str) -> bool:
    """What the statistical model proposes must at least look like a proper name."""
    words = tidy(text).split()
    if not words or len(words) > MAX_UNKNOWN_WORDS:
        return False
    if not any(word[:1].isupper() or any(c.isdigit() for c in word) for word in words):
        return False
    return any(char.isalpha() for char in text)


def load_linker(directory: Path | None = None, gazetteer_dir: Path = GAZETTEER_DIR) -> Linker:
    return cached_linker(directory or entities_dir(), gazetteer_dir)


@lru_cache(maxsize=4)
def cached_linker(directory: Path, gazetteer_dir: Path) -> Linker:
    return Linker(EntityData(directory), load_gazetteer(gazetteer_dir))
