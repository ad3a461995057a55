"""Crash safety: `csp ingest` killed with SIGKILL at random moments, then resumed.

    python -m bench.crash [--files 60] [--kills 20] [--seed 7] [--workers 2] [--json]

Builds a corpus of distinct PDFs (runs of pages cut from the rendered sample PDFs),
ingests it once without interruption for reference, then into a fresh index kills the
ingest at `--kills` random moments, each time starting it again, and lets the last run
finish.  It then checks what a user relies on: `csp check` finds the catalog and the
index in agreement, the documents are those of the uninterrupted ingest, and every
document is searchable exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pymupdf

from ingest.paths import CORPUS_DIR
from ingest.search.registry import BACKENDS, DEFAULT_BACKEND
from ingest.store.catalog import Catalog
from ingest.store.check import check_index
from ingest.store.store import CATALOG_FILE

CSP = str(Path(sys.executable).with_name("csp"))


def make_corpus(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """`count` distinct PDFs, each a run of pages of one sample PDF (deterministic)."""
    folder.mkdir(parents=True, exist_ok=True)
    samples = sorted((CORPUS_DIR / "pdf").glob("*.pdf"))
    chance = random.Random(seed)
    made: list[Path] = []
    for number in range(count):
        source = pymupdf.open(samples[number % len(samples)])
        length = chance.randint(2, min(12, source.page_count))
        first = chance.randint(0, source.page_count - length)
        source.select(list(range(first, first + length)))
        target = folder / f"crash-{number:03d}.pdf"
        source.save(target, garbage=3, deflate=True)
        source.close()
        made.append(target)
    return made


def ingest_command(
    corpus: Path, index: Path, workers: int, backend: str = DEFAULT_BACKEND
) -> list[str]:
    return [
        *[CSP, "ingest", str(corpus), "--index", str(index), "--workers", str(workers)],
        *["--backend", backend],
    ]


def stored_documents(index: Path) -> list[tuple]:
    """What a user would see of each document, without the run-dependent cluster ids."""
    catalog = Catalog(index / CATALOG_FILE)
    try:
        sections = catalog.section_counts()
        return sorted(
            (
                document.doc_id,
                Path(document.source).name,
                document.title,
                document.doc_type.value,
                tuple(document.districts),
                document.year_from,
                document.year_to,
                sections.get(document.doc_id, 0),
            )
            for document in catalog.documents()
        )
    finally:
        catalog.close()


def kill_and_resume(
    corpus: Path, index: Path, kills: int, seed: int, workers: int, backend: str = DEFAULT_BACKEND
) -> list[dict]:
    """Start the ingest `kills` times, each killed at a random moment while it works:
    after it has dealt with 1-2 more files, 0-0.6 s into what comes next (extracting or
    storing the next file, or finishing); returns what each round saw."""
    chance = random.Random(seed)
    rounds = []
    for number in range(kills):
        files_first, delay = chance.randint(1, 2), chance.uniform(0.0, 0.6)
        started = time.monotonic()
        process = subprocess.Popen(
            ingest_command(corpus, index, workers, backend),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=pipe_lines, args=(process.stdout, lines), daemon=True).start()
        stored = 0
        while stored < files_first:
            line = lines.get()
            if line is None:
                break
            stored += line.startswith(NEW_WORK)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        stderr = process.stderr.read() if process.stderr else ""
        rounds.append(
            {
                "round": number + 1,
                "killed_after_s": round(time.monotonic() - started, 2),
                "killed": process.returncode == -signal.SIGKILL,
                "notes": [line for line in stderr.splitlines() if line.startswith("note:")],
            }
        )
    return rounds


NEW_WORK = ("ingested", "partial", "ocr", "failed")


def pipe_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def measure(
    files: int, kills: int, seed: int, workers: int, backend: str = DEFAULT_BACKEND
) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        corpus = scratch / "corpus"
        make_corpus(corpus, files, seed)

        started = time.monotonic()
        subprocess.run(
            ingest_command(corpus, scratch / "reference", workers, backend),
            check=True,
            capture_output=True,
        )
        uninterrupted_s = time.monotonic() - started
        reference = stored_documents(scratch / "reference")

        index = scratch / "crashed"
        rounds = kill_and_resume(corpus, index, kills, seed, workers, backend)
        final = subprocess.run(
            ingest_command(corpus, index, workers, backend), capture_output=True, text=True
        )
        check, _ = check_index(index)
        survived = stored_documents(index)
        return {
            "files": files,
            "backend": backend,
            "kills": kills,
            "killed_rounds": sum(round_["killed"] for round_ in rounds),
            "uninterrupted_s": round(uninterrupted_s, 2),
            "final_exit_code": final.returncode,
            "check": check.to_dict(),
            "documents": len(survived),
            "same_documents_as_uninterrupted": survived == reference,
            "rounds": rounds,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=sorted(BACKENDS), default=DEFAULT_BACKEND)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    options = parser.parse_args()
    result = measure(options.files, options.kills, options.seed, options.workers, options.backend)
    if options.json:
        print(json.dumps(result))
        return
    print(f"corpus: {result['files']} PDFs; uninterrupted ingest {result['uninterrupted_s']} s")
    for round_ in result["rounds"]:
        state = "killed" if round_["killed"] else "finished"
        print(
            f"round {round_['round']:2}: {state} after {round_['killed_after_s']:6.2f} s"
            + (f"; {'; '.join(round_['notes'])}" if round_["notes"] else "")
        )
    agree = "agree" if result["check"]["agree"] else "DISAGREE"
    same = "the same as" if result["same_documents_as_uninterrupted"] else "DIFFERENT from"
    print(
        f"survived {result['killed_rounds']} kills: catalog and index {agree}; "
        f"{result['documents']} documents, {same} the uninterrupted ingest"
    )


if __name__ == "__main__":
    main()
