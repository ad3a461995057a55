"""What the golden files in tests/golden/ hold: the whole extraction of each sample.

For each document: title, type, areas, county, period, pages, canonical entity names by
label, priorities and commitments; for each section: heading path, pages, areas, years
and a hash of its text.  `scripts/regenerate_golden.py` writes them; the tests only read.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ingest.model import Document, Section
from ingest.pipeline.extract import extract_file

from samples import ALL_SAMPLES, sample

GOLDEN = Path(__file__).parent / "golden"
KINDS = ("text", "pdf")


def golden_path(stem: str, kind: str) -> Path:
    return GOLDEN / f"{stem}.{kind}.json"


def text_hash(text: str) -> str:
    """The first 16 hex digits of the text's SHA-256: any change to it shows."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def summary(path: Path) -> dict:
    return {"documents": [document_summary(doc) for doc in extract_file(path).documents]}


def document_summary(doc: Document) -> dict:
    entities: dict[str, set[str]] = {}
    for section in doc.sections:
        for mention in section.mentions:
            entities.setdefault(mention.label, set()).add(mention.canonical)
    return {
        "title": doc.title,
        "doc_type": doc.doc_type.value,
        "areas": doc.districts,
        "county": doc.county,
        "year_from": doc.year_from,
        "year_to": doc.year_to,
        "pages": [doc.page_start, doc.page_end],
        "entities": {label: sorted(names) for label, names in sorted(entities.items())},
        "priorities": [
            {"text": p.text, "themes": p.themes, "year": p.year, "page": p.page}
            for p in doc.priorities
        ],
        "commitments": [
            {"kind": c.kind, "page": c.page, "year": c.year, "text_sha256": text_hash(c.text)}
            for c in doc.commitments
        ],
        "sections": [section_summary(section) for section in doc.sections],
    }


def section_summary(section: Section) -> dict:
    return {
        "heading_path": section.heading_path,
        "pages": [section.page_start, section.page_end],
        "areas": section.districts,
        "years": [section.year_from, section.year_to],
        "text_sha256": text_hash(section.text),
    }


def dumps(value: object, indent: str = "", in_list: bool = False) -> str:
    """JSON with one line per section, priority and commitment, so a change to one shows
    as one changed line in a diff."""
    inner = indent + "  "
    if isinstance(value, dict) and not (in_list and all(map(is_flat, value.values()))):
        items = [f"{inner}{json.dumps(key)}: {dumps(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and not (is_flat(value) and len(line(value)) <= 100):
        items = [f"{inner}{dumps(item, inner, in_list=True)}" for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return line(value)


def line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def is_flat(value: object) -> bool:
    """A scalar or a list of scalars."""
    if isinstance(value, list):
        return all(map(is_flat, value)) and not any(isinstance(item, list) for item in value)
    return not isinstance(value, dict)


def regenerate() -> list[Path]:
    """Write every golden file from the current code; the files that changed."""
    changed = []
    for stem in ALL_SAMPLES:
        for kind in KINDS:
            path = golden_path(stem, kind)
            text = dumps(summary(sample(stem, kind))) + "\n"
            if not path.exists() or path.read_text() != text:
                path.write_text(text)
                changed.append(path)
    return changed
