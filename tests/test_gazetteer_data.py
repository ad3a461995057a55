"""The gazetteer data: complete for England and Wales, consistent, unambiguous.

These tests read the JSONL files in models/gazetteer directly (so that every field is
checked, not only those the code loads) and through ingest.attribution.places (so that the names the
code generates from them are checked too).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from ingest.attribution.gazetteer import GAZETTEER_DIR, load_gazetteer
from ingest.attribution.places import find_places

REGIONS = {
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Wales",
}
KINDS = {
    "non-metropolitan district",
    "unitary authority",
    "metropolitan borough",
    "London borough",
    "Welsh principal area",
    "sui generis",
}
GSS = re.compile(r"^(E0[6-9]|W06)\d{6}$")


def read(name: str) -> list[dict]:
    path = Path(GAZETTEER_DIR) / name
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


AREAS = read("areas.jsonl")
COUNTIES = read("counties.jsonl")
FORCES = read("police_forces.jsonl")
JOINT = read("joint_csps.jsonl")
SHARED = read("shared_names.jsonl")
BY_NAME = {row["name"]: row for row in AREAS}
CURRENT = [row for row in AREAS if row["valid_to"] is None]


# ------------------------------------------------------------------ completeness


def test_every_current_area_of_england_and_wales_is_there() -> None:
    """April 2026: 296 lower-tier councils in England and 22 principal areas in Wales."""
    current = Counter(row["kind"] for row in CURRENT)
    assert current == {
        "non-metropolitan district": 164,
        "unitary authority": 62,
        "metropolitan borough": 36,
        "London borough": 32,
        "sui generis": 2,  # City of London, Isles of Scilly
        "Welsh principal area": 22,
    }
    assert sum(1 for row in CURRENT if row["country"] == "England") == 296
    assert sum(1 for row in CURRENT if row["country"] == "Wales") == 22
    assert {row["name"] for row in CURRENT if row["kind"] == "sui generis"} == {
        "City of London",
        "Isles of Scilly",
    }


def test_two_tier_counties_have_their_districts() -> None:
    """Current non-metropolitan districts of the 21 county councils, county by county."""
    districts = Counter(
        row["county"] for row in CURRENT if row["kind"] == "non-metropolitan district"
    )
    assert districts == {
        "Cambridgeshire": 5,
        "Derbyshire": 8,
        "Devon": 8,
        "East Sussex": 5,
        "Essex": 12,
        "Gloucestershire": 6,
        "Hampshire": 11,
        "Hertfordshire": 10,
        "Kent": 12,
        "Lancashire": 12,
        "Leicestershire": 7,
        "Lincolnshire": 7,
        "Norfolk": 7,
        "Nottinghamshire": 7,
        "Oxfordshire": 5,
        "Staffordshire": 8,
        "Suffolk": 5,
        "Surrey": 11,
        "Warwickshire": 5,
        "West Sussex": 7,
        "Worcestershire": 6,
    }


def test_metropolitan_counties_have_their_boroughs() -> None:
    boroughs = Counter(row["county"] for row in CURRENT if row["kind"] == "metropolitan borough")
    assert boroughs == {
        "Greater Manchester": 10,
        "Merseyside": 5,
        "South Yorkshire": 4,
        "Tyne and Wear": 5,
        "West Midlands": 7,
        "West Yorkshire": 5,
    }
    london = [row for row in CURRENT if row["county"] == "Greater London"]
    assert len(london) == 33


def test_wales_by_police_area() -> None:
    wales = Counter(row["police_force"] for row in CURRENT if row["country"] == "Wales")
    assert wales == {
        "North Wales Police": 6,
        "Dyfed-Powys Police": 4,
        "South Wales Police": 7,
        "Gwent Police": 5,
    }


def test_reorganisations_since_2009() -> None:
    abolished = {
        row["name"]: (row["valid_to"], row["successor"]) for row in AREAS if row["valid_to"]
    }
    assert len(abolished) == 42
    by_year = Counter(valid_to for valid_to, _ in abolished.values())
    # abolished 1 April 2019 (14), 2020 (4), 2021 (7) and 2023
    # (17: Cumbria 6, North Yorkshire 7, Somerset 4)
    assert by_year == {2018: 14, 2019: 4, 2020: 7, 2022: 17}
    assert abolished["Forest Heath"] == (2018, "West Suffolk")
    assert abolished["Waveney"] == (2018, "East Suffolk")
    assert abolished["Taunton Deane"] == (2018, "Somerset West and Taunton")
    assert abolished["Somerset West and Taunton"] == (2022, "Somerset")
    assert abolished["Poole"] == (2018, "Bournemouth, Christchurch and Poole")
    assert abolished["Purbeck"] == (2018, "Dorset")
    assert abolished["Wycombe"] == (2019, "Buckinghamshire")
    assert abolished["Corby"] == (2020, "North Northamptonshire")
    assert abolished["Northampton"] == (2020, "West Northamptonshire")
    assert abolished["Allerdale"] == (2022, "Cumberland")
    assert abolished["Barrow-in-Furness"] == (2022, "Westmorland and Furness")
    assert abolished["Selby"] == (2022, "North Yorkshire")
    assert abolished["Mendip"] == (2022, "Somerset")
    assert BY_NAME["Buckinghamshire"]["valid_from"] == 2020
    assert BY_NAME["Cornwall"]["valid_from"] == 2009


# ------------------------------------------------------------------ shape of the rows


def test_rows_have_every_field_with_the_right_values() -> None:
    fields = [
        "id",
        "name",
        "official_name",
        "kind",
        "county",
        "region",
        "country",
        "police_force",
        "aliases",
        "towns",
        "ambiguous",
        "valid_from",
        "valid_to",
        "successor",
        "predecessors",
    ]
    for row in AREAS:
        assert list(row) == fields, row["name"]
        assert row["kind"] in KINDS, row["name"]
        assert row["region"] in REGIONS, row["name"]
        assert (
            (row["country"] == "Wales")
            == (row["region"] == "Wales")
            == (row["kind"] == "Welsh principal area")
        ), row["name"]
        assert isinstance(row["ambiguous"], bool), row["name"]
        assert all(
            isinstance(x, str) and x == x.strip() and x for x in row["aliases"] + row["towns"]
        )
        assert len(row["towns"]) <= 10, row["name"]


def test_names_are_unique_and_plain() -> None:
    names = [row["name"] for row in AREAS]
    assert len(names) == len(set(names))
    assert len({name.lower() for name in names}) == len(names)
    for name in names:
        assert not re.search(r"\b(Borough|District|Council|Metropolitan)\b", name), name
        assert not name.startswith("City of ") or name == "City of London", name


def test_ids_are_unique_gss_codes_that_match_the_kind() -> None:
    ids = [row["id"] for row in AREAS]
    assert len(ids) == len(set(ids))
    prefixes = {
        "E06": {"unitary authority", "sui generis"},  # sui generis: Isles of Scilly
        "E07": {"non-metropolitan district"},
        "E08": {"metropolitan borough"},
        "E09": {"London borough", "sui generis"},  # sui generis: City of London
        "W06": {"Welsh principal area"},
    }
    for row in AREAS:
        assert GSS.match(row["id"]), row["name"]
        assert row["kind"] in prefixes[row["id"][:3]], row["name"]
    assert BY_NAME["Braintree"]["id"] == "E07000067"
    assert BY_NAME["Cardiff"]["id"] == "W06000015"


# ------------------------------------------------------------------ references


def test_counties_and_forces_referenced_exist() -> None:
    counties = {row["name"] for row in COUNTIES}
    forces = {row["name"] for row in FORCES}
    for row in AREAS:
        assert row["police_force"] in forces, row["name"]
        # a county is a row of counties.jsonl, or a unitary area that is its own county
        if row["county"] not in counties:
            county_area = BY_NAME.get(row["county"])
            assert county_area is not None, (row["name"], row["county"])
            assert county_area["county"] == county_area["name"], (row["name"], row["county"])
    for county in COUNTIES:
        assert county["police_force"] in forces, county["name"]
        assert county["region"] in REGIONS and county["kind"] in {
            "shire county",
            "metropolitan county",
            "region",
        }, county["name"]
        assert any(row["county"] == county["name"] for row in AREAS), f"no area in {county['name']}"
    assert not counties & set(BY_NAME), "a county must not share a name with an area"


def test_areas_are_policed_by_their_countys_force() -> None:
    exceptions = {
        "City of London": "City of London Police",
        "South Gloucestershire": "Avon and Somerset Constabulary",
        "North Lincolnshire": "Humberside Police",
        "North East Lincolnshire": "Humberside Police",
    }
    county_force = {row["name"]: row["police_force"] for row in COUNTIES}
    county_force.update(
        {row["name"]: row["police_force"] for row in AREAS if row["county"] == row["name"]}
    )
    for row in AREAS:
        expected = exceptions.get(row["name"], county_force[row["county"]])
        assert row["police_force"] == expected, row["name"]


def test_successors_and_predecessors_agree() -> None:
    for row in AREAS:
        if row["valid_to"] is None:
            assert row["successor"] is None, row["name"]
        else:
            assert 2008 <= row["valid_to"] <= 2025, row["name"]
            successor = BY_NAME[row["successor"]]
            assert successor["valid_from"] == row["valid_to"] + 1, row["name"]
            assert row["name"] in successor["predecessors"], row["name"]
            assert successor["county"] == row["county"], row["name"]
            while successor["valid_to"] is not None:  # a chain ends in a current area
                successor = BY_NAME[successor["successor"]]
        if row["valid_from"] is not None:
            assert 2009 <= row["valid_from"] <= 2026, row["name"]
            assert row["valid_to"] is None or row["valid_to"] >= row["valid_from"], row["name"]
        for predecessor in row["predecessors"]:
            assert BY_NAME[predecessor]["successor"] == row["name"], (row["name"], predecessor)
        if row["predecessors"]:
            assert row["valid_from"] is not None, row["name"]


def test_police_forces() -> None:
    territorial = [row for row in FORCES if row["territorial"]]
    assert len(territorial) == 43
    assert [row["name"] for row in FORCES if not row["territorial"]] == ["British Transport Police"]
    counties = {row["name"] for row in COUNTIES} | set(BY_NAME)
    for force in FORCES:
        assert set(force["counties"]) <= counties, force["name"]
        policed = sorted({row["county"] for row in CURRENT if row["police_force"] == force["name"]})
        assert force["counties"] == policed, force["name"]
        if force["territorial"]:
            assert policed, force["name"]


def test_joint_partnerships() -> None:
    names = {row["name"].lower() for row in AREAS} | {row["name"].lower() for row in COUNTIES}
    for joint in JOINT:
        assert len(joint["members"]) >= 2, joint["name"]
        assert all(member in BY_NAME for member in joint["members"]), joint["name"]
        assert len({BY_NAME[m]["county"] for m in joint["members"]}) == 1, joint["name"]
        assert joint["name"].lower() not in names, joint["name"]
    joint_names = [row["name"] for row in JOINT]
    assert len(joint_names) == len(set(joint_names))
    assert {"Castle Point", "Rochford"} == set(
        next(row["members"] for row in JOINT if row["name"] == "Castle Point and Rochford")
    )


def test_web_domains_name_places_of_the_gazetteer() -> None:
    gazetteer = load_gazetteer()
    places = set(BY_NAME) | {row["name"] for row in COUNTIES} | {row["name"] for row in FORCES}
    places |= {row["name"] for row in JOINT}
    for row in read("web_domains.jsonl"):
        assert list(row) == ["label", "place", "note"], row["label"]
        assert row["place"] in places, row["label"]
    assert gazetteer.web_place("democracy.tmbc.gov.uk") == ("web", "Tonbridge and Malling")
    assert gazetteer.web_place("rbwm.moderngov.co.uk") == ("web", "Windsor and Maidenhead")
    assert gazetteer.web_place("democracy.kent.gov.uk") == ("county", "Kent")
    assert gazetteer.web_place("www.surrey-pcc.gov.uk") == ("partner", "Surrey Police")
    assert gazetteer.web_place("www.gov.uk") is None


def test_county_partnerships_name_only_their_own_countys_unitaries() -> None:
    for county in COUNTIES:
        also = county.get("partnership_also", [])
        assert not also or county["note"], county["name"]
        for area in also:
            assert BY_NAME[area]["county"] == county["name"], (county["name"], area)
            assert BY_NAME[area]["kind"] == "unitary authority", (county["name"], area)


def test_shared_short_names_list_the_areas_they_can_mean() -> None:
    for row in SHARED:
        assert list(row) == ["name", "areas", "note"], row["name"]
        assert len(row["areas"]) >= 2 and all(area in BY_NAME for area in row["areas"])
        assert row["name"].lower() not in owners(), row["name"]
        assert row["note"], row["name"]


# ------------------------------------------------------------------ no name means two places


def owners() -> dict[str, set[tuple[str, str]]]:
    """Every written name (lower case) to the (kind, target) pairs that claim it."""
    claimed: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in AREAS:
        for text in [row["name"], row["official_name"], *row["aliases"], *row["towns"]]:
            claimed[text.lower()].add(("area", row["name"]))
    for row in COUNTIES:
        for text in [row["name"], *row["aliases"]]:
            claimed[text.lower()].add(("county", row["name"]))
    for row in FORCES:
        for text in [row["name"], *row["aliases"]]:
            claimed[text.lower()].add(("force", row["name"]))
    for row in JOINT:
        for text in [row["name"], *row["aliases"]]:
            claimed[text.lower()].add(("joint", row["name"]))
    return claimed


def test_every_name_alias_and_town_denotes_one_place() -> None:
    clashes = {text: sorted(who) for text, who in owners().items() if len(who) > 1}
    assert clashes == {}


def test_an_areas_own_names_are_not_repeated() -> None:
    for row in AREAS:
        written = [row["name"], *row["aliases"], *row["towns"]]
        assert len({text.lower() for text in written}) == len(written), row["name"]


def test_generated_partnership_and_council_names_do_not_collide() -> None:
    """What the code makes of the data (templates applied to every alias) is unambiguous too."""
    gazetteer = load_gazetteer()
    targets: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for strength, target, phrase in gazetteer.phrase_patterns():
        group = "place" if strength in ("csp", "council", "name", "town") else strength
        targets[phrase.lower()].add((group, target))
    clashes = {
        phrase: sorted(who)
        for phrase, who in targets.items()
        if len({target for group, target in who if group == "place"}) > 1
        or (any(g == "place" for g, _ in who) and any(g != "place" for g, _ in who))
    }
    assert clashes == {}


def test_the_code_loads_every_row() -> None:
    gazetteer = load_gazetteer()
    assert set(gazetteer.areas) == set(BY_NAME)
    assert set(gazetteer.counties) == {row["name"] for row in COUNTIES}
    assert set(gazetteer.forces) == {row["name"] for row in FORCES}
    assert len(gazetteer.joint) == len(JOINT)


# ------------------------------------------------------------------ spot checks


def test_spot_checks() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.areas["Braintree"].county == "Essex"
    assert gazetteer.areas["Braintree"].police_force == "Essex Police"
    assert gazetteer.resolve("Southend") == "Southend-on-Sea"
    assert gazetteer.resolve("Hull") == "Kingston upon Hull"
    assert gazetteer.resolve("Shepway") == "Folkestone and Hythe"
    assert gazetteer.resolve("Caerdydd") == "Cardiff"
    assert gazetteer.resolve("Safer Colchester") == "Colchester"
    assert gazetteer.resolve("St. Helens") == "St Helens"
    assert gazetteer.areas["Cardiff"].police_force == "South Wales Police"
    assert gazetteer.areas["Westminster"].police_force == "Metropolitan Police Service"
    assert gazetteer.areas["City of London"].police_force == "City of London Police"
    assert gazetteer.areas["Forest Heath"].successor == "West Suffolk"
    assert gazetteer.areas["Forest Heath"].valid_to == 2018
    essex = set(gazetteer.districts_in("Essex"))
    assert {
        "Basildon",
        "Braintree",
        "Brentwood",
        "Castle Point",
        "Chelmsford",
        "Colchester",
        "Epping Forest",
        "Harlow",
        "Maldon",
        "Rochford",
        "Tendring",
        "Uttlesford",
        "Southend-on-Sea",
        "Thurrock",
    } == essex
    for name in (
        "Reading",
        "Hart",
        "Eden",
        "Rother",
        "Newport",
        "Halton",
        "Bury",
        "Sutton",
        "Wyre",
    ):
        assert gazetteer.areas[name].ambiguous, name
    for name in ("Wealden", "Test Valley", "Stafford", "Braintree", "Colchester"):
        assert not gazetteer.areas[name].ambiguous, name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Safer Sutton Partnership", [("csp", "Sutton")]),
        ("Rochford District CSP", [("csp", "Rochford")]),
        ("Community Safety Partnership for Kingston upon Hull", [("csp", "Kingston upon Hull")]),
        ("Cardiff Community Safety Partnership", [("csp", "Cardiff")]),
        ("Safer Stockton Partnership", [("csp", "Stockton-on-Tees")]),
        ("Braintree District Council", [("council", "Braintree")]),
        (
            "Castle Point and Rochford Community Safety Partnership",
            [("csp", "Castle Point+Rochford")],
        ),
        ("Folkestone & Hythe District Council", [("council", "Folkestone and Hythe")]),
        ("Bath & North East Somerset Council", [("council", "Bath and North East Somerset")]),
        ("King’s Lynn and West Norfolk", [("name", "King's Lynn and West Norfolk")]),
        ("Durham County Council", [("council", "County Durham")]),
        ("Hull City Council", [("council", "Kingston upon Hull")]),
        ("Cyngor Caerdydd and Abertawe", [("council", "Cardiff"), ("name", "Swansea")]),
        ("Wyre Forest District Council", [("council", "Wyre Forest")]),
    ],
)
def test_names_are_recognised_across_the_country(text: str, expected: list) -> None:
    (mentions,) = find_places([text])
    assert [(m.strength, m.target) for m in mentions] == expected


def test_county_bodies_and_ambiguous_words_are_not_places() -> None:
    (essex_police, reading, bury, hart, stockton_heath) = find_places(
        [
            "Essex Police attended.",
            "reading the report",
            "Bury St Edmunds market",
            "Hart of the matter",
            "Stockton Heath village",
        ]
    )
    assert [m.strength for m in essex_police] == ["partner"]
    assert reading == []
    assert [(m.strength, m.target) for m in bury] == [("town", "West Suffolk")]
    assert hart == []
    assert [(m.strength, m.target) for m in stockton_heath] == [("town", "Warrington")]
