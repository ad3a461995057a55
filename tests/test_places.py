"""Recognising CSP areas in text: partnership and council names, towns, county bodies."""

from __future__ import annotations

from ingest.attribution.gazetteer import load_gazetteer
from ingest.attribution.places import find_places


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


def test_services_across_several_areas_name_no_place() -> None:
    (fire, probation) = find_places(
        ["Devon and Somerset Fire and Rescue Service attended", "Essex National Probation Service"]
    )
    assert [m.strength for m in fire] == ["partner"]
    assert all(not m.areas for m in probation)


def test_a_shared_short_name_is_read_as_the_area_the_other_texts_point_to() -> None:
    (title, body) = find_places(
        ["Newcastle Borough Council", "Kidsgrove and the town of Newcastle, Staffordshire"]
    )
    assert [(m.strength, m.target) for m in title] == [("council", "Newcastle-under-Lyme")]
    assert ("name", "Newcastle-under-Lyme") in [(m.strength, m.target) for m in body]
    (city,) = find_places(["Newcastle City Council"])
    assert [(m.strength, m.target) for m in city] == [("council", "Newcastle upon Tyne")]
    assert load_gazetteer().resolve("Newcastle") == "Newcastle upon Tyne"


def test_areas_in_a_period_are_the_areas_as_they_then_stood() -> None:
    gazetteer = load_gazetteer()
    western_suffolk = ["Babergh", "Forest Heath", "Mid Suffolk", "St Edmundsbury", "West Suffolk"]
    assert gazetteer.areas_in_period(western_suffolk, 2023, 2023) == [
        "Babergh",
        "West Suffolk",
        "Mid Suffolk",
    ]
    assert gazetteer.areas_in_period(western_suffolk, 2017, 2018) == [
        "Babergh",
        "Forest Heath",
        "Mid Suffolk",
        "St Edmundsbury",
    ]
    assert gazetteer.areas_in_period(["Taunton Deane"], 2024, 2024) == ["Somerset"]
    assert gazetteer.areas_in_period(["Eden"], None, None) == ["Eden"]


def test_welsh_partnership_and_council_names_are_recognised() -> None:
    texts = [
        "Partneriaeth Diogelwch Cymunedol Bro Morgannwg",
        "Partneriaeth Diogelwch Cymunedol Conwy a Sir Ddinbych",
        "Cyngor Dinas Casnewydd",
        "gwaith yng Nghasnewydd a Casnewydd",
    ]
    found = [[(m.strength, m.target) for m in mentions] for mentions in find_places(texts)]
    assert found == [
        [("csp", "Vale of Glamorgan")],
        [("csp", "Conwy+Denbighshire")],
        [("council", "Newport")],
        [("name", "Newport")],
    ]


def test_every_welsh_principal_area_has_its_welsh_name() -> None:
    welsh = {
        "Blaenau Gwent": "Blaenau Gwent",
        "Bridgend": "Pen-y-bont ar Ogwr",
        "Caerphilly": "Caerffili",
        "Cardiff": "Caerdydd",
        "Carmarthenshire": "Sir Gaerfyrddin",
        "Ceredigion": "Ceredigion",
        "Conwy": "Conwy",
        "Denbighshire": "Sir Ddinbych",
        "Flintshire": "Sir y Fflint",
        "Gwynedd": "Gwynedd",
        "Isle of Anglesey": "Ynys Môn",
        "Merthyr Tydfil": "Merthyr Tudful",
        "Monmouthshire": "Sir Fynwy",
        "Neath Port Talbot": "Castell-nedd Port Talbot",
        "Newport": "Casnewydd",
        "Pembrokeshire": "Sir Benfro",
        "Powys": "Powys",
        "Rhondda Cynon Taf": "Rhondda Cynon Taf",
        "Swansea": "Abertawe",
        "Torfaen": "Tor-faen",
        "Vale of Glamorgan": "Bro Morgannwg",
        "Wrexham": "Wrecsam",
    }
    gazetteer = load_gazetteer()
    assert {a.name for a in gazetteer.areas.values() if a.country == "Wales"} == set(welsh)
    assert {name: gazetteer.resolve(cymraeg) for name, cymraeg in welsh.items()} == {
        name: name for name in welsh
    }
