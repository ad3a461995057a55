"""`csp eval`: how well extraction and attribution do on the hand-labelled set in
models/eval, which is never trained on (see models/eval/README.md).  `csp eval --set dev`
scores commitment tracing alone on models/dev, the set tracing is tuned on
(models/dev/README.md), so that the eval set's errors never steer it.

Entities are scored two ways: exact spans (the mention's label, start and end all
agree) and, closer to what users see, canonical entities per section (the set of
initiatives and partners a section names, compared by canonical name).  Figures are
scored on exact spans, with the unit checked on the ones found.  Priorities are matched
per document by fuzzy text (rapidfuzz), with the first theme checked on the ones found.
Attribution compares each document's areas, period and type with the labels.

Commitments are traced on a fresh index of the folders their labels come from: a
labelled commitment is extracted when a commitment of the same file and CSP has nearly
its text; a link is one later document a commitment is traced to, right when the labels
name that document and the quoted sentence matches one of its labelled quotes (a link to
the right document with the wrong sentence is both a false link and a missed one); the
status of each extracted commitment is compared with its label.  Links are scored end to
end, so a commitment not extracted misses all its links.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from ingest.attribution.gazetteer import read_jsonl
from ingest.nlp.linking import normalise
from ingest.paths import CORPUS_DIR, MODELS_DIR
from ingest.pipeline.extract import Extraction, extract_file

EVAL_DIR = MODELS_DIR / "eval"
DEV_DIR = MODELS_DIR / "dev"
PRIORITY_MATCH = 85
COMMITMENT_MATCH = 90
MIN_PART_CHARS = 40
STRICTER_SCORES = (0.5, 0.55, 0.6, 0.7)
QUOTE_MATCH = 85
ENTITY_LABELS = ("INITIATIVE", "PARTNER")
# Figures in prose and in table cells are scored apart as well: a crime-statistics table
# has hundreds of bare numbers and would otherwise drown the prose figures users quote.
FIGURE_PLACES = ("FIGURE prose", "FIGURE table")


def figure_place(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return "FIGURE table" if " | " in line else "FIGURE prose"


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, gold: set, predicted: set, describe: str = "") -> None:
        self.true_positives += len(gold & predicted)
        self.false_positives += len(predicted - gold)
        self.false_negatives += len(gold - predicted)
        for item in sorted(map(str, predicted - gold))[:3]:
            self.errors.append(f"extra {item} {describe}".strip())
        for item in sorted(map(str, gold - predicted))[:3]:
            self.errors.append(f"missed {item} {describe}".strip())

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "gold": self.true_positives + self.false_negatives,
            "predicted": self.true_positives + self.false_positives,
        }


def corpus_path(source: str) -> Path:
    """A labelled file's path: 'corpus/text/x.txt' is CORPUS_DIR/text/x.txt, and
    'models/dev/docs/x.md' (the development set's own documents) MODELS_DIR/dev/docs/x.md."""
    relative = Path(source)
    if relative.parts and relative.parts[0] == "models":
        return MODELS_DIR / Path(*relative.parts[1:])
    if relative.parts and relative.parts[0] == "corpus":
        relative = Path(*relative.parts[1:])
    return CORPUS_DIR / relative


def commitment_labels(folder: Path) -> dict[str, list[dict]]:
    """The labelled commitments of a set, by labels file: every `commitments*.jsonl` in
    its folder (the development set adds documents of other areas in a second file)."""
    return {path.name: read_jsonl(path) for path in sorted(folder.glob("commitments*.jsonl"))}


@lru_cache(maxsize=16)
def extraction_of(source: str) -> Extraction:
    return extract_file(corpus_path(source))


def evaluate_entities(eval_dir: Path = EVAL_DIR) -> dict:
    from ingest.nlp.entities import entity_pipeline

    nlp = entity_pipeline()
    rows = read_jsonl(eval_dir / "entities.jsonl")
    spans = {label: Score() for label in (*ENTITY_LABELS, "FIGURE", *FIGURE_PLACES)}
    per_section = {label: Score() for label in ENTITY_LABELS}
    units: Counter[str] = Counter()
    for row, doc in zip(rows, nlp.pipe(row["text"] for row in rows), strict=True):
        where = f"in {row.get('section_id', '?')}"
        for label in ENTITY_LABELS:
            gold = [s for s in row["spans"] if s["label"] == label]
            found = [ent for ent in doc.ents if ent.label_ == label]
            spans[label].add(
                {(s["start"], s["end"], s["text"]) for s in gold},
                {(e.start_char, e.end_char, e.text) for e in found},
                where,
            )
            per_section[label].add(
                {our_key(label, s.get("canonical") or s["text"]) for s in gold},
                {normalise(e.kb_id_) for e in found},
                where,
            )
        gold_figures = {(s["start"], s["end"]): s for s in row["spans"] if s["label"] == "FIGURE"}
        found_figures = {(f.start, f.end): f for f in doc._.figures or []}
        text = row["text"]
        gold_set = {(start, end, text[start:end]) for start, end in gold_figures}
        found_set = {(start, end, text[start:end]) for start, end in found_figures}
        spans["FIGURE"].add(gold_set, found_set, where)
        for place in FIGURE_PLACES:
            spans[place].add(
                {item for item in gold_set if figure_place(text, item[0]) == place},
                {item for item in found_set if figure_place(text, item[0]) == place},
                where,
            )
        for key in gold_figures.keys() & found_figures.keys():
            units[
                "right" if gold_figures[key].get("unit") == found_figures[key].unit else "wrong"
            ] += 1
    checked = units["right"] + units["wrong"]
    return {
        "sections": len(rows),
        "spans": {label: score.to_dict() for label, score in spans.items()},
        "entities_per_section": {label: score.to_dict() for label, score in per_section.items()},
        "figure_unit_accuracy": round(units["right"] / checked, 3) if checked else None,
        "examples_of_errors": {
            label: score.errors[:8] for label, score in {**spans}.items() if score.errors
        },
    }


def our_key(label: str, name: str) -> str:
    """A labelled canonical name in our naming: 'Independent Domestic Violence Advisor'
    and 'IDVA' are one entity when our alias data says so."""
    from ingest.nlp.linking import load_linker

    linked = load_linker().link(label, name)
    return normalise(linked.canonical if linked else name)


def evaluate_priorities(eval_dir: Path = EVAL_DIR) -> dict:
    score = Score()
    themes: Counter[str] = Counter()
    for row in read_jsonl(eval_dir / "priorities.jsonl"):
        document = matching_document(row)
        predicted = [priority for priority in document.priorities] if document else []
        gold = list(row["priorities"])
        matched_gold: set[int] = set()
        matched_predicted: set[int] = set()
        for g, wanted in enumerate(gold):
            for p, found in enumerate(predicted):
                if p in matched_predicted:
                    continue
                if (
                    fuzz.token_set_ratio(wanted["text"].lower(), found.text.lower())
                    >= PRIORITY_MATCH
                ):
                    matched_gold.add(g)
                    matched_predicted.add(p)
                    wanted_themes = wanted.get("themes") or []
                    if wanted_themes:
                        themes["right" if found.themes[:1] == wanted_themes[:1] else "wrong"] += 1
                    break
        score.true_positives += len(matched_gold)
        score.false_negatives += len(gold) - len(matched_gold)
        score.false_positives += len(predicted) - len(matched_predicted)
        title = row.get("document_title", row["source"])
        score.errors += [
            f"missed {gold[g]['text']!r} in {title}"
            for g in range(len(gold))
            if g not in matched_gold
        ][:3]
        score.errors += [
            f"extra {predicted[p].text!r} in {title}"
            for p in range(len(predicted))
            if p not in matched_predicted
        ][:3]
    checked = themes["right"] + themes["wrong"]
    return {
        **score.to_dict(),
        "theme_accuracy": round(themes["right"] / checked, 3) if checked else None,
        "examples_of_errors": score.errors[:10],
    }


def matching_document(row: dict):
    """The extracted document a priorities label is about (by its part number)."""
    documents = extraction_of(row["source"]).documents
    return next((document for document in documents if document.part == row["part"]), None)


def evaluate_attribution(eval_dir: Path = EVAL_DIR) -> dict:
    counts: Counter[str] = Counter()
    errors = []
    rows = read_jsonl(eval_dir / "attribution.jsonl")
    for row in rows:
        documents = extraction_of(row["source"]).documents
        document = next((d for d in documents if d.part == row["part"]), None)
        if document is None:
            errors.append(f"no document {row['part']} in {row['source']}")
            continue
        checks = {
            "districts": set(document.districts) == set(row["districts"]),
            "period": (document.year_from, document.year_to or document.year_from)
            == (row["year_from"], row.get("year_to") or row["year_from"]),
            "doc_type": document.doc_type.value == row["doc_type"],
        }
        for name, right in checks.items():
            counts[name] += right
            if not right:
                found = {
                    "districts": document.districts,
                    "period": document.period,
                    "doc_type": document.doc_type.value,
                }[name]
                errors.append(f"{name} of {row['title'][:50]!r}: found {found}")
    total = len(rows)
    return {
        "documents": total,
        **{
            f"{name}_accuracy": round(counts[name] / total, 3) if total else None
            for name in ("districts", "period", "doc_type")
        },
        "examples_of_errors": errors[:10],
    }


def evaluate_commitments(eval_dir: Path = EVAL_DIR) -> dict:
    from ingest.answers.tracing import trace_commitments
    from ingest.pipeline.ingest import ingest_paths

    labels = commitment_labels(eval_dir)
    gold = [row for rows in labels.values() for row in rows]
    file_of = [name for name, rows in labels.items() for _ in rows]
    # Every file in the folders the labels come from, so that a CSP's later documents
    # without labelled evidence are searched too.
    sources = {row["source"] for row in gold} | {
        evidence["source"] for row in gold for evidence in row["evidence"]
    }
    folders = sorted({corpus_path(source).parent for source in sources})
    with tempfile.TemporaryDirectory(prefix="csp-eval-") as index_dir:
        report = ingest_paths(folders, Path(index_dir))
        if report.failed:
            raise RuntimeError(f"could not ingest the labelled documents: {report.summary()}")
        traces = trace_commitments(Path(index_dir))
    links = Score()
    links_by_file = {name: Score() for name in labels}
    # Links again at stricter evidence scores: where precision and recall trade off.
    stricter = {minimum: Score() for minimum in STRICTER_SCORES}
    found = owners_right = owners_labelled = statuses_right = 0
    # Shown as unclear: weak evidence of delivery, and whether delivery was right.
    unclear = unclear_right = 0
    confusion: Counter[tuple[str, str]] = Counter()
    missed = []
    for number, row in enumerate(gold):
        trace = matching_trace(row, traces)
        gold_links = {
            (number, Path(e["source"]).stem, e["document_title"]) for e in row["evidence"]
        }
        if trace is None:
            missed.append(row["text"][:80])
            links.add(gold_links, set(), f"in {row['text'][:40]!r}")
            links_by_file[file_of[number]].add(gold_links, set())
            for score in stricter.values():
                score.add(gold_links, set())
            continue
        found += 1
        if row.get("owner"):
            owners_labelled += 1
            owners_right += trace.owner == row["owner"]
        # Status is scored on what the evidence reads; "unclear" only hides weak readings.
        statuses_right += status_read(trace) == row["status"]
        if trace.status == "unclear":
            unclear += 1
            unclear_right += status_read(trace) == row["status"]
        confusion[(row["status"], trace.status or "")] += 1
        predicted = {predicted_link(number, evidence, row) for evidence in trace.evidence}
        links.add(gold_links, predicted, f"in {row['text'][:40]!r}")
        links_by_file[file_of[number]].add(gold_links, predicted)
        for minimum, score in stricter.items():
            kept = {
                predicted_link(number, evidence, row)
                for evidence in trace.evidence
                if evidence.score >= minimum
            }
            score.add(gold_links, kept)
    return {
        "commitments": len(gold),
        "extraction_recall": round(found / len(gold), 3) if gold else 0.0,
        "owner_accuracy": round(owners_right / owners_labelled, 3) if owners_labelled else None,
        "links": links.to_dict(),
        "links_by_file": {name: score.to_dict() for name, score in links_by_file.items()},
        "links_at_scores": {str(minimum): score.to_dict() for minimum, score in stricter.items()},
        "status_accuracy": round(statuses_right / found, 3) if found else 0.0,
        "unclear": unclear,
        "unclear_right": unclear_right,
        "status_confusion": {f"{g} -> {p}": n for (g, p), n in sorted(confusion.items())},
        "not_extracted": missed,
        "examples_of_errors": links.errors[:12],
        "link_errors": links.errors,
    }


def status_read(trace) -> str | None:
    """The status the trace's latest evidence reads, where it is shown as "unclear"."""
    return trace.evidence[-1].reading if trace.status == "unclear" else trace.status


def matching_trace(row: dict, traces: list):
    """The traced commitment of the same file and CSP whose text is closest to the
    label's, if close enough."""
    best, best_score = None, 0.0
    for trace in traces:
        if (
            Path(trace.source).stem != Path(row["source"]).stem
            or row["district"] not in trace.areas
        ):
            continue
        ours, labelled = normalise(trace.text), normalise(row["text"])
        score = fuzz.ratio(ours, labelled)
        # A label may hold the first part of a long cell or sentence, or the reverse.
        if min(len(ours), len(labelled)) >= MIN_PART_CHARS:
            score = max(score, fuzz.partial_ratio(ours, labelled))
        if score > best_score:
            best, best_score = trace, score
    return best if best_score >= COMMITMENT_MATCH else None


def predicted_link(number: int, evidence, row: dict) -> tuple:
    """A traced link as a comparable key: the labelled link's key when the document and
    the quoted sentence agree with the labels, else a key no label has."""
    key = (number, Path(evidence.source).stem, evidence.title)
    for labelled in row["evidence"]:
        same_document = (Path(labelled["source"]).stem, labelled["document_title"]) == key[1:]
        quoted = any(
            fuzz.partial_ratio(normalise(quote), normalise(evidence.quote)) >= QUOTE_MATCH
            for quote in labelled["quotes"]
        )
        if same_document and quoted:
            return key
    return (*key, evidence.quote[:60])


def evaluate_all(eval_dir: Path = EVAL_DIR) -> dict:
    return {
        "entities": evaluate_entities(eval_dir),
        "priorities": evaluate_priorities(eval_dir),
        "attribution": evaluate_attribution(eval_dir),
        "commitments": evaluate_commitments(eval_dir),
    }


def format_report(report: dict) -> str:
    lines = [f"Evaluation on the hand-labelled set in {EVAL_DIR} (never trained on)", ""]
    entities = report["entities"]
    lines.append(f"Entities and figures, exact spans ({entities['sections']} sections):")
    lines.append(f"  {'label':12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for label, score in entities["spans"].items():
        lines.append(
            f"  {label:12} {score['precision']:6.3f} {score['recall']:6.3f} "
            f"{score['f1']:6.3f} {score['gold']:6d}"
        )
    lines.append("Canonical entities per section:")
    for label, score in entities["entities_per_section"].items():
        lines.append(
            f"  {label:12} {score['precision']:6.3f} {score['recall']:6.3f} "
            f"{score['f1']:6.3f} {score['gold']:6d}"
        )
    if entities["figure_unit_accuracy"] is not None:
        lines.append(f"Figure units right: {entities['figure_unit_accuracy']:.3f}")
    priorities = report["priorities"]
    lines.append("")
    lines.append(
        f"Priorities: P {priorities['precision']:.3f}  R {priorities['recall']:.3f}  "
        f"F1 {priorities['f1']:.3f}  (gold {priorities['gold']}); first theme right: "
        f"{priorities['theme_accuracy']}"
    )
    attribution = report["attribution"]
    lines.append(
        f"Attribution ({attribution['documents']} documents): areas "
        f"{attribution['districts_accuracy']}, period {attribution['period_accuracy']}, "
        f"type {attribution['doc_type_accuracy']}"
    )
    lines.extend(format_commitments(report["commitments"]))
    return "\n".join(lines)


def format_commitments(commitments: dict) -> list[str]:
    """The commitment-tracing lines of a report."""
    link = commitments["links"]
    return [
        f"Commitments ({commitments['commitments']} labelled): extracted "
        f"{commitments['extraction_recall']:.3f}, owners right {commitments['owner_accuracy']}; "
        f"links P {link['precision']:.3f}  R {link['recall']:.3f}  F1 {link['f1']:.3f} "
        f"(gold {link['gold']}, found {link['predicted']}); status right "
        f"{commitments['status_accuracy']:.3f}; shown unclear {commitments['unclear']} "
        f"(its evidence read right in {commitments['unclear_right']})",
        "  links at stricter evidence scores: "
        + "; ".join(
            f">= {minimum}: P {score['precision']:.3f} R {score['recall']:.3f}"
            for minimum, score in commitments["links_at_scores"].items()
        ),
        *(
            f"  links in {name}: P {score['precision']:.3f} R {score['recall']:.3f} "
            f"(gold {score['gold']}, found {score['predicted']})"
            for name, score in commitments["links_by_file"].items()
            if len(commitments["links_by_file"]) > 1
        ),
    ]


def format_dev_report(commitments: dict) -> str:
    """`csp eval --set dev`: the tracing figures on the tuning set, with its errors."""
    lines = [f"Commitment tracing on the development set in {DEV_DIR} (tuned on)", ""]
    lines.extend(format_commitments(commitments))
    lines.extend(f"  {error}" for error in commitments["link_errors"])
    return "\n".join(lines)
