"""`csp eval --set real`: attribution, titles, entities and figures on real public
publications (models/real, see its README), with every error listed.

The texts are copies of public pages from all over England and Wales, labelled by
someone who had not read this code; the PDFs are real council and police publications
from public repositories, which are not committed (models/real/fetch_pdfs.md says how to
bring them back) and are scored when their folder is given.

A file may hold several documents (a pack); its labels describe the file's main
document, taken as the one with the most text.  Areas are right when the sets of CSP
areas agree; the period when both financial years agree (a label without one wants
none); the title when it and the label share nearly all their words (rapidfuzz's token
set ratio).  Entities and figures are matched by label and text, as many times as each
occurs, since the labels' offsets are into the file and ours into the extracted text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from ingest.attribution.gazetteer import load_gazetteer, read_jsonl
from ingest.errors import ReaderError
from ingest.model import DocType, Document
from ingest.nlp.linking import normalise
from ingest.paths import MODELS_DIR
from ingest.pipeline.extract import Extraction, extract_file

REAL_DIR = MODELS_DIR / "real"
TITLE_MATCH = 80
SCORED_LABELS = ("INITIATIVE", "PARTNER", "FIGURE")


@dataclass
class Tally:
    """Right answers of one measure, with what was wrong each time."""

    right: int = 0
    total: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, correct: bool, error: str) -> None:
        self.total += 1
        self.right += correct
        if not correct:
            self.errors.append(error)

    def to_dict(self) -> dict:
        accuracy = round(self.right / self.total, 3) if self.total else None
        return {"accuracy": accuracy, "right": self.right, "total": self.total}


@dataclass
class Matches:
    """Entity mentions matched as multisets of (label, text) per file."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, gold: Counter[str], found: Counter[str], where: str) -> None:
        self.true_positives += sum((gold & found).values())
        extra, missed = found - gold, gold - found
        self.false_positives += sum(extra.values())
        self.false_negatives += sum(missed.values())
        self.errors.extend(f"extra {text!r} in {where}" for text in sorted(extra))
        self.errors.extend(f"missed {text!r} in {where}" for text in sorted(missed))

    def to_dict(self) -> dict:
        found = self.true_positives + self.false_positives
        wanted = self.true_positives + self.false_negatives
        precision = self.true_positives / found if found else 0.0
        recall = self.true_positives / wanted if wanted else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "gold": wanted,
            "predicted": found,
        }


def main_document(extraction: Extraction) -> Document | None:
    """The document with the most text: the one a single-document label describes.  A
    meeting's papers are labelled as the pack (an agenda, its parts listed apart): where
    the file opens with an agenda and bundles other documents, that opening, whose
    attribution is the pack's, stands for it."""
    documents = extraction.documents
    if len(documents) > 1 and documents[0].doc_type == DocType.AGENDA:
        return documents[0]
    return max(
        extraction.documents,
        key=lambda document: sum(len(section.text) for section in document.sections),
        default=None,
    )


def same_title(found: str, wanted: str) -> bool:
    return fuzz.token_set_ratio(normalise(found), normalise(wanted)) >= TITLE_MATCH


def years_of(row: dict) -> tuple[int | None, int | None]:
    first = row.get("year_from")
    return first, row.get("year_to") if row.get("year_to") is not None else first


def score_attribution(
    row: dict, document: Document | None, tallies: dict[str, Tally], where: str
) -> None:
    """Areas, period, type and title of one labelled file against its main document."""
    if document is None:
        for tally in tallies.values():
            tally.add(False, f"{where}: no document")
        return
    wanted_areas = set(row["areas"])
    tallies["areas"].add(
        set(document.districts) == wanted_areas,
        f"{where}: areas {sorted(document.districts)} (county {document.county}), "
        f"labelled {sorted(wanted_areas)}",
    )
    found_years = (document.year_from, document.year_to or document.year_from)
    tallies["period"].add(
        found_years == years_of(row),
        f"{where}: period {document.period}, labelled {years_of(row)}",
    )
    tallies["doc_type"].add(
        document.doc_type.value == row["doc_type"],
        f"{where}: type {document.doc_type.value}, labelled {row['doc_type']}",
    )
    tallies["title"].add(
        same_title(document.title, row["title"]),
        f"{where}: title {document.title[:70]!r}, labelled {row['title'][:70]!r}",
    )


def found_mentions(extraction: Extraction) -> dict[str, Counter[str]]:
    """What the extraction found in the whole file, by label, as normalised texts."""
    found: dict[str, Counter[str]] = {label: Counter() for label in SCORED_LABELS}
    for document in extraction.documents:
        for section in document.sections:
            for mention in section.mentions:
                if mention.label in found:
                    found[mention.label][normalise(mention.text)] += 1
            for figure in section.figures:
                found["FIGURE"][normalise(figure.text)] += 1
    return found


def gold_mentions(row: dict) -> dict[str, Counter[str]]:
    gold: dict[str, Counter[str]] = {label: Counter() for label in SCORED_LABELS}
    for span in row["spans"]:
        gold[span["label"]][normalise(span["text"])] += 1
    return gold


