"""What a caller chooses for an ingest, importable without the machinery that runs it:
the limits each file is read under and where files are parsed.

The CLI reads its options' defaults and choices here, so a reading command such as
`csp search` loads no multiprocessing, Dask or PDF code.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where files are parsed: worker processes here, a local Dask cluster, a running one.
EXECUTORS = ("local", "dask-local", "dask")


@dataclass(frozen=True)
class Limits:
    """Per-file bounds; `csp ingest --timeout/--max-memory/--max-pages` set them."""

    timeout_s: float = 120.0
    max_memory_mb: int = 2048
    max_pages: int = 5000


DEFAULT_LIMITS = Limits()
