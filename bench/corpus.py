"""A deterministic scaled corpus of CSP PDFs, built from the five sample documents.

    python -m bench.corpus [--quick] [--seed N] [--workers N]

Each generated document is one of the sample texts (corpus/text) moved to another
county of the gazetteer (every Essex area it names becomes an area of that county,
"Essex" the county), shifted by a few financial years, with the initiatives and
partners it names swapped for others from models/entities, its figures scaled, and
extra sub-headings naming initiatives and themes, then laid out as a PDF by the same
renderer as corpus/pdf (headings, tables, running header and footer).  Sizes:

- quick: 50 PDFs, about 1,250 pages (CI);
- full: 1,100 PDFs, 30,250 pages and about 108,000 sections (the quick size has
  98 sections a PDF, so 1,000 PDFs would fall just short of the 100,000 #7 asks for).

The same seed and size give the same bytes.  PDFs are rendered in a process pool into
bench/cache/<size>-s<seed>-v<version>/, which a later run reuses once its manifest.json
(written last) is there.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

from bench.render import render_pdf
from corpus.render_pdfs import LAYOUT  # each sample's header, footer and outline
from ingest.paths import CORPUS_DIR, MODELS_DIR

# Bump when generated text or layout changes, so a stale cache is not reused.
GENERATOR_VERSION = 1
CACHE_DIR = Path(__file__).resolve().parent / "cache"
SIZES = {"quick": 50, "full": 1100}
DEFAULT_SEED = 7
# Where the samples speak of their own county; mapped onto the target county's areas.
SOURCE_COUNTY = "Essex"
SOURCE_ALIASES = {"Southend": "Southend-on-Sea"}
# Years are shifted so every generated period stays between 2010-11 and 2025-26.
YEAR_SHIFTS = range(-7, 4)
HEADING_CHANCE = 0.6
# A paragraph is a long line that is not a table row.
PARAGRAPH_CHARS = 200
# Numbers below this are kept: days of the month, list numbers, small counts.
SMALL_NUMBER = 32

HEADING_TEMPLATES = [
    "{initiative}",
    "Update on {initiative}",
    "{theme}: what we did",
    "{partner} contribution",
    "Priority: {theme}",
]

NUMBER_OR_YEAR = re.compile(
    # Every alternative starts at a digit: the lookahead turns other places away at once.
    r"(?=\d)(?:"
    r"(?P<range>\b20[0-3]\d)(?P<sep>[/\-–])(?P<short>\d\d)\b"
    r"|(?P<year>\b20[0-3]\d\b)"
    r"|(?<![\w.,/-])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?(?![\w/])"
    r")"
)
PLACEHOLDER = re.compile(r"\x00E(\d+)\x00")


@dataclass
class Spec:
    """What one generated document is: which sample, moved where and when."""

    index: int
    name: str
    base: str
    county: str
    areas: dict[str, str]
    year_shift: int
    figure_scale: float


@dataclass
class Sources:
    """The sample texts and the data the generator draws on, loaded once per process."""

    texts: dict[str, str]
    found: dict[str, list[tuple[str, str]]]  # sample -> (spelling, label) it names
    counties: dict[str, list[str]]  # county -> its current areas
    source_areas: list[str]
    names: dict[str, list[str]]  # label -> canonical names
    themes: list[str]


@lru_cache(maxsize=1)
def sources() -> Sources:
    texts = {path.stem: path.read_text(encoding="utf-8") for path in sample_paths()}
    areas = [json.loads(line) for line in open_data("gazetteer/areas.jsonl")]
    counties: dict[str, list[str]] = {}
    for area in areas:
        if area["valid_to"] is None and area["county"]:
            counties.setdefault(area["county"], []).append(area["name"])
    entities = [json.loads(line) for line in open_data("entities/entities.jsonl")]
    names = {
        label: sorted(e["name"] for e in entities if e["label"] == label)
        for label in ("INITIATIVE", "PARTNER")
    }
    patterns = [
        json.loads(line)
        for file in ("entities/initiatives.jsonl", "entities/partners.jsonl")
        for line in open_data(file)
    ]
    found = {stem: names_in(text, patterns) for stem, text in texts.items()}
    themes = [json.loads(line)["theme"] for line in open_data("themes/themes.jsonl")]
    return Sources(
        texts=texts,
        found=found,
        counties={county: sorted(names) for county, names in sorted(counties.items())},
        source_areas=sorted(counties[SOURCE_COUNTY], key=len, reverse=True),
        names=names,
        themes=themes,
    )


def sample_paths() -> list[Path]:
    return sorted((CORPUS_DIR / "text").glob("*.txt"))


def open_data(relative: str) -> list[str]:
    return (MODELS_DIR / relative).read_text(encoding="utf-8").splitlines()


def names_in(text: str, patterns: list[dict]) -> list[tuple[str, str]]:
    """The pattern spellings `text` contains as whole words, longest first."""
    found = {
        (p["pattern"], p["label"])
        for p in patterns
        if len(p["pattern"]) > 3
        and p["pattern"] in text
        and re.search(rf"(?<!\w){re.escape(p['pattern'])}(?!\w)", text)
    }
    return sorted(found, key=lambda item: (-len(item[0]), item))


def spec_of(seed: int, index: int) -> Spec:
    """Which sample document number `index` is made from, and how it is changed."""
    rng = random.Random(f"{seed}:{index}")
    data = sources()
    base = rng.choice(sorted(data.texts))
    county = rng.choice(sorted(data.counties))
    targets = list(data.counties[county])
    rng.shuffle(targets)
    areas = {
        source: targets[position % len(targets)]
        for position, source in enumerate(sorted(data.counties[SOURCE_COUNTY]))
    }
    return Spec(
        index=index,
        name=f"csp_{index:05d}.pdf",
        base=base,
        county=county,
        areas=areas,
        year_shift=rng.choice(YEAR_SHIFTS),
        figure_scale=round(rng.uniform(0.5, 2.0), 3),
    )


def generate_text(seed: int, index: int) -> tuple[Spec, str, str | None, str | None, bool]:
    """The text of document `index` for `seed`, with its header, footer and outline flag."""
    spec = spec_of(seed, index)
    data = sources()
    rng = random.Random(f"{seed}:{index}:text")
    text, swapped = swap_entities(data.texts[spec.base], data.found[spec.base], data.names, rng)
    move = mover(spec)
    text = move(text)
    text = PLACEHOLDER.sub(lambda match: swapped[int(match[1])], text)
    text = add_headings(text, data, rng)
    header, footer, outline = LAYOUT.get(spec.base, (None, None, False))
    return (
        spec,
        text,
        move(header) if header else None,
        move(footer) if footer else None,
        outline,
    )


def swap_entities(
    text: str, found: list[tuple[str, str]], names: dict[str, list[str]], rng: random.Random
) -> tuple[str, list[str]]:
    """Each initiative or partner spelling replaced by a placeholder for another name of
    the same kind; placeholders keep later substitutions (areas, numbers) off the names."""
    chosen: dict[str, int] = {}
    replacements: list[str] = []
    for spelling, label in found:
        replacements.append(rng.choice(names[label]))
        chosen[spelling] = len(replacements) - 1
    if not chosen:
        return text, replacements
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(spelling) for spelling, _ in found) + r")(?!\w)"
    )
    return pattern.sub(lambda match: f"\x00E{chosen[match[1]]}\x00", text), replacements


def mover(spec: Spec) -> Callable[[str], str]:
    """Moves text to the spec's county and years and scales its figures."""
    data = sources()
    renames = {source: spec.areas[source] for source in data.source_areas}
    renames.update({alias: spec.areas[area] for alias, area in SOURCE_ALIASES.items()})
    renames[SOURCE_COUNTY] = spec.county
    places = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(name) for name in sorted(renames, key=len, reverse=True))
        # "Southend-on-Sea" must not become "<area>-on-Sea".
        + r")(?![\w-])"
    )

    def move(text: str) -> str:
        text = places.sub(lambda match: renames[match[1]], text)
        return renumber(text, spec.year_shift, spec.figure_scale)

    return move


