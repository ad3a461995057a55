"""The entity-ruler data in models/entities: well formed, consistent, national.

initiatives.jsonl and partners.jsonl are spaCy EntityRuler patterns (one spelling per line,
`id` the canonical name); entities.jsonl has one record per canonical name. The tests read
the files directly, then match them against the real sample texts the way the consumer
will: ordinary patterns on the token's lower-case form, acronym and case-sensitive lines
exactly as written.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from ingest.nlp.themes import theme_names
from ingest.paths import MODELS_DIR

from samples import (
    BRAINTREE_2022,
    BRAINTREE_PACK,
    BRENTWOOD_PLAN,
    COLCHESTER_PACK,
    SAFER_ESSEX,
    sample,
)

ENTITY_DIR = MODELS_DIR / "entities"
GAZETTEER_DIR = MODELS_DIR / "gazetteer"

LABEL_OF_FILE = {"initiatives.jsonl": "INITIATIVE", "partners.jsonl": "PARTNER"}
KINDS = {
    "INITIATIVE": {
        "scheme",
        "campaign",
        "operation",
        "programme",
        "service",
        "meeting",
        "legislation/tool",
        "accreditation",
    },
    "PARTNER": {
        "police",
        "fire",
        "pcc",
        "probation",
        "health",
        "youth justice",
        "council",
        "government",
        "charity",
        "housing",
        "education",
        "business",
        "other",
    },
}
THEMES = set(theme_names())  # the taxonomy in models/themes/themes.jsonl
SCOPES = {"national", "regional", "local"}
PATTERN_KEYS = {"label", "pattern", "id", "acronym", "case_sensitive", "area"}
ENTITY_KEYS = {"name", "label", "kind", "themes", "scope", "note", "ambiguous", "federation"}


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name}:{number} is blank"
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{number} is not an object"
        rows.append(row)
    return rows


PATTERNS = [
    {**row, "file": name} for name in LABEL_OF_FILE for row in read_jsonl(ENTITY_DIR / name)
]
ENTITIES = read_jsonl(ENTITY_DIR / "entities.jsonl")
RECORD = {row["name"]: row for row in ENTITIES}
PATTERNS_OF = defaultdict(list)
for row in PATTERNS:
    PATTERNS_OF[row["id"]].append(row)


def gazetteer(name: str) -> list[dict]:
    return read_jsonl(GAZETTEER_DIR / name)


def looks_like_acronym(text: str) -> bool:
    """One token, mostly capitals: NSPCC, MoJ, SECAmb, AF&RS."""
    letters = [char for char in text if char.isalpha()]
    upper = sum(char.isupper() for char in letters)
    return " " not in text and upper >= 2 and upper > len(letters) - upper


def council_names() -> set[str]:
    """Councils the gazetteer already names (areas' official names, county councils)."""
    names = {row["official_name"] for row in gazetteer("areas.jsonl")}
    for county in gazetteer("counties.jsonl"):
        names |= {alias for alias in county["aliases"] if alias.endswith("County Council")}
    return names


# ------------------------------------------------------------------ shape of every line


def test_entity_patterns_have_only_known_keys_and_the_label_of_their_file() -> None:
    for row in PATTERNS:
        line = {key: value for key, value in row.items() if key != "file"}
        assert set(line) <= PATTERN_KEYS, row
        assert {"label", "pattern", "id"} <= set(line), row
        assert row["label"] == LABEL_OF_FILE[row["file"]], row
        assert row.get("acronym", True) is True, row
        assert row.get("case_sensitive", True) is True, row
        assert not (row.get("acronym") and row.get("case_sensitive")), row


def test_entity_patterns_are_clean_non_empty_strings() -> None:
    for row in PATTERNS:
        for key in ("pattern", "id"):
            text = row[key]
            assert isinstance(text, str), row
            assert text.strip(), row
            assert text == text.strip() and "  " not in text, row
            assert "\n" not in text and "\t" not in text, row


def test_entity_records_have_known_kinds_themes_and_scopes() -> None:
    for row in ENTITIES:
        assert set(row) <= ENTITY_KEYS, row
        assert ENTITY_KEYS - {"ambiguous", "federation"} <= set(row), row
        assert row["label"] in KINDS, row
        assert row["kind"] in KINDS[row["label"]], row
        assert isinstance(row["themes"], list), row
        assert set(row["themes"]) <= THEMES, row
        assert len(set(row["themes"])) == len(row["themes"]), row
        assert row["scope"] in SCOPES, row
        assert row["note"].strip() and "\n" not in row["note"], row
        assert row.get("ambiguous", True) is True, row
        # A federation's members are local charities in their own right.
        assert row.get("federation", True) is True and (
            "federation" not in row or row["scope"] == "national"
        ), row


# ------------------------------------------------------------------ consistency


def test_entity_names_are_unique() -> None:
    names = [row["name"] for row in ENTITIES]
    assert len(names) == len(set(names)), sorted(n for n in set(names) if names.count(n) > 1)


def test_every_pattern_id_has_one_record_with_its_label_and_every_record_has_patterns() -> None:
    for row in PATTERNS:
        assert row["id"] in RECORD, f"pattern {row['pattern']!r}: no record named {row['id']!r}"
        assert RECORD[row["id"]]["label"] == row["label"], row
    without_patterns = [name for name in RECORD if not PATTERNS_OF[name]]
    assert without_patterns == []


def test_no_spelling_maps_to_two_entities() -> None:
    """Matched case-insensitively, one spelling must name one entity."""
    owners: dict[str, set[str]] = defaultdict(set)
    for row in PATTERNS:
        owners[row["pattern"].lower()].add(row["id"])
    clashes = {spelling: ids for spelling, ids in owners.items() if len(ids) > 1}
    assert clashes == {}


def test_no_pattern_is_a_pure_case_variant_of_another() -> None:
    """The ruler matches on lower case, so "Pub Watch" and "PUB WATCH" are one line."""
    seen: set[tuple[str, str]] = set()
    for row in PATTERNS:
        key = (row["id"], row["pattern"].lower())
        assert key not in seen, row
        seen.add(key)


def test_canonical_name_is_a_pattern_unless_it_is_an_ordinary_word() -> None:
    """Spot It Stop It is matched as itself; Prevent and Refuge only in phrases."""
    councils = council_names()
    for name, record in RECORD.items():
        spellings = {row["pattern"].lower() for row in PATTERNS_OF[name]}
        if record.get("ambiguous"):
            assert name.lower() not in spellings, f"{name} is ambiguous but matched bare"
        elif record["kind"] == "council" and name in councils:
            continue  # the gazetteer supplies the council's own name
        else:
            assert name.lower() in spellings, name


def test_acronym_lines_are_marked_and_only_acronyms_are() -> None:
    """The consumer matches acronym lines case-sensitively, so "MASH" never matches "mash"."""
    for row in PATTERNS:
        assert looks_like_acronym(row["pattern"]) == bool(row.get("acronym")), row


def test_case_sensitive_lines_are_capitalised_names() -> None:
    """The charity Victim Support, not the victim support any agency gives."""
    exact = [row for row in PATTERNS if row.get("case_sensitive")]
    assert {row["id"] for row in exact} >= {"Victim Support", "Turning Point", "Home Office"}
    for row in exact:
        assert " " in row["pattern"] and any(char.isupper() for char in row["pattern"]), row


def test_area_restricted_acronyms_name_a_gazetteer_council_of_that_area() -> None:
    """BDC, CBC, ECC mean other councils elsewhere: they count only in their own area."""
    areas = {row["name"]: row for row in gazetteer("areas.jsonl")}
    counties = {row["name"]: row for row in gazetteer("counties.jsonl")}
    restricted = [row for row in PATTERNS if "area" in row]
    assert {row["pattern"] for row in restricted} >= {"BDC", "CBC", "ECC"}
    for row in restricted:
        assert row.get("acronym"), row
        if row["area"] in areas:
            assert row["id"] == areas[row["area"]]["official_name"], row
        else:
            assert f"{row['area']} County Council" in counties[row["area"]]["aliases"], row
            assert row["id"] == f"{row['area']} County Council", row
    for name, record in RECORD.items():
        if record["kind"] == "council" and name in council_names():
            assert all("area" in row for row in PATTERNS_OF[name]), name


# ------------------------------------------------------------------ spelling variants


def test_and_and_ampersand_spellings_come_in_pairs() -> None:
    """Safe and Well visits and Safe & Well visits tokenise differently."""
    for name, rows in PATTERNS_OF.items():
        spellings = {row["pattern"].lower() for row in rows}
        for spelling in spellings:
            if " and " in spelling:
                assert spelling.replace(" and ", " & ") in spellings, (name, spelling)
            if " & " in spelling:
                assert spelling.replace(" & ", " and ") in spellings, (name, spelling)


def test_apostrophe_comma_and_hyphen_spellings_are_listed() -> None:
    """Clare's, Clare’s, Clares; Spot It, Stop It and Spot It Stop It; Anti-Social, Anti Social."""
    for name, rows in PATTERNS_OF.items():
        spellings = {row["pattern"].lower() for row in rows}
        for spelling in spellings:
            if "'" in spelling:
                assert spelling.replace("'", "’") in spellings, (name, spelling)
                assert spelling.replace("'", "") in spellings, (name, spelling)
            if "," in spelling:
                assert re.sub(r"\s*,\s*", " ", spelling) in spellings, (name, spelling)
            for hyphenated in re.findall(r"\w+-\w+", spelling):
                spaced = spelling.replace(hyphenated, hyphenated.replace("-", " "))
                assert spaced in spellings, (name, spelling)


# ------------------------------------------------------------------ the gazetteer's share


def test_police_forces_councils_and_places_are_left_to_the_gazetteer() -> None:
    """The consumer adds forces, councils and CSP areas from models/gazetteer itself."""
    gazetteer_names: set[str] = set()
    for row in gazetteer("police_forces.jsonl"):
        gazetteer_names |= {row["name"], *row["aliases"]}
    for row in gazetteer("counties.jsonl"):
        # a combined authority is both a county alias and a partner; county councils are not
        councils = {alias for alias in row["aliases"] if alias.endswith("County Council")}
        gazetteer_names |= {row["name"], *councils}
    for row in gazetteer("areas.jsonl"):
        gazetteer_names |= {row["name"], row["official_name"], *row["aliases"], *row["towns"]}
    for row in gazetteer("joint_csps.jsonl"):
        gazetteer_names |= {row["name"], *row["aliases"]}
    lower = {name.lower() for name in gazetteer_names}
    assert [row["pattern"] for row in PATTERNS if row["pattern"].lower() in lower] == []


def test_partner_bodies_spellings_keep_the_gazetteer_name() -> None:
    """A fire service in both lists must resolve to the same canonical name in both."""
    ours = {row["pattern"].lower(): row["id"] for row in PATTERNS}
    for body in gazetteer("partner_bodies.jsonl"):
        for spelling in [body["name"], *body["aliases"]]:
            if spelling.lower() in ours:
                assert ours[spelling.lower()] == body["name"], spelling


# ------------------------------------------------------------------ national coverage


def entity_of(spelling: str) -> str | None:
    for row in PATTERNS:
        if row["pattern"] == spelling or (
            not row.get("acronym") and row["pattern"].lower() == spelling.lower()
        ):
            return row["id"]
    return None


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Street Pastors", "Street Pastors"),
        ("Ask for Angela", "Ask for Angela"),
        ("Operation Encompass", "Operation Encompass"),
        ("Op Encompass", "Operation Encompass"),
        ("Clares Law", "Clare's Law"),
        ("Clare’s Law", "Clare's Law"),
        ("DVDS", "Clare's Law"),
        ("Spot It, Stop It", "Spot It Stop It"),
        ("Safe & Well visits", "Safe and Well visits"),
        ("Anti Social Behaviour Order", "Anti-Social Behaviour Order"),
        ("Antisocial Behaviour Order", "Anti-Social Behaviour Order"),
        ("Troubled Families", "Supporting Families"),
        ("Channel Panel", "Channel"),
        ("West Midlands Fire Service", "West Midlands Fire Service"),
        ("WMFS", "West Midlands Fire Service"),
        ("North Wales Fire & Rescue Service", "North Wales Fire and Rescue Service"),
        (
            "Mid and West Wales Fire and Rescue Service",
            "Mid and West Wales Fire and Rescue Service",
        ),
        ("Her Majesty's Prison and Probation Service", "HM Prison and Probation Service"),
        ("HMPPS", "HM Prison and Probation Service"),
        ("Kent, Surrey and Sussex CRC", "Kent, Surrey and Sussex Community Rehabilitation Company"),
        (
            "NHS Greater Manchester Integrated Care Board",
            "NHS Greater Manchester Integrated Care Board",
        ),
        ("Cheshire and Merseyside ICB", "NHS Cheshire and Merseyside Integrated Care Board"),
        ("Betsi Cadwaladr University Health Board", "Betsi Cadwaladr University Health Board"),
        ("MOPAC", "Mayor's Office for Policing and Crime"),
        (
            "Police and Crime Commissioner for Thames Valley",
            "Thames Valley Police and Crime Commissioner",
        ),
        (
            "Office of the Police, Fire and Crime Commissioner for Essex",
            "Essex Police, Fire and Crime Commissioner",
        ),
        ("Essex PFCC", "Essex Police, Fire and Crime Commissioner"),
        ("St Giles Trust", "St Giles Trust"),
        ("St. Giles Trust", "St Giles Trust"),
        ("Victim Support", "Victim Support"),
        ("Crimestoppers", "Crimestoppers"),
        ("Addaction", "We Are With You"),
        ("DLUHC", "Ministry of Housing, Communities and Local Government"),
        ("Wales Violence Prevention Unit", "Wales Violence Prevention Unit"),
    ],
)
def test_entity_spellings_from_across_england_and_wales(spelling: str, name: str) -> None:
    assert entity_of(spelling) == name


