"""Timing and measuring helpers shared by the benchmarks (`bench`, `bench.scale`)."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

MB = 1024 * 1024
SEARCH_REPEAT = 3
Query = TypeVar("Query")


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def rate(amount: float, seconds: float) -> float:
    return round(amount / seconds, 1) if seconds else 0.0


def percentiles(seconds: list[float]) -> dict:
    ms = sorted(value * 1000 for value in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
    }


def latencies(
    engines: dict[str, Callable[[Query], object]], queries: list[Query], repeat: int
) -> dict[str, list[float]]:
    """Each query's best time of `repeat` on each engine, after one warming pass.

    Engines take turns query by query, so a burst of load from other work on the
    machine lands on all of them rather than on whichever ran then."""
    best = {name: [float("inf")] * len(queries) for name in engines}
    for round_number in range(repeat + 1):
        for position, query in enumerate(queries):
            for name, run in engines.items():
                started = time.perf_counter()
                run(query)
                elapsed = time.perf_counter() - started
                if round_number:  # round 0 warms caches and lazily opened readers
                    best[name][position] = min(best[name][position], elapsed)
    return best


def folder_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / MB, 1)


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: ru_maxrss would carry over the RSS of
    the process that started it, as Linux keeps it across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
