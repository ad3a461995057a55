"""The hand-labelled evaluation set in models/eval/ is well formed and still matches the corpus.

The set is only honest while its texts are exactly what the pipeline extracts today and
its held-out sections follow the documented rule; these tests fail when either drifts, so
the labels get re-checked instead of silently scoring against stale text.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from ingest.model import TRACE_STATUSES, DocType
from ingest.nlp.themes import theme_names
from ingest.paths import CORPUS_DIR, MODELS_DIR
from ingest.pipeline.extract import extract_file

EVAL_DIR = MODELS_DIR / "eval"
DEV_DIR = MODELS_DIR / "dev"
REPO_DIR = CORPUS_DIR.parent

# The held-out rule (models/eval/README.md): sections numbered a multiple of 3 with at least
# 25 words; the two agenda packs would give far more than their share, so every 6th there.
MIN_WORDS = 25
DEFAULT_STEP = 3
STEP_BY_SOURCE = {
    "corpus/text/000_cbfd611bb349a817.txt": 6,
    "corpus/text/004_ab386c09ba5ad95e.txt": 6,
}

LABELS = {"INITIATIVE", "PARTNER", "FIGURE"}
UNITS = {"GBP", "count", "percent", "rate"}
DIRECTIONS = {"increase", "decrease", None}
NUMBER_WORD = re.compile(
    r"(?i)(a )?(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|third|quarter)"
)
THEMES = set(theme_names())  # the taxonomy in models/themes/themes.jsonl


def read_jsonl(name: str, folder: Path = EVAL_DIR) -> list[dict]:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def corpus_documents() -> dict[tuple[str, int], dict]:
    """Every document the splitter finds in the corpus texts, keyed by (source, part)."""
    return documents_in(CORPUS_DIR / "text")


@cache
def documents_in(folder: Path) -> dict[tuple[str, int], dict]:
    documents = {}
    for path in sorted(folder.iterdir()):
        source = path.relative_to(REPO_DIR).as_posix()
        for document in extract_file(path).documents:
            documents[(source, document.part)] = document
    return documents


def held_out_by_rule() -> dict[str, tuple[str, str]]:
    """section_id -> (source, text) for the sections the rule selects today."""
    selected = {}
    for (source, _part), document in corpus_documents().items():
        step = STEP_BY_SOURCE.get(source, DEFAULT_STEP)
        for section in document.sections:
            number = int(section.section_id.split(":")[1])
            if number % step == 0 and len(section.text.split()) >= MIN_WORDS:
                selected[section.section_id] = (source, section.text)
    return selected


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


ENTITIES = read_jsonl("entities.jsonl")
PRIORITIES = read_jsonl("priorities.jsonl")
ATTRIBUTION = read_jsonl("attribution.jsonl")
GAZETTEER_NAMES = {
    json.loads(line)["name"]
    for line in (MODELS_DIR / "gazetteer" / "areas.jsonl").read_text().splitlines()
}


def test_eval_data_entities_cover_exactly_the_held_out_sections() -> None:
    labelled = {row["section_id"]: (row["source"], row["text"]) for row in ENTITIES}
    assert len(labelled) == len(ENTITIES), "a section is labelled twice"
    assert labelled == held_out_by_rule(), (
        "the held-out sections or their texts changed: re-derive and re-check the labels"
    )


def test_eval_data_held_out_spread_over_every_corpus_file() -> None:
    sources = {row["source"] for row in ENTITIES}
    assert sources == {source for source, _part in corpus_documents()}
    assert 50 <= len(ENTITIES) <= 80


@pytest.mark.parametrize("row", ENTITIES, ids=lambda row: row["section_id"])
def test_eval_data_entity_spans_are_valid(row: dict) -> None:
    text = row["text"]
    previous_end = 0
    for span in row["spans"]:
        assert span["label"] in LABELS
        assert 0 <= span["start"] < span["end"] <= len(text)
        assert span["text"] == text[span["start"] : span["end"]]
        assert span["text"] == span["text"].strip(" \t\n'\"‘’“”.,;:()"), span
        assert span["start"] >= previous_end, f"overlapping or unordered span {span}"
        previous_end = span["end"]
        if span["label"] == "FIGURE":
            assert span["unit"] in UNITS
            assert span["direction"] in DIRECTIONS
            assert span["counted"] is None or span["counted"].strip()
            assert re.search(r"\d", span["text"]) or NUMBER_WORD.fullmatch(span["text"]), span
        else:
            assert span["canonical"].strip()
            assert not span["text"].lower().startswith("the "), span


def test_eval_data_every_label_is_used() -> None:
    counts = {label: 0 for label in LABELS}
    for row in ENTITIES:
        for span in row["spans"]:
            counts[span["label"]] += 1
    assert all(count >= 50 for count in counts.values()), counts


def test_eval_data_documents_match_the_splitter() -> None:
    documents = corpus_documents()
    for rows in (PRIORITIES, ATTRIBUTION):
        assert [(row["source"], row["part"]) for row in rows] == list(documents)
    for row in ATTRIBUTION:
        assert row["title"] == documents[(row["source"], row["part"])].title
    for row in PRIORITIES:
        assert row["document_title"] == documents[(row["source"], row["part"])].title


@pytest.mark.parametrize("row", ATTRIBUTION, ids=lambda row: f"{row['source']}#{row['part']}")
def test_eval_data_attribution_values_are_valid(row: dict) -> None:
    assert row["doc_type"] in {doc_type.value for doc_type in DocType}
    assert set(row["districts"]) <= GAZETTEER_NAMES
    assert row["districts"] or row["county"]
    assert 2000 <= row["year_from"] <= row["year_to"] <= 2030


@pytest.mark.parametrize("row", PRIORITIES, ids=lambda row: f"{row['source']}#{row['part']}")
def test_eval_data_priorities_are_stated_in_their_document(row: dict) -> None:
    document = corpus_documents()[(row["source"], row["part"])]
    # Priorities are often headings ("Priority One - ..."), so headings count as text.
    document_text = squash(
        " ".join(" ".join([*section.heading_path, section.text]) for section in document.sections)
    )
    assert row["district"] is None or row["district"] in GAZETTEER_NAMES
    for priority in row["priorities"]:
        assert squash(priority["text"]) in document_text, priority["text"]
        assert set(priority["themes"]) <= THEMES, priority
        assert abs(priority["year"] - row["year"]) <= 1


COMMITMENTS = read_jsonl("commitments.jsonl")
DEV_COMMITMENTS = read_jsonl("commitments.jsonl", DEV_DIR)
OTHER_AREAS_COMMITMENTS = read_jsonl("commitments_other_areas.jsonl", DEV_DIR)
COMMITMENT_KINDS = {"action_row", "we_will", "next_year_priority", "resolution", "minutes_action"}


def document_text(source: str, title: str) -> str:
    """A document's text with its headings, found by source and title."""
    documents = {**corpus_documents(), **documents_in(DEV_DIR / "docs")}
    matching = [d for (s, _), d in documents.items() if s == source and d.title == title]
    assert len(matching) == 1, (source, title)
    return squash(
        " ".join(" ".join([*s.heading_path, s.text]) for s in matching[0].sections)
    ).replace(" | ", " ")