def test_entity_lists_cover_every_fire_service_and_integrated_care_board() -> None:
    fire = [row for row in ENTITIES if row["kind"] == "fire"]
    icbs = [row for row in ENTITIES if row["name"].endswith("Integrated Care Board")]
    crcs = [row for row in ENTITIES if row["name"].endswith("Community Rehabilitation Company")]
    pccs = [row for row in ENTITIES if row["kind"] == "pcc"]
    # 44 services today (45 in England and Wales counting London and the Isles of
    # Scilly), plus the pre-merger services that older documents name
    assert len([row for row in fire if "until" not in row["note"]]) >= 47
    assert len(icbs) == 42
    assert len(crcs) == 21
    assert len(pccs) >= 41
    assert len(ENTITIES) >= 500


# ------------------------------------------------------------------ on the real sample texts


@cache
def matcher() -> tuple[spacy.language.Language, PhraseMatcher, PhraseMatcher]:
    """How the consumer matches: lower case for spellings, exact text for acronyms."""
    nlp = spacy.blank("en")
    by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_text = PhraseMatcher(nlp.vocab, attr="ORTH")
    for row in PATTERNS:
        exact = row.get("acronym") or row.get("case_sensitive")
        target = by_text if exact else by_lower
        target.add(row["id"], [nlp.make_doc(row["pattern"])])
    return nlp, by_lower, by_text