def renumber(text: str, year_shift: int, figure_scale: float) -> str:
    """Years and financial years in `text` moved by `year_shift`, other figures (not
    small counts) scaled by `figure_scale`."""

    def number(match: re.Match) -> str:
        if match["range"]:
            start = int(match["range"]) + year_shift
            return f"{start}{match['sep']}{(int(match['short']) + year_shift) % 100:02d}"
        if match["year"]:
            return str(int(match["year"]) + year_shift)
        digits = match["num"].replace(",", "")
        value = int(digits)
        if value < SMALL_NUMBER or (len(digits) == 4 and 1990 <= value <= 2039):
            return match[0]
        scaled = max(SMALL_NUMBER, round(value * figure_scale))
        whole = f"{scaled:,}" if "," in match["num"] else str(scaled)
        return whole + (match["dec"] or "")

    return NUMBER_OR_YEAR.sub(number, text)


def add_headings(text: str, data: Sources, rng: random.Random) -> str:
    """Sub-headings before some paragraphs, as action plans and annual reports carry one
    per initiative or theme: more, shorter sections, as real CSP documents have."""
    lines = []
    for line in text.split("\n"):
        is_paragraph = len(line) > PARAGRAPH_CHARS and "\t" not in line and "<" not in line
        if is_paragraph and rng.random() < HEADING_CHANCE:
            template = rng.choice(HEADING_TEMPLATES)
            heading = template.format(
                initiative=rng.choice(data.names["INITIATIVE"]),
                partner=rng.choice(data.names["PARTNER"]),
                theme=rng.choice(data.themes).capitalize(),
            )
            lines.extend([f"### {heading}", ""])
        lines.append(line)
    return "\n".join(lines)


