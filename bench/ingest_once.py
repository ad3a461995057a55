"""One `csp ingest` run in a fresh process, so its peak memory is its own.

    python -m bench.ingest_once INDEX WORKERS LIST_FILE

LIST_FILE names one file per line.  Prints one JSON object: wall seconds, statuses,
and peak RSS of this process (VmHWM: ru_maxrss would carry over the RSS of the bench
process that started it, as Linux keeps it across exec) and of its largest worker
(ru_maxrss of the children, which reports the largest one).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from bench.timing import peak_mb
from ingest.pipeline.ingest import ingest_paths


def peak_worker_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def main() -> None:
    index, workers, list_file = sys.argv[1:4]
    paths = [Path(line) for line in Path(list_file).read_text().splitlines() if line]
    started = time.perf_counter()
    report = ingest_paths(paths, Path(index), workers=int(workers))
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "statuses": report.counts,
                "failed": [result.line() for result in report.failed][:5],
                "peak_rss_mb": peak_mb(),
                "peak_worker_rss_mb": peak_worker_mb(),
            }
        )
    )


if __name__ == "__main__":
    main()
