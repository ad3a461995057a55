"""The gazetteer of CSP areas (models/gazetteer): every district, borough, city and unitary
area of England and Wales with its county, police force, aliases and principal towns, the
joint partnerships, and the phrasings that turn a name into a partnership's or a council's
name (name_templates.json).  Plain data, no spaCy: the read path resolves area names with
it, and `places` builds its matcher from it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.paths import MODELS_DIR

GAZETTEER_DIR = MODELS_DIR / "gazetteer"
SHARED_SEPARATOR = "|"

# "web": the council's own web or e-mail address, as sure a sign of its publisher as its name.
STRENGTH_WEIGHT = {"csp": 4.0, "council": 3.0, "web": 3.0, "name": 2.0, "town": 1.0}
# Strengths that name a partnership or its council outright, not merely a place.
STRONG_STRENGTHS = ("csp", "council", "web")


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
    # Web address labels ("haringey", "rbwm") to the place whose address it is.
    web_labels: dict[str, str] = field(default_factory=dict)
    # Lower-cased names and aliases of police forces to the force.
    force_names: dict[str, str] = field(default_factory=dict)
    # Forces' names as their web addresses write them ("thamesvalley", "durham").
    force_labels: dict[str, str] = field(default_factory=dict)
    # Lower-cased names of county-wide partnerships ("safer essex") to their county.
    county_partnerships: dict[str, str] = field(default_factory=dict)

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
        gazetteer.web_labels = {
            **web_labels_of_names(gazetteer),
            **{
                web_label(row["label"]): row["place"]
                for row in read_jsonl(directory / "web_domains.jsonl")
            },
        }
        gazetteer.force_names = {
            alias.lower(): name
            for name, force in forces.items()
            for alias in [name, *force.get("aliases", [])]
        }
        gazetteer.force_labels = {
            web_label(re.sub(r"\b(Police|Constabulary|Service)\b", "", alias)): name
            for name, force in forces.items()
            for alias in [name, *force.get("aliases", [])]
        }
        gazetteer.county_partnerships = {
            phrase.lower(): county
            for strength, county, phrase in gazetteer.county_phrase_patterns()
            if strength == "csp"
        }
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

    def county_partnership_areas(self, county: str, phrase: str, year: int | None) -> list[str]:
        """The CSP areas a county-wide partnership brings together.

        In a two-tier county that is the county council's districts (the county strategy
        group's community safety agreement is theirs), with the unitaries its name gives
        ("Leicestershire and Rutland") or its row lists (`partnership_also`).
        """
        row = self.counties.get(county, {})
        named = [
            area
            for alias in row.get("aliases", [])
            if alias.lower() in phrase.lower()
            for part in re.split(r",|\band\b|&", alias)
            if (area := self.lookup.get(part.strip().lower())) in self.areas
        ]
        members = [
            name
            for name, area in self.areas.items()
            if area.county == county
            and area.kind == "non-metropolitan district"
            and (area.existed_in(year) if year is not None else area.valid_to is None)
        ]
        return list(dict.fromkeys([*members, *row.get("partnership_also", []), *named]))

    def is_shire_county(self, county: str) -> bool:
        return self.counties.get(county, {}).get("kind") == "shire county"

    def force_of_place(self, place: str) -> str | None:
        if place in self.forces:
            return place
        row = self.areas.get(place) or self.counties.get(place)
        if row is None:
            return None
        return row.police_force if isinstance(row, Area) else row.get("police_force")

    def web_place(self, host: str) -> tuple[str, str] | None:
        """(strength, target) of the place a web or e-mail host names, or None.

        "minutes.haringey.gov.uk" is Haringey's ("web"), "kent.gov.uk" the county's
        ("county"), "durham.police.uk" the force's ("partner").
        """
        host = host.lower()
        suffixes = [
            (kind, suffix)
            for kind, listed in self.templates.get("web", {}).items()
            for suffix in listed
        ]
        for kind, suffix in sorted(suffixes, key=lambda item: -len(item[1])):
            if not host.endswith(suffix):
                continue
            label = web_label(host[: -len(suffix)].rsplit(".", 1)[-1])
            place = self.web_labels.get(label)
            if kind == "force":
                place = self.force_labels.get(label, place)
            if place is None:
                return None
            if kind == "force":
                force = self.force_of_place(place)
                return ("partner", force) if force else None
            if place in self.forces:
                return "partner", place
            if place in self.counties:
                return "county", place
            if place in self.joint:
                return "web", "+".join(self.joint[place])
            return "web", place
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
        for strength, county_name, phrase in self.county_phrase_patterns():
            yield "county" if strength == "csp" else strength, county_name, phrase
        for force_name, force in self.forces.items():
            for alias in [force_name, *force.get("aliases", [])]:
                yield "partner", force_name, alias
        # Services across several areas ("Devon and Somerset Fire and Rescue Service")
        # name partners, not the places in their names.
        for body in self.partner_bodies:
            yield "partner", body, body

    def county_phrase_patterns(self) -> Iterable[tuple[str, str, str]]:
        """(strength, county, phrase): its names ("county"), its partnership's names made
        from its name and its aliases that are not a council's ("csp"), and the county
        services named after it ("partner")."""
        for county_name, county in self.counties.items():
            aliases = [county_name, *county.get("aliases", [])]
            for alias in aliases:
                yield "county", county_name, alias
            for alias in aliases:
                # A council's name, or a partnership's already ("Safer Essex").
                if alias.endswith("Council") or alias.lower().startswith("safer "):
                    continue
                for template in self.templates["csp"]:
                    yield "csp", county_name, template.format(name=alias)
            for template in self.templates["county_services"]:
                yield "partner", county_name, template.format(name=county_name)

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


def web_label(text: str) -> str:
    """A name as a web address writes it: "City of London" -> "cityoflondon"."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in folded if char.isascii() and char.isalnum())


def web_labels_of_names(gazetteer: Gazetteer) -> dict[str, str]:
    """Web labels of every area, county and joint partnership name and alias; a label two
    places would share names neither."""
    claims: dict[str, set[str]] = {}
    names: list[tuple[str, str]] = []
    for area in gazetteer.areas.values():
        names += [(alias, area.name) for alias in [area.name, *area.aliases]]
    for county_name, county in gazetteer.counties.items():
        names += [(alias, county_name) for alias in [county_name, *county.get("aliases", [])]]
    for joint_name in gazetteer.joint:
        aliases = gazetteer.joint_aliases.get(joint_name, [])
        names += [(alias, joint_name) for alias in [joint_name, *aliases]]
    for force_name, force in gazetteer.forces.items():
        names += [(alias, force_name) for alias in [force_name, *force.get("aliases", [])]]
    for alias, place in names:
        claims.setdefault(web_label(alias), set()).add(place)
    return {label: places.pop() for label, places in claims.items() if len(places) == 1 and label}


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
