"""The national-scale benchmark of #20: indexes of hundreds of thousands to millions of
sections on each search engine, the product against the raw engine on them.

    python -m bench --scale N [N ...] [--backends whoosh tantivy] [--scale-dir DIR]
                    [--scale-source INDEX] [--repeat N] [--seed N] [--save FILE]

Extraction is far too slow to make millions of sections (about 35 pages/s), so the
sections are made from a few: the quick scaled corpus (bench/corpus.py, 50 PDFs, about
4,900 sections) is extracted once by the product (cached in bench/cache/), or the
documents of an existing index's catalog are taken (--scale-source).  Each pass over
them makes every document anew, seeded (`Varier`): moved to the areas of another county
of the gazetteer (its areas, county, and their names in title, headings and text), to
other financial years (every year, period and date, kept within 2010-2025), its figures
scaled, and the initiatives and partners it names swapped for others of models/entities.
Documents are generated one at a time and written straight into the backend, so memory
does not grow with N.

Each engine runs in a process of its own (peak memory is its own), building one index in
`--scale-dir`/<engine> that grows through the sizes given, smallest first; at each size
it measures:

- build: sections/s of the product's writer (`SearchBackend.add_documents` in one
  `batch()`, as an ingest writes), generation time excluded; peak RSS (VmHWM) of the
  build, and disk size of the engine's folder;
- search: p50/p95/p99 over the 240 queries of bench/queries.py, overall and by kind
  (term, phrase, facet-filtered, entity-filtered), of the product's search
  (`SearchBackend.search`) and of the raw engine on the same index (bench/engines.py:
  `RawWhoosh`, `RawTantivy`), taking turns query by query, best of `--repeat` after a
  warming pass; the ratio of their p95s; and peak RSS while searching;
- facet counts: `SearchBackend.facet_counts` for each facet-filtered query (p50/p95/p99)
  and once over every section.

The indexes are left in place (for `python -m bench.app --index`, which needs a catalog:
these have none, so it is not run here).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

from bench.corpus import (
    CACHE_DIR,
    DEFAULT_SEED,
    GENERATOR_VERSION,
    PLACEHOLDER,
    SIZES,
    build_corpus,
    renumber,
    sources,
)
from bench.engines import RawTantivy, RawWhoosh
from bench.queries import KINDS, BenchQuery, query_set
from bench.timing import folder_mb, latencies, peak_mb, percentiles, rate, timed
from ingest.model import Document, Mention, Section
from ingest.search.registry import BACKENDS, open_backend, record_backend
from ingest.search.tantivy.index import TANTIVY_DIR
from ingest.search.whoosh.index import WHOOSH_DIR

ROOT = Path(__file__).resolve().parents[1]
# Bump when the varied documents change, so a stale source cache is not reused.
SCALE_VERSION = 1
DEFAULT_DIR = Path("/tmp/scale")
DEFAULT_REPEAT = 2
FIRST_YEAR, LAST_YEAR = 2010, 2025
FIGURE_SCALES = (0.5, 2.0)
# The folder each engine keeps inside an index folder.
ENGINE_DIRS = {"whoosh": WHOOSH_DIR, "tantivy": TANTIVY_DIR}
#: The acceptance of #20 at 1,000,000 sections and over, on tantivy.
TARGETS = {
    "p95_ms": 20.0,
    "facet_p95_ms": 30.0,
    "p95_ratio": 2.0,
}
TARGET_SECTIONS = 1_000_000


def source_documents(seed: int, source_index: Path | None = None) -> list[Document]:
    """The documents the scaled ones are made from: those of `source_index`'s catalog,
    else the quick scaled corpus extracted by the product (cached)."""
    if source_index is not None:
        from ingest.store.catalog import Catalog
        from ingest.store.store import CATALOG_FILE

        catalog = Catalog(Path(source_index) / CATALOG_FILE)
        try:
            return catalog.documents(with_sections=True)
        finally:
            catalog.close()
    cache = CACHE_DIR / f"scale-source-s{seed}-v{GENERATOR_VERSION}.{SCALE_VERSION}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from ingest.pipeline.extract import extract_documents, file_sha256
    from ingest.readers.pdf import read_pdf

    corpus = build_corpus(SIZES["quick"], seed, label="quick")
    documents = [
        document
        for path in corpus.files
        for document in extract_documents(
            read_pdf(path), source=str(path), sha256=file_sha256(path)
        )
    ]
    partial = cache.with_suffix(".partial")
    partial.write_bytes(pickle.dumps(documents))
    partial.rename(cache)
    return documents


class Varier:
    """Documents made from `documents`, pass after pass, each one varied anew: the same
    seed gives the same stream."""

    def __init__(self, documents: list[Document], seed: int):
        self.documents = [document for document in documents if document.sections]
        self.seed = seed
        data = sources()
        self.counties = data.counties
        self.county_names = sorted(data.counties)
        self.names = data.names

    def stream(self) -> Iterator[Document]:
        copy = 0
        while True:
            for position, document in enumerate(self.documents):
                yield self.varied(document, copy, position)
            copy += 1

    def varied(self, document: Document, copy: int, position: int) -> Document:
        rng = random.Random(f"{self.seed}:{copy}:{position}")
        sections = document.sections
        county = rng.choice(self.county_names)
        targets = list(self.counties[county])
        rng.shuffle(targets)
        old_areas = sorted({*document.districts, *(a for s in sections for a in s.districts)})
        areas = {area: targets[number % len(targets)] for number, area in enumerate(old_areas)}
        renames = dict(areas)
        if document.county:
            renames[document.county] = county
        years = [
            year
            for item in (document, *sections)
            for year in (item.year_from, item.year_to)
            if year is not None
        ]
        low, high = (FIRST_YEAR - min(years), LAST_YEAR - max(years)) if years else (0, 0)
        shift = rng.randint(low, high) if low <= high else 0
        scale = round(rng.uniform(*FIGURE_SCALES), 3)
        spellings = sorted(
            {(m.text, m.label) for s in sections for m in s.mentions if m.label in self.names},
            key=lambda item: (-len(item[0]), item),
        )
        chosen = {spelling: rng.choice(self.names[label]) for spelling, label in spellings}
        rewrite = rewriter(renames, chosen, shift, scale)
        doc_id = f"v{copy}-{document.doc_id}"

        def moved(year: int | None) -> int | None:
            return None if year is None else year + shift

        def mention(found: Mention) -> Mention:
            name = chosen.get(found.text)
            return replace(found, text=name, canonical=name) if name else found

        def section(old: Section) -> Section:
            return replace(
                old,
                section_id=doc_id + old.section_id[len(document.doc_id) :],
                doc_id=doc_id,
                heading_path=[rewrite(heading) for heading in old.heading_path],
                text=rewrite(old.text),
                districts=[areas.get(area, area) for area in old.districts],
                year_from=moved(old.year_from),
                year_to=moved(old.year_to),
                evidence=[],
                mentions=[mention(found) for found in old.mentions],
                figures=[],
            )

        return replace(
            document,
            doc_id=doc_id,
            source=f"scale/{copy}/{Path(document.source).name}",
            title=rewrite(document.title),
            districts=[areas.get(area, area) for area in document.districts],
            county=county if document.county else None,
            year_from=moved(document.year_from),
            year_to=moved(document.year_to),
            period_as_written=rewrite(document.period_as_written or "") or None,
            date=f"{int(document.date[:4]) + shift}{document.date[4:]}" if document.date else None,
            evidence=[],
            sections=[section(old) for old in sections],
            priorities=[],
            commitments=[],
        )


def rewriter(
    renames: dict[str, str], chosen: dict[str, str], shift: int, scale: float
) -> Callable[[str], str]:
    """Text moved to other areas and years, figures scaled, names swapped.  Names are
    set aside while areas and numbers change, so "Basildon CSP Strategy 2020" keeps the
    name chosen for it whole."""
    names = list(chosen.values())
    named = (
        re.compile(r"(?<!\w)(" + "|".join(re.escape(spelling) for spelling in chosen) + r")(?!\w)")
        if chosen
        else None
    )
    places = (
        re.compile(
            r"(?<!\w)("
            + "|".join(re.escape(name) for name in sorted(renames, key=len, reverse=True))
            + r")(?![\w-])"
        )
        if renames
        else None
    )
    numbered = {spelling: number for number, spelling in enumerate(chosen)}

    def rewrite(text: str) -> str:
        # Most texts name few of them: a substring test is far cheaper than the pattern.
        if named is not None and any(spelling in text for spelling in chosen):
            text = named.sub(lambda match: f"\x00E{numbered[match[1]]}\x00", text)
        if places is not None and any(place in text for place in renames):
            text = places.sub(lambda match: renames[match[1]], text)
        text = renumber(text, shift, scale)
        if "\x00" not in text:
            return text
        return PLACEHOLDER.sub(lambda match: names[int(match[1])], text)

    return rewrite


def raw_engine(name: str, folder: Path) -> RawWhoosh | RawTantivy:
    path = folder / ENGINE_DIRS[name]
    return RawWhoosh(path) if name == "whoosh" else RawTantivy(path)


def reset_peak() -> None:
    """Start VmHWM again from the current RSS, so a later peak is that of what follows."""
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def by_kind(seconds: list[float], queries: list[BenchQuery]) -> dict:
    return {
        **percentiles(seconds),
        **{
            kind: percentiles([s for s, q in zip(seconds, queries, strict=True) if q.kind == kind])
            for kind in KINDS
        },
    }


def measure_search(name: str, folder: Path, areas: Counter, repeat: int) -> dict:
    reset_peak()
    product = open_backend(folder, name, create=False)
    raw = raw_engine(name, folder)
    queries = query_set(sorted(areas.elements()))
    seconds = latencies(
        {
            "product": lambda q: product.search(q.text(), q.filters(), limit=20),
            "raw": raw.search,
        },
        queries,
        repeat,
    )
    facet_queries = [query for query in queries if query.kind == "facet"]
    counting = latencies(
        {"facets": lambda q: product.facet_counts(q.text() or None, q.filters())},
        facet_queries,
        1,
    )["facets"]
    every_s, _ = timed(product.facet_counts)
    figures = {
        "queries": len(queries),
        "repeat": repeat,
        "product": by_kind(seconds["product"], queries),
        "raw": by_kind(seconds["raw"], queries),
        "facet_counts": {**percentiles(counting), "every_section_ms": round(every_s * 1000, 1)},
        "peak_rss_mb": peak_mb(),
    }
    figures["p95_ratio"] = round(figures["product"]["p95_ms"] / figures["raw"]["p95_ms"], 3)
    product.close()
    if isinstance(raw, RawWhoosh):
        raw.close()
    return figures


def build_and_measure(
    name: str,
    sizes: list[int],
    folder: Path,
    documents: list[Document],
    seed: int,
    repeat: int,
    report: Callable[[dict], None],
) -> None:
    """One engine's index grown through `sizes`, measured at each; `report` is given
    each size's figures as they are measured."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    record_backend(folder, name)  # an index folder `csp` and the app can open
    stream = Varier(documents, seed).stream()
    areas: Counter = Counter()
    years: set[int] = set()
    written = made = 0
    build_s = generate_s = 0.0
    for size in sorted(sizes):
        backend = open_backend(folder, name, create=True, bulk_write=True)
        started = time.perf_counter()
        with backend.batch():
            while written < size:
                making = time.perf_counter()
                document = next(stream)
                generate_s += time.perf_counter() - making
                written += backend.add_documents([document])
                made += 1
                for section in document.sections:
                    areas.update(section.districts)
                    if section.year_from is not None:
                        years.add(section.year_from)
        backend.close()
        build_s += time.perf_counter() - started
        built = {
            "backend": name,
            "sections": written,
            "documents": made,
            "areas": len(areas),
            "first_years": sorted(years),
            "build_s": round(build_s - generate_s, 1),
            "generate_s": round(generate_s, 1),
            "build_sections_s": rate(written, build_s - generate_s),
            "build_peak_rss_mb": peak_mb(),
            "disk_mb": folder_mb(folder / ENGINE_DIRS[name]),
            "load_average": [round(load, 2) for load in os.getloadavg()],
        }
        built["search"] = measure_search(name, folder, areas, repeat)
        report(built)


