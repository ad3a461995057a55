"""The extraction stage alone, for comparing two versions of the code on the same files.

    python -m bench.extract [--quick | --pdfs DIR] [--files N] [--rounds R]

Parses N files of the scaled corpus (bench/corpus.py), or of the PDFs in DIR in name
order (every file with --files 0), loads
the pipelines, then extracts them R times (`extract_documents`: structure, attribution,
entities), printing for each round the pages a wall-clock second and a CPU second of
this process, with the load average before and after.  On a machine shared with other
work the wall-clock rate follows the load; the CPU-second rate much less, so compare
two versions by running them alternately and reading both.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from bench.corpus import DEFAULT_SEED, SIZES, build_corpus
from ingest.attribution.places import place_pipeline
from ingest.nlp.entities import entity_pipeline
from ingest.pipeline.extract import extract_documents, file_sha256
from ingest.readers.pdf import read_pdf


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time the extraction stage alone.")
    parser.add_argument("--quick", action="store_true", help=f"{SIZES['quick']}-PDF corpus")
    parser.add_argument("--files", type=int, default=20, help="how many (0: all); default 20")
    parser.add_argument("--rounds", type=int, default=1, help="extractions of the same files")
    parser.add_argument("--pdfs", type=Path, help="these PDFs instead (e.g. /work/real-pdfs)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.pdfs:
        every = sorted(args.pdfs.glob("*.pdf"))
    else:
        size = "quick" if args.quick else "full"
        every = build_corpus(SIZES[size], args.seed, label=size).files
    files = every[: args.files or None]
    hashes = [file_sha256(path) for path in files]
    # Pipelines are built once per process, outside the timing, as an ingest worker does.
    entity_pipeline()
    place_pipeline()
    pages = 0
    for _ in range(args.rounds):
        # Parsed afresh each round: extraction marks the blocks it judges as headings.
        parsed = [read_pdf(path) for path in files]
        pages = sum(file.pages_read or 0 for file in parsed)
        load_before = os.getloadavg()[0]
        cpu, wall = time.process_time(), time.perf_counter()
        sections = 0
        for path, parsed_file, sha256 in zip(files, parsed, hashes, strict=True):
            documents = extract_documents(parsed_file, source=str(path), sha256=sha256)
            sections += sum(len(document.sections) for document in documents)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"{len(files)} files, {pages} pages, {sections} sections: "
            f"{pages / wall:.1f} pages/s, {pages / cpu:.1f} pages a CPU-second "
            f"(load {load_before:.2f} -> {os.getloadavg()[0]:.2f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
