"""`csp train`: rebuild the statistical INITIATIVE/PARTNER recogniser in models/ner.

The training data is rebuilt from data that lives in models/, deterministically:

- sentences from templates (models/ner/templates.jsonl) whose slots are filled with
  initiative and partner names from the pattern files and the gazetteer, so the model
  learns the contexts names appear in rather than the names themselves;
- the corpus's own sections, labelled by the rule pipeline, except every section in the
  hand-labelled evaluation set (models/eval/entities.jsonl), which is never trained on;

and no example names an initiative in models/ner/unseen_names.json, so a test can show
the model finds a name it was never shown.

Names are split by a hash into train and dev, so the dev score measures names the model
never saw.  The data is written as JSONL to models/ner/data (reviewable in a diff), then
converted to spaCy's binary format in a temporary folder and trained with spaCy's own
training loop and models/ner/config.cfg.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from ingest.attribution.gazetteer import load_gazetteer, read_jsonl
from ingest.nlp.linking import EntityData, gazetteer_partners, normalise
from ingest.paths import CORPUS_DIR, MODELS_DIR

NER_HOME = MODELS_DIR / "ner"
EVAL_ENTITIES = MODELS_DIR / "eval" / "entities.jsonl"
THEMES_FILE = MODELS_DIR / "themes" / "themes.jsonl"
SLOT = re.compile(r"\{(I|P2|P|ACR|N|AREA|YEAR|MONTH|THEME|WORD|WORD2|WORD3)\}")
TEMPLATE_TOKEN = re.compile(
    r"\{(?P<slot>I|P2|P|ACR|N|AREA|YEAR|MONTH|THEME|WORD|WORD2|WORD3)\}"
    r"|<(?P<open>I|P)>|</(?P<close>I|P)>"
)
MARKER_LABELS = {"I": "INITIATIVE", "P": "PARTNER"}
SEED = 20261123
FILLS_PER_TEMPLATE = 40
DEV_SHARE = 0.15
MONTHS = "January February March April May June July August September October November December"


@dataclass
class Example:
    text: str
    spans: list[tuple[int, int, str]]

    def to_json(self) -> dict:
        return {"text": self.text, "spans": [list(span) for span in self.spans]}


def in_dev(name: str) -> bool:
    digest = hashlib.sha1(name.lower().encode("utf-8")).digest()
    return digest[0] < 256 * DEV_SHARE


class Fillers:
    """The names and values template slots are filled with."""

    def __init__(self, models_dir: Path):
        data = EntityData(models_dir / "entities")
        gazetteer = load_gazetteer()
        unseen = {normalise(name) for name in unseen_names(models_dir)}
        self.initiatives = sorted(
            {
                line["pattern"]
                for line in data.pattern_lines("INITIATIVE")
                if isinstance(line["pattern"], str) and normalise(line["id"]) not in unseen
            }
        )
        partner_lines = data.pattern_lines("PARTNER")
        self.acronyms = sorted(
            {line["pattern"] for line in partner_lines if line.get("acronym")}
        ) or ["ECFRS"]
        gazetteer_names = sorted({spelling for _, spelling in gazetteer_partners(gazetteer)})
        # The gazetteer's thousands of council spellings would swamp the charities and
        # services: a sample of them is enough to teach the "X District Council" shape.
        rng = random.Random(SEED)
        self.partners = sorted(
            {
                line["pattern"]
                for line in partner_lines
                if isinstance(line["pattern"], str) and not line.get("acronym")
            }
            | set(rng.sample(gazetteer_names, min(400, len(gazetteer_names))))
        )
        self.areas = sorted(gazetteer.areas)
        words_file = models_dir / "ner" / "name_words.txt"
        self.name_words = [
            line.strip()
            for line in words_file.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        themes_path = models_dir / "themes" / "themes.jsonl"
        self.themes = (
            [row["theme"].title() for row in read_jsonl(themes_path)]
            if themes_path.exists()
            else ["Anti-Social Behaviour", "Domestic Abuse"]
        )


def fill(template: str, fillers: Fillers, rng: random.Random, dev: bool) -> Example | None:
    """One sentence from a template; None if no name of the right split is left.

    {I} and {P} slots are labelled names; words between <I>...</I> or <P>...</P> are
    labelled as one name ("<I>Operation {WORD}</I>").
    """
    text = ""
    spans: list[tuple[int, int, str]] = []
    opened: dict[str, int] = {}
    position = 0
    for match in TEMPLATE_TOKEN.finditer(template):
        text += template[position : match.start()]
        position = match.end()
        if match["open"]:
            opened[match["open"]] = len(text)
            continue
        if match["close"]:
            spans.append((opened.pop(match["close"]), len(text), MARKER_LABELS[match["close"]]))
            continue
        value, label = slot_value(match["slot"], fillers, rng, dev)
        if value is None:
            return None
        if label is not None:
            spans.append((len(text), len(text) + len(value), label))
        text += value
    text += template[position:]
    return Example(text, sorted(spans))


def slot_value(
    slot: str, fillers: Fillers, rng: random.Random, dev: bool
) -> tuple[str | None, str | None]:
    label = None
    if slot == "I":
        pool, label = fillers.initiatives, "INITIATIVE"
    elif slot in ("P", "P2"):
        pool, label = fillers.partners, "PARTNER"
    elif slot == "ACR":
        pool, label = fillers.acronyms, "PARTNER"
    elif slot == "AREA":
        pool = fillers.areas
    elif slot == "THEME":
        pool = fillers.themes
    elif slot.startswith("WORD"):
        pool = fillers.name_words
    elif slot == "MONTH":
        pool = MONTHS.split()
    elif slot == "YEAR":
        year = rng.randint(2008, 2025)
        pool = [f"{year}/{(year + 1) % 100:02d}", f"{year}-{(year + 1) % 100:02d}", str(year)]
    else:
        pool = [str(rng.choice([3, 12, 45, 117, 302, 1250, 11974]))]
    if label is not None:
        pool = [name for name in pool if in_dev(name) == dev]
    if not pool:
        return None, None
    return rng.choice(pool), label


def template_examples(models_dir: Path, dev: bool) -> Iterator[Example]:
    rng = random.Random(SEED + int(dev))
    templates = [row["text"] for row in read_jsonl(models_dir / "ner" / "templates.jsonl")]
    fills = FILLS_PER_TEMPLATE if not dev else max(FILLS_PER_TEMPLATE // 4, 1)
    for template in templates:
        for _ in range(fills if SLOT.search(template) else 3):
            example = fill(template, fillers_for(models_dir), rng, dev)
            if example is not None:
                yield example


@lru_cache(maxsize=2)
def fillers_for(models_dir: Path) -> Fillers:
    return Fillers(models_dir)


def unseen_names(models_dir: Path = MODELS_DIR) -> list[str]:
    path = models_dir / "ner" / "unseen_names.json"
    return json.loads(path.read_text(encoding="utf-8"))["names"] if path.exists() else []


def held_out_texts(path: Path = EVAL_ENTITIES) -> set[str]:
    return {row["text"] for row in read_jsonl(path)} if path.exists() else set()


def corpus_examples(corpus_dir: Path, held_out: set[str]) -> Iterator[Example]:
    """The corpus's sections, labelled by the rules alone, minus the evaluation set."""
    from ingest.nlp.entities import build_pipeline
    from ingest.pipeline.extract import extract_file

    rules = build_pipeline(ner_dir=None)
    for path in sorted((corpus_dir / "text").glob("*.txt")):
        for document in extract_file(path).documents:
            texts = [s.text for s in document.sections if s.text not in held_out]
            for doc in rules.pipe(texts):
                yield Example(
                    doc.text, [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
                )


def build_training_data(
    models_dir: Path = MODELS_DIR, corpus_dir: Path = CORPUS_DIR
) -> dict[str, int]:
    """Write models/ner/data/{train,dev}.jsonl; returns how many examples each has."""
    held_out = held_out_texts(models_dir / "eval" / "entities.jsonl")
    unseen = [name.lower() for name in unseen_names(models_dir)]
    train = list(template_examples(models_dir, dev=False))
    dev = list(template_examples(models_dir, dev=True))
    for example in corpus_examples(corpus_dir, held_out):
        if not any(name in example.text.lower() for name in unseen):
            (dev if in_dev(example.text) else train).append(example)
    data_dir = models_dir / "ner" / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, examples in (("train", train), ("dev", dev)):
        lines = [json.dumps(example.to_json(), ensure_ascii=False) for example in examples]
        (data_dir / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        counts[name] = len(examples)
    return counts


def to_docbin(jsonl: Path, target: Path) -> None:
    nlp = spacy.blank("en")
    docs = DocBin()
    for row in read_jsonl(jsonl):
        doc = nlp.make_doc(row["text"])
        ents = [
            span
            for start, end, label in row["spans"]
            if (span := doc.char_span(start, end, label=label, alignment_mode="expand"))
        ]
        doc.ents = spacy.util.filter_spans(ents)
        docs.add(doc)
    docs.to_disk(target)


def train(models_dir: Path = MODELS_DIR, rebuild_data: bool = True) -> Path:
    """Train the recogniser and install it as models/ner/model; returns that folder."""
    from spacy.cli.train import train as spacy_train

    if rebuild_data:
        build_training_data(models_dir)
    home = models_dir / "ner"
    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        for name in ("train", "dev"):
            to_docbin(home / "data" / f"{name}.jsonl", scratch_dir / f"{name}.spacy")
        output = scratch_dir / "output"
        spacy_train(
            home / "config.cfg",
            output,
            overrides={
                "paths.train": str(scratch_dir / "train.spacy"),
                "paths.dev": str(scratch_dir / "dev.spacy"),
            },
        )
        target = home / "model"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(output / "model-best", target)
    return target