def targets_met(figures: dict) -> dict[str, bool] | None:
    """The acceptance of #20 for a tantivy index of TARGET_SECTIONS or more, else None."""
    if figures["backend"] != "tantivy" or figures["sections"] < TARGET_SECTIONS:
        return None
    search = figures["search"]
    measured = {
        "p95_ms": search["product"]["p95_ms"],
        "facet_p95_ms": search["product"]["facet"]["p95_ms"],
        "p95_ratio": search["p95_ratio"],
    }
    return {name: measured[name] <= goal for name, goal in TARGETS.items()}


def run_scale(
    sizes: list[int],
    backends: list[str],
    seed: int = DEFAULT_SEED,
    scale_dir: Path = DEFAULT_DIR,
    source_index: Path | None = None,
    repeat: int = DEFAULT_REPEAT,
    report: Callable[[dict], None] | None = None,
) -> list[dict]:
    """Each engine's figures at each size, each engine measured in a process of its
    own; `report` is given each as it arrives."""
    documents = source_documents(seed, source_index)
    scale_dir.mkdir(parents=True, exist_ok=True)
    source_file = scale_dir / "source.pickle"
    source_file.write_bytes(pickle.dumps(documents))
    results: list[dict] = []
    for name in backends:
        command = [
            sys.executable,
            "-m",
            "bench.scale",
            name,
            str(scale_dir / name),
            str(source_file),
            str(seed),
            str(repeat),
            *map(str, sizes),
        ]
        with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as child:
            assert child.stdout is not None
            for line in child.stdout:
                figures = json.loads(line)
                figures["source_documents"] = len(documents)
                figures["source_sections"] = sum(len(d.sections) for d in documents)
                figures["targets_met"] = targets_met(figures)
                results.append(figures)
                if report:
                    report(figures)
        if child.returncode:
            raise SystemExit(f"the {name} scale run failed ({child.returncode})")
    return results


