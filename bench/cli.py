"""The read path as a user meets it: `csp` reading commands as processes, against a
plain Python process that runs the same query on the same Whoosh index.

    python -m bench.cli [--runs N] [--json] [--index DIR]

Ingests the sample corpus (corpus/text, corpus/pdf) into a scratch index once (unless
--index is given), then runs each command as a fresh process: one warm-up round, then
`--runs` rounds (7 by default), the commands taking turns within a round so that load
from elsewhere on the machine falls on all of them alike.  Prints each command's median
wall time and its ratio to the plain process's:

- `csp search J9`, `csp docs`, `csp entity J9`: the installed console script, as typed;
- plain whoosh: `python -c` opening the index's Whoosh folder with `whoosh.index.open_dir`,
  parsing the query over the same fields with Whoosh's own parser and printing the titles
  of the top 20 hits; no product code runs, except what Whoosh unpickles to read the
  index's schema (its analyzer).

A command's time is its start-up (interpreter, imports, opening the index) plus its
work; for these commands on a small index the start-up is nearly all of it, which is
what the ratio shows.  The target of #21 is `csp search` within 2 times the plain
process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest.paths import CORPUS_DIR

QUERY = "J9"
TARGET_RATIO = 2.0
PLAIN = """
import sys
from whoosh import index, qparser

ix = index.open_dir(sys.argv[1])
fields = sys.argv[3].split(",")
with ix.searcher() as searcher:
    query = qparser.MultifieldParser(fields, ix.schema).parse(sys.argv[2])
    for hit in searcher.search(query, limit=20):
        print(hit["title"])
"""


def csp_command() -> list[str]:
    """The `csp` console script beside this interpreter, else the module."""
    script = Path(sys.executable).with_name("csp")
    if script.exists():
        return [str(script)]
    found = shutil.which("csp")
    return [found] if found else [sys.executable, "-m", "ingest.cli"]


def commands(index: Path) -> dict[str, list[str]]:
    # Imported here so that the bench's own start-up does not include the schema module.
    from ingest.search.whoosh.index import WHOOSH_DIR
    from ingest.search.whoosh.schema import SEARCH_FIELDS

    csp = csp_command()
    where = ["--index", str(index)]
    return {
        f"csp search {QUERY}": [*csp, "search", QUERY, *where],
        "csp docs": [*csp, "docs", *where],
        f"csp entity {QUERY}": [*csp, "entity", QUERY, *where],
        "plain whoosh": [
            sys.executable, "-c", PLAIN, str(index / WHOOSH_DIR), QUERY, ",".join(SEARCH_FIELDS)
        ],
    }  # fmt: skip


def wall_time(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-500:]}")
    return seconds


def measure(index: Path, runs: int) -> dict:
    """Median seconds of each command over `runs` rounds after one warm-up round."""
    named = commands(index)
    for command in named.values():
        wall_time(command)
    seconds: dict[str, list[float]] = {name: [] for name in named}
    for _ in range(runs):
        for name, command in named.items():
            seconds[name].append(wall_time(command))
    plain = statistics.median(seconds["plain whoosh"])
    return {
        name: {
            "median_s": round(statistics.median(times), 3),
            "min_s": round(min(times), 3),
            "ratio": round(statistics.median(times) / plain, 2),
        }
        for name, times in seconds.items()
    }


def run(index: Path | None, runs: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        corpus = "given index"
        if index is None:
            from ingest.pipeline.ingest import ingest_paths

            index = Path(scratch) / "index"
            report = ingest_paths([CORPUS_DIR / "text", CORPUS_DIR / "pdf"], index)
            if report.failed:
                raise SystemExit(f"ingest failed: {[r.line() for r in report.failed]}")
            corpus = "sample corpus (10 files)"
        timings = measure(index, runs)
    ratio = timings[f"csp search {QUERY}"]["ratio"]
    return {
        "corpus": corpus,
        "machine": {
            "platform": f"{platform.system()} {platform.machine()}",
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": [round(load, 2) for load in os.getloadavg()],
        },
        "runs": runs,
        "commands": timings,
        "target": {"search_ratio": ratio, "at_most": TARGET_RATIO, "met": ratio <= TARGET_RATIO},
    }


def table(results: dict) -> str:
    machine = results["machine"]
    lines = [
        f"{results['corpus']}, {results['runs']} runs after a warm-up",
        f"machine: {machine['platform']}, Python {machine['python']}, {machine['cpus']} CPUs, "
        f"load {machine['load_average'][0]}",
        "",
        f"{'command':<20}{'median s':>10}{'min s':>10}{'ratio':>8}",
    ]
    for name, timing in results["commands"].items():
        lines.append(
            f"{name:<20}{timing['median_s']:>10.3f}{timing['min_s']:>10.3f}{timing['ratio']:>8.2f}"
        )
    target = results["target"]
    verdict = "met" if target["met"] else "MISSED"
    lines += ["", f"target: csp search {target['search_ratio']} <= {target['at_most']} {verdict}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--index", type=Path, help="time this index instead of the samples")
    args = parser.parse_args(argv)
    results = run(args.index, args.runs)
    print(json.dumps(results) if args.json else table(results))


if __name__ == "__main__":
    main()