def evaluate_texts(real_dir: Path = REAL_DIR) -> dict:
    """Attribution of every labelled text, and entities of the texts with entity labels."""
    tallies = {name: Tally() for name in ("areas", "period", "doc_type", "title")}
    entities = {label: Matches() for label in SCORED_LABELS}
    spans = {row["id"]: row for row in read_jsonl(real_dir / "entities.jsonl")}
    unreadable = []
    for row in read_jsonl(real_dir / "attribution.jsonl"):
        where = f"{row['id']} ({row['file']})"
        try:
            extraction = extract_file(real_dir / row["file"])
        except ReaderError as error:
            unreadable.append(f"{where}: {error}")
            continue
        score_attribution(row, main_document(extraction), tallies, where)
        if row["id"] in spans:
            found = found_mentions(extraction)
            gold = gold_mentions(spans[row["id"]])
            for label in SCORED_LABELS:
                entities[label].add(gold[label], found[label], where)
    return {
        "texts": sum(tally.total for tally in tallies.values()) // len(tallies),
        "attribution": {name: tally.to_dict() for name, tally in tallies.items()},
        "entities": {label: matches.to_dict() for label, matches in entities.items()},
        "texts_with_entity_labels": len(spans),
        "unreadable": unreadable,
        "errors": {
            **{name: tally.errors for name, tally in tallies.items()},
            **{label: matches.errors for label, matches in entities.items()},
        },
    }


def outside_county(document: Document, row: dict) -> list[str]:
    """Areas found that lie outside the county the labels put the document in, unless
    the labels say the document is about them."""
    gazetteer = load_gazetteer()
    counties = {gazetteer.county_of(area) for area in row["areas"]} - {None}
    if row.get("county"):
        counties.add(row["county"])
    return sorted(
        area
        for area in document.districts
        if area not in row["areas"] and counties and gazetteer.county_of(area) not in counties
    )


def evaluate_pdfs(pdf_dir: Path, real_dir: Path = REAL_DIR) -> dict:
    """Title, type, period and main area of each labelled real PDF found in `pdf_dir`, and
    the areas outside its county; the PDFs not there are listed, not scored."""
    names = ("title", "doc_type", "period", "main_area", "no_outside_area")
    tallies = {name: Tally() for name in names}
    missing, unreadable = [], []
    for row in read_jsonl(real_dir / "pdf_labels.jsonl"):
        path = pdf_dir / row["file"]
        where = f"PDF {row['id']} ({row['file']})"
        if not path.exists():
            missing.append(row["file"])
            continue
        try:
            document = main_document(extract_file(path))
        except ReaderError as error:
            unreadable.append(f"{where}: {error}")
            continue
        if document is None:
            for tally in tallies.values():
                tally.add(False, f"{where}: no document")
            continue
        tallies["title"].add(
            same_title(document.title, row["title"]),
            f"{where}: title {document.title[:70]!r}, labelled {row['title'][:70]!r}",
        )
        tallies["doc_type"].add(
            document.doc_type.value == row["doc_type"],
            f"{where}: type {document.doc_type.value}, labelled {row['doc_type']}",
        )
        tallies["period"].add(
            (document.year_from, document.year_to or document.year_from) == years_of(row),
            f"{where}: period {document.period}, labelled {years_of(row)}",
        )
        main_area = row.get("main_area")
        found_main = document.districts[0] if document.districts else None
        tallies["main_area"].add(
            found_main == main_area if main_area else not document.districts,
            f"{where}: first area {found_main} of {document.districts}, labelled {main_area}",
        )
        outside = outside_county(document, row)
        tallies["no_outside_area"].add(not outside, f"{where}: areas outside its county {outside}")
    return {
        "pdfs": {name: tally.to_dict() for name, tally in tallies.items()},
        "missing": missing,
        "unreadable": unreadable,
        "errors": {name: tally.errors for name, tally in tallies.items()},
    }


def evaluate_real(pdf_dir: Path | None = None, real_dir: Path = REAL_DIR) -> dict:
    report = {"texts": evaluate_texts(real_dir)}
    if pdf_dir is not None:
        report["pdfs"] = evaluate_pdfs(pdf_dir, real_dir)
    return report


def format_real_report(report: dict) -> str:
    texts = report["texts"]
    lines = [f"Real public texts in {REAL_DIR} ({texts['texts']} labelled)", ""]
    for name, tally in texts["attribution"].items():
        lines.append(f"  {name:10} {tally['accuracy']}  ({tally['right']} of {tally['total']})")
    lines.append(f"Entities ({texts['texts_with_entity_labels']} texts with entity labels):")
    lines.append(f"  {'label':12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for label, score in texts["entities"].items():
        lines.append(
            f"  {label:12} {score['precision']:6.3f} {score['recall']:6.3f} "
            f"{score['f1']:6.3f} {score['gold']:6d}"
        )
    pdfs = report.get("pdfs")
    if pdfs is not None:
        lines.append("")
        lines.append("Real PDFs:")
        for name, tally in pdfs["pdfs"].items():
            lines.append(f"  {name:16} {tally['accuracy']}  ({tally['right']} of {tally['total']})")
        if pdfs["missing"]:
            lines.append(f"  not in the folder, not scored: {len(pdfs['missing'])}")
    lines.append("")
    lines.append("Errors:")
    for section in (texts, pdfs or {}):
        for name, errors in section.get("errors", {}).items():
            for error in errors:
                lines.append(f"  [{name}] {error}")
        for error in section.get("unreadable", []):
            lines.append(f"  [unreadable] {error}")
    return "\n".join(lines)
