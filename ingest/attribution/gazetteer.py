"""The gazetteer of CSP areas (models/gazetteer): every district, borough, city and unitary
area of England and Wales with its county, police force, aliases and principal towns, the
joint partnerships, and the phrasings that turn a name into a partnership's or a council's
name (name_templates.json).  Plain data, no spaCy: the read path resolves area names with
it, and `places` builds its matcher from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.paths import MODELS_DIR

GAZETTEER_DIR = MODELS_DIR / "gazetteer"
SHARED_SEPARATOR = "|"

STRENGTH_WEIGHT = {"csp": 4.0, "council": 3.0, "name": 2.0, "town": 1.0}


@dataclass
class Area:
    name: str
    official_name: str
    kind: str
    county: str | None
    region: str | None
    country: str
    police_force: str | None
    aliases: list[str] = field(default_factory=list)
    towns: list[str] = field(default_factory=list)
    ambiguous: bool = False
    valid_from: int | None = None
    valid_to: int | None = None
    successor: str | None = None
    predecessors: list[str] = field(default_factory=list)

    def existed_in(self, year: int) -> bool:
        """Whether the area was a CSP area in the financial year starting in `year`."""
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )


@dataclass
class Gazetteer:
    areas: dict[str, Area]
    counties: dict[str, dict]
    forces: dict[str, dict]
    joint: dict[str, list[str]]
    # Lists of phrasings by strength, and a few tables (name_templates.json).
    templates: dict[str, Any]
    partner_bodies: list[str] = field(default_factory=list)
    shared_names: dict[str, list[str]] = field(default_factory=dict)
    joint_aliases: dict[str, list[str]] = field(default_factory=dict)
    lookup: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path = GAZETTEER_DIR) -> Gazetteer:
        areas = {row["name"]: area_from_row(row) for row in read_jsonl(directory / "areas.jsonl")}
        counties = {row["name"]: row for row in read_jsonl(directory / "counties.jsonl")}
        forces = {row["name"]: row for row in read_jsonl(directory / "police_forces.jsonl")}
        joint_rows = read_jsonl(directory / "joint_csps.jsonl")
        joint = {row["name"]: row["members"] for row in joint_rows}
        templates = json.loads((directory / "name_templates.json").read_text(encoding="utf-8"))
        bodies = [
            name
            for row in read_jsonl(directory / "partner_bodies.jsonl")
            for name in [row["name"], *row.get("aliases", [])]
        ]
        shared = {row["name"]: row["areas"] for row in read_jsonl(directory / "shared_names.jsonl")}
        gazetteer = cls(areas, counties, forces, joint, templates, bodies, shared)
        gazetteer.joint_aliases = {row["name"]: row.get("aliases", []) for row in joint_rows}
        gazetteer.lookup = gazetteer.build_lookup()
        return gazetteer

    def build_lookup(self) -> dict[str, str]:
        """Lower-cased names and aliases of areas and counties to their canonical names."""
        lookup: dict[str, str] = {}
        for name, county in self.counties.items():
            for alias in [name, *county.get("aliases", [])]:
                lookup[alias.lower()] = name
        for area in self.areas.values():
            for alias in [area.name, area.official_name, *area.aliases]:
                lookup[alias.lower()] = area.name
        # A user's bare "Newcastle" means the area the name is most often used for.
        for short_name, candidates in self.shared_names.items():
            lookup.setdefault(short_name.lower(), candidates[0])
        return lookup

    def resolve(self, name: str) -> str | None:
        """Canonical area or county name for a user's spelling, or None."""
        key = " ".join(name.lower().split())
        if key in self.lookup:
            return self.lookup[key]
        for prefix in ("safer ", "the "):
            if key.startswith(prefix) and key[len(prefix) :] in self.lookup:
                return self.lookup[key[len(prefix) :]]
        return None

    def county_of(self, area_name: str) -> str | None:
        area = self.areas.get(area_name)
        return area.county if area else None

    def districts_in(self, county: str) -> list[str]:
        return sorted(name for name, area in self.areas.items() if area.county == county)

    def areas_in_period(
        self, names: list[str], year_from: int | None, year_to: int | None
    ) -> list[str]:
        """The areas as they stood in the period: an abolished area is its successor.

        A joint partnership lists old and new members (Forest Heath, West Suffolk); an
        area not yet formed is left out while its predecessors stand for it.
        """
        if year_from is None:
            return names
        current: list[str] = []
        for name in names:
            area = self.areas.get(name)
            while area and area.successor and not area.existed_in(year_from):
                area = self.areas.get(area.successor)
            if area is None:
                current.append(name)
            elif not (
                area.valid_from is not None
                and area.valid_from > (year_to or year_from)
                and set(area.predecessors) & set(names)
            ):
                current.append(area.name)
        return list(dict.fromkeys(current))

    def phrase_patterns(self) -> Iterable[tuple[str, str, str]]:
        """(strength, target, phrase) for every way the documents name an area."""
        for area in self.areas.values():
            names = [area.name, *area.aliases]
            for name in names:
                for strength, phrase in name_phrases(name, self.templates):
                    yield strength, area.name, phrase
            yield "council", area.name, area.official_name
            for template in self.templates.get("local_bodies", []):
                for name in names:
                    yield "partner", area.name, template.format(name=name)
            for town in area.towns:
                yield "town", area.name, town
        for joint_name, members in self.joint.items():
            for name in [joint_name, *self.joint_aliases.get(joint_name, [])]:
                for template in self.templates["csp"]:
                    yield "csp", "+".join(members), template.format(name=name)
        for county_name, county in self.counties.items():
            for alias in [county_name, *county.get("aliases", [])]:
                yield "county", county_name, alias
            for template in self.templates["csp"]:
                yield "county", county_name, template.format(name=county_name)
            for template in self.templates["county_services"]:
                yield "partner", county_name, template.format(name=county_name)
        for force_name, force in self.forces.items():
            for alias in [force_name, *force.get("aliases", [])]:
                yield "partner", force_name, alias
        # Services across several areas ("Devon and Somerset Fire and Rescue Service")
        # name partners, not the places in their names.
        for body in self.partner_bodies:
            yield "partner", body, body

    def all_phrase_patterns(self) -> Iterable[tuple[str, str, str]]:
        """phrase_patterns, then the shared short names where no area owns the phrase.

        A shared name's target lists its areas ("Newcastle upon Tyne|Newcastle-under-Lyme");
        "Newcastle City Council" stays the city's, as its official name.
        """
        owned = set()
        for strength, target, phrase in self.phrase_patterns():
            owned.add(phrase.lower())
            yield strength, target, phrase
        for short_name, candidates in self.shared_names.items():
            target = SHARED_SEPARATOR.join(candidates)
            for strength, phrase in name_phrases(short_name, self.templates):
                if phrase.lower() not in owned:
                    yield strength, target, phrase

    def shared_name_reading(self, candidates: list[str], evidence: list[PlaceMention]) -> str:
        """The candidate area the other mentions point to; the first listed on a tie."""

        def support(area_name: str) -> float:
            area = self.areas[area_name]
            score = 0.0
            for mention in evidence:
                if area_name in mention.areas:
                    score += STRENGTH_WEIGHT.get(mention.strength, 0.0)
                elif mention.target in (area.county, area.police_force):
                    score += 1.0
            return score

        return max(candidates, key=lambda name: (support(name), -candidates.index(name)))


def name_phrases(name: str, templates: dict[str, list[str]]) -> Iterable[tuple[str, str]]:
    """(strength, phrase) for a name as a partnership's, a council's and a bare name."""
    for strength in ("csp", "council"):
        for template in templates[strength]:
            yield strength, template.format(name=name)
    yield "name", name


def area_from_row(row: dict) -> Area:
    fields = Area.__dataclass_fields__
    return Area(**{key: value for key, value in row.items() if key in fields})


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@lru_cache(maxsize=4)
def load_gazetteer(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    return Gazetteer.load(directory)


@dataclass(frozen=True)
class PlaceMention:
    strength: str
    target: str
    text: str
    start: int
    end: int

    @property
    def areas(self) -> list[str]:
        """The CSP areas named; a joint partnership names each member."""
        if self.strength in ("county", "partner"):
            return []
        return self.target.split("+")
