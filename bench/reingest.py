"""First ingest of the sample corpus vs re-ingest of the unchanged corpus.

    python -m bench.reingest [--json] [--repeat N]

Prints both wall times and their ratio; the target is re-ingest under a tenth of the
first ingest's time.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

from ingest.paths import CORPUS_DIR
from ingest.pipeline import ingest_paths


def measure(corpus: list[Path], repeat: int) -> dict:
    first_times, again_times = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            index = Path(scratch) / "index"
            started = time.perf_counter()
            first = ingest_paths(corpus, index)
            first_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            again = ingest_paths(corpus, index)
            again_times.append(time.perf_counter() - started)
    files = len(first.results)
    return {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "files": files,
        "first_ingest_s": round(min(first_times), 3),
        "reingest_s": round(min(again_times), 3),
        "ratio": round(min(again_times) / min(first_times), 4),
        "reingest_statuses": again.counts,
        "first_statuses": first.counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, nargs="+", default=[CORPUS_DIR / "text", CORPUS_DIR / "pdf"]
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = measure(args.corpus, args.repeat)
    if args.json:
        print(json.dumps(result))
        return
    folders = " ".join(str(path) for path in args.corpus)
    print(f"corpus: {folders} ({result['files']} files) on {result['machine']}")
    print(f"first ingest      {result['first_ingest_s']:8.3f} s  {result['first_statuses']}")
    print(f"unchanged re-run  {result['reingest_s']:8.3f} s  {result['reingest_statuses']}")
    print(f"ratio             {result['ratio']:8.4f}  (target < 0.1)")


if __name__ == "__main__":
    main()