@dataclass
class Rendered:
    name: str
    base: str
    county: str
    year_shift: int
    pages: int
    chars: int


def render_one(job: tuple[int, int, str]) -> Rendered:
    """Runs in a worker: generate and lay out one document."""
    seed, index, out_dir = job
    spec, text, header, footer, outline = generate_text(seed, index)
    pages = render_pdf(
        text, Path(out_dir) / spec.name, header=header, footer=footer, outline=outline
    )
    return Rendered(spec.name, spec.base, spec.county, spec.year_shift, pages, len(text))


@dataclass
class Corpus:
    folder: Path
    files: list[Path]
    pages: int
    seconds: float  # to render, 0 when reused from the cache

    @property
    def manifest(self) -> Path:
        return self.folder / "manifest.json"


def build_corpus(
    files: int,
    seed: int = DEFAULT_SEED,
    *,
    cache_dir: Path = CACHE_DIR,
    workers: int | None = None,
    label: str | None = None,
) -> Corpus:
    """The corpus of `files` PDFs for `seed`, from the cache or rendered now."""
    folder = Path(cache_dir) / f"{label or files}-s{seed}-v{GENERATOR_VERSION}"
    manifest = folder / "manifest.json"
    if manifest.exists():
        listed = json.loads(manifest.read_text())
        return Corpus(
            folder,
            [folder / entry["name"] for entry in listed["files"]],
            listed["pages"],
            0.0,
        )
    started = time.perf_counter()
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    jobs = [(seed, index, str(partial)) for index in range(files)]
    workers = workers or os.cpu_count() or 1
    if workers > 1:
        # fork: workers inherit the loaded sample texts and entity lists.
        with get_context("fork").Pool(workers) as pool:
            rendered = pool.map(render_one, jobs, chunksize=4)
    else:
        rendered = [render_one(job) for job in jobs]
    pages = sum(item.pages for item in rendered)
    listed = {
        "seed": seed,
        "version": GENERATOR_VERSION,
        "pages": pages,
        "files": [asdict(item) for item in rendered],
    }
    (partial / "manifest.json").write_text(json.dumps(listed, indent=1))
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return Corpus(
        folder, [folder / item.name for item in rendered], pages, time.perf_counter() - started
    )


def build_big_pdf(
    min_pages: int, seed: int = DEFAULT_SEED, *, cache_dir: Path = CACHE_DIR
) -> tuple[Path, int]:
    """One PDF of at least `min_pages` pages (generated documents end to end, as a
    council's year of committee packs bound together); cached like the corpus."""
    out = Path(cache_dir) / f"big-{min_pages}-s{seed}-v{GENERATOR_VERSION}.pdf"
    pages_file = out.with_suffix(".pages")
    cached_pages = int(pages_file.read_text()) if out.exists() and pages_file.exists() else 0
    if cached_pages >= min_pages:
        return out, cached_pages
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    parts: list[str] = []
    pages = 0
    while pages < min_pages:
        # About 2,300 characters a page; render, and add more text while it falls short.
        wanted = sum(map(len, parts)) + (min_pages - pages) * 2300
        while sum(map(len, parts)) < wanted:
            _, text, _, _, _ = generate_text(seed, 1_000_000 + len(parts))
            parts.append(text)
        pages = render_pdf("\n\n".join(parts), partial, footer="Committee papers")
    partial.rename(out)
    pages_file.write_text(str(pages))
    return out, pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the scaled benchmark corpus.")
    parser.add_argument("--quick", action="store_true", help=f"{SIZES['quick']} PDFs")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    size = "quick" if args.quick else "full"
    corpus = build_corpus(SIZES[size], args.seed, workers=args.workers, label=size)
    how = f"rendered in {corpus.seconds:.1f}s" if corpus.seconds else "from the cache"
    print(f"{corpus.folder}: {len(corpus.files)} PDFs, {corpus.pages} pages ({how})")


if __name__ == "__main__":
    main()
