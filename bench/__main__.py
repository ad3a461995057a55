"""The performance benchmark of #7: every stage against its raw library, same files.

    python -m bench [--quick] [--json] [--seed N] [--save FILE] [--keep-index DIR]
    python -m bench --scale N [N ...] [--backends ...] [--scale-dir DIR] [--repeat N]

On the scaled corpus (bench/corpus.py; --quick: 50 PDFs, else 1,100) it measures:

- parse: `ingest.readers.pdf.read_pdf` vs plain pymupdf `page.get_text("dict")`, pages/s;
- extract: the product's extraction after parsing (structure, attribution, entities),
  pages/s; and its spaCy pipeline (ingest/nlp/entities.py) vs `spacy.blank("en")`
  tokenisation, words/s;
- index: the product's `SearchIndex.add_documents` vs a raw Whoosh writer with the
  same schema and fields, sections/s and MB/s;
- ingest: `ingest_paths` end to end with 1 and 2 workers, pages/s, each in a fresh
  process for its peak RSS; an unchanged re-ingest; peak RSS for a tenth of the corpus
  against all of it, and for one 1,000-page PDF (100 with --quick);
- search: p50/p95/p99 over 240 fixed queries (`bench/queries.py`) with the product's
  search backend (`SearchBackend.search`, Whoosh) vs the raw Whoosh searcher on the
  same index, and on tantivy and SQLite FTS5 over the same sections.

--scale runs the national-scale benchmark of #20 instead (bench/scale.py): indexes of
millions of sections on Whoosh and tantivy.

The stage figures use every file with --quick and every tenth file otherwise; ingest
and search use the whole corpus.  Model loading (about 2 s a process) is outside the
stage timings and inside the ingest ones, as a user meets it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path

import pymupdf
import spacy

from bench.corpus import DEFAULT_SEED, SIZES, build_big_pdf, build_corpus
from bench.engines import Fts5, RawWhoosh, Tantivy, write_raw_whoosh
from bench.queries import KINDS, BenchQuery, query_set
from bench.scale import DEFAULT_DIR as SCALE_DIR
from bench.scale import DEFAULT_REPEAT as SCALE_REPEAT
from bench.scale import run_scale, sizes_of
from bench.scale import table_lines as scale_lines
from bench.timing import MB, SEARCH_REPEAT, folder_mb, latencies, percentiles, rate, timed
from ingest.attribution.places import place_pipeline
from ingest.model import Document
from ingest.nlp.entities import BATCH_SIZE, entity_pipeline
from ingest.pipeline.extract import extract_documents, file_sha256
from ingest.readers.pdf import read_pdf
from ingest.search.registry import BACKENDS, open_backend
from ingest.search.whoosh.index import WHOOSH_DIR, SearchIndex, section_fields
from ingest.search.whoosh.schema import split_facet
from ingest.store.catalog import Catalog
from ingest.store.store import CATALOG_FILE

ROOT = Path(__file__).resolve().parents[1]
BIG_PAGES = {"quick": 100, "full": 1000}
STAGE_STRIDE = {"quick": 1, "full": 10}
# The spaCy comparison stops after this many words: the rate settles well before.
SPACY_WORDS = {"quick": 150_000, "full": 1_000_000}

TARGETS = {
    "index_ratio": (">=", 0.8),
    "search_p95_ratio": ("<=", 1.3),
    "search_facet_p95_ms": ("<", 150.0),
    "ingest_vs_slowest_stage": (">=", 0.7),
    "two_worker_speedup": (">=", 1.7),
    "reingest_speedup": (">=", 20.0),
    "memory_all_vs_tenth": ("<=", 1.2),
    "big_pdf_peak_mb": ("<", 1024.0),
}


def spin(units: int) -> int:
    """Pure-Python CPU work, for measuring how much of a second core there is."""
    total = 0
    for number in range(units * 1_000_000):
        total += number & 7
    return total


def parallel_capacity(units: int = 4) -> float:
    """Throughput of two processes over one on the same CPU-bound work: 2.0 on two
    free cores, about 1.0 when the second core is busy with other work.  The 2-worker
    ingest speed-up can be no better than this."""
    one_s, _ = timed(lambda: spin(units))
    with get_context("fork").Pool(2) as pool:
        two_s, _ = timed(lambda: pool.map(spin, [units, units]))
    return round(2 * one_s / two_s, 2)


def bench_parse(files: list[Path]) -> tuple[dict, list]:
    def product() -> list:
        return [read_pdf(path) for path in files]

    def raw() -> int:
        pages = 0
        for path in files:
            with pymupdf.open(path) as document:
                for page in document:
                    page.get_text("dict")
                    pages += 1
        return pages

    raw_s, pages = timed(raw)
    product_s, parsed = timed(product)
    figures = {
        "pages": pages,
        "product_pages_s": rate(pages, product_s),
        "raw_pages_s": rate(pages, raw_s),
        "ratio": round(raw_s / product_s, 3),
    }
    return figures, parsed


def bench_extract(files: list[Path], parsed: list, pages: int) -> tuple[dict, list[Document]]:
    hashes = [file_sha256(path) for path in files]
    entity_pipeline()  # loaded once per process; not part of the stage's rate
    place_pipeline()  # likewise (it was inside the rate until #20)

    def product() -> list[Document]:
        documents = []
        for path, parsed_file, sha256 in zip(files, parsed, hashes, strict=True):
            documents += extract_documents(parsed_file, source=str(path), sha256=sha256)
        return documents

    seconds, documents = timed(product)
    return {
        "pages": pages,
        "documents": len(documents),
        "sections": sum(len(d.sections) for d in documents),
        "product_pages_s": rate(pages, seconds),
    }, documents


def bench_spacy(documents: list[Document], max_words: int) -> dict:
    texts, words = [], 0
    for section in (s for d in documents for s in d.sections):
        if words >= max_words:
            break
        texts.append(section.text)
        words += len(section.text.split())
    nlp = entity_pipeline()
    blank = spacy.blank("en")
    raw_s, _ = timed(lambda: list(blank.pipe(texts, batch_size=BATCH_SIZE)))
    product_s, _ = timed(lambda: list(nlp.pipe(texts, batch_size=BATCH_SIZE)))
    return {
        "words": words,
        "product_words_s": rate(words, product_s),
        "raw_words_s": rate(words, raw_s),
        "ratio": round(raw_s / product_s, 4),
    }


def bench_index(documents: list[Document], pages: int, scratch: Path) -> dict:
    rows = [
        section_fields(document, section, document.doc_id)
        for document in documents
        for section in document.sections
    ]
    size = sum(len(row[name].encode()) for row in rows for name in ("title", "heading", "text"))
    raw_s, _ = timed(lambda: write_raw_whoosh(scratch / "raw-whoosh", rows))
    product = SearchIndex.open(scratch / "product-whoosh")
    product_s, sections = timed(lambda: product.add_documents(documents))
    product.close()
    return {
        "sections": sections,
        "mb": round(size / MB, 2),
        "product_sections_s": rate(sections, product_s),
        "raw_sections_s": rate(sections, raw_s),
        "product_mb_s": round(size / MB / product_s, 3),
        "raw_mb_s": round(size / MB / raw_s, 3),
        "product_pages_s": rate(pages, product_s),
        "ratio": round(raw_s / product_s, 3),
    }


def ingest_once(index: Path, workers: int, files: list[Path], scratch: Path) -> dict:
    listing = scratch / f"files-{index.name}-{workers}-{len(files)}.txt"
    listing.write_text("\n".join(str(path) for path in files))
    out = subprocess.run(
        [sys.executable, "-m", "bench.ingest_once", str(index), str(workers), str(listing)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_ingest(files: list[Path], pages: int, big: tuple[Path, int], scratch: Path) -> dict:
    tenth = files[: max(1, len(files) // 10)]
    one = ingest_once(scratch / "ingest-1", 1, files, scratch)
    again = ingest_once(scratch / "ingest-1", 1, files, scratch)
    capacity_before = parallel_capacity()
    two = ingest_once(scratch / "ingest-2", 2, files, scratch)
    capacity_after = parallel_capacity()
    small = ingest_once(scratch / "ingest-tenth", 1, tenth, scratch)
    big_path, big_pages = big
    huge = ingest_once(scratch / "ingest-big", 1, [big_path], scratch)
    return {
        "files": len(files),
        "pages": pages,
        "whoosh_mb": folder_mb(scratch / "ingest-1" / WHOOSH_DIR),
        "catalog_mb": round((scratch / "ingest-1" / CATALOG_FILE).stat().st_size / MB, 1),
        "one_worker": {**one, "pages_s": rate(pages, one["seconds"])},
        "two_workers": {**two, "pages_s": rate(pages, two["seconds"])},
        "unchanged": again,
        "reingest_speedup": round(one["seconds"] / again["seconds"], 1),
        "two_worker_speedup": round(one["seconds"] / two["seconds"], 3),
        "parallel_capacity": min(capacity_before, capacity_after),
        # The speed-up as a share of what this machine's second core allowed just then.
        "two_worker_efficiency": round(
            one["seconds"] / two["seconds"] / min(capacity_before, capacity_after), 3
        ),
        "tenth": {**small, "files": len(tenth)},
        "memory_all_vs_tenth": round(one["peak_rss_mb"] / small["peak_rss_mb"], 3),
        "big_pdf": {**huge, "pages": big_pages},
    }


def bench_search(index_dir: Path, scratch: Path) -> dict:
    catalog = Catalog(index_dir / CATALOG_FILE)
    clusters = catalog.cluster_ids()
    rows = [
        section_fields(document, section, clusters.get(document.doc_id, document.doc_id))
        for document in catalog.documents(with_sections=True)
        for section in document.sections
    ]
    catalog.close()
    queries = query_set(indexed_areas(rows))
    product = open_backend(index_dir, create=False)
    raw = RawWhoosh(index_dir / WHOOSH_DIR)
    tantivy_engine = Tantivy(scratch / "tantivy")
    tantivy_s, _ = timed(lambda: tantivy_engine.write(rows))
    fts = Fts5(scratch / "fts5.sqlite")
    fts_s, _ = timed(lambda: fts.write(rows))
    engines: dict[str, Callable[[BenchQuery], object]] = {
        "product": lambda q: product.search(q.text(), q.filters(), limit=20),
        "raw_whoosh": raw.search,
        "tantivy": tantivy_engine.search,
        "fts5": fts.search,
    }
    figures: dict = {"sections": len(rows), "queries": len(queries), "repeat": SEARCH_REPEAT}
    for name, seconds in latencies(engines, queries, SEARCH_REPEAT).items():
        figures[name] = {
            **percentiles(seconds),
            **{
                kind: percentiles(
                    [s for s, q in zip(seconds, queries, strict=True) if q.kind == kind]
                )
                for kind in KINDS
            },
        }
    figures["tantivy"]["build_sections_s"] = rate(len(rows), tantivy_s)
    figures["fts5"]["build_sections_s"] = rate(len(rows), fts_s)
    product.close()
    raw.close()
    fts.close()
    figures["p95_ratio"] = round(figures["product"]["p95_ms"] / figures["raw_whoosh"]["p95_ms"], 3)
    return figures


def indexed_areas(rows: list[dict]) -> list[str]:
    """The areas sections are attributed to, once per section: facet queries pick
    areas as often as sections are about them, so most of them find something."""
    return sorted(area for row in rows for area in split_facet(row.get("districts")))


def run(size: str, seed: int, keep_index: Path | None = None) -> dict:
    corpus = build_corpus(SIZES[size], seed, label=size)
    big = build_big_pdf(BIG_PAGES[size], seed)
    listed = json.loads(corpus.manifest.read_text())["files"]
    stride = STAGE_STRIDE[size]
    stage_files = corpus.files[::stride]
    stage_pages = sum(entry["pages"] for entry in listed[::stride])
    results: dict = {
        "machine": {
            "platform": f"{platform.system()} {platform.machine()}",
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": [round(load, 2) for load in os.getloadavg()],
        },
        "corpus": {
            "size": size,
            "seed": seed,
            "files": len(corpus.files),
            "pages": corpus.pages,
            "render_s": round(corpus.seconds, 1),
            "stage_files": len(stage_files),
        },
    }
    with tempfile.TemporaryDirectory(prefix="csp-bench-") as scratch_name:
        scratch = Path(scratch_name)
        results["parse"], parsed = bench_parse(stage_files)
        results["extract"], documents = bench_extract(stage_files, parsed, stage_pages)
        del parsed
        results["spacy"] = bench_spacy(documents, SPACY_WORDS[size])
        results["index"] = bench_index(documents, stage_pages, scratch)
        del documents
        results["ingest"] = bench_ingest(corpus.files, corpus.pages, big, scratch)
        results["search"] = bench_search(scratch / "ingest-1", scratch)
        if keep_index:
            shutil.copytree(scratch / "ingest-1", keep_index, dirs_exist_ok=True)
    stages = {name: results[name]["product_pages_s"] for name in ("parse", "extract", "index")}
    slowest = min(stages, key=stages.get)
    ingest = results["ingest"]
    best = max(ingest["one_worker"]["pages_s"], ingest["two_workers"]["pages_s"])
    results["ratios"] = {
        "slowest_stage": slowest,
        "index_ratio": results["index"]["ratio"],
        "search_p95_ratio": results["search"]["p95_ratio"],
        "search_facet_p95_ms": results["search"]["product"]["facet"]["p95_ms"],
        "ingest_vs_slowest_stage": round(best / stages[slowest], 3),
        "two_worker_speedup": ingest["two_worker_speedup"],
        "reingest_speedup": ingest["reingest_speedup"],
        "memory_all_vs_tenth": ingest["memory_all_vs_tenth"],
        "big_pdf_peak_mb": ingest["big_pdf"]["peak_rss_mb"],
    }
    results["targets_met"] = {
        name: (value >= goal if op == ">=" else value <= goal if op == "<=" else value < goal)
        for name, (op, goal) in TARGETS.items()
        if (value := results["ratios"][name]) is not None
    }
    return results


def table(results: dict) -> str:
    machine, corpus = results["machine"], results["corpus"]
    parse, extract, spacy_fig = results["parse"], results["extract"], results["spacy"]
    index, ingest, found = results["index"], results["ingest"], results["search"]
    ratios, met = results["ratios"], results["targets_met"]
    one, two = ingest["one_worker"], ingest["two_workers"]
    sizes = f"{ingest['whoosh_mb']}, {ingest['catalog_mb']}"
    both_peaks = f"{two['peak_rss_mb']}/{two['peak_worker_rss_mb']}"
    lines = [
        f"corpus: {corpus['size']}, seed {corpus['seed']}: {corpus['files']} PDFs, "
        f"{corpus['pages']} pages, {found['sections']} sections; stages on "
        f"{corpus['stage_files']} files",
        f"machine: {machine['platform']}, Python {machine['python']}, {machine['cpus']} CPUs, "
        f"load {machine['load_average'][0]}",
        "",
        f"{'measure':<34}{'product':>12}{'raw':>12}{'ratio':>9}",
        f"{'parse, pages/s':<34}{parse['product_pages_s']:>12}{parse['raw_pages_s']:>12}"
        f"{parse['ratio']:>9}",
        f"{'extract after parse, pages/s':<34}{extract['product_pages_s']:>12}{'':>12}{'':>9}",
        f"{'spaCy, words/s':<34}{spacy_fig['product_words_s']:>12}{spacy_fig['raw_words_s']:>12}"
        f"{spacy_fig['ratio']:>9}",
        f"{'index, sections/s':<34}{index['product_sections_s']:>12}"
        f"{index['raw_sections_s']:>12}{index['ratio']:>9}",
        f"{'index, MB/s':<34}{index['product_mb_s']:>12}{index['raw_mb_s']:>12}",
        f"{'ingest 1 worker, pages/s':<34}{one['pages_s']:>12}",
        f"{'ingest 2 workers, pages/s':<34}{two['pages_s']:>12}{'':>12}"
        f"{ingest['two_worker_speedup']:>9}",
        f"{'  2 processes on this machine':<34}{'':>12}{'':>12}{ingest['parallel_capacity']:>9}",
        f"{'  speed-up / that':<34}{'':>12}{'':>12}{ingest['two_worker_efficiency']:>9}",
        f"{'unchanged re-ingest, s':<34}{ingest['unchanged']['seconds']:>12}{'':>12}"
        f"{ingest['reingest_speedup']:>9}",
        f"{'index on disk: Whoosh, catalog, MB':<34}{sizes:>12}",
        f"{'peak RSS 1 worker, MB':<34}{one['peak_rss_mb']:>12}",
        f"{'peak RSS 2 workers main/worker, MB':<34}{both_peaks:>12}",
        f"{'peak RSS a tenth of files, MB':<34}{ingest['tenth']['peak_rss_mb']:>12}{'':>12}"
        f"{ingest['memory_all_vs_tenth']:>9}",
        f"{'peak RSS ' + str(ingest['big_pdf']['pages']) + '-page PDF, MB':<34}"
        f"{ingest['big_pdf']['peak_rss_mb']:>12}",
        "",
        f"search over {found['queries']} queries, ms"
        f"{'p50':>10}{'p95':>10}{'p99':>10}{'facet p95':>11}{'phrase p95':>11}",
    ]
    for name in ("product", "raw_whoosh", "tantivy", "fts5"):
        engine = found[name]
        lines.append(
            f"  {name:<31}{engine['p50_ms']:>10}{engine['p95_ms']:>10}{engine['p99_ms']:>10}"
            f"{engine['facet']['p95_ms']:>11}{engine['phrase']['p95_ms']:>11}"
        )
    lines += ["", f"targets (slowest stage alone: {ratios['slowest_stage']})"]
    for name, (op, goal) in TARGETS.items():
        verdict = "met" if met.get(name) else "MISSED"
        lines.append(f"  {name:<32}{ratios[name]:>10} {op} {goal:<8} {verdict}")
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark CSP Search against its libraries.",
        epilog="With --scale, the national-scale benchmark (bench/scale.py) runs instead: "
        "indexes of N sections made from the scaled corpus with areas, years, figures and "
        "names varied, on each engine, the product against the raw engine.",
    )
    parser.add_argument("--quick", action="store_true", help=f"{SIZES['quick']} PDFs (CI)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--save", type=Path, help="also write the JSON object to this file")
    parser.add_argument(
        "--keep-index", type=Path, help="keep the corpus's index here (for bench.app --index)"
    )
    scale = parser.add_argument_group("national scale (#20)")
    scale.add_argument(
        "--scale",
        nargs="+",
        type=sizes_of,
        metavar="N",
        help="build indexes of N sections (100000, 100k, 1m; several sizes grow one index "
        "per engine) and measure build rate, search p50/p95/p99 by query kind for the "
        "product and the raw engine, facet counts, peak memory and disk at each",
    )
    scale.add_argument(
        "--backends",
        nargs="+",
        choices=sorted(BACKENDS),
        default=sorted(BACKENDS, reverse=True),
        help="the engines to measure, each in a process of its own (default: both)",
    )
    scale.add_argument(
        "--scale-dir",
        type=Path,
        default=SCALE_DIR,
        help=f"where the indexes are built, one folder per engine, and left (default {SCALE_DIR})",
    )
    scale.add_argument(
        "--scale-source",
        type=Path,
        metavar="INDEX",
        help="make the sections from this index's catalog instead of the quick scaled corpus",
    )
    scale.add_argument(
        "--repeat",
        type=int,
        default=SCALE_REPEAT,
        help=f"timed rounds of the 240 queries after a warming one (default {SCALE_REPEAT})",
    )
    args = parser.parse_args(argv)
    if args.scale:
        return scale_main(args)
    results = run("quick" if args.quick else "full", args.seed, args.keep_index)
    save(results, args.save)
    print(json.dumps(results) if args.json else table(results))


def scale_main(args: argparse.Namespace) -> None:
    measured: list[dict] = []

    def report(figures: dict) -> None:
        # Saved size by size: a long run cut short keeps the sizes it reached.
        measured.append(figures)
        save(measured, args.save)
        if not args.json:
            print("\n".join(scale_lines(figures)), flush=True)

    results = run_scale(
        args.scale,
        args.backends,
        seed=args.seed,
        scale_dir=args.scale_dir,
        source_index=args.scale_source,
        repeat=args.repeat,
        report=report,
    )
    if args.json:
        print(json.dumps(results))


def save(results: dict | list, path: Path | None) -> None:
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
