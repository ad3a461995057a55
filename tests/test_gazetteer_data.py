"""The gazetteer data: complete for England and Wales, consistent, unambiguous."""

from __future__ import annotations

from collections import Counter

from ingest.places import find_places, load_gazetteer


def test_every_current_area_of_england_and_wales_is_there() -> None:
    areas = load_gazetteer().areas.values()
    current = Counter(area.kind for area in areas if area.valid_to is None)
    assert current == {
        "non-metropolitan district": 164,
        "unitary authority": 62,
        "metropolitan borough": 36,
        "London borough": 32,
        "sui generis": 2,
        "Welsh principal area": 22,
    }


def test_areas_have_county_force_and_consistent_successors() -> None:
    gazetteer = load_gazetteer()
    for area in gazetteer.areas.values():
        assert area.police_force in gazetteer.forces, area.name
        assert area.county, area.name
        if area.successor:
            assert area.successor in gazetteer.areas, area.name
            assert area.valid_to is not None, area.name
    for members in gazetteer.joint.values():
        assert all(member in gazetteer.areas for member in members)


def test_no_alias_names_two_areas() -> None:
    owners: dict[str, set[str]] = {}
    for area in load_gazetteer().areas.values():
        for alias in [area.name, *area.aliases, *area.towns]:
            owners.setdefault(alias.lower(), set()).add(area.name)
    clashes = {alias: names for alias, names in owners.items() if len(names) > 1}
    assert clashes == {}


def test_spot_checks() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.areas["Braintree"].county == "Essex"
    assert gazetteer.areas["Braintree"].police_force == "Essex Police"
    assert gazetteer.resolve("Southend") == "Southend-on-Sea"
    assert gazetteer.resolve("Safer Colchester") == "Colchester"
    assert gazetteer.areas["Cardiff"].police_force == "South Wales Police"
    assert gazetteer.areas["Westminster"].police_force == "Metropolitan Police Service"
    assert gazetteer.areas["Forest Heath"].successor == "West Suffolk"
    assert gazetteer.areas["Forest Heath"].valid_to == 2018
    assert "Rochford" in gazetteer.districts_in("Essex")


def test_partnership_names_from_templates_are_recognised_across_the_country() -> None:
    texts = [
        "Safer Sutton Partnership",
        "Rochford District CSP",
        "Community Safety Partnership for Kingston upon Hull",
        "Cardiff Community Safety Partnership",
        "Safer Stockton Partnership",
    ]
    found = [[(m.strength, m.target) for m in mentions] for mentions in find_places(texts)]
    assert found == [
        [("csp", "Sutton")],
        [("csp", "Rochford")],
        [("csp", "Kingston upon Hull")],
        [("csp", "Cardiff")],
        [("csp", "Stockton-on-Tees")],
    ]


def test_county_bodies_and_ambiguous_words_are_not_places() -> None:
    (essex_police, reading, bury) = find_places(
        ["Essex Police attended.", "reading the report", "Bury St Edmunds market"]
    )
    assert [m.strength for m in essex_police] == ["partner"]
    assert reading == []
    assert [(m.strength, m.target) for m in bury] == [("town", "West Suffolk")]