@pytest.mark.parametrize(
    "row", COMMITMENTS + DEV_COMMITMENTS + OTHER_AREAS_COMMITMENTS, ids=lambda row: row["text"][:40]
)
def test_eval_data_commitments_and_quotes_are_in_their_documents(row: dict) -> None:
    assert row["kind"] in COMMITMENT_KINDS
    assert row["status"] in TRACE_STATUSES
    assert row["district"] in GAZETTEER_NAMES
    assert squash(row["text"]) in document_text(row["source"], row["document_title"])
    # Evidence goes with a status that says something was found, and only then.
    found = row["status"] not in ("no later mention found", "no later documents")
    assert bool(row["evidence"]) == found
    for evidence in row["evidence"]:
        text = document_text(evidence["source"], evidence["document_title"])
        for quote in evidence["quotes"]:
            assert squash(quote) in text, quote


def test_dev_set_shares_no_commitment_with_the_eval_set() -> None:
    """models/dev is the tuning set: a commitment in both would leak the eval set into it."""
    labelled = {(row["source"], squash(row["text"])) for row in COMMITMENTS}
    assert len(DEV_COMMITMENTS) >= 40
    for row in DEV_COMMITMENTS:
        text = squash(row["text"])
        assert not any(
            source == row["source"] and (text in other or other in text)
            for source, other in labelled
        ), row["text"]