def table_lines(figures: dict) -> list[str]:
    """One engine at one size, as a few lines of text."""
    search = figures["search"]
    product, raw, counts = search["product"], search["raw"], search["facet_counts"]
    lines = [
        f"{figures['backend']} at {figures['sections']:,} sections "
        f"({figures['documents']:,} documents, {figures['areas']} areas, "
        f"years {figures['first_years'][0]}-{figures['first_years'][-1]}; "
        f"load {figures['load_average'][0]})",
        f"  build {figures['build_sections_s']} sections/s ({figures['build_s']} s, "
        f"generating {figures['generate_s']} s), peak RSS {figures['build_peak_rss_mb']} MB, "
        f"disk {figures['disk_mb']} MB",
        f"  search ms {'p50':>8}{'p95':>8}{'p99':>8}"
        + "".join(f"{kind + ' p95':>12}" for kind in KINDS),
    ]
    for label, engine in (("product", product), ("raw", raw)):
        lines.append(
            f"  {label:<9}{engine['p50_ms']:>8}{engine['p95_ms']:>8}{engine['p99_ms']:>8}"
            + "".join(f"{engine[kind]['p95_ms']:>12}" for kind in KINDS)
        )
    lines += [
        f"  product/raw p95 {search['p95_ratio']}; search peak RSS {search['peak_rss_mb']} MB",
        f"  facet counts ms: p50 {counts['p50_ms']}, p95 {counts['p95_ms']}, "
        f"p99 {counts['p99_ms']} (filtered queries); every section {counts['every_section_ms']}",
    ]
    if figures.get("targets_met"):
        met = ", ".join(
            f"{name} <= {TARGETS[name]} {'met' if ok else 'MISSED'}"
            for name, ok in figures["targets_met"].items()
        )
        lines.append(f"  targets: {met}")
    return lines


def sizes_of(text: str) -> int:
    """A size as typed: 100000, 100_000, 100,000, 100k or 1m."""
    text = text.lower().replace(",", "").replace("_", "")
    multiplier = {"k": 1000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if multiplier > 1 else text
    if not number.isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"not a number of sections: {text!r}")
    return int(number) * multiplier


def worker(argv: list[str]) -> None:
    """In the engine's own process: `bench.scale NAME FOLDER SOURCE SEED REPEAT SIZE...`,
    printing one JSON line per size."""
    name, folder, source, seed, repeat, *sizes = argv
    if name not in BACKENDS:
        raise SystemExit(f"unknown search engine {name!r}")
    documents = pickle.loads(Path(source).read_bytes())

    def report(figures: dict) -> None:
        print(json.dumps(figures), flush=True)

    build_and_measure(
        name, [int(size) for size in sizes], Path(folder), documents, int(seed), int(repeat), report
    )


if __name__ == "__main__":
    worker(sys.argv[1:])
