"""The real development set in models/real/ is well formed: every text is the copy its
provenance names (sha256), every label uses the gazetteer's names and the fixed types,
and every evidence quote is in its text.  The set's sizes are those the README states."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from ingest.attribution.gazetteer import load_gazetteer
from ingest.model import DocType
from ingest.paths import MODELS_DIR

REAL_DIR = MODELS_DIR / "real"
DOC_TYPES = {doc_type.value for doc_type in DocType}


@cache
def rows(name: str) -> list[dict]:
    with open(REAL_DIR / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_real_texts_are_the_copies_their_provenance_names() -> None:
    files = sorted(f"docs/{path.name}" for path in (REAL_DIR / "docs").iterdir())
    assert [row["file"] for row in rows("provenance.jsonl")] == files
    assert [row["file"] for row in rows("attribution.jsonl")] == files
    for row in rows("provenance.jsonl"):
        data = (REAL_DIR / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["id"]
        assert row["file"].startswith(f"docs/{row['id']}_"), row["id"]
        assert row["url"].startswith("http"), row["id"]
        data.decode("utf-8")


def test_real_set_covers_the_country() -> None:
    labels = rows("attribution.jsonl")
    areas = {area for row in labels for area in row["areas"]}
    assert len(labels) >= 160
    assert len(areas) >= 65
    assert {row["doc_type"] for row in labels} >= {"minutes", "partnership plan", "other"}


@pytest.mark.parametrize("row", rows("attribution.jsonl"), ids=lambda row: row["id"])
def test_real_labels_use_known_names_and_quote_their_text(row: dict) -> None:
    gazetteer = load_gazetteer()
    assert set(row["areas"]) <= set(gazetteer.areas), row["areas"]
    assert len(set(row["areas"])) == len(row["areas"])
    assert row["doc_type"] in DOC_TYPES
    if row["county"] is not None:
        assert row["county"] in gazetteer.counties or row["county"] in gazetteer.areas
    first, last = row["year_from"], row["year_to"]
    assert (first is None) == (last is None)
    if first is not None:
        assert 1998 <= first <= last <= 2030
    if row["date"] is not None:
        datetime.date.fromisoformat(row["date"])
    assert row["title"] and row["evidence"]
    text = flat((REAL_DIR / row["file"]).read_text(encoding="utf-8"))
    for quote in row["evidence"]:
        for part in filter(None, (piece.strip() for piece in quote.split("..."))):
            assert flat(part) in text, part


def test_real_pdf_labels_name_their_source_and_known_areas() -> None:
    gazetteer = load_gazetteer()
    provenance = {row["id"]: row for row in rows("pdfs.jsonl")}
    labels = rows("pdf_labels.jsonl")
    assert len(labels) >= 15
    assert Counter(row["id"] for row in labels).most_common(1)[0][1] == 1
    for row in labels:
        source = provenance[row["id"]]
        assert len(source["commit"]) == 40 and source["repository"] and source["path"]
        assert len(source["sha256"]) == 64
        assert set(row["areas"]) <= set(gazetteer.areas), row["areas"]
        assert row["doc_type"] in DOC_TYPES


def test_real_pdfs_when_present_are_the_labelled_bytes() -> None:
    """The PDFs are not committed (they came out of other repositories); where a copy is
    at $CSP_REAL_PDFS it must be the one labelled."""
    folder = real_pdf_folder()
    if folder is None:
        pytest.skip("no real PDFs here: set CSP_REAL_PDFS (models/real/fetch_pdfs.md)")
    for row in rows("pdfs.jsonl"):
        path = folder / row["file"]
        if path.exists():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"], row["file"]


def real_pdf_folder() -> Path | None:
    folder = os.environ.get("CSP_REAL_PDFS")
    return Path(folder) if folder and Path(folder).is_dir() else None


def test_real_search_questions_judge_real_texts() -> None:
    """models/real/queries.jsonl: questions with graded judgements over the real texts
    (the relevance benchmark's set)."""
    texts = {path.name[:3] for path in (REAL_DIR / "docs").iterdir()}
    questions = rows("queries.jsonl")
    assert len(questions) >= 65
    assert len({question["id"] for question in questions}) == len(questions)
    for question in questions:
        assert question["query"].strip() and question["kind"], question["id"]
        assert question["relevant"], question["id"]
        assert set(question["relevant"]) <= texts, question["id"]
        assert set(question["relevant"].values()) <= {1, 2}, question["id"]


@pytest.mark.parametrize("row", rows("entities.jsonl"), ids=lambda row: row["id"])
def test_real_entity_spans_cut_their_text(row: dict) -> None:
    """models/real/entities.jsonl: every span is the text its offsets cut from the file,
    with a known label (and a known unit and direction for a figure)."""
    provenance = {source["id"]: source for source in rows("provenance.jsonl")}
    assert provenance[row["id"]]["file"] == row["file"]
    text = (REAL_DIR / row["file"]).read_text(encoding="utf-8")
    ends: dict[str, int] = {}
    for span in row["spans"]:
        assert text[span["start"] : span["end"]] == span["text"], span
        assert span["label"] in {"INITIATIVE", "PARTNER", "FIGURE"}
        assert span["start"] >= ends.get(span["label"], 0), f"overlap at {span}"
        ends[span["label"]] = span["end"]
        if span["label"] == "FIGURE":
            assert span["unit"] in {"GBP", "count", "percent", "rate"}
            assert span.get("direction") in {"increase", "decrease", None}
        else:
            assert span["canonical"].strip()
