"""Rebuild the CSP-area gazetteer from the ONS lookup and the hand-written supplement.

    python models/gazetteer/build_gazetteer.py

Writes areas.jsonl, counties.jsonl and police_forces.jsonl beside this script (see
README.md there for the fields).  Every lower-tier authority of England and Wales is a
CSP area; areas abolished since 2018 are kept, with their successor, because older
documents name them.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"

KIND_BY_PREFIX = {
    "E06": "unitary authority",
    "E07": "non-metropolitan district",
    "E08": "metropolitan borough",
    "E09": "London borough",
    "W06": "Welsh principal area",
}
REGION_BY_COUNTY = {
    "Greater London": "London",
    "Greater Manchester": "North West",
    "Merseyside": "North West",
    "Cheshire": "North West",
    "Lancashire": "North West",
    "Cumbria": "North West",
    "South Yorkshire": "Yorkshire and the Humber",
    "West Yorkshire": "Yorkshire and the Humber",
    "North Yorkshire": "Yorkshire and the Humber",
    "East Riding of Yorkshire": "Yorkshire and the Humber",
    "Tyne and Wear": "North East",
    "Northumberland": "North East",
    "Durham": "North East",
    "Cleveland": "North East",
    "West Midlands": "West Midlands",
    "Staffordshire": "West Midlands",
    "Warwickshire": "West Midlands",
    "Worcestershire": "West Midlands",
    "Shropshire": "West Midlands",
    "Herefordshire": "West Midlands",
    "Derbyshire": "East Midlands",
    "Nottinghamshire": "East Midlands",
    "Leicestershire": "East Midlands",
    "Rutland": "East Midlands",
    "Lincolnshire": "East Midlands",
    "Northamptonshire": "East Midlands",
    "Essex": "East of England",
    "Hertfordshire": "East of England",
    "Bedfordshire": "East of England",
    "Cambridgeshire": "East of England",
    "Norfolk": "East of England",
    "Suffolk": "East of England",
    "Kent": "South East",
    "Surrey": "South East",
    "East Sussex": "South East",
    "West Sussex": "South East",
    "Hampshire": "South East",
    "Isle of Wight": "South East",
    "Berkshire": "South East",
    "Buckinghamshire": "South East",
    "Oxfordshire": "South East",
    "Cornwall": "South West",
    "Devon": "South West",
    "Somerset": "South West",
    "Dorset": "South West",
    "Wiltshire": "South West",
    "Gloucestershire": "South West",
    "Bristol": "South West",
}
METROPOLITAN_COUNTIES = {
    "Greater Manchester",
    "Merseyside",
    "South Yorkshire",
    "Tyne and Wear",
    "West Midlands",
    "West Yorkshire",
    "Greater London",
}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def council_name(name: str, kind: str) -> str:
    if kind == "London borough":
        return f"London Borough of {name}"
    if kind == "non-metropolitan district":
        return f"{name} District Council"
    if kind == "metropolitan borough":
        return f"{name} Metropolitan Borough Council"
    return f"{name} Council"


def build() -> tuple[list[dict], list[dict], list[dict]]:
    ons = read_jsonl(SOURCES / "ons_ltla21_utla21.jsonl")
    supplement = json.loads((SOURCES / "supplement.json").read_text(encoding="utf-8"))
    renamed = supplement["renamed"]
    force_of_upper = {
        upper: force
        for force, data in supplement["police_forces"].items()
        for upper in data["upper"]
    }
    replaced = supplement["replaced_2023"]
    replaced_by = {old: new for new, data in replaced.items() for old in data["predecessors"]}

    areas: dict[str, dict] = {}
    for row in ons:
        name = renamed.get(row["name"], row["name"])
        kind = KIND_BY_PREFIX[row["code"][:3]]
        upper = row["upper_name"]
        if kind == "non-metropolitan district":
            county = upper
        elif upper == row["name"] and upper in supplement["ceremonial_county"]:
            county = supplement["ceremonial_county"][upper]
        elif kind == "London borough" or name == "City of London":
            county = "Greater London"
        else:
            county = supplement["ceremonial_county"].get(row["name"], upper)
        country = "Wales" if row["code"].startswith("W") else "England"
        areas[name] = {
            "id": row["code"],
            "name": name,
            "official_name": council_name(name, kind),
            "kind": "sui generis" if name in ("City of London", "Isles of Scilly") else kind,
            "county": county,
            "region": "Wales" if country == "Wales" else REGION_BY_COUNTY.get(county),
            "country": country,
            "police_force": force_of_upper.get(upper) or force_of_upper.get(row["name"]),
            "aliases": [],
            "towns": [],
            "ambiguous": False,
            "valid_from": 2021
            if name in ("North Northamptonshire", "West Northamptonshire")
            else None,
            "valid_to": 2022 if name in replaced_by else None,
            "successor": replaced_by.get(name),
            "predecessors": [],
        }
    for new_name, data in replaced.items():
        areas[new_name] = {
            "id": data["code"],
            "name": new_name,
            "official_name": council_name(new_name, "unitary authority"),
            "kind": "unitary authority",
            "county": data["county"],
            "region": REGION_BY_COUNTY.get(data["county"]),
            "country": "England",
            "police_force": data["police"],
            "aliases": [],
            "towns": [],
            "ambiguous": False,
            "valid_from": 2023,
            "valid_to": None,
            "successor": None,
            "predecessors": data["predecessors"],
        }
    for old in supplement["abolished"]:
        successor = areas[old["successor"]]
        areas[old["name"]] = {
            "id": old["name"].lower().replace(" ", "-"),
            "name": old["name"],
            "official_name": council_name(old["name"], "non-metropolitan district"),
            "kind": "non-metropolitan district",
            "county": old["county"],
            "region": REGION_BY_COUNTY.get(old["county"]),
            "country": "England",
            "police_force": successor["police_force"],
            "aliases": old.get("aliases", []),
            "towns": [],
            "ambiguous": False,
            "valid_from": None,
            "valid_to": old["valid_to"],
            "successor": old["successor"],
            "predecessors": [],
        }
        successor["predecessors"].append(old["name"])

    for name, aliases in supplement["aliases"].items():
        areas[name]["aliases"].extend(alias for alias in aliases if alias not in areas)
    ambiguous = set(supplement["ambiguous"])
    for area in areas.values():
        area["ambiguous"] = area["name"] in ambiguous
        area["aliases"] = [a for a in area["aliases"] if a not in ambiguous] + [
            a for a in area["aliases"] if a in ambiguous
        ]

    names = {key.lower() for area in areas.values() for key in [area["name"], *area["aliases"]]}
    town_owner: dict[str, str] = {}
    for name, towns in supplement["towns"].items():
        for town in towns:
            if town.lower() in names:
                continue
            owner = town_owner.get(town)
            # A town named for two areas goes to the current one.
            if owner is None or areas[owner]["valid_to"] is not None:
                town_owner[town] = name
    for old in supplement["abolished"]:
        for town in old.get("towns", []):
            if town.lower() not in names and town not in town_owner:
                town_owner[town] = old["name"]
    for town, owner in sorted(town_owner.items()):
        areas[owner]["towns"].append(town)

    counties = build_counties(areas, supplement)
    forces = [
        {
            "name": force,
            "aliases": data["aliases"],
            "territorial": data.get("territorial", True),
            "areas": sorted(name for name, area in areas.items() if area["police_force"] == force),
        }
        for force, data in sorted(supplement["police_forces"].items())
    ]
    return sorted(areas.values(), key=lambda area: area["name"]), counties, forces


def build_counties(areas: dict[str, dict], supplement: dict) -> list[dict]:
    """Counties and metropolitan counties whose names are not themselves CSP areas."""
    by_county: dict[str, list[str]] = {}
    for area in areas.values():
        if area["country"] == "England" and area["county"]:
            by_county.setdefault(area["county"], []).append(area["name"])
    counties = []
    for county, members in sorted(by_county.items()):
        if county in areas:
            continue
        forces = sorted({areas[m]["police_force"] for m in members if areas[m]["police_force"]})
        counties.append(
            {
                "name": county,
                "aliases": [f"{county} County Council"]
                if county not in METROPOLITAN_COUNTIES
                else [],
                "police_force": forces[0] if len(forces) == 1 else None,
                "region": REGION_BY_COUNTY.get(county),
                "country": "England",
                "kind": "metropolitan county"
                if county in METROPOLITAN_COUNTIES
                else "shire county",
                "areas": sorted(members),
            }
        )
    return counties


def main() -> None:
    areas, counties, forces = build()
    write_jsonl(HERE / "areas.jsonl", areas)
    write_jsonl(HERE / "counties.jsonl", counties)
    write_jsonl(HERE / "police_forces.jsonl", forces)
    current = [area for area in areas if area["valid_to"] is None]
    print(
        f"{len(areas)} areas ({len(current)} current), {len(counties)} counties, "
        f"{len(forces)} police forces"
    )


if __name__ == "__main__":
    main()
