"""How fast `csp extract` reads real PDFs (#17), beside the rendered sample PDFs.

    python -m bench.real_pdfs [DIR] [--json]

DIR holds the real PDFs of models/real/pdfs.jsonl (default: $CSP_REAL_PDFS; see
models/real/fetch_pdfs.md for how to fetch them).  Each file goes through
`ingest.pipeline.extract.extract_file`, the whole of what `csp extract` does (reading,
OCR of image-only pages, splitting, structure, attribution, entities), in this one
process after the models have loaded, so the model load (reported apart) is not in any
file's time.  The sample corpus's rendered PDFs (corpus/pdf) are timed the same way.
Each file is read twice and the faster time kept, so a moment's contention from another
process does not count against it.  The load average at the start is printed, since
this is meant for a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PDFS = ROOT / "corpus" / "pdf"
TRIES = 2


def time_file(path: Path) -> dict:
    """The faster of TRIES extractions of one file, with its pages and OCR'd pages."""
    from ingest.pipeline.extract import extract_file

    best = float("inf")
    extraction = None
    for _ in range(TRIES):
        started = time.perf_counter()
        extraction = extract_file(path)
        best = min(best, time.perf_counter() - started)
    assert extraction is not None
    pages = extraction.page_count or 0
    return {
        "file": path.name,
        "pages": pages,
        "ocr_pages": len(extraction.ocr_pages),
        "seconds": round(best, 3),
        "pages_per_s": round(pages / best, 1) if best else None,
    }


def summary(rows: list[dict]) -> dict:
    pages = sum(row["pages"] for row in rows)
    seconds = sum(row["seconds"] for row in rows)
    return {
        "files": len(rows),
        "pages": pages,
        "ocr_pages": sum(row["ocr_pages"] for row in rows),
        "seconds": round(seconds, 2),
        "pages_per_s": round(pages / seconds, 1) if seconds else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.real_pdfs", description=__doc__)
    parser.add_argument("dir", nargs="?", default=os.environ.get("CSP_REAL_PDFS"))
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args(argv)
    if not args.dir or not Path(args.dir).is_dir():
        parser.error("give the folder of real PDFs (or set CSP_REAL_PDFS)")
    load = os.getloadavg()[0]
    started = time.perf_counter()
    from ingest.nlp.entities import entity_pipeline

    entity_pipeline()
    model_load = time.perf_counter() - started

    real = [time_file(path) for path in sorted(Path(args.dir).glob("*.pdf"))]
    rendered = [time_file(path) for path in sorted(SAMPLE_PDFS.glob("*.pdf"))]
    result = {
        "load_average": round(load, 2),
        "model_load_s": round(model_load, 2),
        "real": real,
        "real_total": summary(real),
        "rendered_total": summary(rendered),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"load average at start {load:.2f}; models loaded in {model_load:.1f} s")
    print(f"{'file':<48} {'pages':>5} {'OCR':>4} {'s':>7} {'pages/s':>8}")
    for row in real:
        print(
            f"{row['file']:<48} {row['pages']:>5} {row['ocr_pages']:>4} "
            f"{row['seconds']:>7.2f} {row['pages_per_s'] or 0:>8.1f}"
        )
    for label, total in (
        ("real PDFs", result["real_total"]),
        ("rendered samples", result["rendered_total"]),
    ):
        print(
            f"{label}: {total['files']} files, {total['pages']} pages "
            f"({total['ocr_pages']} OCR'd) in {total['seconds']:.1f} s, "
            f"{total['pages_per_s']} pages/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