def entities_in(text: str) -> set[str]:
    nlp, by_lower, by_text = matcher()
    doc = nlp.make_doc(text)
    found = by_lower(doc) + by_text(doc)
    return {nlp.vocab.strings[match_id] for match_id, _, _ in found}


@cache
def sample_entities(stem: str) -> frozenset[str]:
    return frozenset(entities_in(sample(stem, "text").read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        (
            BRAINTREE_2022,
            {
                "J9",
                "Safer Places",
                "Chelsea's Story",
                "Alter Ego Creative Solutions",
                "Spot It Stop It",
                "Essex Police, Fire and Crime Commissioner",
            },
        ),
        (
            BRAINTREE_PACK,
            {
                "SOS+",
                "St Giles Trust",
                "Operation Henderson",
                "Essex County Fire and Rescue Service",
                "Essex Community Rehabilitation Company",
                "NHS Mid Essex Clinical Commissioning Group",
                "Eastlight Community Homes",
                "Braintree District Council",
                "Best Bar None",
                "Clare's Law",
                "Live Well Stay Safe",
            },
        ),
        (
            COLCHESTER_PACK,
            {
                "Operation Luscombe",
                "Operation Sceptre",
                "Operation Emu",
                "Colchester Business Against Crime",
                "Colchester Borough Homes",
                "Colchester City Council",
                "Stop the Traffik",
                "Gangmasters and Labour Abuse Authority",
                "Hate Incident Reporting Centres",
                "National Probation Service",
                "Open Road",
                "Sanctuary Scheme",
                "SOS Bus",
                "Street Pastors",
            },
        ),
    ],
)
def test_entities_of_the_essex_samples_are_found_in_them(stem: str, expected: set[str]) -> None:
    assert expected <= sample_entities(stem), expected - sample_entities(stem)


def test_entities_from_the_safer_essex_prospectus_and_brentwood_plan() -> None:
    assert {
        "Designated Public Place Order",
        "Lift it, Lock it, Lose it",
        "Purple Flag",
        "Crucial Crew",
        "Bang Out Of Order",
        "Keep Safe Project",
    } <= sample_entities(SAFER_ESSEX)
    assert {
        "Operation Insight",
        "Youth Intervention Programme",
        "Brentwood Borough Council",
        "Integrated Offender Management",
        "Neighbourhood Watch",
    } <= sample_entities(BRENTWOOD_PLAN)


def test_ordinary_words_do_not_match_entities() -> None:
    """The verb "prevent", a "safe and well" child and "safe places" are not initiatives."""
    text = (
        "Partners work to prevent crime, channel funding to mind the gap, and keep "
        "children safe and well in safe places. Drive carefully: the brake failed "
        "on the way to the refuge. We respect residents with you. Mash the potatoes "
        "before the Mace Street contest. Officers give victim support from a home office; "
        "it was a turning point on the open road, and a catch 22 for the probation service."
    )
    assert entities_in(text) == set()
